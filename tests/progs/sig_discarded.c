/*
 * sig_discarded.c — covers signals whose action is to do nothing: SIGWINCH
 * and SIGCHLD (ignored by default) and an explicitly ignored SIGUSR1. The
 * kernel drops them; record and replay must agree that nothing happened.
 */
#include <signal.h>
#include <stdio.h>
#include <unistd.h>

int main(void)
{
    for (int i = 0; i < 5; i++) {
        kill(getpid(), SIGWINCH);
        kill(getpid(), SIGCHLD);
        printf("round %d\n", i);
    }
    signal(SIGUSR1, SIG_IGN);
    raise(SIGUSR1);
    puts("done");
    return 0;
}
