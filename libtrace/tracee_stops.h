/*
 * tracee_stops.h — what a recording of a tracer (rr-replay recorded by
 * rr-record) says about the tasks its recorded tracer traced: which tasks
 * they are, and whether one of them reached a program-level stop in a span
 * of the recording (which tells rr-diff --nested that other tasks ran while
 * a syscall was pending).
 */
#ifndef RRDB_TRACEE_STOPS_H
#define RRDB_TRACEE_STOPS_H

#include <stdint.h>

struct trace_store;
struct tracee_stops;

/* Over the recording in `store` (which must outlive it). NULL with error_set. */
struct tracee_stops *tracee_stops_new(struct trace_store *store);
void tracee_stops_free(struct tracee_stops *stops);

/* Whether task `tid` ever stopped for a recorded tracer (has a tracee_stop). 1, 0, or -1. */
int tracee_stops_is_tracee(struct tracee_stops *stops, int32_t tid);

/* Whether a traced task other than `tid` stopped at a program syscall's entry
 * (skipped, PTRACE_SYSEMU) or at a signal other than SIGSTOP, or ended,
 * strictly between events `after` and `before`: that task's program ran.
 * 1, 0, or -1. */
int tracee_stops_other_ran(struct tracee_stops *stops, int32_t tid, int64_t after, int64_t before);

#endif
