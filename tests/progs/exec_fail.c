/*
 * exec_fail.c — covers a failing execve (ENOENT, then EACCES on a data file):
 * the program keeps running in its old address space.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int main(void)
{
    char *argv[] = {"nothing", NULL};
    char *envp[] = {NULL};
    int rc = execve("./no-such-program", argv, envp);
    printf("execve missing: %d (%s)\n", rc, strerror(errno));
    rc = execve("input.txt", argv, envp);
    printf("execve non-executable: %d (%s)\n", rc, strerror(errno));
    return 0;
}
