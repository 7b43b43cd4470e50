/*
 * tgkill_thread.c — covers tgkill aimed at one specific thread: the main
 * thread sends SIGUSR1 to a second thread waiting in pause(); the handler
 * records which thread ran it (gettid) and it must be the target, not the
 * main thread (which does not block the signal).
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <sys/syscall.h>
#include <unistd.h>

static volatile pid_t handled_by, target_tid;
static volatile sig_atomic_t got;
static int ready[2];

static void on_usr1(int sig)
{
    (void)sig;
    handled_by = gettid();
    got = 1;
}

static void *waiter(void *arg)
{
    target_tid = gettid();
    if (write(ready[1], "r", 1) != 1)
        return NULL;
    while (!got)
        pause();
    return arg;
}

int main(void)
{
    signal(SIGUSR1, on_usr1);
    if (pipe(ready) < 0)
        return 1;
    pthread_t t;
    pthread_create(&t, NULL, waiter, NULL);
    char b;
    if (read(ready[0], &b, 1) != 1)
        return 1;
    int r = (int)syscall(SYS_tgkill, getpid(), target_tid, SIGUSR1);
    pthread_join(t, NULL);
    printf("tgkill: %d, handled by the target thread: %s, by the main thread: %s\n", r,
           handled_by == target_tid ? "yes" : "no", handled_by == gettid() ? "yes" : "no");
    printf("pthread_kill to self: %d, handled by main: ", pthread_kill(pthread_self(), SIGUSR1));
    printf("%s\n", handled_by == gettid() ? "yes" : "no");
    return 0;
}
