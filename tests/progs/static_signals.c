// rrdb-test: status 7
// rrdb-test: static
/*
 * static_signals.c — covers signal handling and a heap in a statically linked
 * program: raise with a handler, malloc growth, exit status 7.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static volatile sig_atomic_t hits;

static void on_usr1(int sig)
{
    (void)sig;
    hits++;
}

int main(void)
{
    signal(SIGUSR1, on_usr1);
    raise(SIGUSR1);
    char *p = malloc(1 << 22);
    memset(p, 3, 1 << 22);
    unsigned long sum = 0;
    for (int i = 0; i < 1 << 22; i += 4096)
        sum += p[i];
    free(p);
    printf("static: handler ran %d times, sum %lu; exiting 7\n", (int)hits, sum);
    return 7;
}
