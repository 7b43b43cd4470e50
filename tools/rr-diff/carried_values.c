/*
 * carried_values.c — a small ring of differing input values (see
 * carried_values.h). Searched only when a register or argument differs.
 */
#include "carried_values.h"

#include <string.h>

void carried_values_clear(struct carried_values *values)
{
    memset(values, 0, sizeof *values);
}

/* Small numbers (counts, flags, file descriptors, small negatives) recur
 * everywhere; pairing them would explain away real divergences. */
static bool distinctive(uint64_t value)
{
    return value >= 0x10000 && value <= (uint64_t)-0x10000;
}

void carried_values_add(struct carried_values *values, uint64_t a, uint64_t b, int64_t seq_a,
                        const char *what, bool ignored)
{
    if (ignored && a != b)
        values->ignored_differed = true;
    if (a == b || (!distinctive(a) && !distinctive(b)) || carried_values_find(values, a, b))
        return;
    struct carried_value *slot = &values->items[values->next];
    slot->a = a;
    slot->b = b;
    slot->seq_a = seq_a;
    slot->what = what;
    slot->ignored = ignored;
    values->next = (values->next + 1) % CARRIED_MAX;
    if (values->count < CARRIED_MAX)
        values->count++;
}

bool carried_values_any_ignored(const struct carried_values *values)
{
    return values->ignored_differed;
}

const struct carried_value *carried_values_find(const struct carried_values *values, uint64_t a,
                                                uint64_t b)
{
    for (int k = 1; k <= values->count; k++) {
        const struct carried_value *item = &values->items[(values->next - k + CARRIED_MAX) % CARRIED_MAX];
        if (item->a == a && item->b == b)
            return item;
    }
    return NULL;
}
