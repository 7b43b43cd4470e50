/*
 * fcntl.c — covers fcntl F_GETFL/F_SETFL, F_GETFD/F_SETFD, F_DUPFD and
 * F_DUPFD_CLOEXEC, and a record lock query (F_GETLK).
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>

int main(void)
{
    int fd = open("fcntl.dat", O_RDWR | O_CREAT | O_APPEND, 0644);
    int fl = fcntl(fd, F_GETFL);
    printf("F_GETFL: accmode=%d append=%d\n", fl & O_ACCMODE, !!(fl & O_APPEND));
    printf("F_SETFL nonblock: %d\n", fcntl(fd, F_SETFL, fl | O_NONBLOCK));
    printf("F_GETFL nonblock now: %d\n", !!(fcntl(fd, F_GETFL) & O_NONBLOCK));
    printf("F_GETFD: %d\n", fcntl(fd, F_GETFD));
    printf("F_SETFD: %d\n", fcntl(fd, F_SETFD, FD_CLOEXEC));
    printf("F_GETFD: %d\n", fcntl(fd, F_GETFD));
    int d = fcntl(fd, F_DUPFD, 50);
    int e = fcntl(fd, F_DUPFD_CLOEXEC, 50);
    printf("F_DUPFD 50 -> %d, F_DUPFD_CLOEXEC 50 -> %d (cloexec %d)\n", d, e,
           fcntl(e, F_GETFD));
    struct flock lk = {.l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = 0, .l_len = 10};
    int rc = fcntl(fd, F_GETLK, &lk);
    printf("F_GETLK rc=%d unlocked=%d\n", rc, lk.l_type == F_UNLCK);
    printf("F_GETFL on bad fd: %d\n", fcntl(99, F_GETFL));
    close(d);
    close(e);
    close(fd);
    unlink("fcntl.dat");
    return 0;
}
