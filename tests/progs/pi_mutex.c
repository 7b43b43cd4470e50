// rrdb-test: replays 20
/*
 * pi_mutex.c — covers a priority-inheritance mutex (PTHREAD_PRIO_INHERIT)
 * contended by two threads: each holds it across a 2 ms sleep so the other
 * blocks in FUTEX_LOCK_PI and the holder releases with FUTEX_UNLOCK_PI (the
 * kernel writes the new owner's tid into the lock word); 10 rounds each plus
 * a counter, then pthread_mutex_trylock on the held lock (EBUSY).
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

static pthread_mutex_t lock;
static long counter;

static void *work(void *arg)
{
    for (int i = 0; i < 10; i++) {
        if (pthread_mutex_lock(&lock) != 0)
            return NULL;
        counter++;
        struct timespec d = {0, 2 * 1000 * 1000};
        nanosleep(&d, NULL);
        counter++;
        pthread_mutex_unlock(&lock);
    }
    return arg;
}

int main(void)
{
    pthread_mutexattr_t attr;
    pthread_mutexattr_init(&attr);
    if (pthread_mutexattr_setprotocol(&attr, PTHREAD_PRIO_INHERIT) != 0)
        return 1;
    pthread_mutex_init(&lock, &attr);
    int proto = -1;
    pthread_mutexattr_getprotocol(&attr, &proto);
    printf("protocol is PTHREAD_PRIO_INHERIT: %s\n", proto == PTHREAD_PRIO_INHERIT ? "yes" : "no");

    static int ids[2];
    pthread_t a, b;
    pthread_create(&a, NULL, work, &ids[0]);
    pthread_create(&b, NULL, work, &ids[1]);
    void *ra, *rb;
    pthread_join(a, &ra);
    pthread_join(b, &rb);
    printf("counter %ld, both threads finished: %s\n", counter, ra && rb ? "yes" : "no");

    pthread_mutex_lock(&lock);
    int r = pthread_mutex_trylock(&lock);
    printf("trylock while held: %s\n", strerror(r));
    pthread_mutex_unlock(&lock);
    pthread_mutex_destroy(&lock);
    return 0;
}
