/*
 * cpu_traps_own.c — a program that traps rdtsc for itself (PR_SET_TSC
 * PR_TSC_SIGSEGV, as rr-record and rr-replay do) and, where the machine has
 * CPUID faulting, cpuid too (ARCH_SET_CPUID 0). Its own SIGSEGV handler sees
 * exactly the traps it asked for: with only rdtsc trapped, cpuid must still
 * run (answered by the recorder, not turned into the program's SIGSEGV);
 * after ARCH_SET_CPUID 0, cpuid must reach the handler. Found by recording
 * rr-record on a machine with CPUID faulting: the recorded recorder was
 * killed by a SIGSEGV at its own cpuid. Where PR_SET_TSC has no effect (a
 * PVM guest) nothing traps, recorded or not, and it says so.
 */
#define _GNU_SOURCE
#include <asm/prctl.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <ucontext.h>
#include <unistd.h>

static volatile int rdtsc_traps, cpuid_traps;

static void on_segv(int signo, siginfo_t *info, void *context)
{
    (void)signo;
    ucontext_t *uc = context;
    const unsigned char *ip = (const unsigned char *)uc->uc_mcontext.gregs[REG_RIP];
    if (info->si_code != SI_KERNEL || ip[0] != 0x0f)
        _exit(99);
    if (ip[1] == 0x31)
        rdtsc_traps++;
    else if (ip[1] == 0xa2)
        cpuid_traps++;
    else
        _exit(98);
    uc->uc_mcontext.gregs[REG_RIP] += 2; /* skip the instruction */
}

static unsigned cpuid_vendor_ebx(void)
{
    unsigned a = 0, b = 0, c = 0, d = 0;
    __asm__ volatile("cpuid" : "+a"(a), "=b"(b), "+c"(c), "=d"(d));
    return b;
}

static void rdtsc(void)
{
    unsigned lo, hi;
    __asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
}

int main(void)
{
    struct sigaction sa = {.sa_sigaction = on_segv, .sa_flags = SA_SIGINFO};
    sigaction(SIGSEGV, &sa, NULL);
    if (prctl(PR_SET_TSC, PR_TSC_SIGSEGV, 0, 0, 0) != 0) {
        perror("PR_SET_TSC");
        return 1;
    }
    rdtsc();
    if (rdtsc_traps == 0) {
        /* As under a PVM hypervisor: PR_SET_TSC is accepted and has no
         * effect. (rr-record then makes rdtsc trap by rewriting it, and
         * must not show the program a trap the machine would not make.) */
        printf("rdtsc not trapped: PR_SET_TSC has no effect on this machine\n");
        return 0;
    }
    unsigned vendor = cpuid_vendor_ebx();
    printf("rdtsc trapped: %d traps; cpuid ran: %s; cpuid traps: %d\n", rdtsc_traps,
           vendor != 0 ? "yes" : "no", cpuid_traps);
    if (rdtsc_traps != 1 || vendor == 0 || cpuid_traps != 0)
        return 2; /* not what the kernel does */

    long set = syscall(SYS_arch_prctl, ARCH_SET_CPUID, 0);
    if (set != 0) {
        printf("ARCH_SET_CPUID: %s\n", strerror(errno));
        return 0;
    }
    long disabled = syscall(SYS_arch_prctl, ARCH_GET_CPUID, 0);
    cpuid_vendor_ebx();
    int traps_disabled = cpuid_traps;
    syscall(SYS_arch_prctl, ARCH_SET_CPUID, 1);
    long enabled = syscall(SYS_arch_prctl, ARCH_GET_CPUID, 0);
    vendor = cpuid_vendor_ebx();
    printf("ARCH_GET_CPUID: %ld disabled, %ld enabled; cpuid traps: %d disabled, %d after; ran again: %s\n",
           disabled, enabled, traps_disabled, cpuid_traps, vendor != 0 ? "yes" : "no");
    return disabled == 0 && enabled == 1 && traps_disabled == 1 && cpuid_traps == 1 && vendor != 0 ? 0 : 3;
}
