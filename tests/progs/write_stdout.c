/*
 * write_stdout.c — covers write(2) to stdout: a plain write, an empty write,
 * a line split over two writes, and stdio output flushed explicitly.
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int main(void)
{
    const char *msg = "hello via write(2)\n";
    ssize_t n = write(STDOUT_FILENO, msg, strlen(msg));
    ssize_t empty = write(STDOUT_FILENO, "", 0);
    ssize_t a = write(STDOUT_FILENO, "first half, ", 12);
    ssize_t b = write(STDOUT_FILENO, "second half\n", 12);
    printf("write returned %zd, empty write %zd, halves %zd %zd\n", n, empty, a, b);
    fflush(stdout);
    printf("printf after fflush\n");
    return 0;
}
