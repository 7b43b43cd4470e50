// rrdb-test: syscall-buffer
/* A 1 ms interval timer interrupts a loop of buffered calls: signals arrive
 * inside the syscall buffer library, whose handler is never run there (the
 * recorder steps the task out of it first), and the handler makes buffered
 * calls of its own. The replay must deliver each signal at the same place. */
#define _GNU_SOURCE
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <unistd.h>

static volatile long handled, handler_pids;

static void on_alarm(int signo)
{
    (void)signo;
    handled++;
    handler_pids += syscall(SYS_getppid) > 0;
}

int main(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_alarm;
    sigaction(SIGALRM, &sa, NULL);
    struct itimerval every_ms = {{0, 1000}, {0, 1000}};
    setitimer(ITIMER_REAL, &every_ms, NULL);
    long ppid = syscall(SYS_getppid), same = 0, n = 0;
    while (handled < 20) {
        same += syscall(SYS_getppid) == ppid;
        n++;
    }
    struct itimerval off = {{0, 0}, {0, 0}};
    setitimer(ITIMER_REAL, &off, NULL);
    printf("%ld calls, %s, %ld signals, %ld in handlers\n", n, same == n ? "consistent" : "INCONSISTENT",
           (long)handled, (long)handler_pids);
    return same == n ? 0 : 1;
}
