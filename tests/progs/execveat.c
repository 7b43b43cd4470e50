/*
 * execveat.c — covers execveat: with a path relative to a directory fd, with
 * AT_EMPTY_PATH on an fd of the program itself (what fexecve does), and
 * fexecve. Each exec'd image checks the argument it was given and the step
 * it was told to take next; the last one exits 0, any other end 1.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

extern char **environ;

int main(int argc, char **argv)
{
    const char *step = argc > 1 ? argv[1] : "start";
    printf("step %s (pid %d)\n", step, (int)getpid());
    fflush(stdout);
    if (strcmp(step, "start") == 0) {
        /* execveat(dirfd, relative path): the directory holding this program */
        char dir[4096];
        snprintf(dir, sizeof dir, "%s", argv[0]);
        char *slash = strrchr(dir, '/');
        const char *base = slash ? slash + 1 : argv[0];
        if (slash)
            *slash = 0;
        int dirfd = open(slash ? dir : ".", O_RDONLY | O_DIRECTORY);
        char *next[] = {argv[0], "relative", NULL};
        syscall(SYS_execveat, dirfd, base, next, environ, 0);
        perror("execveat relative");
        return 1;
    }
    if (strcmp(step, "relative") == 0) {
        int fd = open("/proc/self/exe", O_RDONLY);
        char *next[] = {argv[0], "empty-path", NULL};
        syscall(SYS_execveat, fd, "", next, environ, AT_EMPTY_PATH);
        perror("execveat AT_EMPTY_PATH");
        return 1;
    }
    if (strcmp(step, "empty-path") == 0) {
        int fd = open("/proc/self/exe", O_RDONLY | O_CLOEXEC);
        char *next[] = {argv[0], "fexecve", NULL};
        fexecve(fd, next, environ);
        perror("fexecve");
        return 1;
    }
    return strcmp(step, "fexecve") == 0 ? 0 : 1;
}
