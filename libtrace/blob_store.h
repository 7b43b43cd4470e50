/*
 * blob_store.h — content-addressed, lz4-compressed byte strings in a trace.
 * Identical contents (the same libc mapped by every run, the same zero page
 * read a million times) are stored once and shared by id.
 */
#ifndef RRDB_BLOB_STORE_H
#define RRDB_BLOB_STORE_H

#include <stddef.h>
#include <stdint.h>

struct trace_store;

/* Store `len` bytes; returns the blob id (>0), or -1 on failure. */
int64_t blob_store_put(struct trace_store *store, const void *data, size_t len);
/* Read blob `id` into a malloc'd buffer. Returns 0, or -1 on failure. */
int blob_store_get(struct trace_store *store, int64_t id, void **data, size_t *len);

#endif
