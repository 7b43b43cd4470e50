/*
 * tool_traps.c — rdtsc and cpuid trapped in the tool itself (see tool_traps.h).
 *
 * SIGSEGV at rdtsc/rdtscp or cpuid: turn that trap off and set the trap
 * flag, so the instruction runs once; the SIGTRAP after it turns the trap
 * back on and clears the flag. Any other SIGSEGV or SIGTRAP is not ours: the
 * handler that was there before (the default, or a sanitizer's) is put back
 * and the instruction runs again to meet it.
 */
#include "tool_traps.h"

#include <asm/prctl.h>
#include <cpuid.h>
#include <signal.h>
#include <stddef.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <ucontext.h>
#include <unistd.h>

enum { EFLAGS_TRAP = 0x100 };
enum stepped_insn { STEPPED_NONE, STEPPED_RDTSC, STEPPED_CPUID };

static struct sigaction previous_segv, previous_trap;
static volatile sig_atomic_t cpuid_trapped;
static volatile sig_atomic_t stepping_over = STEPPED_NONE;

static enum stepped_insn trapped_insn_at(const unsigned char *ip)
{
    if (ip[0] != 0x0f)
        return STEPPED_NONE;
    if (ip[1] == 0x31 || (ip[1] == 0x01 && ip[2] == 0xf9))
        return STEPPED_RDTSC;
    return ip[1] == 0xa2 && cpuid_trapped ? STEPPED_CPUID : STEPPED_NONE;
}

static void set_trap(enum stepped_insn insn, bool on)
{
    if (insn == STEPPED_RDTSC)
        prctl(PR_SET_TSC, on ? PR_TSC_SIGSEGV : PR_TSC_ENABLE, 0, 0, 0);
    else
        syscall(SYS_arch_prctl, ARCH_SET_CPUID, on ? 0 : 1);
}

static void on_segv(int signo, siginfo_t *info, void *context)
{
    ucontext_t *uc = context;
    const unsigned char *ip = (const unsigned char *)uc->uc_mcontext.gregs[REG_RIP];
    enum stepped_insn insn = info->si_code == SI_KERNEL ? trapped_insn_at(ip) : STEPPED_NONE;
    if (insn != STEPPED_NONE) {
        set_trap(insn, false);
        stepping_over = insn;
        uc->uc_mcontext.gregs[REG_EFL] |= EFLAGS_TRAP;
        return;
    }
    sigaction(signo, &previous_segv, NULL);
}

static void on_trap(int signo, siginfo_t *info, void *context)
{
    ucontext_t *uc = context;
    (void)info;
    if ((uc->uc_mcontext.gregs[REG_EFL] & EFLAGS_TRAP) && stepping_over != STEPPED_NONE) {
        uc->uc_mcontext.gregs[REG_EFL] &= ~(greg_t)EFLAGS_TRAP;
        set_trap((enum stepped_insn)stepping_over, true);
        stepping_over = STEPPED_NONE;
        return;
    }
    sigaction(signo, &previous_trap, NULL);
}

int tool_traps_enable(bool cpuid)
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
    /* Without CPUID faulting (ENODEV) the tracees run cpuid natively too. */
    if (cpuid && syscall(SYS_arch_prctl, ARCH_SET_CPUID, 0) == 0)
        cpuid_trapped = 1;
    return prctl(PR_SET_TSC, PR_TSC_SIGSEGV, 0, 0, 0);
}

void tool_traps_disable(void)
{
    if (cpuid_trapped)
        set_trap(STEPPED_CPUID, false);
    set_trap(STEPPED_RDTSC, false);
}

void tool_traps_cpuid(uint32_t leaf, uint32_t subleaf, uint32_t out[4])
{
    if (cpuid_trapped)
        set_trap(STEPPED_CPUID, false);
    __cpuid_count(leaf, subleaf, out[0], out[1], out[2], out[3]);
    if (cpuid_trapped)
        set_trap(STEPPED_CPUID, true);
}
