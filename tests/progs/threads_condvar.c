// rrdb-test: replays 20
/*
 * threads_condvar.c — covers a thread blocked in read() on a pipe while the
 * main thread writes to it, then a condition variable hand-over and join.
 */
#include <pthread.h>
#include <stdio.h>
#include <unistd.h>

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t changed = PTHREAD_COND_INITIALIZER;
static int ready, fds[2];
static char received[64];

static void *reader(void *arg)
{
    ssize_t n = read(fds[0], received, sizeof received - 1);
    if (n > 0)
        received[n] = 0;
    pthread_mutex_lock(&lock);
    ready = 1;
    pthread_cond_signal(&changed);
    pthread_mutex_unlock(&lock);
    return arg;
}

int main(void)
{
    if (pipe(fds) < 0)
        return 1;
    pthread_t thread;
    pthread_create(&thread, NULL, reader, NULL);
    usleep(10000);
    if (write(fds[1], "through the pipe", 16) != 16)
        return 1;
    pthread_mutex_lock(&lock);
    while (!ready)
        pthread_cond_wait(&changed, &lock);
    pthread_mutex_unlock(&lock);
    pthread_join(thread, NULL);
    printf("the thread read: %s\n", received);
    return 0;
}
