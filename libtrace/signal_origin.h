/*
 * signal_origin.h — where a signal came from, as far as record and replay
 * care: raised by the task's own instruction (a fault, a trap: it recurs at
 * the same place when the instruction is re-executed) or sent to it.
 */
#ifndef RRDB_SIGNAL_ORIGIN_H
#define RRDB_SIGNAL_ORIGIN_H

#include <signal.h>
#include <stdbool.h>

/* Raised by the task's own instruction (SIGSEGV, SIGBUS, SIGFPE, SIGILL,
 * SIGTRAP with a kernel si_code; not SIGSYS, which a seccomp filter raises). */
bool signal_from_instruction(const siginfo_t *info);

#endif
