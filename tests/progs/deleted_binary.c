// rrdb-test: binary-deleted
/*
 * deleted_binary.c — covers replaying after the recorded binary is deleted:
 * the runner removes the executable between recording and replay, so replay
 * must map the program from the trace's snapshot. The program does ordinary
 * things.
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

int main(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    char *p = malloc(100);
    snprintf(p, 100, "pid %d, monotonic %lld.%09ld", getpid(), (long long)ts.tv_sec, ts.tv_nsec);
    printf("deleted_binary: %s\n", p);
    free(p);
    return 0;
}
