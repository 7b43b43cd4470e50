// rrdb-test: replays 20
// rrdb-test: nested
// rrdb-test: nested-diff
/*
 * ptrace_interrupt.c — covers a recorded tracer that seizes its child while
 * the child is blocked in read(), stops it with PTRACE_INTERRUPT (the read
 * is restarted afterwards), lets it go on and sees it exit.
 */
#include <signal.h>
#include <stdio.h>
#include <sys/ptrace.h>
#include <sys/wait.h>
#include <unistd.h>

int main(void)
{
    int ready[2], go[2];
    if (pipe(ready) < 0 || pipe(go) < 0)
        return 1;
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        char text[16] = "";
        if (write(ready[1], "r", 1) != 1)
            return 1;
        ssize_t n = read(go[0], text, sizeof text - 1);
        printf("child: read %zd bytes: %s\n", n, text);
        return 7;
    }
    char byte;
    if (read(ready[0], &byte, 1) != 1)
        return 1;
    usleep(100 * 1000); /* the child is in its read() by now */
    if (ptrace(PTRACE_SEIZE, pid, 0, 0) < 0 || ptrace(PTRACE_INTERRUPT, pid, 0, 0) < 0) {
        perror("ptrace");
        return 2;
    }
    int status;
    if (waitpid(pid, &status, __WALL) != pid)
        return 3;
    printf("tracer: stopped %d, by interrupt %d\n", WIFSTOPPED(status), status >> 16 == PTRACE_EVENT_STOP);
    fflush(stdout);
    if (ptrace(PTRACE_CONT, pid, 0, 0) < 0 || write(go[1], "hello", 5) != 5)
        return 4;
    if (waitpid(pid, &status, __WALL) != pid)
        return 5;
    printf("tracer: child exited %d\n", WIFEXITED(status) ? WEXITSTATUS(status) : -1);
    return 0;
}
