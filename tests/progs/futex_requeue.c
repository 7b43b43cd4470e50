/*
 * futex_requeue.c — covers FUTEX_CMP_REQUEUE (raw futex syscalls): five
 * threads block in FUTEX_WAIT on word A; the main thread moves them all to
 * word B with FUTEX_CMP_REQUEUE (no wake; retried until the five are counted,
 * as a thread may not be asleep yet), checks that FUTEX_WAKE on A finds nobody,
 * then wakes all of them on B with one FUTEX_WAKE. A CMP_REQUEUE whose
 * expected value is stale fails EAGAIN.
 */
#include <errno.h>
#include <limits.h>
#include <linux/futex.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#define THREADS 5

static uint32_t word_a, word_b;
static atomic_int arrived, released, go;

static long futex(uint32_t *uaddr, int op, uint32_t val, uintptr_t val2, uint32_t *uaddr2,
                  uint32_t val3)
{
    return syscall(SYS_futex, uaddr, op, val, val2, uaddr2, val3);
}

static void *waiter(void *arg)
{
    atomic_fetch_add(&arrived, 1);
    while (!atomic_load(&go))
        futex(&word_a, FUTEX_WAIT_PRIVATE, 0, 0, NULL, 0);
    atomic_fetch_add(&released, 1);
    return arg;
}

static void pause_1ms(void)
{
    struct timespec d = {0, 1000 * 1000};
    nanosleep(&d, NULL);
}

int main(void)
{
    pthread_t t[THREADS];
    for (int i = 0; i < THREADS; i++)
        pthread_create(&t[i], NULL, waiter, NULL);
    while (atomic_load(&arrived) < THREADS)
        pause_1ms();

    errno = 0;
    long r = futex(&word_a, FUTEX_CMP_REQUEUE_PRIVATE, 0, INT_MAX, &word_b, 1);
    printf("stale expected value: %ld (%s)\n", r, strerror(errno));

    long moved = 0;
    for (int tries = 0; moved < THREADS && tries < 1000; tries++) {
        r = futex(&word_a, FUTEX_CMP_REQUEUE_PRIVATE, 0, INT_MAX, &word_b, 0);
        if (r < 0)
            return 1;
        moved += r;
        if (moved < THREADS)
            pause_1ms();
    }
    printf("requeued from A to B: %ld\n", moved);
    printf("wake on A: %ld\n", futex(&word_a, FUTEX_WAKE_PRIVATE, INT_MAX, 0, NULL, 0));
    atomic_store(&go, 1);
    printf("wake on B: %ld\n", futex(&word_b, FUTEX_WAKE_PRIVATE, INT_MAX, 0, NULL, 0));
    for (int i = 0; i < THREADS; i++)
        pthread_join(t[i], NULL);
    printf("released: %d\n", atomic_load(&released));
    return 0;
}
