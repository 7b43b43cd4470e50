// rrdb-test: syscall-buffer
/* Three threads make buffered calls in loops while they take turns at a
 * mutex: one process buffer, used by whichever thread runs; the recorder
 * preempts threads that spin in the loop, never inside the library, and
 * each record stays its own thread's. */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdio.h>
#include <sys/syscall.h>
#include <unistd.h>

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static long total;

static void *worker(void *arg)
{
    (void)arg;
    long mine = 0, tid = gettid();
    for (int i = 0; i < 20000; i++) {
        mine += syscall(SYS_gettid) == tid;
        if (i % 2000 == 0) {
            pthread_mutex_lock(&lock);
            total += i;
            pthread_mutex_unlock(&lock);
        }
    }
    return (void *)mine;
}

int main(void)
{
    pthread_t threads[3];
    for (int i = 0; i < 3; i++)
        pthread_create(&threads[i], NULL, worker, NULL);
    long consistent = 0;
    for (int i = 0; i < 3; i++) {
        void *mine;
        pthread_join(threads[i], &mine);
        consistent += (long)mine;
    }
    printf("consistent: %ld of 60000, total %ld\n", consistent, total);
    return consistent == 60000 ? 0 : 1;
}
