// rrdb-test: replays 20
// rrdb-test: nested
// rrdb-test: nested-diff
/*
 * pipe_between.c — covers a pipe between two recorded processes: the parent
 * writes 100 lines, the child reads them all and reports a checksum.
 */
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

int main(void)
{
    int fds[2];
    if (pipe(fds) < 0)
        return 1;
    fflush(stdout);
    pid_t child = fork();
    if (child == 0) {
        close(fds[1]);
        char buffer[256];
        ssize_t n;
        unsigned long sum = 0, bytes = 0;
        while ((n = read(fds[0], buffer, sizeof buffer)) > 0) {
            for (ssize_t i = 0; i < n; i++)
                sum = sum * 31 + (unsigned char)buffer[i];
            bytes += (unsigned long)n;
        }
        printf("child read %lu bytes, checksum %lu\n", bytes, sum);
        return 0;
    }
    close(fds[0]);
    for (int i = 0; i < 100; i++) {
        char line[32];
        int len = snprintf(line, sizeof line, "line %d\n", i);
        if (write(fds[1], line, (size_t)len) != len)
            return 1;
    }
    close(fds[1]);
    int status;
    waitpid(child, &status, 0);
    printf("parent done, child status %d\n", WEXITSTATUS(status));
    return 0;
}
