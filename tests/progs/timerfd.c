/*
 * timerfd.c — covers timerfd: a non-blocking read before the first expiry
 * (EAGAIN), a CLOCK_MONOTONIC timer with a 10 ms interval read until it has
 * expired at least 3 times (read returns the expiry count), timerfd_gettime,
 * an absolute one-shot timer, and disarming.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/timerfd.h>
#include <time.h>
#include <unistd.h>

int main(void)
{
    int fd = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC | TFD_NONBLOCK);
    if (fd < 0)
        return 1;
    struct itimerspec its = {{0, 10 * 1000 * 1000}, {0, 50 * 1000 * 1000}};
    if (timerfd_settime(fd, 0, &its, NULL) != 0)
        return 1;
    uint64_t n;
    errno = 0;
    ssize_t r = read(fd, &n, 8);
    printf("before expiry: %zd (%s)\n", r, strerror(errno));
    struct itimerspec cur;
    timerfd_gettime(fd, &cur);
    printf("armed: interval 10 ms: %s, time left positive: %s\n",
           cur.it_interval.tv_nsec == 10 * 1000 * 1000 ? "yes" : "no",
           cur.it_value.tv_sec > 0 || cur.it_value.tv_nsec > 0 ? "yes" : "no");

    fcntl(fd, F_SETFL, 0); /* blocking from here */
    uint64_t total = 0;
    while (total < 3) {
        if (read(fd, &n, 8) != 8)
            return 1;
        total += n;
    }
    printf("periodic: at least 3 expiries: %s\n", total >= 3 ? "yes" : "no");

    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    now.tv_nsec += 15 * 1000 * 1000;
    if (now.tv_nsec >= 1000000000) {
        now.tv_sec++;
        now.tv_nsec -= 1000000000;
    }
    struct itimerspec abs = {{0, 0}, now};
    struct itimerspec old;
    timerfd_settime(fd, TFD_TIMER_ABSTIME, &abs, &old);
    printf("replaced the periodic timer: old interval 10 ms: %s\n",
           old.it_interval.tv_nsec == 10 * 1000 * 1000 ? "yes" : "no");
    r = read(fd, &n, 8);
    printf("absolute one-shot: %zd bytes, %llu expiry\n", r, (unsigned long long)n);

    struct itimerspec off = {{0, 0}, {0, 0}};
    timerfd_settime(fd, 0, &off, NULL);
    timerfd_gettime(fd, &cur);
    printf("disarmed: %s\n", cur.it_value.tv_sec == 0 && cur.it_value.tv_nsec == 0 ? "yes" : "no");
    close(fd);
    return 0;
}
