/* forks.c — a parent and two children, each child saying its pid, the
 * parent waiting for each by pid: pids appear as results (fork, getpid,
 * wait4) and arguments (wait4), so rr-diff must compare them through its
 * task matching, not raw (rr-diff tests). */
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static void child(int number)
{
    char line[64];
    int len = snprintf(line, sizeof line, "child %d is %d\n", number, (int)getpid());
    _exit(write(1, line, (size_t)len) == len ? 0 : 1);
}

int main(void)
{
    for (int number = 1; number <= 2; number++) {
        pid_t pid = fork();
        if (pid < 0)
            return 1;
        if (pid == 0)
            child(number);
        int status = 0;
        if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) || WEXITSTATUS(status) != 0)
            return 1;
    }
    return 0;
}
