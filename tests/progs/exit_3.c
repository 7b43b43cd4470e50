// rrdb-test: status 3
// rrdb-test: nested
/*
 * exit_3.c — covers exit(3) with buffered stdout still to flush: rr-record
 * exits 3 and replay reports status 3.
 */
#include <stdio.h>
#include <stdlib.h>

int main(void)
{
    printf("exiting with 3\n");
    exit(3);
}
