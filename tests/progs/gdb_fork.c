// A program for tests/gdb-tests.sh (gdb following a fork in its replay):
// the child calls child_work(7) and exits with 3; the parent waits for it
// and prints what it saw.
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>

__attribute__((noinline)) int child_work(int amount)
{
    return amount * 6;
}

int main(void)
{
    pid_t pid = fork();
    if (pid < 0)
        return 1;
    if (pid == 0)
        _exit(child_work(7) == 42 ? 3 : 4);
    int status;
    if (waitpid(pid, &status, 0) != pid)
        return 1;
    printf("child exited with %d\n", WEXITSTATUS(status));
    return 0;
}
