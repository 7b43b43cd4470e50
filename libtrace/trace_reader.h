/*
 * trace_reader.h — one trace's reading layer, shared by rr-query and rr-diff:
 * its own syscall table, its task table, the address-space index, the
 * known-memory reader (with its blob cache), the symbolizer and what each exec
 * ran, each built on first use over the trace store. Tools ask these questions here and nowhere
 * else, so two tools never answer one event differently.
 *
 * A replay's event stream (`rr-replay --events`) keeps no mappings: its
 * reader is given the recording it replayed for those, or none (then no
 * mapping is known: no constant strings, no symbols).
 */
#ifndef RRDB_TRACE_READER_H
#define RRDB_TRACE_READER_H

#include "symbolizer.h"

struct trace_store;
struct trace_syscalls;
struct trace_tasks;
struct mapping_index;
struct trace_memory;
struct exec_info;
struct trace_reader;

/* Over `events` (the trace read), with mappings from `mappings` (the same
 * store for a recording, its recording for a replay stream, or NULL). The
 * stores stay the caller's and must outlive the reader. `note`: see
 * symbolizer.h (may be NULL). NULL with error_set on failure. */
struct trace_reader *trace_reader_new(struct trace_store *events, struct trace_store *mappings,
                                      symbolizer_note_fn *note);
void trace_reader_free(struct trace_reader *reader);

/* Each NULL with error_set when it cannot be built; the index, the
 * symbolizer and the exec information also when the reader has no mappings. The memory reader then
 * knows the kernel's writes only. */
const struct trace_syscalls *trace_reader_syscalls(struct trace_reader *reader);
const struct trace_tasks *trace_reader_tasks(struct trace_reader *reader);
const struct mapping_index *trace_reader_index(struct trace_reader *reader);
struct trace_memory *trace_reader_memory(struct trace_reader *reader);
struct symbolizer *trace_reader_symbolizer(struct trace_reader *reader);
struct exec_info *trace_reader_exec_info(struct trace_reader *reader);

#endif
