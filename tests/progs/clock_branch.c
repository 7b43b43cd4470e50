/*
 * clock_branch.c — covers control flow that depends on the clock: if the
 * current time (in microseconds) is odd take one path, else another, with a
 * syscall on only one of them. Replay must take the recorded path.
 */
#include <stdio.h>
#include <sys/time.h>
#include <unistd.h>

int main(void)
{
    struct timeval tv;
    gettimeofday(&tv, NULL);
    if (tv.tv_usec & 1) {
        printf("A (odd)\n");
        printf("pid %d\n", getpid());
    } else {
        printf("B (even)\n");
    }
    return 0;
}
