// rrdb-test: replays 20
/*
 * robust_futex.c — covers robust futex lists at thread and process death:
 * a thread that dies holding a robust mutex (the kernel walks its
 * set_robust_list list and marks the futex word FUTEX_OWNER_DIED), so the
 * next pthread_mutex_lock returns EOWNERDEAD, pthread_mutex_consistent makes
 * it usable again; the same with a process-shared robust mutex in MAP_SHARED
 * memory whose owner process exits; and get_robust_list reads back the head.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

static pthread_mutex_t *mutex;

static void *die_holding(void *arg)
{
    (void)arg;
    pthread_mutex_lock(mutex);
    return NULL; /* the thread ends with the mutex held */
}

static void make_robust(pthread_mutex_t *m, int pshared)
{
    pthread_mutexattr_t attr;
    pthread_mutexattr_init(&attr);
    pthread_mutexattr_setrobust(&attr, PTHREAD_MUTEX_ROBUST);
    if (pshared)
        pthread_mutexattr_setpshared(&attr, PTHREAD_PROCESS_SHARED);
    pthread_mutex_init(m, &attr);
}

static void lock_after_death(const char *who)
{
    int err = pthread_mutex_lock(mutex);
    printf("%s: lock gives %s\n", who, err == EOWNERDEAD ? "EOWNERDEAD" : strerror(err));
    if (err == EOWNERDEAD)
        pthread_mutex_consistent(mutex);
    pthread_mutex_unlock(mutex);
    err = pthread_mutex_lock(mutex);
    printf("%s: then lock gives %d\n", who, err);
    pthread_mutex_unlock(mutex);
}

int main(void)
{
    struct robust_list_head *head;
    size_t len;
    if (syscall(SYS_get_robust_list, 0, &head, &len) == 0)
        printf("robust list head registered: %s, len %zu\n", head ? "yes" : "no", len);

    static pthread_mutex_t private_mutex;
    mutex = &private_mutex;
    make_robust(mutex, 0);
    pthread_t t;
    pthread_create(&t, NULL, die_holding, NULL);
    pthread_join(t, NULL);
    lock_after_death("thread");

    mutex = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (mutex == MAP_FAILED)
        return 1;
    make_robust(mutex, 1);
    pid_t pid = fork();
    if (pid == 0) {
        pthread_mutex_lock(mutex);
        _exit(0);
    }
    int status;
    waitpid(pid, &status, 0);
    lock_after_death("process");
    return 0;
}
