// rrdb-test: nested
/*
 * kill_child.c — covers a parent that kills its child with SIGKILL while the
 * child is blocked, then reaps it and prints how it died.
 */
#include <signal.h>
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>

int main(void)
{
    int ready[2];
    if (pipe(ready) < 0)
        return 1;
    fflush(stdout);
    pid_t child = fork();
    if (child == 0) {
        close(ready[0]);
        if (write(ready[1], "x", 1) != 1)
            return 1;
        for (;;)
            pause();
    }
    char byte;
    if (read(ready[0], &byte, 1) != 1)
        return 1;
    kill(child, SIGKILL);
    int status = 0;
    waitpid(child, &status, 0);
    printf("child killed: %s, by signal %d\n", WIFSIGNALED(status) ? "yes" : "no", WTERMSIG(status));
    return 0;
}
