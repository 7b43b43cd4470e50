/*
 * ioctl_pipe.c — covers ioctl(FIONREAD) on a pipe holding data, and an ioctl
 * that fails (TCGETS on a pipe: ENOTTY).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <unistd.h>

int main(void)
{
    int fds[2];
    if (pipe(fds) != 0)
        return 1;
    int avail = -1;
    int rc = ioctl(fds[0], FIONREAD, &avail);
    printf("empty pipe FIONREAD rc=%d avail=%d\n", rc, avail);
    if (write(fds[1], "seventeen bytes!!", 17) != 17)
        return 1;
    rc = ioctl(fds[0], FIONREAD, &avail);
    printf("FIONREAD rc=%d avail=%d\n", rc, avail);
    struct termios t;
    rc = ioctl(fds[0], TCGETS, &t);
    printf("TCGETS on a pipe rc=%d (%s)\n", rc, strerror(errno));
    printf("isatty(pipe)=%d\n", isatty(fds[0]));
    close(fds[0]);
    close(fds[1]);
    return 0;
}
