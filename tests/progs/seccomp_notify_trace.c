/*
 * seccomp_notify_trace.c — covers what a filter answers where nobody acts on
 * it: SECCOMP_RET_TRACE without a tracer asking for PTRACE_O_TRACESECCOMP,
 * and SECCOMP_RET_USER_NOTIF without a listener, both ENOSYS from the kernel;
 * and user notification itself, which rr-record answers as a kernel without
 * it would (a listener is refused, its sizes and action are unknown).
 */
// rrdb-test: warns
#define _GNU_SOURCE
#include <errno.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#define ON_NR(nr, action) BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, (nr), 0, 1), BPF_STMT(BPF_RET | BPF_K, (action))

static void show(const char *what, long rc)
{
    printf("%s: %ld %s\n", what, rc, rc < 0 ? strerror(errno) : "");
}

int main(void)
{
    prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
    uint32_t action = SECCOMP_RET_TRAP;
    show("trap available", syscall(SYS_seccomp, SECCOMP_GET_ACTION_AVAIL, 0, &action));
    action = SECCOMP_RET_USER_NOTIF;
    long notif = syscall(SYS_seccomp, SECCOMP_GET_ACTION_AVAIL, 0, &action);
    struct seccomp_notif_sizes sizes;
    long sizes_rc = syscall(SYS_seccomp, SECCOMP_GET_NOTIF_SIZES, 0, &sizes);
    struct sock_filter code[] = {
        BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
        ON_NR(SYS_getpriority, SECCOMP_RET_TRACE | 5),
        ON_NR(SYS_getpgrp, SECCOMP_RET_USER_NOTIF),
        BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
    };
    struct sock_fprog prog = {.len = sizeof code / sizeof code[0], .filter = code};
    long listener = syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, SECCOMP_FILTER_FLAG_NEW_LISTENER, &prog);
    if (listener >= 0) /* a kernel with user notification, and nobody to answer */
        close((int)listener);
    printf("user notification: %s\n", notif == 0 && sizes_rc == 0 && listener >= 0 ? "all there"
                                      : notif < 0 && sizes_rc < 0 && listener < 0 ? "none"
                                                                                    : "partly");
    show("install", syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &prog));
    show("getpriority (trace)", syscall(SYS_getpriority, PRIO_PROCESS, 0));
    show("getpgrp (user notif)", syscall(SYS_getpgrp));
    return 0;
}
