// rrdb-test: replays 20
// rrdb-test: nested
// rrdb-test: nested-diff
/*
 * threads_mutex.c — covers 8 pthreads sharing a mutex-protected counter,
 * created with clone3 and joined (CLONE_CHILD_CLEARTID wakes the joiner).
 */
#include <pthread.h>
#include <stdio.h>

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static long counter;

static void *work(void *arg)
{
    for (int i = 0; i < 20000; i++) {
        pthread_mutex_lock(&lock);
        counter++;
        pthread_mutex_unlock(&lock);
    }
    return arg;
}

int main(void)
{
    pthread_t threads[8];
    for (int i = 0; i < 8; i++)
        pthread_create(&threads[i], NULL, work, NULL);
    for (int i = 0; i < 8; i++)
        pthread_join(threads[i], NULL);
    printf("counter %ld\n", counter);
    return 0;
}
