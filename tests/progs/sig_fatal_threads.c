// rrdb-test: replays 20
/*
 * sig_fatal_threads.c — covers fatal signals in multi-threaded processes,
 * each in a child the parent waits for: a thread faults (SIGSEGV, no
 * handler) while the other threads sit in syscalls; a thread gets SIGTERM
 * through pthread_kill (tgkill) while the leader waits in a futex
 * (pthread_join); a thread calls abort() while another is busy computing.
 */
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

static int pipe_fds[2];

static void *sleeper(void *arg)
{
    (void)arg;
    char c;
    (void)!read(pipe_fds[0], &c, 1); /* never written: blocks until the process dies */
    return NULL;
}

static void *faulter(void *arg)
{
    (void)arg;
    usleep(1000);
    volatile int *volatile p = NULL;
    *p = 1;
    return NULL;
}

static void *aborter(void *arg)
{
    (void)arg;
    usleep(1000);
    abort();
}

static void *spinner(void *arg)
{
    volatile unsigned long *n = arg;
    for (;;)
        (*n)++;
    return NULL;
}

static void case_fault(void)
{
    pthread_t a, b;
    pthread_create(&a, NULL, sleeper, NULL);
    pthread_create(&b, NULL, faulter, NULL);
    pthread_join(a, NULL);
}

static void case_tgkill(void)
{
    pthread_t a;
    pthread_create(&a, NULL, sleeper, NULL);
    usleep(1000);
    pthread_kill(a, SIGTERM); /* tgkill */
    pthread_join(a, NULL);
}

static void case_abort(void)
{
    static unsigned long count;
    pthread_t a, b;
    pthread_create(&a, NULL, spinner, &count);
    pthread_create(&b, NULL, aborter, NULL);
    pthread_join(b, NULL);
}

int main(void)
{
    void (*cases[])(void) = {case_fault, case_tgkill, case_abort};
    const char *names[] = {"fault", "tgkill", "abort"};
    if (pipe(pipe_fds))
        return 1;
    for (int i = 0; i < 3; i++) {
        pid_t pid = fork();
        if (pid == 0) {
            cases[i]();
            _exit(0);
        }
        int status;
        waitpid(pid, &status, 0);
        printf("%s: %s %d\n", names[i], WIFSIGNALED(status) ? "killed by" : "exited",
               WIFSIGNALED(status) ? WTERMSIG(status) : WEXITSTATUS(status));
    }
    return 0;
}
