// rrdb-test: nested-diff
/*
 * ptrace_watchpoint.c — covers hardware debug registers set by a tracer: the
 * parent points DR0 at a variable of the stopped child and arms it in DR7
 * (write, 4 bytes) with PTRACE_POKEUSER; each store the child makes stops it
 * with SIGTRAP (TRAP_HWBKPT), DR6 saying DR0 fired, which the parent clears.
 * Where the debug registers are accepted and never fire (a PVM guest) the
 * child runs to its end, and it says so.
 */
#include <signal.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/ptrace.h>
#include <sys/user.h>
#include <sys/wait.h>
#include <unistd.h>

#ifndef TRAP_HWBKPT
#define TRAP_HWBKPT 4 /* si_code of a hardware breakpoint or watchpoint trap */
#endif

static volatile int watched;

int main(void)
{
    pid_t child = fork();
    if (child == 0) {
        ptrace(PTRACE_TRACEME, 0, NULL, NULL);
        raise(SIGSTOP);
        for (int i = 1; i <= 4; i++)
            watched = i;
        _exit(watched);
    }
    int status;
    waitpid(child, &status, 0);
    const size_t dr = offsetof(struct user, u_debugreg);
    ptrace(PTRACE_POKEUSER, child, (void *)(dr + 0 * sizeof(long)), (void *)&watched);
    /* L0 enabled; R/W0 = 01 (writes), LEN0 = 11 (4 bytes). */
    unsigned long dr7 = 1ul | (1ul << 16) | (3ul << 18);
    ptrace(PTRACE_POKEUSER, child, (void *)(dr + 7 * sizeof(long)), (void *)dr7);
    ptrace(PTRACE_CONT, child, NULL, NULL);
    int hits = 0, dr0_fired = 0;
    siginfo_t info;
    for (;;) {
        waitpid(child, &status, 0);
        if (!WIFSTOPPED(status) || WSTOPSIG(status) != SIGTRAP)
            break;
        ptrace(PTRACE_GETSIGINFO, child, NULL, &info);
        long dr6 = ptrace(PTRACE_PEEKUSER, child, (void *)(dr + 6 * sizeof(long)), NULL);
        hits++;
        dr0_fired += (dr6 & 1) && info.si_code == TRAP_HWBKPT;
        ptrace(PTRACE_POKEUSER, child, (void *)(dr + 6 * sizeof(long)), NULL);
        ptrace(PTRACE_CONT, child, NULL, NULL);
    }
    printf("watchpoint: %d stops, DR0 said so %d times; child exited %d\n", hits, dr0_fired,
           WIFEXITED(status) ? WEXITSTATUS(status) : -1);
    if (hits == 0 && WIFEXITED(status) && WEXITSTATUS(status) == 4) {
        /* As under a PVM hypervisor: debug registers accepted, never firing. */
        printf("the debug registers do not fire on this machine\n");
        return 0;
    }
    return hits == 4 && dr0_fired == 4 ? 0 : 1;
}
