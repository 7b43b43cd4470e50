// rrdb-test: nested
/*
 * malloc_large.c — covers malloc of large blocks (mmap-backed: 1, 8 and 64 MiB),
 * realloc that grows one (mremap inside glibc), and free (munmap).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(void)
{
    size_t sizes[] = {1 << 20, 8 << 20, 64 << 20};
    char *blocks[3];
    for (int i = 0; i < 3; i++) {
        blocks[i] = malloc(sizes[i]);
        if (!blocks[i])
            return 1;
        memset(blocks[i], 'a' + i, sizes[i]);
    }
    unsigned long sum = 0;
    for (int i = 0; i < 3; i++)
        for (size_t j = 0; j < sizes[i]; j += 4096)
            sum += (unsigned char)blocks[i][j];
    printf("sum %lu\n", sum);
    char *g = realloc(blocks[0], 32 << 20);
    if (!g)
        return 1;
    printf("realloc kept contents: %s\n", g[(1 << 20) - 1] == 'a' ? "yes" : "no");
    g[(32 << 20) - 1] = 'z';
    free(g);
    free(blocks[1]);
    free(blocks[2]);
    printf("freed\n");
    return 0;
}
