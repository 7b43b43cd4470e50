/*
 * cpu_traps.h — the instructions whose results rrdb records although they are
 * not syscalls: rdtsc/rdtscp (trapped with PR_SET_TSC, and where that has no
 * effect by their first byte rewritten to hlt: tsc_sites.h) and cpuid
 * (trapped with CPUID faulting). The traps arrive as SIGSEGV at the
 * instruction.
 */
#ifndef RRDB_CPU_TRAPS_H
#define RRDB_CPU_TRAPS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct task;

enum trapped_insn { TRAPPED_NONE, TRAPPED_RDTSC, TRAPPED_RDTSCP, TRAPPED_CPUID };

/* Which trapped instruction is at `ip`, and its length in bytes (an rdtsc or
 * rdtscp whose first byte tsc_sites.h rewrote counts as itself). */
enum trapped_insn cpu_traps_decode(struct task *task, uint64_t ip, int *length);
/* The same for the instruction's bytes (`len` of them known: 2 tell rdtsc
 * and cpuid apart, rdtscp needs 3). */
enum trapped_insn cpu_traps_decode_bytes(const unsigned char *code, size_t len, int *length);

/* Run cpuid here for (leaf, subleaf) and hide what must not reach a recorded
 * program: rdrand and rdseed (their results are not recordable) and
 * transactional memory (aborts are nondeterministic). out = eax, ebx, ecx, edx. */
void cpu_traps_cpuid(uint32_t leaf, uint32_t subleaf, uint32_t out[4]);

/* Whether this CPU offers rdrand or rdseed: without CPUID faulting a
 * program sees them offered, and their results cannot be trapped. */
int cpu_traps_offers_random(void);

/* The bits of cpuid (leaf)'s output register `reg` (0 eax … 3 edx) that say
 * which CPU answered (APIC ids, core ids): two runs placed on different CPUs
 * see them differ and nothing else. */
uint32_t cpu_traps_cpuid_placement_bits(uint32_t leaf, int reg);

/* Whether rdtsc traps here under PR_SET_TSC (a child tries it); false under
 * hypervisors that accept PR_SET_TSC without effect (a PVM guest). */
bool cpu_traps_rdtsc_traps(void);

/* Read the time-stamp counter here; *aux gets TSC_AUX (for rdtscp). */
uint64_t cpu_traps_rdtscp(uint32_t *aux);

#endif
