/*
 * threads_many.c — covers 32 short-lived threads created back to back (each
 * computes a little, makes one syscall and returns a value), all joined;
 * then 32 more created and joined one at a time (a thread's stack reused).
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <unistd.h>

#define N 32

static void *work(void *arg)
{
    uintptr_t n = (uintptr_t)arg, sum = 0;
    for (uintptr_t i = 0; i <= n * 100; i++)
        sum += i % 7;
    if (gettid() <= 0)
        sum = 0;
    return (void *)sum;
}

int main(void)
{
    pthread_t t[N];
    for (uintptr_t i = 0; i < N; i++)
        if (pthread_create(&t[i], NULL, work, (void *)i) != 0)
            return 1;
    uintptr_t total = 0;
    for (int i = 0; i < N; i++) {
        void *r;
        pthread_join(t[i], &r);
        total += (uintptr_t)r;
    }
    printf("%d concurrent threads, total %lu\n", N, (unsigned long)total);
    total = 0;
    for (uintptr_t i = 0; i < N; i++) {
        void *r;
        if (pthread_create(&t[0], NULL, work, (void *)i) != 0)
            return 1;
        pthread_join(t[0], &r);
        total += (uintptr_t)r;
    }
    printf("%d sequential threads, total %lu\n", N, (unsigned long)total);
    return 0;
}
