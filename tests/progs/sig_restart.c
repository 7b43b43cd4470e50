/*
 * sig_restart.c — covers a blocking read interrupted by a signal: with
 * SA_RESTART the read is restarted by the kernel after the handler (which
 * writes the data the read then returns); without it the read fails EINTR.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/time.h>
#include <unistd.h>

static int pipe_fds[2];
static volatile sig_atomic_t hits;

static void on_alarm(int sig)
{
    (void)sig;
    hits++;
    if (write(pipe_fds[1], "from handler", 12) != 12)
        hits = -100;
}

static void arm(int flags)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_alarm;
    sa.sa_flags = flags;
    sigaction(SIGALRM, &sa, NULL);
    struct itimerval it = {{0, 0}, {0, 30000}};
    setitimer(ITIMER_REAL, &it, NULL);
}

int main(void)
{
    char buf[32];
    if (pipe(pipe_fds) != 0)
        return 1;
    arm(SA_RESTART);
    ssize_t n = read(pipe_fds[0], buf, sizeof buf);
    printf("SA_RESTART: read %zd: %.*s (handler ran %d)\n", n, (int)(n > 0 ? n : 0), buf,
           (int)hits);

    arm(0);
    n = read(pipe_fds[0], buf, sizeof buf);
    int err = errno;
    printf("no SA_RESTART: read %zd (%s) (handler ran %d)\n", n, n < 0 ? strerror(err) : "-",
           (int)hits);
    n = read(pipe_fds[0], buf, sizeof buf);
    printf("then read %zd: %.*s\n", n, (int)(n > 0 ? n : 0), buf);
    return 0;
}
