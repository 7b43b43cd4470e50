// rrdb-test: replays 20
// rrdb-test: nested
// rrdb-test: nested-diff
/*
 * pselect_sigmask.c — covers pselect with a temporary signal mask, the way
 * GNU make waits for its jobs: SIGCHLD is blocked except inside pselect,
 * whose mask unblocks it; a child exits while the parent waits there, so
 * pselect fails EINTR after the SIGCHLD handler ran, and the blocked mask is
 * back afterwards (a second SIGCHLD stays pending until sigprocmask opens it).
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/select.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static volatile sig_atomic_t chld;

static void on_chld(int sig)
{
    (void)sig;
    chld++;
}

static pid_t child_exiting_after(long ms)
{
    pid_t pid = fork();
    if (pid == 0) {
        struct timespec d = {0, ms * 1000 * 1000};
        nanosleep(&d, NULL);
        _exit(0);
    }
    return pid;
}

int main(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_chld;
    sigaction(SIGCHLD, &sa, NULL);
    sigset_t blocked, during;
    sigemptyset(&blocked);
    sigaddset(&blocked, SIGCHLD);
    sigprocmask(SIG_BLOCK, &blocked, &during); /* `during`: SIGCHLD open */
    int p[2];
    if (pipe(p) < 0)
        return 1;

    fflush(stdout);
    pid_t child = child_exiting_after(10);
    fd_set rd;
    FD_ZERO(&rd);
    FD_SET(p[0], &rd);
    struct timespec limit = {5, 0};
    int r = pselect(p[0] + 1, &rd, NULL, NULL, &limit, &during);
    int err = errno;
    printf("pselect: %d (%s), handler ran %d time(s)\n", r, r < 0 ? strerror(err) : "-", (int)chld);
    waitpid(child, NULL, 0);

    /* The old mask is back: SIGCHLD from a second child stays pending. */
    child = child_exiting_after(1);
    waitpid(child, NULL, 0);
    sigset_t pending;
    sigpending(&pending);
    printf("second SIGCHLD pending while blocked: %s, handler ran %d time(s)\n",
           sigismember(&pending, SIGCHLD) ? "yes" : "no", (int)chld);
    sigprocmask(SIG_UNBLOCK, &blocked, NULL);
    printf("after unblocking: handler ran %d time(s)\n", (int)chld);
    return 0;
}
