/*
 * fuzz_regs.c — libFuzzer target for the register codec (libtrace/regs_codec.c).
 *
 * The first 216 bytes of the input are a baseline register set, the rest a
 * trace's `regs` column as a changed trace may hold it. regs_decode must
 * either refuse it or decode it; what it decodes must encode back to the same
 * bytes (the codec is exact), and encoding any register set against any
 * baseline must decode back to that register set.
 */
#include <assert.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "regs_codec.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct user_regs_struct baseline = {0}, decoded, other = {0};
    size_t take = size < sizeof baseline ? size : sizeof baseline;
    memcpy(&baseline, data, take);
    const uint8_t *column = data + take;
    size_t column_len = size - take;

    if (regs_decode(&baseline, column, column_len, &decoded) == 0) {
        unsigned char encoded[REGS_ENCODED_MAX];
        size_t len = regs_encode(&baseline, &decoded, encoded);
        /* The same registers, though a register written equal to the
         * baseline is dropped from the mask: decode again to compare. */
        struct user_regs_struct again;
        assert(regs_decode(&baseline, encoded, len, &again) == 0);
        assert(memcmp(&again, &decoded, sizeof again) == 0);
        assert(len <= column_len);
    }

    /* Round trip: the input's bytes as a register set, against the baseline. */
    memcpy(&other, column, column_len < sizeof other ? column_len : sizeof other);
    unsigned char encoded[REGS_ENCODED_MAX];
    size_t len = regs_encode(&baseline, &other, encoded);
    assert(len <= sizeof encoded);
    assert(regs_decode(&baseline, encoded, len, &decoded) == 0);
    assert(memcmp(&decoded, &other, sizeof other) == 0);
    for (size_t i = 0; i <= REGS_COUNT; i++)
        (void)regs_name(i), (void)regs_get(&other, i);
    return 0;
}
