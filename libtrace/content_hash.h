/*
 * content_hash.h — the 64-bit hash that addresses blobs by their content.
 * Not cryptographic: the blob store compares bytes before sharing a blob, so a
 * collision costs a comparison, never a wrong answer.
 *
 * The same hash can be computed over bytes that arrive in pieces (a
 * content_hash_stream): after any sequence of content_hash_add calls,
 * content_hash_value equals content_hash of all the bytes added, in order,
 * wherever the pieces were cut. rr-record and rr-replay keep one per output
 * (stdout, stderr) this way.
 */
#ifndef RRDB_CONTENT_HASH_H
#define RRDB_CONTENT_HASH_H

#include <stddef.h>
#include <stdint.h>

uint64_t content_hash(const void *data, size_t len);

struct content_hash_stream {
    uint64_t lane0, lane1;
    uint64_t total;               /* bytes added so far */
    unsigned char carry[16];      /* the last incomplete 16-byte block */
    size_t carried;
};

void content_hash_start(struct content_hash_stream *stream);
void content_hash_add(struct content_hash_stream *stream, const void *data, size_t len);
/* content_hash of everything added so far; the stream can go on. */
uint64_t content_hash_value(const struct content_hash_stream *stream);

#endif
