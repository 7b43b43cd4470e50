// rrdb-test: nested-diff
/*
 * ptrace_breakpoint.c — covers a tracer setting a software breakpoint as a
 * debugger does: the child stops itself (PTRACE_TRACEME, SIGSTOP); the
 * parent writes int3 over a function's first byte with PTRACE_POKETEXT; at
 * each hit (SIGTRAP, ip one past) it puts the byte back, rewinds ip,
 * single-steps the instruction and writes int3 again. Three calls, three hits.
 */
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/ptrace.h>
#include <sys/user.h>
#include <sys/wait.h>
#include <unistd.h>

__attribute__((noinline)) int target(int x)
{
    __asm__ volatile("");
    return x * 3;
}

int main(void)
{
    pid_t child = fork();
    if (child == 0) {
        ptrace(PTRACE_TRACEME, 0, NULL, NULL);
        raise(SIGSTOP);
        int sum = 0;
        for (int i = 1; i <= 3; i++)
            sum += target(i);
        _exit(sum);
    }
    int status;
    waitpid(child, &status, 0);
    uintptr_t at = (uintptr_t)target;
    long original = ptrace(PTRACE_PEEKTEXT, child, (void *)at, NULL);
    long with_int3 = (original & ~0xffL) | 0xcc;
    ptrace(PTRACE_POKETEXT, child, (void *)at, (void *)with_int3);
    ptrace(PTRACE_CONT, child, NULL, NULL);
    int hits = 0;
    for (;;) {
        waitpid(child, &status, 0);
        if (!WIFSTOPPED(status) || WSTOPSIG(status) != SIGTRAP)
            break;
        struct user_regs_struct regs;
        ptrace(PTRACE_GETREGS, child, NULL, &regs);
        if (regs.rip - 1 != at)
            break;
        hits++;
        regs.rip = at;
        ptrace(PTRACE_SETREGS, child, NULL, &regs);
        ptrace(PTRACE_POKETEXT, child, (void *)at, (void *)original);
        ptrace(PTRACE_SINGLESTEP, child, NULL, NULL);
        waitpid(child, &status, 0);
        ptrace(PTRACE_POKETEXT, child, (void *)at, (void *)with_int3);
        ptrace(PTRACE_CONT, child, NULL, NULL);
    }
    printf("breakpoint hit %d times; child exited %d\n", hits, WIFEXITED(status) ? WEXITSTATUS(status) : -1);
    return hits == 3 && WIFEXITED(status) && WEXITSTATUS(status) == 18 ? 0 : 1;
}
