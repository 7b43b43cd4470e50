// rrdb-test: nested
/*
 * timer_create.c — covers POSIX timers with SIGEV_SIGNAL: a CLOCK_MONOTONIC
 * timer firing SIGRTMIN every 10 ms, caught by a SA_SIGINFO handler that sees
 * SI_TIMER and the sival_int given to timer_create; the program waits for
 * three expiries in sigsuspend, then timer_gettime, timer_getoverrun and
 * timer_delete.
 */
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

static volatile sig_atomic_t fired, bad_code, value;

static void on_timer(int sig, siginfo_t *si, void *uc)
{
    (void)sig;
    (void)uc;
    fired++;
    if (si->si_code != SI_TIMER)
        bad_code++;
    value = si->si_value.sival_int;
}

int main(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = on_timer;
    sa.sa_flags = SA_SIGINFO;
    sigaction(SIGRTMIN, &sa, NULL);

    sigset_t block, old;
    sigemptyset(&block);
    sigaddset(&block, SIGRTMIN);
    sigprocmask(SIG_BLOCK, &block, &old);

    struct sigevent sev;
    memset(&sev, 0, sizeof sev);
    sev.sigev_notify = SIGEV_SIGNAL;
    sev.sigev_signo = SIGRTMIN;
    sev.sigev_value.sival_int = 4242;
    timer_t timer;
    if (timer_create(CLOCK_MONOTONIC, &sev, &timer) != 0)
        return 1;
    struct itimerspec its = {{0, 10 * 1000 * 1000}, {0, 10 * 1000 * 1000}};
    if (timer_settime(timer, 0, &its, NULL) != 0)
        return 1;
    while (fired < 3)
        sigsuspend(&old);
    struct itimerspec left;
    timer_gettime(timer, &left);
    int overrun = timer_getoverrun(timer);
    printf("expiries seen: %d, SI_TIMER every time: %s, sival_int %d\n", (int)fired,
           bad_code ? "no" : "yes", (int)value);
    printf("interval still 10 ms: %s, overrun count valid: %s\n",
           left.it_interval.tv_sec == 0 && left.it_interval.tv_nsec == 10 * 1000 * 1000 ? "yes" : "no",
           overrun >= 0 ? "yes" : "no");
    printf("timer_delete: %d\n", timer_delete(timer));
    return 0;
}
