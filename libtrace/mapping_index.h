/*
 * mapping_index.h — the recorded address spaces, in memory: every mapping row
 * of a trace (without its contents), the exec events that start a new
 * address space, and the mprotect calls that made memory writable. Answers
 * "what was mapped at ADDR in the process of task TID at event SEQ" for
 * trace_memory (known bytes) and the symbolizer, in every tool.
 *
 * The trace stores a row per mapping an exec or mmap made; it does not store
 * munmap. So the answer is the newest row covering ADDR in the process's own
 * address space since its last exec: right for any address the program was
 * using at SEQ (an instruction pointer, a syscall argument the kernel
 * accepted). Rows are told apart by process: a process's threads share one
 * address space; another process's mappings are never its own. A forked child
 * that has not exec'd sees its own rows since the fork, then its parent's as
 * of the fork (and so on up).
 */
#ifndef RRDB_MAPPING_INDEX_H
#define RRDB_MAPPING_INDEX_H

#include <stdbool.h>
#include <stdint.h>

struct trace_store;
struct trace_tasks;
struct trace_syscalls;

struct mapping_row {
    int64_t seq;       /* the event that made it */
    int32_t pid;       /* the process it belongs to */
    bool by_exec;      /* part of the address space an exec made (snapshot at the exec) */
    uint64_t start, end, offset;
    int prot, flags;
    char *path;        /* NULL for anonymous memory */
    int64_t blob;      /* contents when made; 0: all zero */
};

struct mapping_index;

/* Read the mapping rows, exec events and mprotects of the trace in `store`.
 * `tasks` and `syscalls` are that trace's (trace_tasks.h, trace_syscalls.h);
 * the index keeps `tasks`, which must outlive it. NULL with error_set. */
struct mapping_index *mapping_index_load(struct trace_store *store, const struct trace_tasks *tasks,
                                         const struct trace_syscalls *syscalls);
void mapping_index_free(struct mapping_index *index);

/* The mapping covering `addr` in the process of task `tid` as of event `seq`
 * (inherited ones included), or NULL. */
const struct mapping_row *mapping_index_find(const struct mapping_index *index, int32_t tid,
                                             int64_t seq, uint64_t addr);
/* The rows of file `path` in that address space as of `seq`, oldest first
 * (later rows may cover parts of earlier ones), into rows[] (at most `max`).
 * Returns the count. */
int mapping_index_object_rows(const struct mapping_index *index, int32_t tid, int64_t seq,
                              const char *path, const struct mapping_row **rows, int max);
/* Whether an mprotect in that address space after event `after` and before
 * event `before` made `addr` writable. */
bool mapping_index_made_writable(const struct mapping_index *index, int32_t tid, int64_t after,
                                 int64_t before, uint64_t addr);

#endif
