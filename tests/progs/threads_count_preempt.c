// rrdb-test: replays 20
/*
 * threads_count_preempt.c — covers preemption of a thread that computes
 * without syscalls while another waits to run: the main thread counts in a
 * loop whose registers change on every pass until the second thread, which
 * can only run once the main thread is preempted, sets a flag. The recorder
 * preempts the counting loop at a landmark (a basic-block start); the count
 * printed depends on where, so replay must find the same pass.
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>

static atomic_int stop;

static void *setter(void *arg)
{
    (void)arg;
    atomic_store(&stop, 1);
    return NULL;
}

int main(void)
{
    pthread_t thread;
    if (pthread_create(&thread, NULL, setter, NULL) != 0)
        return 1;
    unsigned long n = 0, sum = 0;
    /* Bounded so that a lost preemption ends in seconds instead of hanging. */
    while (!atomic_load_explicit(&stop, memory_order_relaxed) && n < 4000000000UL) {
        n++;
        sum += n ^ (n >> 3);
    }
    pthread_join(thread, NULL);
    printf("stopped %d after %lu passes (sum %lu)\n", atomic_load(&stop), n, sum);
    return 0;
}
