/*
 * divergence.c — building and copying the divergence records the aligner
 * hands to the reports (see divergence.h).
 */
#include "divergence.h"

#include <stdlib.h>
#include <string.h>

#include "array_grow.h"
#include "error.h"

enum { DIFFERENCES_MAX = 64 };

struct difference *difference_add(struct difference_list *list, enum difference_what what)
{
    if (list->count == list->capacity) {
        if (list->capacity >= DIFFERENCES_MAX) {
            list->omitted++;
            return NULL;
        }
        struct difference *grown = array_grow(list->items, &list->capacity, list->count + 1, sizeof *grown, 8);
        if (!grown) {
            list->omitted++;
            return NULL;
        }
        list->items = grown;
    }
    struct difference *item = &list->items[list->count++];
    memset(item, 0, sizeof *item);
    item->what = what;
    return item;
}

void difference_list_free(struct difference_list *list)
{
    free(list->items);
    memset(list, 0, sizeof *list);
}

static struct trace_event *copy_events(const struct trace_event *from, int count)
{
    if (count == 0)
        return NULL;
    struct trace_event *copy = malloc((size_t)count * sizeof *copy);
    if (copy)
        memcpy(copy, from, (size_t)count * sizeof *copy);
    return copy;
}

int divergence_copy(struct divergence *to, const struct divergence *from)
{
    *to = *from;
    to->diffs.items = NULL;
    to->diffs.capacity = to->diffs.count;
    if (from->diffs.count) {
        to->diffs.items = malloc((size_t)from->diffs.count * sizeof *to->diffs.items);
        if (to->diffs.items)
            memcpy(to->diffs.items, from->diffs.items, (size_t)from->diffs.count * sizeof *to->diffs.items);
    }
    to->context_a = copy_events(from->context_a, from->context_count);
    to->context_b = copy_events(from->context_b, from->context_count);
    if ((from->diffs.count && !to->diffs.items) ||
        (from->context_count && (!to->context_a || !to->context_b))) {
        divergence_free(to);
        error_set("out of memory");
        return -1;
    }
    return 0;
}

void divergence_free(struct divergence *divergence)
{
    difference_list_free(&divergence->diffs);
    free(divergence->context_a);
    free(divergence->context_b);
    memset(divergence, 0, sizeof *divergence);
}
