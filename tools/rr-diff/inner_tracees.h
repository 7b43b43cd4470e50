/*
 * inner_tracees.h — what a recording of a tracer (rr-replay recorded by
 * rr-record) says about the tasks its recorded tracer traced, read straight
 * from the trace's tables: which tasks they are, and whether one of them
 * reached a program-level stop in a span of the recording (which tells the
 * nested event source that other tasks ran while a syscall was pending).
 */
#ifndef RRDIFF_INNER_TRACEES_H
#define RRDIFF_INNER_TRACEES_H

#include <stdbool.h>
#include <stdint.h>

struct inner_tracees;

/* Open the recording at PATH read-only. NULL with error_text() on failure. */
struct inner_tracees *inner_tracees_open(const char *path);
void inner_tracees_close(struct inner_tracees *tracees);

/* Whether task `tid` ever stopped for a recorded tracer (has a tracee_stop). 1, 0, or -1. */
int inner_tracees_is_tracee(struct inner_tracees *tracees, int32_t tid);

/* Whether a traced task other than `tid` stopped at a program syscall's entry
 * (skipped, PTRACE_SYSEMU) or at a signal other than SIGSTOP, or ended,
 * strictly between events `after` and `before`: that task's program ran.
 * 1, 0, or -1. */
int inner_tracees_other_ran(struct inner_tracees *tracees, int32_t tid, int64_t after, int64_t before);

#endif
