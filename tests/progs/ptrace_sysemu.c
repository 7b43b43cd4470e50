// rrdb-test: replays 5
/*
 * ptrace_sysemu.c — covers a recorded tracer that emulates its tracee's
 * syscalls, as a user-mode kernel does: under PTRACE_SYSEMU the child's
 * syscalls stop at their entry and never run; the tracer answers getpid and
 * getppid with numbers of its own and performs the child's write itself.
 * At the child's getuid it goes on with PTRACE_SYSEMU_SINGLESTEP: one stop
 * per instruction, and one at the entry of the next syscall (getgid, which
 * it answers too), until the child reaches a marker function; then the
 * child runs free to its exit and prints what it was told.
 */
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
    static const char line[] = "child: this line is written by the tracer\n";
    ptrace(PTRACE_TRACEME, 0, 0, 0);
    raise(SIGSTOP);
    long pid = syscall(SYS_getpid);
    long parent = syscall(SYS_getppid);
    long written = syscall(SYS_write, 1, line, sizeof line - 1);
    long uid = syscall(SYS_getuid);
    long gid = syscall(SYS_getgid);
    marker();
    printf("child: getpid %ld, getppid %ld, write %ld, getuid %ld, getgid %ld\n", pid, parent, written, uid, gid);
    return 0;
}

/* The tracer's answer to the syscall its tracee stopped at (regs). */
static long answer(pid_t pid, const struct user_regs_struct *regs)
{
    switch (regs->orig_rax) {
    case SYS_getpid: return 1000;
    case SYS_getppid: return 2000;
    case SYS_getuid: return 3000;
    case SYS_getgid: return 4000;
    case SYS_write: {
        char text[128];
        size_t len = regs->rdx < sizeof text ? regs->rdx : sizeof text;
        for (size_t i = 0; i < len; i += sizeof(long)) {
            long word = ptrace(PTRACE_PEEKDATA, pid, (void *)(regs->rsi + i), 0);
            memcpy(text + i, &word, len - i < sizeof word ? len - i : sizeof word);
        }
        return write(1, text, len);
    }
    default: return -38; /* ENOSYS */
    }
}

/* Resume with `request`, wait, answer a syscall stop: its number, or -1
 * for another stop (*regs: where it stopped). */
static long step(pid_t pid, long request, struct user_regs_struct *regs)
{
    int status;
    if (ptrace(request, pid, 0, 0) < 0 || waitpid(pid, &status, 0) != pid || !WIFSTOPPED(status) ||
        ptrace(PTRACE_GETREGS, pid, 0, regs) < 0)
        return -2;
    if (WSTOPSIG(status) != (SIGTRAP | 0x80))
        return WSTOPSIG(status) == SIGTRAP ? -1 : -2;
    regs->rax = (unsigned long long)answer(pid, regs);
    return ptrace(PTRACE_SETREGS, pid, 0, regs) < 0 ? -2 : (long)regs->orig_rax;
}

int main(void)
{
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0)
        return child();
    int status;
    if (waitpid(pid, &status, 0) != pid || ptrace(PTRACE_SETOPTIONS, pid, 0, PTRACE_O_TRACESYSGOOD) < 0)
        return 1;
    struct user_regs_struct regs;
    int emulated = 0, steps = 0, stepped_syscalls = 0;
    long sysno;
    do {
        sysno = step(pid, PTRACE_SYSEMU, &regs);
        emulated++;
    } while (sysno >= 0 && sysno != SYS_getuid);
    while (sysno >= -1 && regs.rip != (unsigned long long)marker) {
        sysno = step(pid, PTRACE_SYSEMU_SINGLESTEP, &regs);
        if (sysno >= 0)
            stepped_syscalls++;
        else
            steps++;
    }
    if (sysno < -1 || ptrace(PTRACE_CONT, pid, 0, 0) < 0 || waitpid(pid, &status, 0) != pid)
        return 2;
    printf("tracer: %d syscalls emulated, then %d steps and %d syscalls; child exited %d\n", emulated, steps,
           stepped_syscalls, WIFEXITED(status) ? WEXITSTATUS(status) : -1);
    return 0;
}
