// rrdb-test: replays 20
/*
 * threads_exit_in_syscalls.c — covers threads that exit (pthread_exit, and
 * a raw exit of one thread) while other threads of the process are blocked
 * in syscalls (read on a pipe, nanosleep, futex wait on a condition), then
 * wake those threads one by one and join everything; the leader exits last.
 */
#include <pthread.h>
#include <stdio.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

static int pipe_fds[2];
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cond = PTHREAD_COND_INITIALIZER;
static int released;

static void *reader(void *arg)
{
    (void)arg;
    char c = 0;
    long n = read(pipe_fds[0], &c, 1);
    return (void *)(n == 1 ? (long)c : -1L);
}

static void *sleeper(void *arg)
{
    (void)arg;
    struct timespec ts = {0, 30 * 1000 * 1000};
    nanosleep(&ts, NULL);
    return (void *)2L;
}

static void *waiter(void *arg)
{
    (void)arg;
    pthread_mutex_lock(&lock);
    while (!released)
        pthread_cond_wait(&cond, &lock);
    pthread_mutex_unlock(&lock);
    return (void *)3L;
}

static void *quitter(void *arg)
{
    (void)arg;
    pthread_exit((void *)4L);
}

static void *raw_exiter(void *arg)
{
    (void)arg;
    syscall(SYS_exit, 0); /* only this thread; the kernel clears its tid for join */
    return NULL;
}

int main(void)
{
    if (pipe(pipe_fds))
        return 1;
    pthread_t t[5];
    void *(*fns[5])(void *) = {reader, sleeper, waiter, quitter, raw_exiter};
    for (int i = 0; i < 5; i++)
        pthread_create(&t[i], NULL, fns[i], NULL);
    void *ret;
    pthread_join(t[3], &ret);
    printf("quitter ended with %ld while the others wait\n", (long)ret);
    pthread_join(t[4], NULL);
    printf("raw exiter ended\n");
    pthread_join(t[1], &ret);
    printf("sleeper ended with %ld\n", (long)ret);
    pthread_mutex_lock(&lock);
    released = 1;
    pthread_cond_broadcast(&cond);
    pthread_mutex_unlock(&lock);
    pthread_join(t[2], &ret);
    printf("waiter ended with %ld\n", (long)ret);
    if (write(pipe_fds[1], "\1", 1) != 1)
        return 1;
    pthread_join(t[0], &ret);
    printf("reader ended with %ld\n", (long)ret);
    return 0;
}
