// rrdb-test: replays 20
// rrdb-test: nested
// rrdb-test: nested-diff
/*
 * sig_alarm_spin.c — covers SIGALRM ending a pure CPU spin: the program waits
 * in a loop with no syscalls for a flag its handler sets. The recorder holds
 * the signal until it finds the loop spinning (a landmark) and delivers it
 * there; replay delivers it at the same landmark.
 */
#include <signal.h>
#include <stdio.h>
#include <unistd.h>

static volatile sig_atomic_t flag;

static void on_alarm(int sig)
{
    (void)sig;
    flag = 1;
}

int main(void)
{
    signal(SIGALRM, on_alarm);
    alarm(1);
    while (!flag)
        ;
    printf("SIGALRM ended the spin\n");
    return 0;
}
