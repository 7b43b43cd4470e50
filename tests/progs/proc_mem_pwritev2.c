/*
 * proc_mem_pwritev2.c — covers writes into its own memory through
 * /proc/self/mem with pwritev2: once at an explicit offset, once at offset
 * -1 (the file position, set by lseek). The program prints what it wrote
 * into itself, which replay shows only if it applies those writes too.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <sys/uio.h>
#include <unistd.h>

static char message[48] = "not written";

int main(void)
{
    int self = open("/proc/self/mem", O_RDWR);
    if (self < 0)
        return 1;
    char first[] = "written by ", second[] = "pwritev2";
    struct iovec parts[2] = {{first, sizeof first - 1}, {second, sizeof second}};
    ssize_t total = (ssize_t)(sizeof first - 1 + sizeof second);
    if (pwritev2(self, parts, 2, (off_t)(unsigned long)message, 0) != total)
        return 2;
    printf("at an offset: %s\n", message);
    char again[] = "at the file position";
    struct iovec whole = {again, sizeof again};
    if (lseek(self, (off_t)(unsigned long)message, SEEK_SET) < 0 ||
        pwritev2(self, &whole, 1, -1, 0) != (ssize_t)sizeof again)
        return 3;
    printf("at -1: %s\n", message);
    close(self);
    return 0;
}
