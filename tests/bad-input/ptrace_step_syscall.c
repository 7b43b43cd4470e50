/*
 * ptrace_step_syscall.c — for tests/bad-input.sh: a tracer that single-steps
 * its child over a syscall instruction. A real single step would run the
 * syscall with no syscall stop, so rr-record cannot record it: it must stop
 * with one line saying so.
 */
#include <signal.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <sys/user.h>
#include <sys/wait.h>
#include <unistd.h>

int main(void)
{
    pid_t pid = fork();
    if (pid == 0) {
        ptrace(PTRACE_TRACEME, 0, 0, 0);
        raise(SIGSTOP);
        for (;;)
            syscall(SYS_getpid);
    }
    int status;
    struct user_regs_struct regs;
    waitpid(pid, &status, 0);
    ptrace(PTRACE_SYSCALL, pid, 0, 0); /* to a getpid's entry */
    waitpid(pid, &status, 0);
    ptrace(PTRACE_SYSCALL, pid, 0, 0); /* to its exit */
    waitpid(pid, &status, 0);
    ptrace(PTRACE_GETREGS, pid, 0, &regs);
    regs.rip -= 2; /* back onto the syscall instruction */
    regs.rax = regs.orig_rax;
    ptrace(PTRACE_SETREGS, pid, 0, &regs);
    ptrace(PTRACE_SINGLESTEP, pid, 0, 0);
    waitpid(pid, &status, 0);
    kill(pid, SIGKILL);
    return 0;
}
