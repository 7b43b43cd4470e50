// rrdb-test: replays 5
/*
 * ptrace_singlestep.c — covers a recorded tracer that single-steps its
 * tracee (PTRACE_SINGLESTEP) from its first stop through to a marker
 * function: the steps run through raise()'s return, which makes a syscall
 * (a step over a syscall instruction runs the whole call, then traps). It
 * counts the steps, the syscall instructions stepped over and checks that
 * every stop is a SIGTRAP with TRAP_TRACE or, right after a syscall,
 * TRAP_BRKPT at the ip the syscall returned to. Then the child runs to its exit.
 */
#define _GNU_SOURCE
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <sys/user.h>
#include <sys/wait.h>
#include <unistd.h>

__attribute__((noinline)) void marker(void)
{
    __asm__ volatile("");
}

static int child(void)
{
    ptrace(PTRACE_TRACEME, 0, 0, 0);
    raise(SIGSTOP);
    long pid = syscall(SYS_getpid);
    long parent = syscall(SYS_getppid);
    marker();
    return pid == getpid() && parent == getppid() ? 5 : 6;
}

/* Is the instruction at ip `syscall` (0f 05)? */
static int at_syscall(pid_t pid, unsigned long long ip)
{
    long word = ptrace(PTRACE_PEEKTEXT, pid, (void *)ip, 0);
    return (word & 0xffff) == 0x050f;
}

int main(void)
{
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0)
        return child();
    int status;
    if (waitpid(pid, &status, 0) != pid || !WIFSTOPPED(status))
        return 1;
    int steps = 0, syscalls = 0, traced = 0, after_syscall = 0;
    for (;;) {
        struct user_regs_struct regs;
        if (ptrace(PTRACE_GETREGS, pid, 0, &regs) < 0)
            return 2;
        if (regs.rip == (unsigned long long)marker)
            break;
        int stepping_syscall = at_syscall(pid, regs.rip);
        syscalls += stepping_syscall;
        if (ptrace(PTRACE_SINGLESTEP, pid, 0, 0) < 0 || waitpid(pid, &status, 0) != pid)
            return 3;
        if (!WIFSTOPPED(status) || WSTOPSIG(status) != SIGTRAP) {
            printf("step %d: status 0x%x\n", steps, status);
            return 4;
        }
        siginfo_t info;
        if (ptrace(PTRACE_GETSIGINFO, pid, 0, &info) < 0)
            return 5;
        if (ptrace(PTRACE_GETREGS, pid, 0, &regs) < 0)
            return 2;
        traced += info.si_code == TRAP_TRACE;
        after_syscall += stepping_syscall && info.si_code == TRAP_BRKPT && (unsigned long long)info.si_addr == regs.rip;
        steps++;
    }
    if (ptrace(PTRACE_CONT, pid, 0, 0) < 0 || waitpid(pid, &status, 0) != pid)
        return 6;
    printf("tracer: %d steps to the marker, %d over syscalls (%d trapped after them), %d TRAP_TRACE; "
           "child exited %d\n", steps, syscalls, after_syscall, traced, WIFEXITED(status) ? WEXITSTATUS(status) : -1);
    return steps == traced + after_syscall && syscalls == after_syscall && syscalls >= 2 ? 0 : 7;
}
