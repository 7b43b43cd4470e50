/*
 * clone_parent.c — covers CLONE_PARENT: a child creates a grandchild whose
 * parent is the original process (not the child), so getppid() in it names
 * the top process and the top process, not the child, reaps it (with the
 * exit signal the child chose).
 */
#define _GNU_SOURCE
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

int main(void)
{
    pid_t top = getpid();
    fflush(stdout);
    pid_t child = fork();
    if (child == 0) {
        long sibling = syscall(SYS_clone, CLONE_PARENT | SIGCHLD, 0, NULL, NULL, 0);
        if (sibling == 0) {
            printf("grandchild's parent is the top process: %d\n", getppid() == top);
            fflush(stdout);
            _exit(5);
        }
        int status;
        pid_t r = waitpid((pid_t)sibling, &status, 0);
        printf("child cannot wait for it: %d\n", r == -1);
        fflush(stdout);
        _exit(sibling > 0 ? 0 : 1);
    }
    int reaped = 0;
    for (;;) {
        int status;
        pid_t r = wait(&status);
        if (r < 0)
            break;
        printf("top reaped %s with status %d\n", r == child ? "the child" : "the sibling", WEXITSTATUS(status));
        reaped++;
    }
    printf("reaped %d\n", reaped);
    return 0;
}
