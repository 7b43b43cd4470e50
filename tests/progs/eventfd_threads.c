// rrdb-test: replays 20
/*
 * eventfd_threads.c — covers eventfd between two threads: a ping-pong over
 * two eventfds (the thread posts i, the main thread answers 2*i, each side
 * blocking in read), then an EFD_SEMAPHORE eventfd the thread bumps by 5 that
 * the main thread drains one read at a time, and EAGAIN once it is empty.
 */
#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/eventfd.h>
#include <unistd.h>

static int ping, pong, sem;

static void *peer(void *arg)
{
    uint64_t v, sum = 0;
    for (uint64_t i = 1; i <= 5; i++) {
        if (write(ping, &i, 8) != 8)
            return NULL;
        if (read(pong, &v, 8) != 8)
            return NULL;
        sum += v;
    }
    v = 5;
    if (write(sem, &v, 8) != 8)
        return NULL;
    *(uint64_t *)arg = sum;
    return arg;
}

int main(void)
{
    ping = eventfd(0, EFD_CLOEXEC);
    pong = eventfd(0, EFD_CLOEXEC);
    sem = eventfd(0, EFD_SEMAPHORE | EFD_NONBLOCK);
    if (ping < 0 || pong < 0 || sem < 0)
        return 1;
    uint64_t sum = 0;
    pthread_t t;
    pthread_create(&t, NULL, peer, &sum);
    for (int i = 0; i < 5; i++) {
        uint64_t v;
        if (read(ping, &v, 8) != 8)
            return 1;
        printf("main got %llu\n", (unsigned long long)v);
        v *= 2;
        if (write(pong, &v, 8) != 8)
            return 1;
    }
    pthread_join(t, NULL);
    printf("thread summed the answers: %llu\n", (unsigned long long)sum);
    int reads = 0;
    uint64_t v;
    while (read(sem, &v, 8) == 8 && v == 1)
        reads++;
    printf("semaphore reads of 1: %d, then %s\n", reads, strerror(errno));
    return 0;
}
