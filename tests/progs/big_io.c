/*
 * big_io.c — covers single syscalls that move megabytes: a 3 MiB write() to a
 * file, one 3 MiB read() back, and one write() of 1.6 MB of text to stdout
 * (kernel-written memory bigger than one trace row).
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define FILE_SIZE (3 << 20)
#define LINES 40000

int main(void)
{
    unsigned char *buf = malloc(FILE_SIZE);
    if (!buf)
        return 1;
    for (size_t i = 0; i < FILE_SIZE; i++)
        buf[i] = (unsigned char)(i * 131 + (i >> 12));
    int fd = open("big.dat", O_RDWR | O_CREAT | O_TRUNC, 0644);
    ssize_t w = write(fd, buf, FILE_SIZE);
    memset(buf, 0, FILE_SIZE);
    ssize_t r = pread(fd, buf, FILE_SIZE, 0);
    close(fd);
    unlink("big.dat");
    unsigned long sum = 0;
    size_t bad = 0;
    for (size_t i = 0; i < FILE_SIZE; i++) {
        sum = sum * 33 + buf[i];
        bad += buf[i] != (unsigned char)(i * 131 + (i >> 12));
    }

    char *text = malloc(LINES * 40 + 1);
    size_t len = 0;
    for (int i = 0; i < LINES; i++)
        len += (size_t)sprintf(text + len, "%-38d|\n", i);
    ssize_t out = write(STDOUT_FILENO, text, len);
    printf("file write %zd, read %zd, %zu mismatches, checksum %lu\n", w, r, bad, sum);
    printf("one stdout write of %zu bytes returned %zd\n", len, out);
    free(text);
    free(buf);
    return 0;
}
