/* Multi-threaded workload: 4 threads, each doing 20000 lock/unlock pairs of
 * one shared mutex (a shared counter updated inside) plus some arithmetic of
 * its own between them. Output is deterministic (the counter and a checksum
 * that does not depend on the interleaving). */
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>

#define THREADS 4
#define PAIRS 20000

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static uint64_t counter, checksum;

static void *work(void *arg)
{
    uint64_t x = 88172645463325252ULL + (uintptr_t)arg, sum = 0;
    for (int i = 0; i < PAIRS; i++) {
        for (int j = 0; j < 1000; j++) {
            x ^= x << 13; x ^= x >> 7; x ^= x << 17;   /* xorshift64 */
            sum += x * (uint64_t)(i | 1);
        }
        pthread_mutex_lock(&lock);
        counter++;
        checksum += sum;   /* addition commutes: same total in any order */
        pthread_mutex_unlock(&lock);
    }
    return NULL;
}

int main(void)
{
    pthread_t t[THREADS];
    for (uintptr_t i = 0; i < THREADS; i++)
        if (pthread_create(&t[i], NULL, work, (void *)i) != 0)
            return 1;
    for (int i = 0; i < THREADS; i++)
        pthread_join(t[i], NULL);
    printf("counter %llu, checksum %016llx\n", (unsigned long long)counter,
           (unsigned long long)checksum);
    return 0;
}
