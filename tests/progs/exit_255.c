// rrdb-test: status 255
/*
 * exit_255.c — covers exit(255) with buffered stdout still to flush: rr-record
 * exits 255 and replay reports status 255.
 */
#include <stdio.h>
#include <stdlib.h>

int main(void)
{
    printf("exiting with 255\n");
    exit(255);
}
