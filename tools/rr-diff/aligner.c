/*
 * aligner.c — aligning two executions (see aligner.h).
 *
 * Each matched task pair is walked with one event window per side, in each
 * task's own event order, so the memory used is bounded by the look-ahead
 * and the context, never by the length of the traces.
 *
 * Within a pair: while both sides agree, events go into the context ring.
 * When they differ, a region opens. If the two events are the same step of
 * the program (same kind, syscall and arguments) and only values differ, the
 * sides stay in step and the region extends over the following differing
 * pairs. If they are different steps, the sides have parted: the aligner
 * looks up to resync_window events ahead on each side for the nearest pair of
 * positions (i, j) where both show the same step twice in a row, skips to it,
 * and carries on; with none in reach the rest of the task is skipped. A
 * region closes at the first pair that agrees again.
 *
 * Unless strict, a differing pair at the same step whose differences are
 * only in inputs (or registers after such an input) is no divergence: its
 * inputs are kept as the likely causes of the next one (input_causes.h).
 *
 * Without --all only the first divergence is wanted: each pair stops at its
 * first, and pairs stop early once past the earliest divergence found so far
 * (in A's event order); that earliest one is reported.
 */
#include "aligner.h"

#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "event_compare.h"
#include "event_window.h"
#include "input_causes.h"
#include "progress_line.h"

struct aligner {
    struct event_source *a, *b;
    const struct task_matching *tasks;
    const struct align_options *options;
    divergence_sink *sink;
    void *sink_context;
    struct align_totals *totals;

    struct event_window wa, wb;
    struct compare_context compare;
    struct difference_list scratch;      /* differences of the pair at hand */
    struct input_causes causes;          /* this task pair's differing inputs so far */

    /* matched pairs before the current point: a ring of options->context */
    struct trace_event *ring_a, *ring_b;
    int ring_head, ring_count;
    struct trace_event *context_a, *context_b; /* the ring unrolled, oldest first */

    struct divergence region;            /* the region being built */
    bool in_region;
    int64_t region_taken_a, region_taken_b;

    struct divergence best;              /* first-divergence mode: the earliest so far */
    bool have_best;
};

/* Events are keyed by A's seq, or B's when the task exists in B only. */
static int64_t divergence_position(const struct divergence *divergence)
{
    return divergence->has_a ? divergence->event_a.seq : divergence->event_b.seq;
}

static void ring_push(struct aligner *al, const struct trace_event *a, const struct trace_event *b)
{
    int size = al->options->context;
    if (size <= 0)
        return;
    int slot = (al->ring_head + al->ring_count) % size;
    if (al->ring_count == size)
        al->ring_head = (al->ring_head + 1) % size;
    else
        al->ring_count++;
    al->ring_a[slot] = *a;
    al->ring_b[slot] = *b;
}

static void open_region(struct aligner *al, const struct task_pair *pair,
                        const struct source_event *a, const struct source_event *b)
{
    struct divergence *region = &al->region;
    difference_list_free(&region->diffs);
    memset(region, 0, sizeof *region);
    region->pair = pair;
    region->has_a = a != NULL;
    region->has_b = b != NULL;
    if (a)
        region->event_a = a->event;
    if (b)
        region->event_b = b->event;
    region->diffs = al->scratch;        /* the region takes the scratch list's array */
    memset(&al->scratch, 0, sizeof al->scratch);
    for (int k = 0; k < al->ring_count; k++) {
        int slot = (al->ring_head + k) % al->options->context;
        al->context_a[k] = al->ring_a[slot];
        al->context_b[k] = al->ring_b[slot];
    }
    region->context_a = al->context_a;
    region->context_b = al->context_b;
    region->context_count = al->ring_count;
    input_causes_give(&al->causes, region);
    region->end = REGION_OPEN;
    al->ring_count = 0;
    al->ring_head = 0;
    al->in_region = true;
    al->region_taken_a = al->wa.taken;
    al->region_taken_b = al->wb.taken;
}

