/*
 * sigfpe.c — covers SIGFPE from an integer divide by zero, caught by a handler
 * that reports si_code (FPE_INTDIV) and siglongjmps out.
 */
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

static sigjmp_buf env;
static volatile int fpe_code;

static void on_fpe(int sig, siginfo_t *si, void *uctx)
{
    (void)sig;
    (void)uctx;
    fpe_code = si->si_code;
    siglongjmp(env, 1);
}

int main(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = on_fpe;
    sa.sa_flags = SA_SIGINFO;
    sigaction(SIGFPE, &sa, NULL);
    volatile int zero = 0, num = 42;
    if (sigsetjmp(env, 1) == 0) {
        int q = num / zero;
        printf("42/0 = %d?!\n", q);
    } else {
        printf("caught SIGFPE, si_code %d (FPE_INTDIV=%d)\n", fpe_code, FPE_INTDIV);
    }
    printf("42/6 = %d\n", num / 6);
    return 0;
}
