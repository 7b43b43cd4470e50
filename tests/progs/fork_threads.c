/*
 * fork_threads.c — covers fork from a multi-threaded process: three threads
 * are blocked in read() on a pipe when the main thread forks; the child has
 * a single thread (/proc/self/task holds one entry), can still use malloc and
 * stdio, and exits 0; the parent reaps it, then releases and joins its threads.
 */
#include <dirent.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static int gate[2], started[2];

static void *blocked(void *arg)
{
    if (write(started[1], "s", 1) != 1)
        return NULL;
    char b;
    if (read(gate[0], &b, 1) != 1)
        return NULL;
    return arg;
}

static int count_tasks(void)
{
    DIR *d = opendir("/proc/self/task");
    if (!d)
        return -1;
    int n = 0;
    struct dirent *e;
    while ((e = readdir(d)))
        if (e->d_name[0] != '.')
            n++;
    closedir(d);
    return n;
}

int main(void)
{
    if (pipe(gate) < 0 || pipe(started) < 0)
        return 1;
    pthread_t t[3];
    static int ids[3];
    for (int i = 0; i < 3; i++)
        pthread_create(&t[i], NULL, blocked, &ids[i]);
    for (int i = 0; i < 3; i++) {
        char b;
        if (read(started[0], &b, 1) != 1)
            return 1;
    }
    printf("parent: %d tasks before fork\n", count_tasks());
    fflush(stdout);
    pid_t child = fork();
    if (child == 0) {
        char *p = malloc(1000);
        if (!p)
            _exit(1);
        strcpy(p, "malloc works in the child");
        printf("child: %d task, %s\n", count_tasks(), p);
        free(p);
        fflush(stdout);
        _exit(0);
    }
    int status;
    waitpid(child, &status, 0);
    printf("parent: child exited %d\n", WEXITSTATUS(status));
    if (write(gate[1], "xxx", 3) != 3)
        return 1;
    int joined = 0;
    for (int i = 0; i < 3; i++) {
        void *r;
        pthread_join(t[i], &r);
        joined += r == &ids[i];
    }
    printf("parent: joined %d threads\n", joined);
    return 0;
}
