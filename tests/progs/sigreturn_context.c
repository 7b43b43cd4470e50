/*
 * sigreturn_context.c — covers what a handler changes in the frame that
 * rt_sigreturn restores: the signal mask (uc_sigmask gains SIGUSR2, which is
 * then pending-but-blocked after return), a general register (rax: the
 * value the interrupted code reads after the fault), and the instruction
 * pointer (rip moved past a faulting ud2 instruction, 2 bytes).
 */
#define _GNU_SOURCE
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <ucontext.h>
#include <unistd.h>

static void on_usr1(int sig, siginfo_t *si, void *ctx)
{
    ucontext_t *uc = ctx;
    (void)sig, (void)si;
    sigaddset(&uc->uc_sigmask, SIGUSR2);
}

static void on_ill(int sig, siginfo_t *si, void *ctx)
{
    ucontext_t *uc = ctx;
    (void)sig, (void)si;
    uc->uc_mcontext.gregs[REG_RIP] += 2; /* skip ud2 */
    uc->uc_mcontext.gregs[REG_RAX] = 0x1234567;
}

static volatile int usr2_seen;
static void on_usr2(int sig) { (void)sig; usr2_seen++; }

int main(void)
{
    struct sigaction sa = {.sa_sigaction = on_usr1, .sa_flags = SA_SIGINFO};
    sigaction(SIGUSR1, &sa, NULL);
    sa.sa_sigaction = on_ill;
    sigaction(SIGILL, &sa, NULL);
    signal(SIGUSR2, on_usr2);

    raise(SIGUSR1);
    sigset_t now;
    sigprocmask(SIG_BLOCK, NULL, &now);
    printf("after return SIGUSR2 blocked: %d\n", sigismember(&now, SIGUSR2));
    raise(SIGUSR2);
    sigset_t pending;
    sigpending(&pending);
    printf("SIGUSR2 pending %d, handled %d\n", sigismember(&pending, SIGUSR2), usr2_seen);
    sigprocmask(SIG_UNBLOCK, &now, NULL);
    printf("after unblocking handled %d\n", usr2_seen);

    long rax;
    __asm__ volatile("xor %%eax, %%eax\n\tud2" : "=a"(rax) : : "memory");
    printf("rax after the skipped ud2: %#lx\n", rax);
    return 0;
}
