/*
 * content_hash.c — a fast 64-bit hash over 8-byte words: each word is mixed by
 * a 64x64->128 multiplication folded back to 64 bits, and the running state is
 * combined with the length at the end so that zero-padded inputs differ.
 * content_hash is a stream over one piece (see content_hash.h).
 */
#include "content_hash.h"

#include <assert.h>
#include <string.h>

static const uint64_t prime_a = CONTENT_HASH_PRIME_A;
static const uint64_t prime_b = CONTENT_HASH_PRIME_B;
static const uint64_t prime_c = CONTENT_HASH_PRIME_C;

static uint64_t fold_multiply(uint64_t a, uint64_t b)
{
    unsigned __int128 product = (unsigned __int128)a * b;
    return (uint64_t)product ^ (uint64_t)(product >> 64);
}

/* Mix one complete 16-byte block into the two lanes. */
static void mix_block(struct content_hash_stream *stream, const unsigned char *block)
{
    uint64_t w0, w1;
    memcpy(&w0, block, 8);
    memcpy(&w1, block + 8, 8);
    /* Two independent lanes keep the multiplier busy. */
    stream->lane0 = fold_multiply(stream->lane0 ^ w0, prime_c) + prime_a;
    stream->lane1 = fold_multiply(stream->lane1 ^ w1, prime_c) + prime_b;
}

void content_hash_start(struct content_hash_stream *stream)
{
    memset(stream, 0, sizeof *stream);
    stream->lane0 = prime_a;
    stream->lane1 = prime_b;
}

void content_hash_add(struct content_hash_stream *stream, const void *data, size_t len)
{
    const unsigned char *p = data;
    size_t i = 0;
    if (len == 0)
        return; /* data may be NULL */
    stream->total += len;
    if (stream->carried > 0) {
        size_t take = sizeof stream->carry - stream->carried;
        if (take > len)
            take = len;
        memcpy(stream->carry + stream->carried, p, take);
        stream->carried += take;
        i = take;
        if (stream->carried < sizeof stream->carry)
            return;
        mix_block(stream, stream->carry);
        stream->carried = 0;
    }
    for (; i + 16 <= len; i += 16)
        mix_block(stream, p + i);
    memcpy(stream->carry, p + i, len - i);
    stream->carried = len - i;
    assert(stream->carried < sizeof stream->carry);
}

uint64_t content_hash_value(const struct content_hash_stream *stream)
{
    /* The last, incomplete block (perhaps empty) is mixed zero-padded. */
    uint64_t tail[2] = {0, 0};
    memcpy(tail, stream->carry, stream->carried);
    uint64_t lane0 = fold_multiply(stream->lane0 ^ tail[0], prime_c);
    uint64_t lane1 = fold_multiply(stream->lane1 ^ tail[1], prime_c);
    return fold_multiply(lane0 ^ (lane1 + stream->total), prime_a) ^ lane1;
}

uint64_t content_hash(const void *data, size_t len)
{
    struct content_hash_stream stream;
    content_hash_start(&stream);
    content_hash_add(&stream, data, len);
    return content_hash_value(&stream);
}
