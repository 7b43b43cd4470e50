// rrdb-test: replays 5
// rrdb-test: warns
/*
 * ptrace_arch_prctl.c — covers a recorded tracer using PTRACE_ARCH_PRCTL on
 * its stopped tracee: it reads the tracee's FS and GS bases (ARCH_GET_FS,
 * ARCH_GET_GS, into its own memory) and checks them against PEEKUSER, sets
 * FS to what it was, points GS at a variable of the child's (ARCH_SET_GS),
 * which the child then reads through %gs, and gets EINVAL for a code the
 * request does not take.
 */
#include <asm/prctl.h>
#include <errno.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <sys/ptrace.h>
#include <sys/user.h>
#include <sys/wait.h>
#include <unistd.h>

static long through_gs = 4711;

static int child(void)
{
    ptrace(PTRACE_TRACEME, 0, 0, 0);
    raise(SIGSTOP);
    long seen;
    __asm__ volatile("mov %%gs:0, %0" : "=r"(seen));
    printf("child: read %ld through gs\n", seen);
    return seen == through_gs ? 0 : 1;
}

int main(void)
{
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0)
        return child();
    int status;
    if (waitpid(pid, &status, 0) != pid)
        return 1;
    unsigned long fs = 0, gs = 1;
    errno = 0;
    long fs_user = ptrace(PTRACE_PEEKUSER, pid, offsetof(struct user, regs.fs_base), 0);
    long gs_user = ptrace(PTRACE_PEEKUSER, pid, offsetof(struct user, regs.gs_base), 0);
    if (ptrace(PTRACE_ARCH_PRCTL, pid, &fs, ARCH_GET_FS) < 0 || ptrace(PTRACE_ARCH_PRCTL, pid, &gs, ARCH_GET_GS) < 0) {
        perror("ARCH_GET");
        return 2;
    }
    printf("tracer: fs base %s PEEKUSER's, gs base %lu\n", fs == (unsigned long)fs_user ? "is" : "is not",
           gs);
    if (ptrace(PTRACE_ARCH_PRCTL, pid, fs, ARCH_SET_FS) < 0 ||
        ptrace(PTRACE_ARCH_PRCTL, pid, &through_gs, ARCH_SET_GS) < 0) {
        perror("ARCH_SET");
        return 3;
    }
    long bad = ptrace(PTRACE_ARCH_PRCTL, pid, 0, 0x9999);
    printf("tracer: unknown code: %ld (%s)\n", bad, bad < 0 && errno == EINVAL ? "EINVAL" : "?");
    unsigned long gs_now = 0;
    ptrace(PTRACE_ARCH_PRCTL, pid, &gs_now, ARCH_GET_GS);
    fflush(stdout);
    if (ptrace(PTRACE_CONT, pid, 0, 0) < 0 || waitpid(pid, &status, 0) != pid)
        return 4;
    printf("tracer: gs set %s, child exited %d\n", gs_now == (unsigned long)&through_gs ? "as asked" : "wrongly",
           WIFEXITED(status) ? WEXITSTATUS(status) : -1);
    return gs_user == (long)gs ? 0 : 5;
}
