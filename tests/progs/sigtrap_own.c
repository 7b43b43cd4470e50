// rrdb-test: nested-diff
/*
 * sigtrap_own.c — covers a program that handles its own SIGTRAP: int3
 * (raised by the instruction, si_code SI_KERNEL, ip after it) caught by a
 * SA_SIGINFO handler three times, then raise(SIGTRAP) (sent, SI_TKILL). A
 * replayer that uses breakpoints must tell the program's traps from its own.
 */
#include <signal.h>
#include <stdio.h>
#include <string.h>

static volatile int traps;
static volatile int codes[4];

static void on_trap(int sig, siginfo_t *si, void *uctx)
{
    (void)sig;
    (void)uctx;
    if (traps < 4)
        codes[traps] = si->si_code;
    traps++;
}

int main(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = on_trap;
    sa.sa_flags = SA_SIGINFO;
    sigaction(SIGTRAP, &sa, NULL);
    for (int i = 0; i < 3; i++)
        __asm__ volatile("int3");
    raise(SIGTRAP);
    printf("%d traps, si_code %d %d %d %d\n", traps, codes[0], codes[1], codes[2], codes[3]);
    return traps == 4 ? 0 : 1;
}
