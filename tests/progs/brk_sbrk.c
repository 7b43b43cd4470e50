/*
 * brk_sbrk.c — covers the brk syscall through sbrk: growing the heap, writing
 * to the new part, shrinking it again, and brk(0)-style queries.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int main(void)
{
    /* stdio must not malloc: a malloc arena above our break would be cut off
     * when the break shrinks below it. */
    static char outbuf[4096];
    setvbuf(stdout, outbuf, _IOFBF, sizeof outbuf);
    char *start = sbrk(0);
    char *old = sbrk(1 << 20);
    if (old == (void *)-1)
        return 1;
    char *grown = sbrk(0);
    printf("grew by %ld bytes, old break returned: %s\n", (long)(grown - start),
           old == start ? "yes" : "no");
    memset(old, 0x5a, 1 << 20);
    unsigned sum = 0;
    for (int i = 0; i < 1 << 20; i += 4096)
        sum += (unsigned char)old[i];
    printf("sum over pages %u\n", sum);
    sbrk(-(1 << 19));
    char *shrunk = sbrk(0);
    printf("shrunk by %ld bytes\n", (long)(grown - shrunk));
    printf("brk back to start: %d\n", brk(start));
    printf("break restored: %s\n", sbrk(0) == start ? "yes" : "no");
    return 0;
}
