/*
 * pipe_self.c — covers pipe and pipe2 within one process: write then read back,
 * a short read, O_NONBLOCK read of an empty pipe (EAGAIN), and EOF after
 * closing the write end.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int main(void)
{
    int p[2];
    char buf[64];
    if (pipe(p) != 0)
        return 1;
    ssize_t w = write(p[1], "through the pipe", 16);
    ssize_t r = read(p[0], buf, 7);
    printf("wrote %zd, read %zd: %.7s\n", w, r, buf);
    r = read(p[0], buf, sizeof buf);
    printf("rest %zd: %.*s\n", r, (int)r, buf);
    close(p[1]);
    r = read(p[0], buf, sizeof buf);
    printf("after closing writer: %zd\n", r);
    close(p[0]);

    if (pipe2(p, O_NONBLOCK | O_CLOEXEC) != 0)
        return 1;
    r = read(p[0], buf, sizeof buf);
    printf("nonblocking empty read: %zd (%s)\n", r, strerror(errno));
    printf("cloexec set: %d\n", !!(fcntl(p[0], F_GETFD) & FD_CLOEXEC));
    close(p[0]);
    close(p[1]);
    return 0;
}
