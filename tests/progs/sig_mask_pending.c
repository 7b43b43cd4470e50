/*
 * sig_mask_pending.c — covers sigprocmask: block SIGUSR1, raise it (it stays
 * pending: sigpending shows it, the handler does not run), then unblock it and
 * the handler runs inside the unblocking rt_sigprocmask.
 */
#include <signal.h>
#include <stdio.h>

static volatile sig_atomic_t hits;

static void on_usr1(int sig)
{
    (void)sig;
    hits++;
}

int main(void)
{
    signal(SIGUSR1, on_usr1);
    sigset_t set, old, pending;
    sigemptyset(&set);
    sigaddset(&set, SIGUSR1);
    printf("block: %d\n", sigprocmask(SIG_BLOCK, &set, &old));
    raise(SIGUSR1);
    raise(SIGUSR1);
    sigpending(&pending);
    printf("after raise while blocked: pending=%d hits=%d\n",
           sigismember(&pending, SIGUSR1), (int)hits);
    printf("was blocked before: %d\n", sigismember(&old, SIGUSR1));
    printf("unblock: %d\n", sigprocmask(SIG_UNBLOCK, &set, NULL));
    sigpending(&pending);
    printf("after unblock: pending=%d hits=%d (standard signals coalesce)\n",
           sigismember(&pending, SIGUSR1), (int)hits);
    return 0;
}