/* The region is complete: hand it on (--all) or keep it if it is the earliest. */
static int close_region(struct aligner *al, enum region_end end, int64_t seq_a, int64_t seq_b)
{
    struct divergence *region = &al->region;
    region->end = end;
    region->end_seq_a = seq_a;
    region->end_seq_b = seq_b;
    region->events_a = al->wa.taken - al->region_taken_a;
    region->events_b = al->wb.taken - al->region_taken_b;
    al->in_region = false;
    al->totals->divergences++;
    int rc = 0;
    if (al->options->all) {
        progress_line_erase();
        rc = al->sink(al->sink_context, al->a, al->b, region);
    } else if (!al->have_best || divergence_position(region) < divergence_position(&al->best)) {
        divergence_free(&al->best);
        rc = divergence_copy(&al->best, region);
        al->have_best = rc == 0;
    }
    difference_list_free(&region->diffs);
    return rc;
}

static struct region_step *add_step(struct aligner *al)
{
    struct divergence *region = &al->region;
    if (region->step_count == REGION_STEPS_MAX) {
        region->steps_omitted++;
        return NULL;
    }
    struct region_step *step = &region->steps[region->step_count++];
    memset(step, 0, sizeof *step);
    return step;
}

/* A further differing pair inside the open region. */
static void add_pair_step(struct aligner *al, const struct source_event *a, const struct source_event *b)
{
    struct region_step *step = add_step(al);
    if (!step)
        return;
    step->a = a->event;
    step->b = b->event;
    step->differences = al->scratch.count + al->scratch.omitted;
    if (al->scratch.count)
        step->first = al->scratch.items[0];
}

static void add_skip_step(struct aligner *al, int64_t skipped_a, int64_t skipped_b)
{
    struct region_step *step = add_step(al);
    if (!step)
        return;
    step->skip = true;
    step->skipped_a = skipped_a;
    step->skipped_b = skipped_b;
    const struct source_event *event;
    for (int64_t k = 0; k < skipped_a && k < 3; k++)
        if (event_window_peek(&al->wa, (size_t)k, &event) == 1)
            step->skipped_first_a[k] = event->event;
    for (int64_t k = 0; k < skipped_b && k < 3; k++)
        if (event_window_peek(&al->wb, (size_t)k, &event) == 1)
            step->skipped_first_b[k] = event->event;
}

/* The nearest (i, j), i + j > 0, where A's i-th and B's j-th events ahead are
 * the same step, and so are the events after them (or both sides end there).
 * 1 found, 0 none within the window, -1 error. */
static int find_resync(struct aligner *al, int64_t *skip_a, int64_t *skip_b)
{
    int window = al->options->resync_window;
    for (int d = 1; d <= 2 * (window - 2); d++) {
        for (int i = d < window - 2 ? 0 : d - (window - 2); i <= d && i <= window - 2; i++) {
            int j = d - i;
            const struct source_event *a, *b, *next_a, *next_b;
            int ra = event_window_peek(&al->wa, (size_t)i, &a);
            int rb = event_window_peek(&al->wb, (size_t)j, &b);
            if (ra < 0 || rb < 0)
                return -1;
            if (!ra || !rb || !event_same_step(&al->compare, &a->event, &b->event))
                continue;
            ra = event_window_peek(&al->wa, (size_t)i + 1, &next_a);
            rb = event_window_peek(&al->wb, (size_t)j + 1, &next_b);
            if (ra < 0 || rb < 0)
                return -1;
            if (ra != rb || (ra && !event_same_step(&al->compare, &next_a->event, &next_b->event)))
                continue;
            *skip_a = i;
            *skip_b = j;
            return 1;
        }
    }
    return 0;
}

