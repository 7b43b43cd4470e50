// rrdb-test: nested-diff
/*
 * file_io.c — covers open/read/write/lseek/close on a file in the cwd:
 * create, write, seek back, read, seek to end, append, and O_EXCL failure.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int main(void)
{
    char buf[64];
    int fd = open("file_io.dat", O_RDWR | O_CREAT | O_TRUNC, 0644);
    printf("open: %s\n", fd >= 0 ? "ok" : strerror(errno));
    ssize_t w = write(fd, "0123456789abcdef", 16);
    off_t pos = lseek(fd, 4, SEEK_SET);
    ssize_t r = read(fd, buf, 6);
    printf("wrote %zd, seek to %lld, read %zd: %.*s\n", w, (long long)pos, r,
           (int)(r > 0 ? r : 0), buf);
    off_t end = lseek(fd, 0, SEEK_END);
    w = write(fd, "XYZ", 3);
    printf("end was %lld, appended %zd\n", (long long)end, w);
    close(fd);

    fd = open("file_io.dat", O_RDONLY);
    r = read(fd, buf, sizeof buf);
    printf("reread %zd bytes: %.*s\n", r, (int)(r > 0 ? r : 0), buf);
    r = read(fd, buf, sizeof buf);
    printf("read at eof: %zd\n", r);
    close(fd);

    fd = open("file_io.dat", O_RDWR | O_CREAT | O_EXCL, 0644);
    printf("O_EXCL on existing file: %d (%s)\n", fd, strerror(errno));
    return 0;
}
