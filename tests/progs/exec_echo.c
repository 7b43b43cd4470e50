// rrdb-test: nested-diff
/*
 * exec_echo.c — covers execve within a recorded program: prints a line, then
 * replaces itself with /bin/echo (a new address space and interpreter).
 */
#include <stdio.h>
#include <unistd.h>

int main(void)
{
    printf("before execve\n");
    fflush(stdout);
    char *argv[] = {"echo", "hello", "from", "/bin/echo", NULL};
    char *envp[] = {"PATH=/usr/bin:/bin", NULL};
    execve("/bin/echo", argv, envp);
    perror("execve");
    return 1;
}
