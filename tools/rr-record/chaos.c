/*
 * chaos.c — chaos recording. A recording normally runs one task at a time in
 * a fair order: the task whose stop is oldest runs next, and a task running
 * user code gives way only after a whole 50 ms tick without an event. Races
 * that need a task to be interrupted at an unlucky instruction then almost
 * never happen while recording. With `rr-record --chaos[=SEED]`:
 *   - each task has a random priority, drawn again at every tick for every
 *     task, and the ready task with the highest priority runs (a task that
 *     spins waiting for a lower one is therefore held up only until the next
 *     draw);
 *   - the timer ticks at random intervals, from 0.1 ms to 20 ms, and the
 *     running task is interrupted at every tick when another task is ready;
 *   - an interrupted task is moved on by 1 to 8 single steps and recorded
 *     there, in the middle of a basic block where replay can find that
 *     point again (preemption.c), rather than stepped on to the next
 *     block's start.
 * Every choice comes from one generator seeded with SEED (random when not
 * given), which the trace keeps in meta.chaos_seed. Replay needs none of it:
 * the trace records the schedule that happened, as for any recording.
 */
#include "chaos.h"

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <sys/random.h>

#include "error.h"

enum {
    SHORTEST_TICK_US = 100,
    LONGEST_TICK_US = 20000,
};

int chaos_start(struct chaos *chaos, const char *seed_text)
{
    uint64_t seed;
    if (seed_text) {
        char *end;
        errno = 0;
        unsigned long long value = strtoull(seed_text, &end, 0);
        if (errno || end == seed_text || *end || seed_text[0] == '-') {
            error_set("--chaos: seed '%s' is not a number", seed_text);
            return -1;
        }
        seed = value;
    } else if (getrandom(&seed, sizeof seed, 0) != (ssize_t)sizeof seed) {
        error_set_errno("--chaos: cannot draw a seed");
        return -1;
    }
    chaos->on = true;
    chaos->seed = seed;
    chaos->state = seed;
    return 0;
}

/* splitmix64: every seed, 0 included, gives a full-period sequence. */
uint64_t chaos_next(struct chaos *chaos)
{
    uint64_t z = (chaos->state += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

uint32_t chaos_priority(struct chaos *chaos)
{
    return (uint32_t)(chaos_next(chaos) >> 32);
}

long chaos_tick_us(struct chaos *chaos)
{
    /* A doubling of the shortest tick drawn uniformly (0 to 7 times), then a
     * point within that octave: about log-uniform, without libm. */
    uint64_t draw = chaos_next(chaos);
    long octave = (long)SHORTEST_TICK_US << (draw % 8);
    long tick = octave + (long)((draw >> 8) % (uint64_t)octave);
    return tick < LONGEST_TICK_US ? tick : LONGEST_TICK_US;
}
