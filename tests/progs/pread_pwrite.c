/*
 * pread_pwrite.c — covers pread64/pwrite64: positioned I/O that leaves the
 * file offset alone.
 */
#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>

int main(void)
{
    char buf[16] = {0};
    int fd = open("pread.dat", O_RDWR | O_CREAT | O_TRUNC, 0644);
    ssize_t w = write(fd, "aaaaaaaaaaaaaaaa", 16);
    ssize_t pw = pwrite(fd, "BBBB", 4, 6);
    off_t off = lseek(fd, 0, SEEK_CUR);
    ssize_t pr = pread(fd, buf, 10, 3);
    printf("write %zd pwrite %zd offset still %lld pread %zd: %.10s\n",
           w, pw, (long long)off, pr, buf);
    pr = pread(fd, buf, 8, 100);
    printf("pread past end: %zd\n", pr);
    close(fd);
    unlink("pread.dat");
    return 0;
}
