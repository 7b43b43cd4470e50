/*
 * thread_pthread_exit.c — covers a thread ending with pthread_exit (from a
 * nested call, with a value and a cleanup handler) while the main thread
 * goes on making syscalls; the main thread then joins it and gets the value.
 * A second, detached thread also ends with pthread_exit.
 */
#include <pthread.h>
#include <stdio.h>
#include <time.h>
#include <unistd.h>

static int done[2];
static volatile int cleaned;

static void cleanup(void *arg)
{
    (void)arg;
    cleaned = 1;
}

static void leave(long v)
{
    pthread_exit((void *)v);
}

static void *worker(void *arg)
{
    pthread_cleanup_push(cleanup, NULL);
    if (write(done[1], "w", 1) != 1)
        return NULL;
    leave(42);
    pthread_cleanup_pop(0);
    return arg;
}

static void *detached(void *arg)
{
    if (write(done[1], "d", 1) != 1)
        return NULL;
    pthread_exit(arg);
}

int main(void)
{
    if (pipe(done) < 0)
        return 1;
    pthread_t t, d;
    pthread_create(&t, NULL, worker, NULL);
    pthread_attr_t attr;
    pthread_attr_init(&attr);
    pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
    pthread_create(&d, &attr, detached, NULL);
    char b[2];
    if (read(done[0], &b[0], 1) != 1 || read(done[0], &b[1], 1) != 1)
        return 1;
    /* The threads are exiting or gone; the main thread carries on. */
    for (int i = 0; i < 5; i++) {
        struct timespec ts = {0, 2 * 1000 * 1000};
        nanosleep(&ts, NULL);
        printf("main thread still working: %d (pid %s)\n", i, getpid() > 0 ? "ok" : "?");
    }
    void *ret;
    pthread_join(t, &ret);
    printf("joined: value %ld, cleanup handler ran: %s\n", (long)ret, cleaned ? "yes" : "no");
    return 0;
}
