/* Syscall-heavy workload: 200000 getppid() calls plus a few small reads. */
#include <fcntl.h>
#include <stdio.h>
#include <sys/syscall.h>
#include <unistd.h>

int main(void)
{
    unsigned long sum = 0;
    char buf[64];
    int fd = open("/dev/zero", O_RDONLY);
    if (fd < 0) { perror("open /dev/zero"); return 1; }
    for (int i = 0; i < 200000; i++) {
        sum += (unsigned long)syscall(SYS_getppid);
        if (i % 20000 == 0) {                 /* a few reads: 10 in all */
            if (read(fd, buf, sizeof buf) != (ssize_t)sizeof buf) { perror("read"); return 1; }
            sum += (unsigned char)buf[0];
        }
    }
    close(fd);
    printf("syscalls: %lu\n", sum);
    return 0;
}
