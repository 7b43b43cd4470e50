// rrdb-test: signal SIGABRT
// rrdb-test: replays 20
/*
 * thread_core_dump.c — covers a thread that dies of a core-dumping signal
 * (abort: SIGABRT) while other threads are alive: one of them has just
 * exited (the kernel cleared its tid word and woke its joiner, nobody
 * joins), another waits in a futex. The whole process dies of the signal.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t never = PTHREAD_COND_INITIALIZER;

static void *exits_at_once(void *arg)
{
    (void)arg;
    return NULL;
}

static void *waits_forever(void *arg)
{
    (void)arg;
    pthread_mutex_lock(&lock);
    for (;;)
        pthread_cond_wait(&never, &lock);
    return NULL;
}

int main(void)
{
    pthread_t quick, waiter;
    pthread_create(&waiter, NULL, waits_forever, NULL);
    pthread_create(&quick, NULL, exits_at_once, NULL);
    pthread_detach(quick);
    usleep(20 * 1000);
    printf("aborting with two threads started\n");
    fflush(stdout);
    abort();
}
