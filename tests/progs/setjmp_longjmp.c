/*
 * setjmp_longjmp.c — covers setjmp/longjmp and sigsetjmp/siglongjmp restoring
 * the signal mask (the latter issues rt_sigprocmask).
 */
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>

static jmp_buf jb;
static sigjmp_buf sjb;

static volatile int do_jump = 1;

static int deep(int n)
{
    if (n == 0) {
        if (do_jump)
            longjmp(jb, 7);
        return 0;
    }
    return deep(n - 1) + 1;
}

int main(void)
{
    volatile int rounds = 0;
    int v = setjmp(jb);
    printf("setjmp returned %d (round %d)\n", v, rounds);
    if (rounds++ < 3)
        printf("deep returned %d?!\n", deep(10));

    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGUSR1);
    if (sigsetjmp(sjb, 1) == 0) {
        sigprocmask(SIG_BLOCK, &set, NULL);
        siglongjmp(sjb, 1);
    }
    sigset_t now;
    sigprocmask(SIG_BLOCK, NULL, &now);
    printf("after siglongjmp SIGUSR1 blocked: %d\n", sigismember(&now, SIGUSR1));
    return 0;
}
