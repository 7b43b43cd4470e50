// rrdb-test: replays 20
// rrdb-test: nested
// rrdb-test: nested-diff
/*
 * ptrace_tracer.c — covers a recorded program that is itself a tracer
 * (nested tracing): it forks a child that asks to be traced, follows its
 * syscalls with PTRACE_SYSCALL, reads its registers and memory, changes a
 * syscall's result (SETREGS) and a variable in its memory (POKEDATA), sees
 * its exit coming (PTRACE_O_TRACEEXIT), and reports what it saw. The child
 * prints what it got.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <sys/user.h>
#include <sys/wait.h>
#include <unistd.h>

static volatile long secret = 1234;

static int child(void)
{
    if (ptrace(PTRACE_TRACEME, 0, 0, 0) < 0)
        return 10;
    raise(SIGSTOP);
    long pid = syscall(SYS_getpid); /* the tracer makes this 4242 */
    printf("child: getpid says %ld, secret is %ld\n", pid, secret);
    fflush(stdout);
    return 3;
}

int main(void)
{
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0)
        return child();
    int status;
    if (waitpid(pid, &status, 0) != pid || !WIFSTOPPED(status) || WSTOPSIG(status) != SIGSTOP)
        return 1;
    ptrace(PTRACE_SETOPTIONS, pid, 0, PTRACE_O_TRACESYSGOOD | PTRACE_O_EXITKILL | PTRACE_O_TRACEEXIT);
    errno = 0;
    long word = ptrace(PTRACE_PEEKDATA, pid, (void *)&secret, 0);
    if (ptrace(PTRACE_POKEDATA, pid, (void *)&secret, (void *)(word + 1)) < 0)
        return 2;
    int syscalls = 0, exits = 0;
    unsigned long exit_message = 0;
    for (;;) {
        if (ptrace(PTRACE_SYSCALL, pid, 0, 0) < 0 || waitpid(pid, &status, 0) != pid)
            return 3;
        if (WIFEXITED(status)) {
            printf("tracer: child exited %d after %d syscall stops (%d exits); exit event said %lu\n",
                   WEXITSTATUS(status), syscalls, exits, exit_message >> 8);
            return 0;
        }
        if (WIFSTOPPED(status) && status >> 8 == (SIGTRAP | (PTRACE_EVENT_EXIT << 8))) {
            if (ptrace(PTRACE_GETEVENTMSG, pid, 0, &exit_message) < 0)
                return 6;
            continue;
        }
        if (!WIFSTOPPED(status) || WSTOPSIG(status) != (SIGTRAP | 0x80))
            continue;
        syscalls++;
        struct user_regs_struct regs;
        if (ptrace(PTRACE_GETREGS, pid, 0, &regs) < 0)
            return 4;
        if (regs.rax != (unsigned long long)-ENOSYS) { /* an exit stop */
            exits++;
            if (regs.orig_rax == SYS_getpid) {
                regs.rax = 4242;
                if (ptrace(PTRACE_SETREGS, pid, 0, &regs) < 0)
                    return 5;
            }
        }
    }
}
