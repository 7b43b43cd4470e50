/*
 * tool_traps.h — run the tool itself with rdtsc (and cpuid) trapped, like its
 * tracees.
 *
 * A task with PR_SET_TSC(PR_TSC_SIGSEGV) has CR4.TSD set while it runs, and
 * the kernel rewrites CR4 on every switch between a task that traps rdtsc and
 * one that does not; CPUID faulting (ARCH_SET_CPUID 0) is likewise a per-task
 * MSR rewritten on every such switch. Under a hypervisor a CR4 or MSR write is
 * a VM exit, and the recorder switches to and from its tracee at every ptrace
 * stop: trapping both in the tool as well removes that cost (measured here:
 * about 2x for rdtsc, 4x for cpuid on a syscall-heavy program). The tool's
 * own rare rdtsc (the vDSO's clocks, the recorder answering a trapped rdtsc)
 * and cpuid (a library's) still work: a SIGSEGV handler lets the instruction
 * run once with the trap off, single-stepping over it. The tool's cpuid
 * calls of its own go through tool_traps_cpuid, which turns the trap off
 * around the instruction without a signal.
 */
#ifndef RRDB_TOOL_TRAPS_H
#define RRDB_TOOL_TRAPS_H

#include <stdbool.h>
#include <stdint.h>

/* Trap rdtsc in the calling thread, and cpuid too when `cpuid` (the tool's
 * tracees have CPUID faulting) and the CPU offers CPUID faulting. Returns 0,
 * or -1 when the rdtsc trap could not be set (the tool then simply runs
 * without it). */
int tool_traps_enable(bool cpuid);

/* Undo tool_traps_enable's traps in the calling thread: a child of the tool
 * about to run another program (the rdtsc trap would survive its exec). */
void tool_traps_disable(void);

/* cpuid (leaf, subleaf) run here, whether or not the tool traps it.
 * out = eax, ebx, ecx, edx. */
void tool_traps_cpuid(uint32_t leaf, uint32_t subleaf, uint32_t out[4]);

#endif
