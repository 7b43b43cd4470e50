/*
 * q_fork.c — tracee of tests/query-tests.sh: a process tree. The parent opens
 * a file, forks a child that writes to the inherited fd and exits with 3, and
 * a child that execs /bin/true with an argument holding a space; it reaps both
 * and prints their pids.
 */
#include <fcntl.h>
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>

int main(void)
{
    int fd = open("q_fork.txt", O_WRONLY | O_CREAT | O_TRUNC, 0644);
    fflush(stdout);
    pid_t a = fork();
    if (a == 0) {
        if (write(fd, "child\n", 6) != 6)
            _exit(1);
        _exit(3);
    }
    pid_t b = fork();
    if (b == 0) {
        execl("/bin/true", "true", "arg with space", (char *)NULL);
        _exit(127);
    }
    int status_a = 0, status_b = 0;
    waitpid(a, &status_a, 0);
    waitpid(b, &status_b, 0);
    close(fd);
    printf("a=%d b=%d status_a=%d status_b=%d\n", (int)a, (int)b, WEXITSTATUS(status_a),
           WEXITSTATUS(status_b));
    return 0;
}
