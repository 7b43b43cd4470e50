/*
 * initial_stack.h — the argv/envp/auxv block execve puts on a new stack.
 */
#ifndef RRDB_INITIAL_STACK_H
#define RRDB_INITIAL_STACK_H

#include <stdint.h>

struct task;

/* Hide the vDSO from the program: at the exec stop (rsp = the initial stack),
 * turn the AT_SYSINFO_EHDR auxv entry into AT_IGNORE, so that libc makes real
 * clock_gettime/gettimeofday/time/getcpu syscalls, which rrdb records. */
int initial_stack_hide_vdso(struct task *task, uint64_t stack_pointer);

#endif
