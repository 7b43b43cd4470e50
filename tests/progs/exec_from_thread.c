/*
 * exec_from_thread.c — covers execve called by a thread that is not its
 * process's leader while the other threads are busy in syscalls: the exec
 * ends every other thread, and the exec'ing thread takes over the leader's
 * pid (and tid). The exec'd image checks that; the parent, its status.
 */
// rrdb-test: nested-known-gap the replayer performs an exec by a non-leader thread from the leader (the thread ends); rr-diff --nested does not yet rebuild that as the thread's exec
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

static const char *self;
static pid_t leader;

static void *busy(void *arg)
{
    for (;;)
        syscall(SYS_getppid);
    return arg;
}

static void *exec_from_thread(void *arg)
{
    char pid_text[32];
    snprintf(pid_text, sizeof pid_text, "%d", (int)leader);
    execl(self, self, "exec'd", pid_text, (char *)NULL);
    _exit(91);
    return arg;
}

int main(int argc, char **argv)
{
    self = argv[0];
    if (argc == 3 && strcmp(argv[1], "exec'd") == 0) {
        pid_t was = (pid_t)atoi(argv[2]);
        int same = getpid() == was && syscall(SYS_gettid) == was;
        printf("exec'd image: pid and tid are the leader's: %s\n", same ? "yes" : "no");
        return same ? 5 : 4;
    }
    fflush(stdout);
    pid_t child = fork();
    if (child == 0) {
        leader = getpid();
        pthread_t thread;
        for (int i = 0; i < 3; i++)
            pthread_create(&thread, NULL, busy, NULL);
        for (int i = 0; i < 50; i++)
            sched_yield();
        pthread_create(&thread, NULL, exec_from_thread, NULL);
        for (;;)
            syscall(SYS_getppid);
    }
    int status;
    if (waitpid(child, &status, 0) != child)
        return 1;
    printf("execve from a thread that is not the leader: status 0x%x\n", status);
    return WIFEXITED(status) && WEXITSTATUS(status) == 5 ? 0 : 1;
}
