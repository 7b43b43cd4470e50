/*
 * sig_siginfo.c — covers sigaction with SA_SIGINFO: the handler gets si_signo,
 * si_code and si_pid, for raise (SI_TKILL), kill (SI_USER) and sigqueue
 * (SI_QUEUE, with a value).
 */
#define _GNU_SOURCE
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static volatile sig_atomic_t got_signo, got_code, got_value, from_self;

static void on_sig(int sig, siginfo_t *si, void *uctx)
{
    (void)uctx;
    got_signo = si->si_signo;
    got_code = si->si_code;
    got_value = si->si_code == SI_QUEUE ? si->si_value.sival_int : 0;
    from_self = si->si_pid == getpid() && sig == si->si_signo;
}

static void report(const char *how)
{
    printf("%-8s si_signo=%d si_code=%d value=%d from self=%d\n", how,
           (int)got_signo, (int)got_code, (int)got_value, (int)from_self);
}

int main(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = on_sig;
    sa.sa_flags = SA_SIGINFO;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGUSR2, &sa, NULL);
    sigaction(SIGRTMIN, &sa, NULL);

    raise(SIGUSR2);
    report("raise");
    kill(getpid(), SIGUSR2);
    report("kill");
    union sigval v = {.sival_int = 1234};
    sigqueue(getpid(), SIGRTMIN, v);
    report("sigqueue");
    printf("SI_TKILL=%d SI_USER=%d SI_QUEUE=%d\n", SI_TKILL, SI_USER, SI_QUEUE);
    struct sigaction old;
    sigaction(SIGUSR2, NULL, &old);
    printf("handler installed with SA_SIGINFO: %s\n",
           old.sa_sigaction == on_sig && (old.sa_flags & SA_SIGINFO) ? "yes" : "no");
    return 0;
}
