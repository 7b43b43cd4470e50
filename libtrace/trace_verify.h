/*
 * trace_verify.h — checking a trace's integrity chain (trace_batch.h) while
 * it is read. Readers of the event stream (event_log_next, task streams)
 * verify each batch before they hand out its first event, so a tool stops at
 * the first changed batch and names it; at the end, trace_verify_end checks
 * what is left (batches past the last event read, rows added after the last
 * batch, the seal) and says how the recording ended.
 *
 * Each batch is read and hashed once per trace handle, whatever order the
 * readers go in. A trace of a format version before TRACE_BATCH_FORMAT_VERSION
 * has no chain: it is read unverified (trace_verify_start says so).
 */
#ifndef RRDB_TRACE_VERIFY_H
#define RRDB_TRACE_VERIFY_H

#include <stdint.h>

struct trace_store;

enum trace_end {
    TRACE_END_COMPLETE,   /* sealed, meta.end = complete */
    TRACE_END_STOPPED,    /* sealed, the recording stopped early: meta.stop_reason says why */
    TRACE_END_CUT_SHORT,  /* no seal: the recorder was killed (its committed batches are intact) */
    TRACE_END_UNVERIFIED, /* a format without the chain: meta.end is all there is */
};

/* 0 when the trace carries the chain; 1 when it does not (an older format),
 * with a one-line warning to show in error_text(). */
int trace_verify_start(struct trace_store *store);
/* Verify every batch up to the one holding event `seq`. 0, or -1 (the
 * damaged batch named in error_text()). */
int trace_verify_through(struct trace_store *store, int64_t seq);
/* Verify everything not verified yet and the seal; *end says how the
 * recording ended. 0, or -1 when the trace is damaged. */
int trace_verify_end(struct trace_store *store, enum trace_end *end);

#endif
