/*
 * sig_restart_discarded.c — covers a blocking syscall interrupted by a signal
 * that is then not delivered (ignored, or ignored by default): the kernel
 * restarts the syscall by itself (nanosleep through restart_syscall, poll),
 * and replay must do the same.
 */
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

static void arm_timer_ms(int ms)
{
    struct itimerval once = {{0, 0}, {0, ms * 1000}};
    setitimer(ITIMER_REAL, &once, NULL);
}

int main(void)
{
    signal(SIGALRM, SIG_IGN);
    arm_timer_ms(20);
    struct timespec nap = {0, 80 * 1000 * 1000};
    int slept = nanosleep(&nap, NULL);
    printf("nanosleep through an ignored SIGALRM: %d\n", slept);

    int fds[2];
    if (pipe(fds) < 0)
        return 1;
    struct pollfd waiting = {.fd = fds[0], .events = POLLIN};
    arm_timer_ms(20);
    int ready = poll(&waiting, 1, 80);
    printf("poll through an ignored SIGALRM: %d\n", ready);
    return 0;
}
