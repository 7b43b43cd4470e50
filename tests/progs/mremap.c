/*
 * mremap.c — covers mremap: growing a mapping in place or by moving it
 * (MREMAP_MAYMOVE), shrinking it, and that the contents survive.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>

int main(void)
{
    size_t pg = 4096;
    char *p = mmap(NULL, 2 * pg, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED)
        return 1;
    strcpy(p, "first page");
    strcpy(p + pg, "second page");
    char *q = mremap(p, 2 * pg, 64 * pg, MREMAP_MAYMOVE);
    if (q == MAP_FAILED)
        return 1;
    printf("grown to 64 pages: %s / %s\n", q, q + pg);
    printf("new part is zero: %s\n", q[63 * pg + 100] == 0 ? "yes" : "no");
    strcpy(q + 63 * pg, "last page");
    char *r = mremap(q, 64 * pg, 256 * pg, MREMAP_MAYMOVE);
    printf("grown to 256 pages: %s / %s / %s\n", r, r + pg, r + 63 * pg);
    char *s = mremap(r, 256 * pg, pg, 0);
    printf("shrunk in place: %s, same address: %s\n", s, s == r ? "yes" : "no");
    munmap(s, pg);
    return 0;
}
