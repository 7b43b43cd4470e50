// rrdb-test: static
/*
 * static_hello.c — covers a statically linked program (no interpreter, no
 * vDSO-using libc from a shared object; built with -static by the runner):
 * stdout, time, pid, a file and getrandom.
 */
#include <fcntl.h>
#include <stdio.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

int main(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    unsigned r = 0;
    ssize_t n = getrandom(&r, sizeof r, 0);
    printf("static: time %lld.%09ld pid %d random(%zd) %08x\n", (long long)ts.tv_sec,
           ts.tv_nsec, getpid(), n, r);
    int fd = open("input.txt", O_RDONLY);
    char buf[32];
    n = read(fd, buf, sizeof buf);
    close(fd);
    printf("input.txt starts with: %.*s\n", (int)(n > 5 ? 5 : n < 0 ? 0 : n), buf);
    return 0;
}
