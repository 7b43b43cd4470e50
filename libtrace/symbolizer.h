/*
 * symbolizer.h — names a code address of a recorded task for every tool:
 * `libc.so.6!write+0x14`, or `prog+0x1189` (the object's own address, what
 * addr2line -e prog takes) when no symbol covers it, or plain hex outside
 * any file mapping. The mapping is the one the task's own process had at the
 * event (mapping_index.h).
 *
 * Replay-independence first: symbols are read from the trace's snapshot of the
 * mapped file (its dynamic symbol table). The full .symtab (static functions,
 * the program's own main) is usually outside the mapped bytes, so the file on
 * disk at the mapping's path is used as well — but only when it still exists
 * and its mapped read-only bytes equal the snapshot; otherwise the tool's
 * note callback is told, once per object, that its names come from the trace
 * alone.
 */
#ifndef RRDB_SYMBOLIZER_H
#define RRDB_SYMBOLIZER_H

#include <stddef.h>
#include <stdint.h>

struct mapping_index;
struct trace_memory;
struct symbolizer;

/* Called once per object whose names come from the trace only: `why` is
 * "no longer exists" or "changed since the recording". */
typedef void symbolizer_note_fn(const char *path, const char *why);

/* Over an address-space index and the known-memory reader of the same trace
 * (whose mapping blobs hold the objects' pieces); both must outlive it.
 * `note` may be NULL. */
struct symbolizer *symbolizer_new(const struct mapping_index *index, struct trace_memory *memory,
                                  symbolizer_note_fn *note);
void symbolizer_free(struct symbolizer *symbolizer);

/* Write the name of `addr` in the address space of task `tid` as of event
 * `seq` into out. Returns 1 when a file mapping holds it, 0 when none does
 * (out: the address in hex). */
int symbolizer_name(struct symbolizer *symbolizer, int32_t tid, int64_t seq, uint64_t addr,
                    char *out, size_t size);

#endif