/* A task that only one side has: one region over all of it. */
static int align_lone_task(struct aligner *al, const struct task_pair *pair)
{
    struct event_window *window = pair->a ? &al->wa : &al->wb;
    const struct source_event *first;
    int rc = event_window_peek(window, 0, &first);
    if (rc < 0)
        return -1;
    al->scratch.count = al->scratch.omitted = 0;
    struct difference *diff = difference_add(&al->scratch, DIFF_TASK);
    if (diff) {
        diff->a = pair->a != NULL;
        diff->b = pair->b != NULL;
    }
    open_region(al, pair, pair->a && rc ? first : NULL, pair->b && rc ? first : NULL);
    if (al->options->all && event_window_drain(window) < 0)
        return -1;
    return close_region(al, al->options->all ? REGION_TASK_END : REGION_OPEN, 0, 0);
}

/* One side has no more events in this task; the other still has. */
static int one_side_ended(struct aligner *al, const struct task_pair *pair,
                          const struct source_event *a, const struct source_event *b)
{
    if (!al->in_region) {
        al->scratch.count = al->scratch.omitted = 0;
        struct difference *diff = difference_add(&al->scratch, DIFF_ENDED);
        if (diff) {
            diff->a = a != NULL;
            diff->b = b != NULL;
        }
        open_region(al, pair, a, b);
        if (!al->options->all)
            return close_region(al, REGION_OPEN, 0, 0);
    }
    if (event_window_drain(a ? &al->wa : &al->wb) < 0)
        return -1;
    return close_region(al, REGION_TASK_END, 0, 0);
}

static int align_pair(struct aligner *al, const struct task_pair *pair)
{
    if (!pair->a || !pair->b)
        return align_lone_task(al, pair);
    int64_t stop_after = al->have_best ? divergence_position(&al->best) : INT64_MAX;
    for (;;) {
        const struct source_event *a = NULL, *b = NULL;
        int ra = event_window_peek(&al->wa, 0, &a);
        int rb = event_window_peek(&al->wb, 0, &b);
        if (ra < 0 || rb < 0)
            return -1;
        if (!ra && !rb)
            return al->in_region ? close_region(al, REGION_TASK_END, 0, 0) : 0;
        if (!ra || !rb)
            return one_side_ended(al, pair, ra ? a : NULL, rb ? b : NULL);
        if (!al->options->all && a->event.seq > stop_after)
            return 0; /* an earlier divergence is already known */
        progress_line_update(al->totals->events_a + al->wa.read);
        al->scratch.count = al->scratch.omitted = 0;
        int differences = event_compare(&al->compare, a, b, &al->scratch);
        if (differences < 0)
            return -1;
        bool same_step = differences && event_same_step(&al->compare, &a->event, &b->event);
        if (same_step && !al->in_region && !al->options->strict &&
            input_causes_absorb(&al->causes, a, b, &al->scratch, carried_values_any_ignored(&al->compare.carried)))
            differences = 0; /* inputs only: causes, not yet a divergence */
        if (differences == 0) {
            if (al->in_region && close_region(al, REGION_REJOINED, a->event.seq, b->event.seq) < 0)
                return -1;
            ring_push(al, &a->event, &b->event);
            if (event_window_drop(&al->wa, 1) < 0 || event_window_drop(&al->wb, 1) < 0)
                return -1;
            continue;
        }
        if (!al->in_region) {
            open_region(al, pair, a, b);
            if (!al->options->all)
                return close_region(al, REGION_OPEN, 0, 0);
        } else {
            add_pair_step(al, a, b);
        }
        if (same_step) {
            if (event_window_drop(&al->wa, 1) < 0 || event_window_drop(&al->wb, 1) < 0)
                return -1;
            continue;
        }
        int64_t skip_a, skip_b;
        int found = find_resync(al, &skip_a, &skip_b);
        if (found < 0)
            return -1;
        if (found) {
            /* One event each in place of the other, right where the region
             * opened: the region's own first pair already shows them. */
            bool just_opened = al->wa.taken == al->region_taken_a && al->wb.taken == al->region_taken_b;
            if (!(just_opened && skip_a == 1 && skip_b == 1))
                add_skip_step(al, skip_a, skip_b);
            if (event_window_drop(&al->wa, skip_a) < 0 || event_window_drop(&al->wb, skip_b) < 0)
                return -1;
            continue;
        }
        bool saw_both_ends = al->wa.ended && al->wb.ended;
        if (event_window_drain(&al->wa) < 0 || event_window_drain(&al->wb) < 0)
            return -1;
        return close_region(al, saw_both_ends ? REGION_TASK_END : REGION_NO_RESYNC, 0, 0);
    }
}

