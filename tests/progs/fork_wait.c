// rrdb-test: replays 20
// rrdb-test: nested
// rrdb-test: nested-diff
/*
 * fork_wait.c — covers fork and waitpid: the child prints its pids and exits
 * with 7, the parent reaps it and prints the status. Pids replay as recorded.
 */
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>

int main(void)
{
    fflush(stdout);
    pid_t child = fork();
    if (child == 0) {
        printf("child: pid %d, parent %d\n", (int)getpid(), (int)getppid());
        return 7;
    }
    int status = 0;
    pid_t reaped = waitpid(child, &status, 0);
    printf("parent: child %d, reaped %d, exit status %d\n", (int)child, (int)reaped,
           WEXITSTATUS(status));
    return 0;
}
