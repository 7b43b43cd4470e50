/*
 * vfork_exec.c — covers vfork followed by execve in the child (the child
 * shares the parent's memory until it execs), and a failing exec in a second
 * vfork child that writes into the shared memory before _exit.
 */
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>

static volatile int seen_by_parent;

int main(void)
{
    fflush(stdout);
    pid_t child = vfork();
    if (child == 0) {
        execl("/bin/echo", "echo", "hello from the vfork child", (char *)NULL);
        _exit(127);
    }
    int status;
    waitpid(child, &status, 0);
    printf("first child exited %d\n", WEXITSTATUS(status));

    child = vfork();
    if (child == 0) {
        execl("/nonexistent/program", "program", (char *)NULL);
        seen_by_parent = 42; /* shared with the parent until _exit */
        _exit(3);
    }
    waitpid(child, &status, 0);
    printf("second child exited %d, wrote %d\n", WEXITSTATUS(status), seen_by_parent);
    return 0;
}
