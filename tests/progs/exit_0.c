/*
 * exit_0.c — covers exit(0) with buffered stdout still to flush: rr-record
 * exits 0 and replay reports status 0.
 */
#include <stdio.h>
#include <stdlib.h>

int main(void)
{
    printf("exiting with 0\n");
    exit(0);
}
