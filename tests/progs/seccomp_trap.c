/*
 * seccomp_trap.c — covers seccomp filters answering TRAP (a SIGSYS whose
 * siginfo names the call, and the filter's data in si_errno) for a call
 * replay emulates, one it runs for real (munmap) and a fork (replay must
 * not fork), then KILL_THREAD of a thread that installed a filter of its own
 * (the others are not under it), and TSYNC: a filter the main thread gives
 * every thread of the process.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <pthread.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <ucontext.h>
#include <unistd.h>

#define NR offsetof(struct seccomp_data, nr)
#define ON_NR(nr, action) BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, (nr), 0, 1), BPF_STMT(BPF_RET | BPF_K, (action))

static volatile int traps;

static void on_sigsys(int signo, siginfo_t *info, void *context)
{
    ucontext_t *uc = context;
    traps++;
    printf("SIGSYS %d: code %d, syscall %d, arch ok %d, data %d, rax %lld, at the call %d\n", signo, info->si_code,
           info->si_syscall, info->si_arch == AUDIT_ARCH_X86_64, info->si_errno,
           (long long)uc->uc_mcontext.gregs[REG_RAX], info->si_call_addr != NULL);
    uc->uc_mcontext.gregs[REG_RAX] = -ENOSYS - 1000; /* what the call returns */
}

static int install(struct sock_filter *code, unsigned short len, unsigned flags)
{
    struct sock_fprog prog = {.len = len, .filter = code};
    return (int)syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, flags, &prog);
}

static void *killed_thread(void *arg)
{
    struct sock_filter code[] = {
        BPF_STMT(BPF_LD | BPF_W | BPF_ABS, NR),
        ON_NR(SYS_getpriority, SECCOMP_RET_KILL_THREAD),
        BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
    };
    if (install(code, sizeof code / sizeof code[0], 0) != 0)
        return NULL;
    syscall(SYS_getpriority, PRIO_PROCESS, 0);
    return arg; /* not reached */
}

static pthread_barrier_t synced;

static void *synced_thread(void *arg)
{
    pthread_barrier_wait(&synced); /* the main thread installs with TSYNC */
    pthread_barrier_wait(&synced);
    errno = 0;
    long rc = syscall(SYS_getuid);
    printf("synced thread: getuid %ld errno %s\n", rc, strerror(errno));
    return arg;
}

int main(void)
{
    struct sigaction action = {.sa_sigaction = on_sigsys, .sa_flags = SA_SIGINFO};
    sigaction(SIGSYS, &action, NULL);
    prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
    static char page[3 * 4096] __attribute__((aligned(4096)));
    struct sock_filter code[] = {
        BPF_STMT(BPF_LD | BPF_W | BPF_ABS, NR),
        ON_NR(SYS_getpriority, SECCOMP_RET_TRAP | 42),
        ON_NR(SYS_munmap, SECCOMP_RET_TRAP | 7),
        ON_NR(SYS_fork, SECCOMP_RET_TRAP | 3),
        BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
    };
    if (install(code, sizeof code / sizeof code[0], 0) != 0) {
        perror("seccomp");
        return 1;
    }
    long rc = syscall(SYS_getpriority, PRIO_PROCESS, 0);
    printf("getpriority returned %ld\n", rc);
    rc = syscall(SYS_munmap, page + 4096, 4096);
    page[4096] = 1; /* still mapped */
    printf("munmap returned %ld\n", rc);
    rc = syscall(SYS_fork);
    printf("fork returned %ld\n", rc);
    fflush(stdout);

    pthread_t thread;
    pthread_create(&thread, NULL, killed_thread, NULL);
    void *result = &result;
    pthread_join(thread, &result);
    printf("killed thread joined, result %s\n", result == &result ? "unset" : "set");

    pthread_barrier_init(&synced, NULL, 2);
    pthread_create(&thread, NULL, synced_thread, NULL);
    pthread_barrier_wait(&synced);
    struct sock_filter deny_getuid[] = {
        BPF_STMT(BPF_LD | BPF_W | BPF_ABS, NR),
        ON_NR(SYS_getuid, SECCOMP_RET_ERRNO | EPERM),
        BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
    };
    rc = install(deny_getuid, sizeof deny_getuid / sizeof deny_getuid[0], SECCOMP_FILTER_FLAG_TSYNC);
    printf("TSYNC install returned %ld\n", rc);
    fflush(stdout);
    pthread_barrier_wait(&synced);
    pthread_join(thread, NULL);
    printf("traps %d\n", traps);
    return traps == 3 ? 0 : 1;
}
