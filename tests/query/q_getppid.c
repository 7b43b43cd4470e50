/*
 * q_getppid.c — tracee of bench/query.sh: N getppid syscalls (argv[1],
 * default 100000) and a few opens and writes among them, so that a large
 * trace has both dense (getppid) and sparse (openat, write) syscalls.
 */
#include <fcntl.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <unistd.h>

int main(int argc, char **argv)
{
    long n = argc > 1 ? atol(argv[1]) : 100000;
    for (long i = 0; i < n; i++) {
        syscall(SYS_getppid);
        if (i % (n / 10 + 1) == 0) {
            int fd = open("/dev/null", O_WRONLY);
            if (write(fd, "x", 1) != 1)
                return 1;
            close(fd);
        }
    }
    return 0;
}
