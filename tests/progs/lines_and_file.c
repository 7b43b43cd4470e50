/*
 * lines_and_file.c — writes a file in the cwd, then 60 numbered lines to
 * stdout, one write(2) each: a trace with writes to a file and to stdout
 * and over a hundred events, which tests/integrity-tests.sh and
 * tests/corrupt-traces.sh change in every way to check that a replay of a
 * changed trace never passes for the recording.
 */
#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>

int main(void)
{
    int fd = open("lines_and_file.dat", O_WRONLY | O_CREAT | O_TRUNC, 0600);
    if (fd < 0 || write(fd, "file data\n", 10) != 10 || close(fd) < 0)
        return 1;
    for (int i = 0; i < 60; i++) {
        char line[32];
        int n = snprintf(line, sizeof line, "line %d\n", i);
        if (write(1, line, (size_t)n) != n)
            return 1;
    }
    return 0;
}
