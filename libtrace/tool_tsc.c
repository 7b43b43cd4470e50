/*
 * tool_tsc.c — rdtsc trapped in the tool itself (see tool_tsc.h).
 *
 * SIGSEGV at rdtsc/rdtscp: turn the trap off and set the trap flag, so the
 * instruction runs once; the SIGTRAP after it turns the trap back on and
 * clears the flag. Any other SIGSEGV or SIGTRAP is not ours: the handler
 * that was there before (the default, or a sanitizer's) is put back and the
 * instruction runs again to meet it.
 */
#include "tool_tsc.h"

#include <signal.h>
#include <stddef.h>
#include <string.h>
#include <sys/prctl.h>
#include <ucontext.h>

enum { EFLAGS_TRAP = 0x100 };

static struct sigaction previous_segv, previous_trap;

static int is_rdtsc(const unsigned char *ip)
{
    return ip[0] == 0x0f && (ip[1] == 0x31 || (ip[1] == 0x01 && ip[2] == 0xf9));
}

static void on_segv(int signo, siginfo_t *info, void *context)
{
    ucontext_t *uc = context;
    const unsigned char *ip = (const unsigned char *)uc->uc_mcontext.gregs[REG_RIP];
    if (info->si_code == SI_KERNEL && is_rdtsc(ip)) {
        prctl(PR_SET_TSC, PR_TSC_ENABLE, 0, 0, 0);
        uc->uc_mcontext.gregs[REG_EFL] |= EFLAGS_TRAP;
        return;
    }
    sigaction(signo, &previous_segv, NULL);
}

static void on_trap(int signo, siginfo_t *info, void *context)
{
    ucontext_t *uc = context;
    (void)info;
    if (uc->uc_mcontext.gregs[REG_EFL] & EFLAGS_TRAP) {
        uc->uc_mcontext.gregs[REG_EFL] &= ~(greg_t)EFLAGS_TRAP;
        prctl(PR_SET_TSC, PR_TSC_SIGSEGV, 0, 0, 0);
        return;
    }
    sigaction(signo, &previous_trap, NULL);
}

int tool_tsc_trap_enable(void)
{
    struct sigaction segv, trap;
    memset(&segv, 0, sizeof segv);
    memset(&trap, 0, sizeof trap);
    segv.sa_sigaction = on_segv;
    segv.sa_flags = SA_SIGINFO | SA_NODEFER;
    trap.sa_sigaction = on_trap;
    trap.sa_flags = SA_SIGINFO;
    if (sigaction(SIGSEGV, &segv, &previous_segv) < 0 || sigaction(SIGTRAP, &trap, &previous_trap) < 0)
        return -1;
    return prctl(PR_SET_TSC, PR_TSC_SIGSEGV, 0, 0, 0);
}
