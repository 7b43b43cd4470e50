/*
 * symbolizer.h — names a code address of a recorded process:
 * `libc.so.6!write+0x14`, or `prog+0x1189` (the object's own address, what
 * addr2line -e prog takes) when no symbol covers it, or plain hex outside
 * any file mapping.
 *
 * Replay-independence first: symbols are read from the trace's snapshot of the
 * mapped file (its dynamic symbol table). The full .symtab (static functions,
 * the program's own main) is usually outside the mapped bytes, so the file on
 * disk at the mapping's path is used as well — but only when it still exists
 * and its mapped read-only bytes equal the snapshot; otherwise a note on stderr
 * says that file's names come from the trace alone.
 */
#ifndef RRQ_SYMBOLIZER_H
#define RRQ_SYMBOLIZER_H

#include <stddef.h>
#include <stdint.h>

struct trace_db;
struct symbolizer;

struct symbolizer *symbolizer_new(struct trace_db *tdb);
void symbolizer_free(struct symbolizer *symbolizer);

/* Write the name of `addr` in process `pid` as of event `seq` into out. */
void symbolizer_name(struct symbolizer *symbolizer, int64_t seq, int32_t pid, uint64_t addr,
                     char *out, size_t size);

#endif
