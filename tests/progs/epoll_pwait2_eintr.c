/*
 * epoll_pwait2_eintr.c — covers epoll_pwait2 (a timespec timeout) interrupted
 * by a signal whose handler has no SA_RESTART: the call returns -EINTR (the
 * kernel's -ERESTARTNOHAND, turned into EINTR on the way out, must never be
 * what the program sees, at any level of nesting).
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

static volatile sig_atomic_t alarms;

static void on_alarm(int sig)
{
    (void)sig;
    alarms++;
}

int main(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_alarm; /* no SA_RESTART */
    sigaction(SIGALRM, &sa, NULL);
    int fds[2];
    int ep = epoll_create1(0);
    if (ep < 0 || pipe(fds) < 0)
        return 1;
    struct epoll_event ev = {.events = EPOLLIN, .data.fd = fds[0]};
    epoll_ctl(ep, EPOLL_CTL_ADD, fds[0], &ev);
    struct itimerspec soon = {.it_value = {.tv_nsec = 50 * 1000 * 1000}};
    timer_t timer;
    struct sigevent sev = {.sigev_notify = SIGEV_SIGNAL, .sigev_signo = SIGALRM};
    if (timer_create(CLOCK_MONOTONIC, &sev, &timer) < 0 || timer_settime(timer, 0, &soon, NULL) < 0)
        return 1;
    struct timespec timeout = {.tv_sec = 10};
    struct epoll_event got;
    long n = syscall(SYS_epoll_pwait2, ep, &got, 1, &timeout, NULL, (size_t)8);
    int err = errno;
    if (n < 0 && err == ENOSYS) {
        printf("epoll_pwait2: not in this kernel\n");
        return 0;
    }
    printf("epoll_pwait2 returned %ld (%s) after %d alarm(s)\n", n, n < 0 ? strerror(err) : "ready", alarms);
    return n == -1 && err == EINTR ? 0 : 1;
}
