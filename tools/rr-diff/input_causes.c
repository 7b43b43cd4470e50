/*
 * input_causes.c — telling behaviour from inputs, and keeping the inputs
 * that differed as a divergence's likely causes (see input_causes.h).
 */
#include "input_causes.h"

#include <string.h>

enum difference_class difference_class_of(const struct difference *diff)
{
    switch (diff->what) {
    case DIFF_RESULT:
    case DIFF_WRITES:
    case DIFF_MEMORY:
    case DIFF_EXTRA:    /* siginfo, exec register state: what the kernel handed over */
    case DIFF_MAPPING:
    case DIFF_SCHEDULE:
        return DIFFERENCE_INPUT;
    case DIFF_REGISTER:
        return DIFFERENCE_STATE;
    case DIFF_KIND:
    case DIFF_SYSNO:
    case DIFF_ARG:
    case DIFF_SIGNAL:
    case DIFF_SIG_CODE:
    case DIFF_SYNC:
    case DIFF_IP:
    case DIFF_DATA_HASH:
    case DIFF_ENDED:
    case DIFF_TASK:
        break;
    }
    return DIFFERENCE_BEHAVIOUR;
}

void input_causes_clear(struct input_causes *causes)
{
    memset(causes, 0, sizeof *causes);
}

/* Count the differences in `diffs` that carry a noted input's values. */
static void note_carried(struct input_causes *causes, const struct difference_list *diffs)
{
    for (int i = 0; i < diffs->count; i++) {
        if (!diffs->items[i].carried)
            continue;
        for (int k = 0; k < causes->count; k++) {
            int slot = (causes->head + k) % INPUT_CAUSES_KEPT;
            if (causes->items[slot].a.seq == diffs->items[i].carried_seq)
                causes->seen_again[slot]++;
        }
    }
}

bool input_causes_absorb(struct input_causes *causes, const struct source_event *a,
                         const struct source_event *b, const struct difference_list *diffs, bool ignored_inputs)
{
    if (diffs->omitted)
        return false; /* not all seen: cannot tell */
    const struct difference *first_input = NULL;
    int inputs = 0;
    for (int i = 0; i < diffs->count; i++) {
        enum difference_class class = difference_class_of(&diffs->items[i]);
        if (class == DIFFERENCE_BEHAVIOUR)
            return false;
        if (class == DIFFERENCE_INPUT && !inputs++)
            first_input = &diffs->items[i];
    }
    if (!first_input)
        return causes->total > 0 || ignored_inputs; /* registers alone: a consequence, or the divergence */
    int index = (causes->head + causes->count) % INPUT_CAUSES_KEPT;
    if (causes->count == INPUT_CAUSES_KEPT)
        causes->head = (causes->head + 1) % INPUT_CAUSES_KEPT;
    else
        causes->count++;
    struct region_step *slot = &causes->items[index];
    causes->seen_again[index] = 0;
    memset(slot, 0, sizeof *slot);
    slot->a = a->event;
    slot->b = b->event;
    slot->first = *first_input;
    slot->differences = diffs->count;
    causes->total++;
    return true;
}

void input_causes_give(struct input_causes *causes, struct divergence *divergence)
{
    note_carried(causes, &divergence->diffs);
    divergence->cause_count = 0;
    divergence->causes_total = causes->total;
    /* two passes, nearest first: the inputs seen again, then the others */
    for (int pass = 0; pass < 2; pass++) {
        for (int k = causes->count - 1; k >= 0 && divergence->cause_count < INPUT_CAUSES_MAX; k--) {
            int slot = (causes->head + k) % INPUT_CAUSES_KEPT;
            if ((causes->seen_again[slot] > 0) == (pass == 0))
                divergence->causes[divergence->cause_count++] = causes->items[slot];
        }
    }
}
