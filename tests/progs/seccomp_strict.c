/*
 * seccomp_strict.c — covers strict mode (SECCOMP_MODE_STRICT), set by
 * prctl(PR_SET_SECCOMP) in one child and seccomp(SECCOMP_SET_MODE_STRICT) in
 * another: read, write and exit still work; any other call is killed with
 * SIGKILL, and so is exit_group (what _exit calls).
 */
#define _GNU_SOURCE
#include <linux/seccomp.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

static void say(const char *text)
{
    syscall(SYS_write, 1, text, strlen(text));
}

static int run_child(int by_prctl, int pipe_in, int end_with_getpid)
{
    fflush(stdout);
    pid_t child = fork();
    if (child == 0) {
        long rc = by_prctl ? prctl(PR_SET_SECCOMP, SECCOMP_MODE_STRICT)
                           : syscall(SYS_seccomp, SECCOMP_SET_MODE_STRICT, 0, NULL);
        if (rc != 0)
            _exit(3);
        char byte;
        say(syscall(SYS_read, pipe_in, &byte, 1) == 1 && byte == 'x' ? "child: read in strict mode\n"
                                                                     : "child: read failed\n");
        if (end_with_getpid)
            syscall(SYS_getpid); /* killed */
        syscall(SYS_exit, 7);
    }
    int status;
    waitpid(child, &status, 0);
    if (WIFSIGNALED(status))
        printf("child killed by signal %d\n", WTERMSIG(status));
    else
        printf("child exited with %d\n", WEXITSTATUS(status));
    return status;
}

int main(void)
{
    int fds[2];
    if (pipe(fds) != 0 || write(fds[1], "xx", 2) != 2)
        return 1;
    int killed = run_child(1, fds[0], 1);
    int exited = run_child(0, fds[0], 0);
    return WIFSIGNALED(killed) && WTERMSIG(killed) == SIGKILL && WIFEXITED(exited) && WEXITSTATUS(exited) == 7 ? 0 : 1;
}
