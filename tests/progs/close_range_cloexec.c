/*
 * close_range_cloexec.c — covers close_range with CLOSE_RANGE_CLOEXEC on
 * stdout: the fd is only marked close-on-exec, not closed, so what the
 * program writes to it afterwards is still its output (and rr-replay must
 * still show it).
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <sys/syscall.h>
#include <unistd.h>

#ifndef CLOSE_RANGE_CLOEXEC
#define CLOSE_RANGE_CLOEXEC 4
#endif

int main(void)
{
    printf("before close_range\n");
    fflush(stdout);
    if (syscall(SYS_close_range, 1, 1, CLOSE_RANGE_CLOEXEC) != 0)
        return 1;
    printf("after close_range: stdout is still open\n");
    return 0;
}
