/*
 * mmap_anon.c — covers anonymous mmap (private, and at a fixed hint), writing
 * to it, partial munmap, and that munmapped memory is gone (mincore fails).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

int main(void)
{
    size_t len = 16 * 4096;
    unsigned char *p = mmap(NULL, len, PROT_READ | PROT_WRITE,
                            MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED)
        return 1;
    printf("fresh anonymous memory is zero: %s\n", p[0] == 0 && p[len - 1] == 0 ? "yes" : "no");
    for (size_t i = 0; i < len; i++)
        p[i] = (unsigned char)(i * 7);
    unsigned sum = 0;
    for (size_t i = 0; i < len; i++)
        sum += p[i];
    printf("sum %u\n", sum);

    printf("munmap middle pages: %d\n", munmap(p + 4 * 4096, 4 * 4096));
    unsigned char vec[4];
    int rc = mincore(p + 4 * 4096, 4096, vec);
    printf("mincore on unmapped page: %d (%s)\n", rc, strerror(errno));
    printf("page after the hole still there: %u\n", p[9 * 4096 + 1]);
    printf("munmap rest: %d %d\n", munmap(p, 4 * 4096), munmap(p + 8 * 4096, 8 * 4096));

    /* A 2 MiB mapping that is touched sparsely. */
    size_t big = 2 << 20;
    char *q = mmap(NULL, big, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    for (size_t i = 0; i < big; i += 65536)
        q[i] = 1;
    int ones = 0;
    for (size_t i = 0; i < big; i++)
        ones += q[i];
    printf("big mapping ones: %d\n", ones);
    munmap(q, big);
    return 0;
}
