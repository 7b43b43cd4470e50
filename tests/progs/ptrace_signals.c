/*
 * ptrace_signals.c — covers a tracer deciding which signals its tracee gets:
 * the child raises SIGUSR1 four times (a handler counts them) and SIGTERM
 * once; at each signal-delivery stop the parent suppresses every other
 * SIGUSR1 (resumes with 0) and SIGTERM, and passes the rest on.
 */
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/wait.h>
#include <unistd.h>

static volatile sig_atomic_t handled;

static void on_usr1(int sig)
{
    (void)sig;
    handled++;
}

int main(void)
{
    fflush(stdout);
    pid_t child = fork();
    if (child == 0) {
        signal(SIGUSR1, on_usr1);
        ptrace(PTRACE_TRACEME, 0, NULL, NULL);
        raise(SIGSTOP);
        for (int i = 0; i < 4; i++)
            raise(SIGUSR1);
        raise(SIGTERM);
        _exit(handled);
    }
    int status, usr1 = 0, suppressed = 0, passed = 0;
    waitpid(child, &status, 0);
    ptrace(PTRACE_CONT, child, NULL, NULL);
    for (;;) {
        waitpid(child, &status, 0);
        if (!WIFSTOPPED(status))
            break;
        int sig = WSTOPSIG(status), give = 0;
        if (sig == SIGUSR1)
            give = usr1++ % 2 ? SIGUSR1 : 0;
        else if (sig != SIGTERM)
            give = sig;
        if (give)
            passed++;
        else
            suppressed++;
        ptrace(PTRACE_CONT, child, NULL, (void *)(long)give);
    }
    printf("suppressed %d, passed %d; the child handled %d SIGUSR1 (its exit status)\n", suppressed, passed,
           WIFEXITED(status) ? WEXITSTATUS(status) : -1);
    return WIFEXITED(status) && WEXITSTATUS(status) == 2 ? 0 : 1;
}
