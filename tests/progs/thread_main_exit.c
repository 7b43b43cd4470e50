// rrdb-test: replays 20
/*
 * thread_main_exit.c — covers the main thread leaving with pthread_exit
 * while another thread goes on: the thread-group leader becomes a zombie,
 * the second thread keeps making syscalls (and sees getpid unchanged), and
 * the process ends with status 0 when that last thread returns.
 */
#include <pthread.h>
#include <stdio.h>
#include <time.h>
#include <unistd.h>

static pid_t leader_pid;
static pthread_t main_thread;

static void *survivor(void *arg)
{
    /* Wait for the main thread to be gone (join on it: it was not detached). */
    pthread_join(main_thread, NULL);
    for (int i = 0; i < 3; i++) {
        struct timespec d = {0, 5 * 1000 * 1000};
        nanosleep(&d, NULL);
        printf("survivor %d: pid unchanged: %s\n", i, getpid() == leader_pid ? "yes" : "no");
    }
    fflush(stdout);
    return arg;
}

int main(void)
{
    leader_pid = getpid();
    main_thread = pthread_self();
    pthread_t t;
    if (pthread_create(&t, NULL, survivor, NULL) != 0)
        return 1;
    printf("main thread leaves with pthread_exit\n");
    fflush(stdout);
    pthread_exit(NULL);
}
