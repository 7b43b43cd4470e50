// rrdb-test: replays 20
// rrdb-test: nested
// rrdb-test: nested-diff
/*
 * threads_spin_flag.c — covers two threads that spin on atomic flags with no
 * syscalls, each waiting for the other: recording must preempt the spinning
 * thread (a landmark) for the other to run, and replay must stop it there too.
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>

static atomic_int ping, pong;

static void *other(void *arg)
{
    atomic_store(&ping, 1);
    while (!atomic_load(&pong))
        ;
    return arg;
}

int main(void)
{
    pthread_t thread;
    pthread_create(&thread, NULL, other, NULL);
    while (!atomic_load(&ping))
        ;
    atomic_store(&pong, 1);
    pthread_join(thread, NULL);
    printf("each thread saw the other's flag\n");
    return 0;
}
