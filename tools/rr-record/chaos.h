/* chaos.h — chaos recording (rr-record --chaos): seeded random scheduling
 * decisions that make rare interleavings likely (chaos.c). */
#ifndef RRDB_CHAOS_H
#define RRDB_CHAOS_H

#include <stdbool.h>
#include <stdint.h>

struct chaos {
    bool on;
    uint64_t seed;    /* stored in the trace's meta as chaos_seed */
    uint64_t state;   /* the generator's state, starting from seed */
};

/* Parse --chaos's optional SEED (decimal or 0x hex); NULL picks a random
 * one. -1 with the error set for a bad value. */
int chaos_start(struct chaos *chaos, const char *seed_text);

/* The next number of the seeded sequence. */
uint64_t chaos_next(struct chaos *chaos);

/* A task's scheduling priority: higher runs first. */
uint32_t chaos_priority(struct chaos *chaos);

/* How long until the next tick, in microseconds: about log-uniform between
 * a tenth of a millisecond and 20 ms, so that some tasks are interrupted
 * after a few thousand instructions and others run long. */
long chaos_tick_us(struct chaos *chaos);

#endif