static void aligner_free(struct aligner *al)
{
    difference_list_free(&al->scratch);
    difference_list_free(&al->region.diffs);
    divergence_free(&al->best);
    free(al->ring_a);
    free(al->ring_b);
    free(al->context_a);
    free(al->context_b);
}

static int align_pass(struct event_source *a, struct event_source *b, const struct task_matching *tasks,
                      const struct align_options *options, divergence_sink *sink, void *sink_context,
                      struct align_totals *totals)
{
    struct aligner al = {.a = a, .b = b, .tasks = tasks, .options = options, .sink = sink,
                         .sink_context = sink_context, .totals = totals};
    memset(totals, 0, sizeof *totals);
    size_t context = options->context > 0 ? (size_t)options->context : 1;
    al.ring_a = calloc(context, sizeof *al.ring_a);
    al.ring_b = calloc(context, sizeof *al.ring_b);
    al.context_a = calloc(context, sizeof *al.context_a);
    al.context_b = calloc(context, sizeof *al.context_b);
    if (!al.ring_a || !al.ring_b || !al.context_a || !al.context_b) {
        aligner_free(&al);
        error_set("out of memory");
        return -1;
    }
    al.compare.a = a;
    al.compare.b = b;
    al.compare.tasks = tasks;
    al.compare.ignore = options->ignore;
    /* Only the walk after a parting looks ahead; the first divergence needs none. */
    size_t capacity = options->all ? (size_t)options->resync_window : 1;
    int rc = 0;
    progress_line_start("events", a->ops->event_count ? a->ops->event_count(a) : 0, options->progress);
    for (int p = 0; p < tasks->pair_count && rc == 0; p++) {
        const struct task_pair *pair = &tasks->pairs[p];
        carried_values_clear(&al.compare.carried);
        input_causes_clear(&al.causes);
        al.ring_count = al.ring_head = 0;
        al.in_region = false;
        if (event_window_open(&al.wa, a, pair->a, capacity) < 0) {
            rc = -1;
            break;
        }
        if (event_window_open(&al.wb, b, pair->b, capacity) < 0) {
            event_window_close(&al.wa);
            rc = -1;
            break;
        }
        rc = align_pair(&al, pair);
        totals->inputs_differed += al.causes.total;
        totals->events_a += al.wa.read;
        totals->events_b += al.wb.read;
        event_window_close(&al.wa);
        event_window_close(&al.wb);
    }
    progress_line_end();
    if (rc == 0 && !options->all && al.have_best)
        rc = sink(sink_context, a, b, &al.best);
    aligner_free(&al);
    return rc;
}

int align_sources(struct event_source *a, struct event_source *b, const struct task_matching *tasks,
                  const struct align_options *options, divergence_sink *sink, void *sink_context,
                  struct align_totals *totals)
{
    int rc = align_pass(a, b, tasks, options, sink, sink_context, totals);
    if (rc < 0 || options->strict || totals->divergences || !totals->inputs_differed)
        return rc;
    /* The same behaviour, other inputs: two runs that differ are never
     * called identical. Walk again for the first difference of anything. */
    struct align_options strict = *options;
    strict.strict = true;
    strict.progress = false;
    int64_t inputs = totals->inputs_differed;
    rc = align_pass(a, b, tasks, &strict, sink, sink_context, totals);
    totals->inputs_differed = inputs;
    totals->behaviour_same = true;
    return rc;
}
