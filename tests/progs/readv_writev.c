/*
 * readv_writev.c — covers writev to stdout and to a file, and readv of the file
 * back into three buffers of different sizes.
 */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/uio.h>
#include <unistd.h>

int main(void)
{
    struct iovec out[3] = {
        {"writev ", 7}, {"to ", 3}, {"stdout\n", 7},
    };
    ssize_t n = writev(STDOUT_FILENO, out, 3);

    int fd = open("iov.dat", O_RDWR | O_CREAT | O_TRUNC, 0644);
    struct iovec fout[2] = {{"HEADER--", 8}, {"body of the file", 16}};
    ssize_t fw = writev(fd, fout, 2);
    lseek(fd, 0, SEEK_SET);
    char a[3], b[10], c[40];
    memset(c, 0, sizeof c);
    struct iovec in[3] = {{a, sizeof a}, {b, sizeof b}, {c, sizeof c}};
    ssize_t r = readv(fd, in, 3);
    close(fd);
    printf("writev %zd, file writev %zd, readv %zd: [%.3s][%.10s][%s]\n",
           n, fw, r, a, b, c);
    return 0;
}
