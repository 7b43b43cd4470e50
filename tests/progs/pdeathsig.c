// rrdb-test: replays 20
/*
 * pdeathsig.c — covers prctl(PR_SET_PDEATHSIG): a middle process forks a
 * grandchild that asks for SIGUSR1 when its parent dies, and reads it back
 * (PR_GET_PDEATHSIG); the middle process exits, the grandchild catches the
 * signal in sigsuspend, writes to the pipe, and the first process reads
 * what it said.
 */
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

static volatile sig_atomic_t got;

static void on_usr1(int sig)
{
    got = sig;
}

int main(void)
{
    int fds[2];
    if (pipe(fds) < 0)
        return 1;
    sigset_t block, old;
    sigemptyset(&block);
    sigaddset(&block, SIGUSR1);
    sigprocmask(SIG_BLOCK, &block, &old);
    signal(SIGUSR1, on_usr1);
    pid_t middle = fork();
    if (middle == 0) {
        int ready[2];
        if (pipe(ready) < 0)
            _exit(1);
        pid_t grandchild = fork();
        if (grandchild == 0) {
            prctl(PR_SET_PDEATHSIG, SIGUSR1);
            int asked = 0;
            prctl(PR_GET_PDEATHSIG, &asked);
            close(ready[0]);
            write(ready[1], "r", 1); /* set up: the middle process may die now */
            while (!got)
                sigsuspend(&old);
            char line[64];
            int n = snprintf(line, sizeof line, "grandchild: asked for %d, got %d\n", asked, (int)got);
            write(fds[1], line, (size_t)n);
            _exit(0);
        }
        char c;
        close(ready[1]);
        read(ready[0], &c, 1);
        _exit(0);
    }
    close(fds[1]);
    waitpid(middle, NULL, 0);
    char buf[128];
    ssize_t n = read(fds[0], buf, sizeof buf - 1);
    if (n <= 0)
        return 1;
    buf[n] = '\0';
    fputs(buf, stdout);
    return 0;
}
