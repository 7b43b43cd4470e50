/*
 * spawn_redirect.c — covers posix_spawn with a dup2 file action (the child's
 * stdout becomes a pipe; the vfork-like child shares the parent's memory but
 * not its descriptor table): the parent reads the child's output and prints
 * it on its own stdout, which replay must still show.
 */
#include <spawn.h>
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

int main(void)
{
    int fds[2];
    if (pipe(fds) < 0)
        return 1;
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, fds[1], STDOUT_FILENO);
    posix_spawn_file_actions_addclose(&actions, fds[0]);
    char *argv[] = {"echo", "captured from the child", NULL};
    pid_t child;
    if (posix_spawn(&child, "/bin/echo", &actions, NULL, argv, environ) != 0)
        return 1;
    close(fds[1]);
    char buffer[128];
    ssize_t n = read(fds[0], buffer, sizeof buffer - 1);
    buffer[n > 0 ? n : 0] = 0;
    int status;
    waitpid(child, &status, 0);
    printf("the parent got: %s", buffer);
    return 0;
}
