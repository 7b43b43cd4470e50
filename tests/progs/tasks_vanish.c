/*
 * tasks_vanish.c — covers tasks that vanish while the recorder may hold them
 * stopped: threads busy in syscalls when another thread calls exit_group,
 * a process killed with SIGKILL while its threads are busy in syscalls, and
 * wait(-1) with nothing left to wait for. (execve from a thread that is not
 * the leader: exec_from_thread.c.) Each case runs in a child; the parent
 * checks how it ended.
 */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>


static void *busy(void *arg)
{
    for (;;)
        syscall(SYS_getppid);
    return arg;
}

static void start_busy_threads(int count)
{
    for (int i = 0; i < count; i++) {
        pthread_t thread;
        if (pthread_create(&thread, NULL, busy, NULL) != 0)
            _exit(90);
    }
    for (int i = 0; i < 50; i++)
        sched_yield(); /* let them get going */
}

static void *exit_group_from_thread(void *arg)
{
    for (int i = 0; i < 20; i++)
        syscall(SYS_getppid);
    exit(3);
    return arg;
}

/* Run `body` in a child; return how the child ended, as wait reports it. */
static int in_child(void (*body)(void))
{
    fflush(stdout);
    pid_t child = fork();
    if (child == 0) {
        body();
        _exit(92);
    }
    int status;
    if (child < 0 || waitpid(child, &status, 0) != child)
        return -1;
    return status;
}

static void exit_group_case(void)
{
    start_busy_threads(3);
    pthread_t thread;
    pthread_create(&thread, NULL, exit_group_from_thread, NULL);
    for (;;)
        syscall(SYS_getppid);
}

static void busy_forever(void)
{
    start_busy_threads(2);
    for (;;)
        syscall(SYS_getppid);
}

int main(void)
{
    int wrong = 0;
    int status = in_child(exit_group_case);
    printf("exit_group from a thread while others run syscalls: status 0x%x\n", status);
    wrong += !(WIFEXITED(status) && WEXITSTATUS(status) == 3);

    fflush(stdout);
    pid_t victim = fork();
    if (victim == 0) {
        busy_forever();
        _exit(93);
    }
    for (int i = 0; i < 200; i++)
        syscall(SYS_getppid);
    kill(victim, SIGKILL);
    if (waitpid(victim, &status, 0) != victim)
        status = -1;
    printf("SIGKILL while busy in syscalls: status 0x%x\n", status);
    wrong += !(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);

    errno = 0;
    pid_t none = wait(&status);
    printf("wait with nothing left: %d (%s)\n", (int)none, strerror(errno));
    wrong += !(none == -1 && errno == ECHILD);
    printf("%d wrong\n", wrong);
    return wrong ? 1 : 0;
}
