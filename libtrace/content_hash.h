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

/* Its constants: the landmark stub (landmark_stub.c) computes the same hash
 * inside the replayed program. */
#define CONTENT_HASH_PRIME_A 0x9e3779b97f4a7c15ull
#define CONTENT_HASH_PRIME_B 0xc2b2ae3d27d4eb4full
#define CONTENT_HASH_PRIME_C 0x165667b19e3779f9ull

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
