// rrdb-test: signal SIGABRT
/*
 * killed_abort.c — covers abort(): SIGABRT raised by the program itself kills
 * it (rr-record exits 134).
 */
#include <stdio.h>
#include <stdlib.h>

int main(void)
{
    printf("calling abort\n");
    fflush(stdout);
    abort();
}
