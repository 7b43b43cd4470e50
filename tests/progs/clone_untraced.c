/*
 * clone_untraced.c — covers clone with CLONE_UNTRACED: the flag only keeps a
 * tracer from attaching to the child automatically, so the recorder clears
 * it and records the child anyway. The child writes through a pipe and exits
 * with a status; the parent checks both.
 */
#define _GNU_SOURCE
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

int main(void)
{
    int fds[2];
    if (pipe(fds) < 0)
        return 1;
    fflush(stdout);
    /* fork-like: no new stack, the child returns here with 0 */
    long child = syscall(SYS_clone, CLONE_UNTRACED | SIGCHLD, 0, 0, 0, 0);
    if (child < 0) {
        perror("clone");
        return 1;
    }
    if (child == 0) {
        char line[64];
        int n = snprintf(line, sizeof line, "child %d says hello", (int)getpid());
        if (write(fds[1], line, (size_t)n) != n)
            _exit(1);
        _exit(7);
    }
    close(fds[1]);
    char got[64] = {0};
    ssize_t n = read(fds[0], got, sizeof got - 1);
    int status;
    if (waitpid((pid_t)child, &status, 0) != child) {
        perror("waitpid");
        return 1;
    }
    char want[64];
    snprintf(want, sizeof want, "child %d says hello", (int)child);
    printf("read %zd bytes: %s\n", n, got);
    if (strcmp(got, want) != 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 7) {
        printf("wrong: expected \"%s\" and exit status 7, got status 0x%x\n", want, status);
        return 1;
    }
    printf("child exited with 7\n");
    return 0;
}
