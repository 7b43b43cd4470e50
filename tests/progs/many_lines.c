// rrdb-test: nested
// rrdb-test: nested-diff
/*
 * many_lines.c — covers a program printing 10000 lines to stdout (many write
 * syscalls, large stdio buffers).
 */
#include <stdio.h>

int main(void)
{
    for (int i = 0; i < 10000; i++)
        printf("line %05d of 10000: %d\n", i, i * i % 9973);
    return 0;
}
