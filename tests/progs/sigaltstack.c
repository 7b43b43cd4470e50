/*
 * sigaltstack.c — covers sigaltstack: a SA_ONSTACK handler runs on the
 * alternate stack (the address of one of its locals lies inside it, and
 * sigaltstack reports SS_ONSTACK there), a handler without SA_ONSTACK runs on
 * the normal stack, and SS_DISABLE.
 */
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char *alt_base;
static size_t alt_size;
static volatile int on_alt, flags_onstack;

static void handler(int sig)
{
    volatile char local = (char)sig;
    uintptr_t a = (uintptr_t)&local;
    on_alt = a >= (uintptr_t)alt_base && a < (uintptr_t)alt_base + alt_size;
    stack_t cur;
    sigaltstack(NULL, &cur);
    flags_onstack = (cur.ss_flags & SS_ONSTACK) != 0;
}

int main(void)
{
    alt_size = 64 * 1024;
    alt_base = malloc(alt_size);
    if (!alt_base)
        return 1;
    stack_t ss = {.ss_sp = alt_base, .ss_size = alt_size, .ss_flags = 0};
    if (sigaltstack(&ss, NULL) != 0)
        return 1;
    stack_t got;
    sigaltstack(NULL, &got);
    printf("installed: sp matches %s, size %zu, flags %d\n", got.ss_sp == alt_base ? "yes" : "no",
           got.ss_size, got.ss_flags);

    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = handler;
    sa.sa_flags = SA_ONSTACK;
    sigaction(SIGUSR1, &sa, NULL);
    raise(SIGUSR1);
    printf("SA_ONSTACK handler: local inside the alternate stack: %s, SS_ONSTACK: %s\n",
           on_alt ? "yes" : "no", flags_onstack ? "yes" : "no");

    sa.sa_flags = 0;
    sigaction(SIGUSR2, &sa, NULL);
    raise(SIGUSR2);
    printf("plain handler: local inside the alternate stack: %s, SS_ONSTACK: %s\n",
           on_alt ? "yes" : "no", flags_onstack ? "yes" : "no");

    ss.ss_flags = SS_DISABLE;
    sigaltstack(&ss, NULL);
    sigaltstack(NULL, &got);
    printf("disabled: SS_DISABLE %s\n", (got.ss_flags & SS_DISABLE) ? "yes" : "no");
    raise(SIGUSR1);
    printf("SA_ONSTACK handler with no alternate stack: inside: %s\n", on_alt ? "yes" : "no");
    free(alt_base);
    return 0;
}
