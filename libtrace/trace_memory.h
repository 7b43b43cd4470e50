/*
 * trace_memory.h — the bytes of a recorded program's memory that the trace
 * holds *for certain* at a given event, for decoding strings and buffers in
 * every tool (rr-query's arguments, rr-diff's event lines).
 *
 * A trace does not hold the program's memory: user code writes it without
 * the recorder seeing. What it does hold, and what is therefore trusted:
 *   - what the kernel wrote during the event itself (mem_write rows of that
 *     seq: a read()'s buffer, a stat struct; where two writes of the event
 *     cover a byte, the later one);
 *   - the path strings the recorder kept at the syscall's entry (mem_read);
 *   - the contents of a private mapping (a file's, or anonymous zeros) that
 *     was read-only when it was made and has not been made writable since in
 *     the same address space (string literals in .rodata, a mapped file),
 *     from the mapping's snapshot blob; the address space is the task's
 *     process's, followed back through forks (mapping_index.h);
 *   - at an exec event only, the whole address space as the exec left it.
 * Everything else is unknown, and callers say so rather than guess.
 *
 * The decompressed blobs are cached: the same libc snapshot is read for
 * every string literal and every symbol lookup.
 */
#ifndef RRDB_TRACE_MEMORY_H
#define RRDB_TRACE_MEMORY_H

#include <stddef.h>
#include <stdint.h>

struct trace_store;
struct mapping_index;
struct trace_memory;

/* Kernel writes and kept paths are read from `events`; mappings from
 * `mappings` through `index` (its address-space index). For a recording both
 * are the same trace; a replay's event stream keeps no mappings, so they are
 * its recording's. `mappings` and `index` may be NULL (no mapping is known). */
struct trace_memory *trace_memory_new(struct trace_store *events, struct trace_store *mappings,
                                      const struct mapping_index *index);
void trace_memory_free(struct trace_memory *memory);

/* Copy the bytes known at event `seq` of task `tid`, from `addr` on (at most
 * `max`), into buf. Returns how many are known contiguously (0: none). */
size_t trace_memory_read(struct trace_memory *memory, int32_t tid, int64_t seq, uint64_t addr,
                         void *buf, size_t max);
/* The same, in the address space snapshot of exec event `exec_seq`. */
size_t trace_memory_read_at_exec(struct trace_memory *memory, int32_t tid, int64_t exec_seq,
                                 uint64_t addr, void *buf, size_t max);
/* A NUL-terminated string at addr: 1 found (copied into buf), 0 unknown. */
int trace_memory_string(struct trace_memory *memory, int32_t tid, int64_t seq, uint64_t addr,
                        char *buf, size_t size);

/* The decompressed contents of blob `id` of the events trace (an event's
 * extra blob), or of the mappings trace (a mapping's snapshot); cached, and
 * valid until the next call that may evict it, i.e. use it before asking for
 * another blob. NULL (with error_set) on error. */
const unsigned char *trace_memory_blob(struct trace_memory *memory, int64_t id, size_t *len);
const unsigned char *trace_memory_mapping_blob(struct trace_memory *memory, int64_t id, size_t *len);

#endif
