/*
 * sigsegv_handler.c — covers a synchronous fault: a NULL dereference caught by
 * a SA_SIGINFO SIGSEGV handler that reports si_addr/si_code and siglongjmps out.
 */
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

static sigjmp_buf env;
static volatile void *fault_addr;
static volatile int fault_code;

static void on_segv(int sig, siginfo_t *si, void *uctx)
{
    (void)sig;
    (void)uctx;
    fault_addr = si->si_addr;
    fault_code = si->si_code;
    siglongjmp(env, 1);
}

int main(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = on_segv;
    sa.sa_flags = SA_SIGINFO;
    sigaction(SIGSEGV, &sa, NULL);
    volatile int *volatile p = NULL;
    for (volatile int round = 0; round < 2; round++) {
        if (sigsetjmp(env, 1) == 0) {
            printf("round %d: dereferencing NULL\n", round);
            fflush(stdout);
            int v = *p;
            printf("read %d?!\n", v);
        } else {
            printf("round %d: caught SIGSEGV at %p, si_code %d (SEGV_MAPERR=%d)\n",
                   round, (void *)fault_addr, fault_code, SEGV_MAPERR);
        }
    }
    return 0;
}
