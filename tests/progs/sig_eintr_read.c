/*
 * sig_eintr_read.c — covers a blocking read interrupted by a signal another
 * recorded process sends: the handler is installed without SA_RESTART, so
 * read() fails EINTR. The child keeps sending SIGUSR1 every 10 ms until the
 * parent acknowledges (a signal sent before the parent is inside read() runs
 * the handler only), at most 50 times.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static volatile sig_atomic_t hits;

static void on_usr1(int sig)
{
    (void)sig;
    hits++;
}

int main(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_usr1;
    sigaction(SIGUSR1, &sa, NULL); /* no SA_RESTART */
    int data[2], ack[2];
    if (pipe(data) < 0 || pipe2(ack, O_NONBLOCK) < 0)
        return 1;
    fflush(stdout);
    pid_t parent = getpid();
    pid_t child = fork();
    if (child == 0) {
        char b;
        for (int i = 0; i < 50; i++) {
            kill(parent, SIGUSR1);
            struct timespec d = {0, 10 * 1000 * 1000};
            nanosleep(&d, NULL);
            if (read(ack[0], &b, 1) == 1)
                _exit(0);
        }
        _exit(1);
    }
    char buf[16];
    ssize_t n = read(data[0], buf, sizeof buf);
    int err = errno;
    if (write(ack[1], "a", 1) != 1)
        return 1;
    printf("read: %zd (%s), handler ran: %s\n", n, n < 0 ? strerror(err) : "data?",
           hits > 0 ? "yes" : "no");
    int status;
    waitpid(child, &status, 0);
    printf("child exited %d\n", WEXITSTATUS(status));
    return 0;
}
