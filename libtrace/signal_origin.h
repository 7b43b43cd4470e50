/*
 * signal_origin.h — where a signal came from, as far as record and replay
 * care: raised by the task's own instruction (a fault, a trap: it recurs at
 * the same place when the instruction is re-executed) or sent to it; and
 * what it does to a task that has no handler for it.
 */
#ifndef RRDB_SIGNAL_ORIGIN_H
#define RRDB_SIGNAL_ORIGIN_H

#include <signal.h>
#include <stdbool.h>

/* Raised by the task's own instruction (SIGSEGV, SIGBUS, SIGFPE, SIGILL,
 * SIGTRAP with a kernel si_code but TRAP_BRKPT, a single step's report at
 * a syscall's exit; not SIGSYS, which a seccomp filter raises). */
bool signal_from_instruction(const siginfo_t *info);

/* Its default action ends the process (terminate, or dump core): not a
 * stop signal, SIGCONT, or one ignored by default (SIGCHLD, SIGURG,
 * SIGWINCH). Real-time signals terminate. */
bool signal_kills_by_default(int signo);

#endif
