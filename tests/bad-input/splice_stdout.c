/*
 * splice_stdout.c — moves a line from a pipe to stdout with splice(2), bytes
 * the recorder does not see (they never pass through the program's memory).
 * rr-replay cannot show them, so its replay must stop with a divergence
 * naming stdout instead of passing with less output than was written.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int main(void)
{
    static const char line[] = "moved by splice\n";
    int p[2];
    if (pipe(p) < 0 || write(p[1], line, strlen(line)) != (ssize_t)strlen(line))
        return 1;
    if (splice(p[0], NULL, STDOUT_FILENO, NULL, strlen(line), 0) != (ssize_t)strlen(line)) {
        perror("splice");
        return 1;
    }
    return 0;
}
