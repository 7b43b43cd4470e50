/*
 * nanosleep.c — covers nanosleep and clock_nanosleep (relative and absolute),
 * measuring the elapsed monotonic time around them.
 */
#include <stdio.h>
#include <time.h>

static long long now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

int main(void)
{
    long long t0 = now_ns();
    struct timespec d = {0, 20 * 1000 * 1000};
    int rc = nanosleep(&d, NULL);
    long long t1 = now_ns();
    struct timespec abs;
    clock_gettime(CLOCK_MONOTONIC, &abs);
    abs.tv_nsec += 10 * 1000 * 1000;
    if (abs.tv_nsec >= 1000000000) {
        abs.tv_sec++;
        abs.tv_nsec -= 1000000000;
    }
    int rc2 = clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &abs, NULL);
    long long t2 = now_ns();
    printf("nanosleep rc=%d slept %lld ns (>= 20ms: %s)\n", rc, t1 - t0,
           t1 - t0 >= 20000000 ? "yes" : "no");
    printf("clock_nanosleep rc=%d slept %lld ns\n", rc2, t2 - t1);
    return 0;
}
