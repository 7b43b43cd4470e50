/*
 * tool_tsc.h — run the tool itself with rdtsc trapped, like its tracees.
 *
 * A task with PR_SET_TSC(PR_TSC_SIGSEGV) has CR4.TSD set while it runs, and
 * the kernel rewrites CR4 on every switch between a task that traps rdtsc and
 * one that does not. Under a hypervisor a CR4 write is a VM exit, and the
 * recorder switches to and from its tracee at every ptrace stop: trapping
 * rdtsc in the tool as well removes that cost (measured here: about 2x on a
 * syscall-heavy program). The tool's own rare rdtsc (the vDSO's clocks, the
 * recorder answering a trapped rdtsc) still works: a SIGSEGV handler lets the
 * instruction run once with the trap off, single-stepping over it.
 */
#ifndef RRDB_TOOL_TSC_H
#define RRDB_TOOL_TSC_H

/* Returns 0, or -1 (the tool then simply runs without the trap). */
int tool_tsc_trap_enable(void);

#endif
