/*
 * trace_store.h — the SQLite trace file: create or open it, its metadata, and
 * batched transactions. Events, memory writes, mappings and blobs are written
 * and read through the functions declared in event_log.h and blob_store.h,
 * which share this handle.
 *
 * Invariant kept here: everything written between two commits reaches the file
 * together or not at all, and a commit happens at least every
 * TRACE_BATCH_EVENTS events, so a recorder killed at any moment leaves a trace
 * that opens and replays up to its last committed event.
 */
#ifndef RRDB_TRACE_STORE_H
#define RRDB_TRACE_STORE_H

#include <stdbool.h>
#include <stdint.h>

#define TRACE_FORMAT_NAME "rrdb-trace"
/* 2: syscall_info has the result and effects columns. A version-1 trace
 * (without them) is still read: see trace_syscalls.h.
 * 3: the output table (output_log.h); rr-replay replays an older trace
 * without checking what it shows against it, and says so.
 * 4: the integrity chain, the batch table and meta.seal (trace_batch.h); an
 * older trace is read without verifying it, with a warning. */
#define TRACE_FORMAT_VERSION 4
#define TRACE_FORMAT_OLDEST_READ 1
#define TRACE_BATCH_EVENTS 4096

struct trace_store;

/* Create a new trace at `path` (fails if it exists; errno is ENOSPC when
 * it failed for want of space, see trace_store_out_of_space). */
struct trace_store *trace_store_create(const char *path);
/* Remove a trace file and the -wal and -shm files SQLite may have left
 * beside it (a trace that could not be created; tests' scratch traces). */
void trace_store_remove_files(const char *path);
/* Open an existing trace read-only, checking that it is an rrdb trace of a
 * format version this build reads. */
struct trace_store *trace_store_open(const char *path);
/* The trace's format version (TRACE_FORMAT_VERSION for one being written). */
int trace_store_format_version(const struct trace_store *store);
/* Commit what is pending, seal a trace being written (trace_batch.h) and
 * close. Returns -1 if the final commit failed. */
int trace_store_close(struct trace_store *store);

/* For tests that change a trace on purpose to reach the checks behind its
 * checksums (what a reader does with a value no checksum would catch):
 * recompute the integrity chain (trace_batch.h) over the rows the trace now
 * holds, as one batch, and its seal if it had one. tests/helpers/trace_reseal.c. */
int trace_store_reseal(const char *path);

int trace_store_set_meta(struct trace_store *store, const char *key, const char *value);
/* The value for `key`, malloc'd, or NULL when absent. */
char *trace_store_get_meta(struct trace_store *store, const char *key);

/* Commit the current batch and start a new one. */
int trace_store_commit(struct trace_store *store);
/* A write to the trace failed for want of space (the disk, a quota, or
 * RLIMIT_FSIZE): what was pending is lost, the committed batches are not. */
bool trace_store_out_of_space(const struct trace_store *store);
/* Drop what the open transaction holds and start a new one (after a failed
 * write: the trace then ends at its last committed batch). */
int trace_store_discard_batch(struct trace_store *store);
/* Commit if anything is pending (from a periodic timer while the program blocks). */
int trace_store_commit_pending(struct trace_store *store);
/* Commit if the batch is large or old enough; called once per event. */
int trace_store_maybe_commit(struct trace_store *store);

/* Coarse monotonic milliseconds, the clock of event.at_ms (no rdtsc: see tool_traps.h). */
int64_t trace_store_now_ms(void);

/* For a tool that reads traces from one thread only (rr-diff): SQLite
 * without its per-call mutexes. Must precede every other trace_store call;
 * harmless if it fails. */
void trace_store_single_threaded(void);

/* Bytes in the trace file (and its write-ahead log). */
int64_t trace_store_size(struct trace_store *store);
const char *trace_store_path(struct trace_store *store);

#endif
