/*
 * cpu_traps.c — decoding and answering trapped rdtsc, rdtscp and cpuid
 * (see cpu_traps.h).
 */
#include "cpu_traps.h"

#include <errno.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>
#include <x86intrin.h>

#include "replay_protocol.h"
#include "task.h"
#include "tool_traps.h"
#include "tsc_sites.h"

enum {
    CPUID1_ECX_RDRAND = 1u << 30,
    CPUID7_EBX_HLE = 1u << 4,
    CPUID7_EBX_RTM = 1u << 11,
    CPUID7_EBX_RDSEED = 1u << 18,
};

enum trapped_insn cpu_traps_decode(struct task *task, uint64_t ip, int *length)
{
    unsigned char code[3] = {0};
    ssize_t known = task_read_mem(task, ip, code, sizeof code);
    return known < 2 ? TRAPPED_NONE : cpu_traps_decode_bytes(code, (size_t)known, length);
}

enum trapped_insn cpu_traps_decode_bytes(const unsigned char *code, size_t len, int *length)
{
    if (len < 2 || (code[0] != 0x0f && code[0] != TSC_SITE_MARK))
        return TRAPPED_NONE;
    if (code[1] == 0x31) {
        *length = RDTSC_INSN_LENGTH;
        return TRAPPED_RDTSC;
    }
    if (code[1] == 0xa2 && code[0] == 0x0f) {
        *length = CPUID_INSN_LENGTH;
        return TRAPPED_CPUID;
    }
    if (len >= 3 && code[1] == 0x01 && code[2] == 0xf9) {
        *length = RDTSCP_INSN_LENGTH;
        return TRAPPED_RDTSCP;
    }
    return TRAPPED_NONE;
}

void cpu_traps_cpuid(uint32_t leaf, uint32_t subleaf, uint32_t out[4])
{
    tool_traps_cpuid(leaf, subleaf, out);
    if (leaf == 1)
        out[2] &= ~(uint32_t)CPUID1_ECX_RDRAND;
    if (leaf == 7 && subleaf == 0)
        out[1] &= ~(uint32_t)(CPUID7_EBX_RDSEED | CPUID7_EBX_HLE | CPUID7_EBX_RTM);
}

int cpu_traps_offers_random(void)
{
    enum { EAX, EBX, ECX };
    uint32_t out[4];
    tool_traps_cpuid(1, 0, out);
    if (out[ECX] & CPUID1_ECX_RDRAND)
        return 1;
    tool_traps_cpuid(0, 0, out);
    if (out[EAX] < 7)
        return 0;
    tool_traps_cpuid(7, 0, out);
    return (out[EBX] & CPUID7_EBX_RDSEED) != 0;
}

uint32_t cpu_traps_cpuid_placement_bits(uint32_t leaf, int reg)
{
    enum { EAX, EBX, ECX, EDX };
    switch (leaf) {
    case 1: return reg == EBX ? 0xff000000u : 0;  /* initial APIC id */
    case 0xb:
    case 0x1f: return reg == EDX ? 0xffffffffu : 0; /* x2APIC id */
    case 0x8000001e: /* AMD: extended APIC id; compute unit (core) id */
        return reg == EAX ? 0xffffffffu : reg == EBX ? 0xffu : reg == ECX ? 0xffu : 0;
    default: return 0;
    }
}

uint64_t cpu_traps_rdtscp(uint32_t *aux)
{
    unsigned int tsc_aux = 0;
    uint64_t value = __rdtscp(&tsc_aux);
    *aux = tsc_aux;
    return value;
}

bool cpu_traps_rdtsc_traps(void)
{
    static int known; /* 0 not asked yet, 1 traps, -1 does not */
    if (known)
        return known > 0;
    pid_t child = fork();
    if (child == 0) {
        signal(SIGSEGV, SIG_DFL);
        if (prctl(PR_SET_TSC, PR_TSC_SIGSEGV, 0, 0, 0) == 0)
            (void)__rdtsc();
        _exit(0);
    }
    int status = 0;
    while (child > 0 && waitpid(child, &status, 0) < 0 && errno == EINTR)
        ;
    known = child > 0 && WIFSIGNALED(status) && WTERMSIG(status) == SIGSEGV ? 1 : -1;
    return known > 0;
}
