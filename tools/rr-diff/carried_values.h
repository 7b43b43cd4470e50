/*
 * carried_values.h — values that differed between A and B as inputs (a
 * syscall result, bytes the kernel wrote, an rdtsc value), remembered so that
 * when the same pair of values shows up later in a register, rr-diff can say
 * where it came from ("carries the rdtsc result of event 28") instead of
 * calling it a new divergence, or drop it when that input was --ignore'd.
 *
 * Matching is by exact value pair, so it is a heuristic: a value the program
 * computed from an input (a sum, a shifted copy) is not recognised. Only
 * values too large to coincide by chance are kept.
 */
#ifndef RRDIFF_CARRIED_VALUES_H
#define RRDIFF_CARRIED_VALUES_H

#include <stdbool.h>
#include <stdint.h>

enum { CARRIED_MAX = 256 };

struct carried_value {
    uint64_t a, b;
    int64_t seq_a;        /* the event of A it came from */
    const char *what;     /* "rdtsc result", "memory written by read", … (static) */
    bool ignored;         /* it came from an --ignore'd event */
};

struct carried_values {
    struct carried_value items[CARRIED_MAX]; /* a ring: the oldest is overwritten */
    int count, next;
    bool ignored_differed;  /* an --ignore'd input differed, remembered or not */
};

void carried_values_clear(struct carried_values *values);
/* Remember that A had `a` where B had `b` (no-op for values likely to coincide). */
void carried_values_add(struct carried_values *values, uint64_t a, uint64_t b, int64_t seq_a,
                        const char *what, bool ignored);
/* Has an --ignore'd input differed since the last clear? */
bool carried_values_any_ignored(const struct carried_values *values);
/* The most recent remembered pair (a, b), or NULL. */
const struct carried_value *carried_values_find(const struct carried_values *values, uint64_t a,
                                                uint64_t b);

#endif
