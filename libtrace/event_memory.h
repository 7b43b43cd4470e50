/*
 * event_memory.h — bytes of a recorded program's memory at a given event,
 * where the trace knows them for certain: what the kernel wrote during that
 * event (a read's buffer), or what a file mapping created without write
 * permission holds (its snapshot: string constants, code). Enough to show
 * strace-like arguments (`openat(AT_FDCWD, "/dev/urandom", O_RDONLY)`)
 * without replaying; anything else stays unknown.
 */
#ifndef RRDB_EVENT_MEMORY_H
#define RRDB_EVENT_MEMORY_H

#include <stddef.h>
#include <stdint.h>

struct trace_store;
struct event_memory;

/* Kernel writes are read from `writes`, mappings from `mappings` (the same
 * store for a recording; a replay's event stream keeps no mappings, so its
 * recording's). `mappings` may be NULL. */
struct event_memory *event_memory_new(struct trace_store *writes, struct trace_store *mappings);
void event_memory_free(struct event_memory *memory);

/* Copy up to `max` bytes at `addr`, as task `tid` saw them at event `seq`,
 * into buf. Returns how many are known contiguously from addr (0: none). */
size_t event_memory_read(struct event_memory *memory, int32_t tid, int64_t seq, uint64_t addr,
                         void *buf, size_t max);

#endif
