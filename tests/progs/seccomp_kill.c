/*
 * seccomp_kill.c — covers a seccomp filter answering KILL_PROCESS to a call
 * a second thread makes: the whole process dies of SIGSYS (uncatchable, no
 * handler runs) while the main thread waits in a syscall.
 */
// rrdb-test: signal SIGSYS
#define _GNU_SOURCE
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <pthread.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

static void on_sigsys(int signo)
{
    printf("handler ran for %d: it must not\n", signo);
}

static void *killer(void *arg)
{
    printf("thread: calling getpriority\n");
    fflush(stdout);
    syscall(SYS_getpriority, PRIO_PROCESS, 0);
    printf("thread: still alive\n");
    return arg;
}

int main(void)
{
    struct rlimit no_core = {0, 0};
    setrlimit(RLIMIT_CORE, &no_core); /* SIGSYS dumps core */
    signal(SIGSYS, on_sigsys);
    struct sock_filter code[] = {
        BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
        BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_getpriority, 0, 1),
        BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_KILL_PROCESS),
        BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
    };
    struct sock_fprog prog = {.len = sizeof code / sizeof code[0], .filter = code};
    prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
    if (prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog) != 0)
        return 1;
    pthread_t thread;
    pthread_create(&thread, NULL, killer, NULL);
    pthread_join(thread, NULL);
    printf("main: still alive\n");
    return 0;
}
