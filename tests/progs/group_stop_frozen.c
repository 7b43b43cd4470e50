/*
 * group_stop_frozen.c — covers what a group stop means for the stopped
 * process: a child writing a byte to a pipe every millisecond is stopped by
 * its parent with SIGSTOP (seen through waitpid(WUNTRACED)); after draining
 * the pipe, the parent waits 50 ms and must find nothing new — a stopped
 * process does not run. After SIGCONT (waitpid(WCONTINUED)) the bytes flow
 * again; the parent tells the child to finish and reaps it. The parent exits
 * 3 if the child ran while stopped, 4 if it did not resume.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static void sleep_ms(long ms)
{
    struct timespec d = {0, ms * 1000 * 1000};
    nanosleep(&d, NULL);
}

/* Bytes waiting in the non-blocking pipe, read and counted. */
static int drain(int fd)
{
    char buf[256];
    int total = 0;
    ssize_t n;
    while ((n = read(fd, buf, sizeof buf)) > 0)
        total += (int)n;
    return total;
}

int main(void)
{
    int ticks[2], quit[2];
    if (pipe(ticks) < 0 || pipe2(quit, O_NONBLOCK) < 0)
        return 1;
    fflush(stdout);
    pid_t child = fork();
    if (child == 0) {
        char b;
        for (int i = 0; i < 5000; i++) {
            if (read(quit[0], &b, 1) == 1)
                _exit(0);
            if (write(ticks[1], "t", 1) != 1)
                _exit(2);
            sleep_ms(1);
        }
        _exit(1);
    }
    char b;
    if (read(ticks[0], &b, 1) != 1) /* the child is running */
        return 1;
    fcntl(ticks[0], F_SETFL, O_NONBLOCK);

    kill(child, SIGSTOP);
    int status = 0;
    pid_t r = waitpid(child, &status, WUNTRACED);
    printf("stopped: %s\n", r == child && WIFSTOPPED(status) && WSTOPSIG(status) == SIGSTOP ? "yes" : "no");
    drain(ticks[0]);
    sleep_ms(50);
    int while_stopped = drain(ticks[0]);
    printf("bytes written while stopped: %s\n", while_stopped == 0 ? "none" : "some");

    kill(child, SIGCONT);
    status = 0;
    r = waitpid(child, &status, WCONTINUED);
    printf("continued: %s\n", r == child && WIFCONTINUED(status) ? "yes" : "no");
    int after = 0;
    for (int i = 0; i < 100 && after == 0; i++) {
        sleep_ms(2);
        after = drain(ticks[0]);
    }
    printf("bytes written after SIGCONT: %s\n", after > 0 ? "some" : "none");

    if (write(quit[1], "q", 1) != 1)
        return 1;
    status = 0;
    r = waitpid(child, &status, 0);
    printf("reaped: %s, exit status %d\n", r == child ? "yes" : "no",
           WIFEXITED(status) ? WEXITSTATUS(status) : -1);
    if (while_stopped != 0)
        return 3;
    return after > 0 ? 0 : 4;
}
