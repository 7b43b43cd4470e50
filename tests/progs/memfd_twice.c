/*
 * memfd_twice.c — covers one memfd object mapped twice MAP_SHARED at two
 * addresses in one process: a store through one address is seen through the
 * other, a write() to the memfd is seen through both, and a read() sees what
 * was stored.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

int main(void)
{
    int fd = memfd_create("twice", 0);
    if (fd < 0 || ftruncate(fd, 4096))
        return 1;
    char *a = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    char *b = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    if (a == MAP_FAILED || b == MAP_FAILED || a == b)
        return 1;
    strcpy(a, "stored through a");
    printf("b shows: %s\n", b);
    if (pwrite(fd, "written to the fd", 18, 64) != 18)
        return 1;
    printf("a shows: %s, b shows: %s\n", a + 64, b + 64);
    strcpy(b + 128, "stored through b");
    char buf[32] = {0};
    if (pread(fd, buf, 17, 128) != 17)
        return 1;
    printf("read gives: %s\n", buf);
    return 0;
}
