/*
 * alarm_pause.c — covers a real asynchronous signal: alarm(1) then pause(),
 * so SIGALRM arrives while the program is blocked in a syscall, and pause
 * returns -1/EINTR after the handler.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static volatile sig_atomic_t fired;

static void on_alarm(int sig)
{
    (void)sig;
    fired = 1;
}

int main(void)
{
    signal(SIGALRM, on_alarm);
    unsigned prev = alarm(1);
    printf("alarm set (previous %u)\n", prev);
    fflush(stdout);
    int rc = pause();
    int err = errno;
    printf("pause returned %d (%s), handler fired: %d\n", rc, strerror(err), (int)fired);
    printf("alarm left: %u\n", alarm(0));
    return 0;
}
