/*
 * racy_counter.c — covers a data race: two threads add 1 to one counter,
 * fifty million times each, without a lock (a load, an add and a store that
 * another thread may come between). The total printed is 100000000 unless an
 * update was lost. An ordinary recording runs one thread at a time and
 * switches only at the start of a basic block, so it rarely loses one; a
 * chaos recording (rr-record --chaos, tests/chaos-tests.sh) interrupts
 * threads mid-block and soon does. Either way the replay must print the
 * recorded total.
 */
#include <pthread.h>
#include <stdio.h>

enum { INCREMENTS = 50000000 };

static volatile long counter;

static void *add(void *arg)
{
    (void)arg;
    for (int i = 0; i < INCREMENTS; i++)
        counter++;
    return NULL;
}

int main(void)
{
    pthread_t threads[2];
    for (int i = 0; i < 2; i++)
        if (pthread_create(&threads[i], NULL, add, NULL) != 0)
            return 1;
    for (int i = 0; i < 2; i++)
        pthread_join(threads[i], NULL);
    printf("total %ld of %d\n", counter, 2 * INCREMENTS);
    return 0;
}
