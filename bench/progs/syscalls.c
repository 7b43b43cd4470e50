/* Syscall-heavy workload: 200000 getppid() calls plus a few small reads.
 * Output is deterministic (it does not print the parent pid), so record runs
 * can be checked against the native run. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <unistd.h>

int main(int argc, char **argv)
{
    long n = argc > 1 ? atol(argv[1]) : 200000;
    long first = syscall(SYS_getppid), same = 0, reads = 0, bytes = 0;
    char buf[64];
    int fd = open("/dev/zero", O_RDONLY);
    if (fd < 0) { perror("open /dev/zero"); return 1; }
    for (long i = 0; i < n; i++) {
        same += syscall(SYS_getppid) == first;   /* raw syscall: never cached */
        if (i % 20000 == 0) {                     /* a few reads: 10 in all */
            ssize_t r = read(fd, buf, sizeof buf);
            if (r != (ssize_t)sizeof buf) { perror("read"); return 1; }
            reads++;
            bytes += r;
        }
    }
    close(fd);
    printf("getppid calls: %ld (%ld consistent), reads: %ld (%ld bytes)\n", n, same, reads, bytes);
    return same == n ? 0 : 1;
}
