// rrdb-test: signal SIGSEGV
/*
 * killed_segv.c — covers a program killed by SIGSEGV with no handler (NULL
 * dereference): rr-record exits 139 and replay reports the signal.
 */
#include <stdio.h>

int main(void)
{
    printf("about to dereference NULL\n");
    fflush(stdout);
    volatile int *volatile p = NULL;
    *p = 1;
    printf("still alive?!\n");
    return 0;
}
