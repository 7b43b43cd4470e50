// rrdb-test: nested-diff
/*
 * sig_raise.c — covers raise(SIGUSR1) with a signal() handler: the handler runs
 * synchronously inside the tgkill syscall, then the program continues.
 */
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static volatile sig_atomic_t hits;

static void on_usr1(int sig)
{
    const char msg[] = "in handler\n";
    hits++;
    (void)sig;
    if (write(STDOUT_FILENO, msg, sizeof msg - 1) < 0)
        hits = -1;
}

int main(void)
{
    signal(SIGUSR1, on_usr1);
    printf("before raise\n");
    fflush(stdout);
    int rc = raise(SIGUSR1);
    printf("raise returned %d, handler ran %d times\n", rc, (int)hits);
    raise(SIGUSR1);
    printf("after second raise: %d\n", (int)hits);
    signal(SIGUSR1, SIG_IGN);
    raise(SIGUSR1);
    printf("ignored raise: %d\n", (int)hits);
    return 0;
}
