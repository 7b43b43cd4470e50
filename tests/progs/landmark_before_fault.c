// rrdb-test: replays 20
// rrdb-test: signal SIGSEGV
/*
 * landmark_before_fault.c — covers a landmark just before a fault: a loop
 * without syscalls spins (the recorder preempts it at a landmark, another
 * thread runs) and its last pass falls into a NULL dereference a few bytes
 * on, which kills the program. Replay must reach the landmark, then the
 * fault, not the fault first (at any level of nesting).
 */
#include <pthread.h>
#include <stdio.h>
#include <unistd.h>

static volatile int stop;

static void *stopper(void *arg)
{
    (void)arg;
    usleep(200 * 1000);
    stop = 1;
    return NULL;
}

int main(void)
{
    pthread_t t;
    printf("spinning until the other thread says stop, then faulting\n");
    fflush(stdout);
    pthread_create(&t, NULL, stopper, NULL);
    volatile int *volatile target = NULL;
    unsigned long passes = 0;
    while (!stop)
        passes++;
    *target = (int)passes;
    return 0;
}
