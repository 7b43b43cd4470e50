/*
 * exec_with_threads.c — covers execve from a process with another thread
 * alive: the exec ends that thread (de_thread), which the trace records as
 * the thread's exit just before the exec.
 */
#include <pthread.h>
#include <stdio.h>
#include <unistd.h>

static int fds[2];

static void *wait_forever(void *arg)
{
    char byte;
    if (read(fds[0], &byte, 1) < 0)
        return arg;
    return arg;
}

int main(void)
{
    if (pipe(fds) < 0)
        return 1;
    pthread_t thread;
    pthread_create(&thread, NULL, wait_forever, NULL);
    usleep(10000);
    printf("exec with a thread blocked in read\n");
    fflush(stdout);
    execl("/bin/echo", "echo", "the exec'd program", (char *)NULL);
    return 1;
}
