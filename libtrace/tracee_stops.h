/*
 * tracee_stops.h — what a recording of a tracer (rr-replay recorded by
 * rr-record) says about the tasks its recorded tracer traced: which tasks
 * they are, and whether one of them reached a program-level stop in a span
 * of the recording (which tells rr-diff --nested that other tasks ran while
 * a syscall was pending), and the bytes its tracer last wrote somewhere in
 * a traced task's memory (what rr-replay's rebuilt address space holds).
 */
#ifndef RRDB_TRACEE_STOPS_H
#define RRDB_TRACEE_STOPS_H

#include <stddef.h>
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

/* The `len` bytes at `addr` in the address space of task `tid` before event
 * `before`, as its tracer last wrote them (TRACER_WROTE_MEMORY: rr-replay
 * fills the mappings it rebuilds so) into buf: in the task's process since
 * its last exec, else in its parent's as of the fork (and so on up). 1 when
 * a write covered them all, 0 when none did, -1 on error. Other writes to
 * that memory (the tracee's own stores) are not seen: ask for code. */
int tracee_stops_written_bytes(struct tracee_stops *stops, int32_t tid, int64_t before, uint64_t addr,
                               void *buf, size_t len);

#endif
