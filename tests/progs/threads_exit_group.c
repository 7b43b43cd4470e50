// rrdb-test: status 5
/*
 * threads_exit_group.c — covers a process that exits (exit_group) while two
 * of its threads are still blocked, ending them with it.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

static int fds[2];

static void *block_forever(void *arg)
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
    pthread_t a, b;
    pthread_create(&a, NULL, block_forever, NULL);
    pthread_create(&b, NULL, block_forever, NULL);
    usleep(10000);
    printf("leaving with two threads blocked\n");
    fflush(stdout);
    exit(5);
}
