/*
 * input_causes.h — rr-diff's default reading of two runs: what the program
 * did (its behaviour: the calls it made and their arguments, the data it
 * wrote, the signals it sent and got, how it ended) against what it was
 * handed (its inputs: syscall results, bytes the kernel wrote, rdtsc and
 * cpuid values, mappings, where other tasks ran). Two runs of one program
 * differ in inputs all the time (clocks, random bytes); that is not yet a
 * divergence. The first difference in behaviour is, and the inputs that
 * differed before it are its likely causes: first those whose differing
 * values the divergence itself carries (an argument, a register:
 * carried_values.h), then the others, nearest first. (Registers at the
 * events between tell little: a dynamic loader's rdtsc values stay in them
 * long after, while a clock's value waits on the stack.) A difference in registers alone is a
 * consequence of such an input when one differed before it in the task, and
 * the divergence itself when none did.
 *
 * `rr-diff --strict` (and --nested, where a replay gives every recorded input
 * back, so any difference is the replayer's) reports the first difference
 * of anything instead.
 */
#ifndef RRDIFF_INPUT_CAUSES_H
#define RRDIFF_INPUT_CAUSES_H

#include <stdbool.h>
#include <stdint.h>

#include "divergence.h"
#include "event_source.h"

enum difference_class {
    DIFFERENCE_BEHAVIOUR, /* what the program did */
    DIFFERENCE_INPUT,     /* what it was handed */
    DIFFERENCE_STATE,     /* registers: what it holds, which inputs change */
};
enum difference_class difference_class_of(const struct difference *diff);

enum { INPUT_CAUSES_KEPT = 32 };

/* The input differences of one task pair so far: the nearest few. */
struct input_causes {
    struct region_step items[INPUT_CAUSES_KEPT]; /* a ring */
    int seen_again[INPUT_CAUSES_KEPT];           /* differences of the divergence carrying its values */
    int head, count;
    int64_t total;
};

void input_causes_clear(struct input_causes *causes);

/* A differing pair at the same step: is it no divergence by the rule above?
 * If it differs in inputs, they are noted as causes. `ignored_inputs`: an
 * input --ignore names differed before (it explains registers too). */
bool input_causes_absorb(struct input_causes *causes, const struct source_event *a,
                         const struct source_event *b, const struct difference_list *diffs, bool ignored_inputs);

/* Hand the causes noted so far to a divergence (whose own differences may
 * carry their values too), in the order above. */
void input_causes_give(struct input_causes *causes, struct divergence *divergence);

#endif
