/*
 * trace_memory.h — the bytes of a recorded program's memory that the trace
 * holds *for certain* at a given event, for decoding strings and buffers.
 *
 * A trace does not hold the program's memory: user code writes it without
 * the recorder seeing. What it does hold, and what is therefore trusted:
 *   - what the kernel wrote during the event itself (mem_write rows of that
 *     seq: a read()'s buffer, a stat struct);
 *   - the contents of a private mapping that was read-only when it was made
 *     and has not been made writable since (string literals in .rodata, a
 *     mapped file), from the mapping's snapshot blob;
 *   - at an exec event only, the whole address space as the exec left it.
 * Everything else is unknown, and callers say so rather than guess.
 */
#ifndef RRQ_TRACE_MEMORY_H
#define RRQ_TRACE_MEMORY_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

struct trace_db;
struct trace_memory;

struct trace_memory *trace_memory_new(struct trace_db *tdb);
void trace_memory_free(struct trace_memory *memory);

/* Copy the bytes known at event `seq` of process `pid`, from `addr` on (at
 * most `max`), into buf. Returns how many are known contiguously (0: none). */
size_t trace_memory_read(struct trace_memory *memory, int64_t seq, int32_t pid, uint64_t addr,
                         void *buf, size_t max);
/* The same, in the address space snapshot of exec event `exec_seq`. */
size_t trace_memory_read_at_exec(struct trace_memory *memory, int64_t exec_seq, int32_t pid,
                                 uint64_t addr, void *buf, size_t max);
/* A NUL-terminated string at addr: 1 found (copied into buf), 0 unknown. */
int trace_memory_string(struct trace_memory *memory, int64_t seq, int32_t pid, uint64_t addr,
                        char *buf, size_t size);

/* The decompressed contents of blob `id` (cached; valid until the next call
 * that may evict it, i.e. use it before asking for another blob). NULL on error. */
const unsigned char *trace_memory_blob(struct trace_memory *memory, int64_t id, size_t *len);

#endif
