// rrdb-test: signal SIGTERM
/*
 * kill_sigterm.c — covers kill(getpid(), SIGTERM) with the default action: the
 * program dies of SIGTERM inside the kill syscall (rr-record exits 143).
 */
#include <signal.h>
#include <stdio.h>
#include <unistd.h>

int main(void)
{
    printf("sending SIGTERM to myself\n");
    fflush(stdout);
    kill(getpid(), SIGTERM);
    printf("still alive?!\n");
    return 0;
}
