// rrdb-test: nested-diff
/*
 * ptrace_change_syscall.c — covers a tracer changing the syscall its tracee
 * is about to make and the result it returns: under PTRACE_SYSCALL the
 * parent turns the child's getuid into getppid at its entry (orig_rax), and
 * at the exit of the child's getgid it writes 4242 into rax; the child
 * reports what it got.
 */
#include <signal.h>
#include <stdio.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <sys/user.h>
#include <sys/wait.h>
#include <unistd.h>

int main(void)
{
    int fds[2];
    if (pipe(fds) < 0)
        return 1;
    pid_t parent = getpid();
    pid_t child = fork();
    if (child == 0) {
        close(fds[0]);
        ptrace(PTRACE_TRACEME, 0, NULL, NULL);
        raise(SIGSTOP);
        long uid = syscall(SYS_getuid);
        long gid = syscall(SYS_getgid);
        char line[96];
        int n = snprintf(line, sizeof line, "child: getuid gave %s, getgid gave %ld\n",
                         uid == parent ? "the parent's pid" : "something else", gid);
        write(fds[1], line, (size_t)n);
        _exit(0);
    }
    close(fds[1]);
    int status;
    waitpid(child, &status, 0);
    ptrace(PTRACE_SETOPTIONS, child, NULL, (void *)PTRACE_O_TRACESYSGOOD);
    int entering = 1, changed = 0;
    for (;;) {
        ptrace(PTRACE_SYSCALL, child, NULL, NULL);
        waitpid(child, &status, 0);
        if (!WIFSTOPPED(status))
            break;
        if (WSTOPSIG(status) != (SIGTRAP | 0x80))
            continue;
        struct user_regs_struct regs;
        ptrace(PTRACE_GETREGS, child, NULL, &regs);
        if (entering && regs.orig_rax == SYS_getuid) {
            regs.orig_rax = SYS_getppid;
            ptrace(PTRACE_SETREGS, child, NULL, &regs);
            changed++;
        } else if (!entering && regs.orig_rax == SYS_getgid) {
            regs.rax = 4242;
            ptrace(PTRACE_SETREGS, child, NULL, &regs);
            changed++;
        }
        entering = !entering;
    }
    char buf[128];
    ssize_t n = read(fds[0], buf, sizeof buf - 1);
    buf[n > 0 ? n : 0] = '\0';
    printf("%stracer changed %d syscalls\n", buf, changed);
    return changed == 2 ? 0 : 1;
}
