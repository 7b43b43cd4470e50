/*
 * named_constants.h — the names of the constants syscall arguments take
 * (clocks, socket families and options, fcntl commands, prctl options, poll
 * bits…), from schema/constants.tsv, generated into C by the build. The
 * decoders (syscall_decode.c, syscall_decode_structs.c) ask here, so a name
 * is added by a row, not by code.
 */
#ifndef RRDB_NAMED_CONSTANTS_H
#define RRDB_NAMED_CONSTANTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct named_constant {
    const char *set;
    long long value;
    const char *name;
};

extern const struct named_constant named_constant_rows[];
extern const size_t named_constant_count;

/* The name of `value` in `set` ("clock", 0 -> "CLOCK_REALTIME"), NULL when none. */
const char *named_constant(const char *set, long long value);
/* Whether constants.tsv has a set of that name. */
bool named_constant_set_exists(const char *set);
/* Write the names of the bits of `value` from `set`, '|'-separated, leftover
 * bits in hex, "0" for none. */
void named_constant_bits(const char *set, uint64_t value, char *out, size_t size);

#endif
