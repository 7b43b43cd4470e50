// rrdb-test: replays 20
/*
 * sig_alarm_count.c — covers SIGALRM interrupting a counting loop (no
 * syscalls, registers changing on every pass) with a handler that counts
 * too. The recorder holds the signal until it stops the loop at a landmark
 * and delivers it there; the printed counts depend on that point, so replay
 * must deliver it on the same pass.
 */
#include <signal.h>
#include <stdio.h>
#include <sys/time.h>

static volatile sig_atomic_t alarms;
static volatile unsigned long seen_at;
static volatile unsigned long n;

static void on_alarm(int sig)
{
    (void)sig;
    seen_at = n;
    alarms++;
}

int main(void)
{
    signal(SIGALRM, on_alarm);
    struct itimerval it = {{0, 20000}, {0, 20000}};
    setitimer(ITIMER_REAL, &it, NULL);
    unsigned long sum = 0;
    /* Bounded so that a lost signal ends in seconds instead of hanging. */
    while (alarms < 3 && n < 4000000000UL) {
        n++;
        sum += n * 7;
    }
    struct itimerval off = {{0, 0}, {0, 0}};
    setitimer(ITIMER_REAL, &off, NULL);
    printf("%d alarms, the last after %lu passes, %lu in all (sum %lu)\n", (int)alarms, seen_at, n, sum);
    return 0;
}
