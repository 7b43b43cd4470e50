/*
 * mapping_index.h — the recorded address spaces, in memory: every mapping row
 * of the trace (without its contents), the exec events that start a new
 * address space, and the mprotect calls that made memory writable. Answers
 * "what was mapped at ADDR in process PID at event SEQ" for the symbolizer and
 * for trace_memory.
 *
 * The trace stores a row per mapping an exec, mmap, mremap or brk made; it
 * does not store munmap. So the answer is the newest row covering ADDR since
 * the process's last exec: right for any address the program was using at SEQ
 * (an instruction pointer, a syscall argument the kernel accepted). A forked
 * child that has not exec'd sees its parent's mappings as of the fork.
 */
#ifndef RRQ_MAPPING_INDEX_H
#define RRQ_MAPPING_INDEX_H

#include <stdbool.h>
#include <stdint.h>

struct trace_db;

struct mapping_row {
    int64_t seq;       /* the event that made it */
    int32_t pid;
    bool by_exec;      /* part of the address space an exec made (snapshot at the exec) */
    uint64_t start, end, offset;
    int prot, flags;
    char *path;        /* NULL for anonymous memory */
    int64_t blob;      /* contents when made; 0: all zero */
};

struct mapping_index;

/* Read the mapping rows, exec events and mprotects of the trace. */
struct mapping_index *mapping_index_load(struct trace_db *tdb);
void mapping_index_free(struct mapping_index *index);

/* The seq of process `pid`'s last exec at or before `seq`, or -1. */
int64_t mapping_index_exec_seq(const struct mapping_index *index, int32_t pid, int64_t seq);
/* The mapping covering `addr` in `pid` as of `seq` (inherited ones included),
 * or NULL. */
const struct mapping_row *mapping_index_find(const struct mapping_index *index, int32_t pid,
                                             int64_t seq, uint64_t addr);
/* The rows of file `path` in `pid`'s address space as of `seq`, oldest first
 * (later rows may cover parts of earlier ones), into rows[] (at most `max`).
 * Returns the count. */
int mapping_index_object_rows(const struct mapping_index *index, int32_t pid, int64_t seq,
                              const char *path, const struct mapping_row **rows, int max);
/* Whether an mprotect in `pid` after event `after` and before event `before`
 * made `addr` writable. */
bool mapping_index_made_writable(const struct mapping_index *index, int32_t pid, int64_t after,
                                 int64_t before, uint64_t addr);

#endif
