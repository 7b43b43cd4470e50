// rrdb-test: replays 20
/*
 * sig_async_busy.c — covers an asynchronous signal arriving while the program
 * runs user code with no syscalls: a counting loop (its registers change on
 * every pass) waiting for a flag the handler sets. The recorder holds the
 * signal, stops the loop at a landmark (a basic-block start) within a tick or
 * two and delivers it there. The printed iteration count depends on exactly
 * where, so replay must deliver it on the same pass.
 */
#include <signal.h>
#include <stdio.h>
#include <sys/time.h>

static volatile sig_atomic_t flag;

static void on_alarm(int sig)
{
    (void)sig;
    flag = 1;
}

int main(void)
{
    signal(SIGALRM, on_alarm);
    struct itimerval it = {{0, 0}, {0, 50000}};
    setitimer(ITIMER_REAL, &it, NULL);
    unsigned long n = 0;
    /* Bounded so a lost signal ends in a few seconds instead of hanging. */
    while (!flag && n < 4000000000UL)
        n++;
    printf("flag %d after %lu iterations\n", (int)flag, n);
    return 0;
}
