/*
 * setitimer.c — covers setitimer(ITIMER_REAL) with a 20 ms interval: three
 * SIGALRMs are caught while waiting in sigsuspend, then the timer is stopped
 * and getitimer shows it disarmed.
 */
#include <signal.h>
#include <stdio.h>
#include <sys/time.h>

static volatile sig_atomic_t ticks;

static void on_alarm(int sig)
{
    (void)sig;
    ticks++;
}

int main(void)
{
    struct sigaction sa = {0};
    sa.sa_handler = on_alarm;
    sigaction(SIGALRM, &sa, NULL);
    sigset_t block, waitmask;
    sigemptyset(&block);
    sigaddset(&block, SIGALRM);
    sigprocmask(SIG_BLOCK, &block, &waitmask);
    sigdelset(&waitmask, SIGALRM);

    struct itimerval it = {{0, 20000}, {0, 20000}};
    printf("setitimer: %d\n", setitimer(ITIMER_REAL, &it, NULL));
    while (ticks < 3)
        sigsuspend(&waitmask);
    struct itimerval off = {{0, 0}, {0, 0}}, cur;
    setitimer(ITIMER_REAL, &off, NULL);
    getitimer(ITIMER_REAL, &cur);
    printf("ticks %d, timer now %ld.%06ld\n", (int)ticks,
           (long)cur.it_value.tv_sec, (long)cur.it_value.tv_usec);
    return 0;
}
