/*
 * content_hash.h — the 64-bit hash that addresses blobs by their content.
 * Not cryptographic: the blob store compares bytes before sharing a blob, so a
 * collision costs a comparison, never a wrong answer.
 */
#ifndef RRDB_CONTENT_HASH_H
#define RRDB_CONTENT_HASH_H

#include <stddef.h>
#include <stdint.h>

uint64_t content_hash(const void *data, size_t len);

#endif
