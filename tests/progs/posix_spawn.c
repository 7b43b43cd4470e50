/*
 * posix_spawn.c — covers posix_spawn (glibc uses clone3 with CLONE_VM and
 * CLONE_VFORK and a stack of its own for the child) of /bin/echo, and waitpid.
 */
#include <spawn.h>
#include <stdio.h>
#include <sys/wait.h>

extern char **environ;

int main(void)
{
    char *argv[] = {"echo", "spawned", "echo", NULL};
    pid_t child;
    fflush(stdout);
    int rc = posix_spawn(&child, "/bin/echo", NULL, NULL, argv, environ);
    int status = 0;
    waitpid(child, &status, 0);
    printf("posix_spawn returned %d, child exited %d\n", rc, WEXITSTATUS(status));
    return 0;
}
