/*
 * trace_batch.h — the integrity chain of a trace (format version 4): each
 * committed transaction carries a checksum over the rows it added, chained
 * to the previous one, and the trace's end is sealed the same way, so that a
 * trace changed or cut after it was written is found out while it is read.
 *
 * Writing (trace_store.c calls these): before each commit the recorder adds
 * a `batch` row — the highest rowid each append-only table reached, and a
 * content hash over every column of the rows above the previous batch's
 * marks, table by table in rowid order, starting from the previous batch's
 * hash. Closing adds meta.seal: a hash over the last batch's hash, every
 * other meta row and the task table (the rows that change after they are
 * first written). A recorder that is killed leaves batches and no seal.
 *
 * Reading (trace_verify.h) recomputes the same hashes with the same function.
 */
#ifndef RRDB_TRACE_BATCH_H
#define RRDB_TRACE_BATCH_H

#include <stdint.h>

struct trace_store;

/* The first trace format with the batch table and meta.seal. */
#define TRACE_BATCH_FORMAT_VERSION 4

/* The append-only tables a batch covers, in the order they are hashed (the
 * batch table's columns of the same names hold their marks). */
enum { TRACE_BATCH_TABLES = 8 };
extern const char *const trace_batch_tables[TRACE_BATCH_TABLES];

/* Where a batch ends: its number, the highest rowid of each table, its
 * hash. Before the first batch, every mark is TRACE_BATCH_NO_ROW (below
 * any rowid, so that the first batch covers every row up to its marks). */
#define TRACE_BATCH_NO_ROW INT64_MIN
struct trace_batch_mark {
    int64_t id;
    int64_t high[TRACE_BATCH_TABLES];
    uint64_t hash;
};

/* The mark before the first batch. */
void trace_batch_mark_start(struct trace_batch_mark *mark);
/* The hash of the batch that goes from `previous` to next's marks (next->id
 * and next->high filled), chained to previous->hash. 0 or -1. */
int trace_batch_hash(struct trace_store *store, const struct trace_batch_mark *previous,
                     struct trace_batch_mark *next, uint64_t *hash);
/* The seal over the last batch's hash, meta (but the seal) and the task table. */
int trace_batch_seal_hash(struct trace_store *store, uint64_t last_batch_hash, uint64_t *seal);

/* Writer: add the batch row for what the open transaction added, if anything. */
int trace_batch_write(struct trace_store *store);
/* Writer: the last batch and meta.seal, in the last transaction. */
int trace_batch_write_seal(struct trace_store *store);

#endif
