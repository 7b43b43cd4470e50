/*
 * malloc_small.c — covers many small mallocs (heap growth through brk), frees in
 * a scattered order and reuse; prints a checksum of the contents.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define N 100000

int main(void)
{
    static char *p[N];
    for (int i = 0; i < N; i++) {
        size_t sz = 8 + (size_t)(i * 37 % 200);
        p[i] = malloc(sz);
        if (!p[i])
            return 1;
        memset(p[i], i & 0xff, sz);
    }
    for (int i = 0; i < N; i += 3) {
        free(p[i]);
        p[i] = NULL;
    }
    for (int i = 0; i < N; i += 3)
        p[i] = strdup("again");
    unsigned long sum = 0;
    for (int i = 0; i < N; i++)
        sum = sum * 31 + (unsigned char)p[i][0];
    for (int i = 0; i < N; i++)
        free(p[i]);
    printf("checksum %lu\n", sum);
    return 0;
}
