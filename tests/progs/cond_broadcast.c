// rrdb-test: replays 20
/*
 * cond_broadcast.c — covers pthread_cond_broadcast waking several waiters:
 * six threads wait on one condition variable (each counted in under the
 * mutex, so once the main thread sees all six they are all inside
 * pthread_cond_wait), one broadcast releases them all, each takes the mutex
 * in turn; done twice. (glibc 2.36's condvar wakes with FUTEX_WAKE, not
 * FUTEX_CMP_REQUEUE; futex_requeue.c covers requeueing.)
 */
#include <pthread.h>
#include <stdio.h>

#define WAITERS 6

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cond = PTHREAD_COND_INITIALIZER;
static pthread_cond_t arrived_cond = PTHREAD_COND_INITIALIZER;
static int arrived, generation, woken;

static void *waiter(void *arg)
{
    for (int round = 1; round <= 2; round++) {
        pthread_mutex_lock(&lock);
        arrived++;
        pthread_cond_signal(&arrived_cond);
        while (generation < round)
            pthread_cond_wait(&cond, &lock);
        woken++;
        pthread_mutex_unlock(&lock);
    }
    return arg;
}

int main(void)
{
    pthread_t t[WAITERS];
    for (int i = 0; i < WAITERS; i++)
        pthread_create(&t[i], NULL, waiter, NULL);
    for (int round = 1; round <= 2; round++) {
        pthread_mutex_lock(&lock);
        while (arrived < round * WAITERS)
            pthread_cond_wait(&arrived_cond, &lock);
        generation = round;
        pthread_cond_broadcast(&cond);
        pthread_mutex_unlock(&lock);
    }
    for (int i = 0; i < WAITERS; i++)
        pthread_join(t[i], NULL);
    printf("%d waiters, 2 broadcasts, %d wake-ups\n", WAITERS, woken);
    return 0;
}
