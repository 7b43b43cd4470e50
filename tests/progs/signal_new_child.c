// rrdb-test: nested-diff
/*
 * signal_new_child.c — covers a signal sent to a child the moment fork
 * returns, before the child may have run at all: when recorded, the child
 * got it either at its very first instruction (a new task's first stop) or
 * later, in pause. Some children have a SIGUSR1 handler that checks the
 * siginfo (sent by its parent with kill: SI_USER, si_pid the parent) and
 * exits with the verdict; others die of SIGTERM's default action. Several
 * rounds, so that a recording likely holds both cases. Then children that
 * spin in user code, without syscalls, when SIGTERM comes: recorded where it
 * arrived, past the child's last syscall.
 */
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

enum { ROUNDS = 24, SPINNERS = 4 };

static void on_usr1(int signo, siginfo_t *info, void *context)
{
    (void)signo;
    (void)context;
    _exit(info->si_code == SI_USER && info->si_pid == getppid() ? 7 : 8);
}

int main(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = on_usr1;
    sa.sa_flags = SA_SIGINFO;
    if (sigaction(SIGUSR1, &sa, NULL) < 0)
        return 1;
    for (int round = 0; round < ROUNDS; round++) {
        int signo = round % 2 ? SIGTERM : SIGUSR1;
        fflush(stdout);
        pid_t child = fork();
        if (child < 0)
            return 1;
        if (child == 0) {
            for (;;)
                pause();
        }
        if (kill(child, signo) < 0)
            return 1;
        int status;
        if (waitpid(child, &status, 0) != child)
            return 1;
        if (WIFEXITED(status))
            printf("round %d: %s, child exited %d (%s)\n", round, strsignal(signo), WEXITSTATUS(status),
                   WEXITSTATUS(status) == 7 ? "siginfo from its parent" : "wrong siginfo");
        else
            printf("round %d: %s, child killed by signal %d\n", round, strsignal(signo), WTERMSIG(status));
    }
    for (int round = 0; round < SPINNERS; round++) {
        int ready[2];
        if (pipe(ready) < 0)
            return 1;
        fflush(stdout);
        pid_t child = fork();
        if (child < 0)
            return 1;
        if (child == 0) {
            if (write(ready[1], "r", 1) != 1)
                _exit(1);
            for (volatile unsigned long spins = 0;; spins++)
                ;
        }
        char byte;
        if (read(ready[0], &byte, 1) != 1 || kill(child, SIGTERM) < 0)
            return 1;
        int status;
        if (waitpid(child, &status, 0) != child)
            return 1;
        printf("spinner %d: %s\n", round,
               WIFSIGNALED(status) ? strsignal(WTERMSIG(status)) : "exited");
        close(ready[0]);
        close(ready[1]);
    }
    return 0;
}
