/*
 * blob_check.h — making sure a trace's memory writes hold the bytes their
 * content hash names. rr-diff compares writes by hash (blob_store.h: equal
 * hashes, equal bytes), so a blob whose bytes were damaged would otherwise
 * compare equal in silence. Each blob is checked once: blobs are shared by
 * content, so a long trace has far fewer blobs than writes.
 */
#ifndef RRDIFF_BLOB_CHECK_H
#define RRDIFF_BLOB_CHECK_H

#include <stdint.h>

struct trace_store;
struct blob_check;

struct blob_check *blob_check_new(struct trace_store *store);
void blob_check_free(struct blob_check *check);
/* 0 when blob `id` decompresses to bytes whose content hash is `hash`; -1
 * (error_text() names the trace and the blob) when it is missing or damaged. */
int blob_check_verify(struct blob_check *check, int64_t id, uint64_t hash);

#endif
