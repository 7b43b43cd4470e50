// rrdb-test: replays 20
/*
 * threads_compute_join.c — covers threads that compute between mutex
 * sections and are joined one after another: each thread's exit clears its
 * tid word (CLONE_CHILD_CLEARTID) and wakes the joiner, which must happen at
 * the same point in replay as when recorded (before other threads run on).
 */
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static uint64_t total;

static void *work(void *arg)
{
    uint64_t x = 88172645463325252ULL + (uintptr_t)arg, sum = 0;
    for (int i = 0; i < 400; i++) {
        for (int j = 0; j < 2000; j++) {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            sum += x;
        }
        pthread_mutex_lock(&lock);
        total += sum; /* addition commutes: the same total in any order */
        pthread_mutex_unlock(&lock);
    }
    return NULL;
}

int main(void)
{
    pthread_t threads[4];
    for (uintptr_t i = 0; i < 4; i++)
        pthread_create(&threads[i], NULL, work, (void *)i);
    for (int i = 0; i < 4; i++)
        pthread_join(threads[i], NULL);
    printf("total %016llx\n", (unsigned long long)total);
    return 0;
}
