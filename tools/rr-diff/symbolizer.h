/*
 * symbolizer.h — names a code address of a recorded task for reports:
 * `libc.so.6!write+0x14`, or `prog+0x1189` (offset in the file) when no
 * symbol covers it, or nothing outside any file mapping.
 *
 * Symbols come from the trace's snapshot of the mapped file (its dynamic
 * symbols, read by libtrace/elf_symbols), and from the file on disk (.symtab:
 * static functions, the program's main) only while its mapped read-only bytes
 * still equal the snapshot, so names never come from a changed binary.
 */
#ifndef RRDIFF_SYMBOLIZER_H
#define RRDIFF_SYMBOLIZER_H

#include <stddef.h>
#include <stdint.h>

struct trace_store;
struct symbolizer;

struct symbolizer *symbolizer_new(struct trace_store *store);
void symbolizer_free(struct symbolizer *symbolizer);
/* Name `addr` of task `tid` as of event `seq` into text: 1 named, 0 when
 * no file mapping holds it, -1 on error. */
int symbolizer_name(struct symbolizer *symbolizer, int32_t tid, int64_t seq, uint64_t addr,
                    char *text, size_t size);

#endif
