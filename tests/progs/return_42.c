// rrdb-test: status 42
/*
 * return_42.c — covers returning 42 from main (exit_group via libc's exit).
 */
#include <stdio.h>

int main(void)
{
    printf("returning 42 from main\n");
    return 42;
}
