// rrdb-test: nested
/*
 * exec_in_child.c — covers fork then execve of a shell in the child, whose own
 * children the shell creates in turn (three processes deep).
 */
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>

int main(void)
{
    fflush(stdout);
    pid_t child = fork();
    if (child == 0) {
        execl("/bin/sh", "sh", "-c", "echo arithmetic $((6 * 7)); /bin/echo grandchild", (char *)NULL);
        _exit(127);
    }
    int status;
    waitpid(child, &status, 0);
    printf("shell exited %d\n", WEXITSTATUS(status));
    return 0;
}
