// rrdb-test: replays 5
/*
 * ptrace_attach_stopped.c — covers PTRACE_ATTACH to a process that is
 * already stopped: the parent stops its child (SIGSTOP; the child was
 * blocked in read()) and sees it stopped with WUNTRACED, then attaches. The
 * kernel shows the tracer the group stop at once (no siginfo), and the
 * SIGSTOP that PTRACE_ATTACH sends stays pending: once resumed, the child
 * stops again for it, a signal-delivery stop, which the tracer suppresses.
 * The child then finishes its read and exits.
 */
#include <signal.h>
#include <stdio.h>
#include <sys/ptrace.h>
#include <sys/wait.h>
#include <unistd.h>

/* The stop `status` says, and whether it is a signal-delivery stop (siginfo). */
static void show(const char *when, pid_t pid, int status)
{
    siginfo_t info;
    int has_info = ptrace(PTRACE_GETSIGINFO, pid, 0, &info) == 0;
    printf("tracer: %s: %s %d, event %d, %s", when, WIFSTOPPED(status) ? "stopped by" : "not stopped",
           WIFSTOPPED(status) ? WSTOPSIG(status) : status, status >> 16,
           has_info ? "a signal-delivery stop" : "no siginfo");
    if (has_info)
        printf(" (signal %d, code %d)", info.si_signo, info.si_code);
    printf("\n");
}

int main(void)
{
    int go[2];
    if (pipe(go) < 0)
        return 1;
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        char text[16] = "";
        ssize_t n = read(go[0], text, sizeof text - 1);
        printf("child: read %zd bytes: %s\n", n, text);
        return 4;
    }
    int status;
    if (kill(pid, SIGSTOP) < 0 || waitpid(pid, &status, WUNTRACED) != pid || !WIFSTOPPED(status))
        return 2;
    printf("parent: child stopped by %d\n", WSTOPSIG(status));
    if (ptrace(PTRACE_ATTACH, pid, 0, 0) < 0 || waitpid(pid, &status, 0) != pid)
        return 3;
    show("after attaching", pid, status);
    if (ptrace(PTRACE_CONT, pid, 0, 0) < 0 || waitpid(pid, &status, 0) != pid)
        return 4;
    show("resumed", pid, status);
    if (ptrace(PTRACE_CONT, pid, 0, 0) < 0)
        return 5;
    fflush(stdout);
    if (write(go[1], "hello", 5) != 5 || waitpid(pid, &status, 0) != pid)
        return 6;
    printf("tracer: child exited %d\n", WIFEXITED(status) ? WEXITSTATUS(status) : -1);
    return 0;
}
