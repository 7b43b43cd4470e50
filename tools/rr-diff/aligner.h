/*
 * aligner.h — the comparison core: walks two event sources task pair by task
 * pair and event by event, and hands every divergence (or only the first) to
 * a sink, with the events before it as context.
 */
#ifndef RRDIFF_ALIGNER_H
#define RRDIFF_ALIGNER_H

#include <stdbool.h>
#include <stdint.h>

#include "divergence.h"
#include "event_source.h"
#include "ignore_list.h"
#include "task_match.h"

struct align_options {
    int context;                   /* matched events shown before a divergence (-C) */
    bool all;                      /* every divergent region, not only the first */
    int resync_window;             /* events looked ahead on each side to meet again */
    const struct ignore_list *ignore;
    bool strict;                   /* the first difference of anything, not of behaviour
                                      (input_causes.h) */
    bool progress;                 /* a progress line on a terminal (progress_line.h) */
};

struct align_totals {
    int64_t events_a, events_b;    /* events read on each side */
    int divergences;
    int64_t inputs_differed;       /* pairs at one step that differed in inputs only */
    bool behaviour_same;           /* not strict: no behaviour differed, so the
                                      divergences are the inputs' (a strict walk) */
};

/* Called once per divergence (in --all mode, in task order then event
 * order; else once, for the earliest). Returns 0, or -1 to stop with an error. */
typedef int divergence_sink(void *context, struct event_source *a, struct event_source *b,
                            const struct divergence *divergence);

/* Compare a and b over the matched tasks. 0 when done (totals->divergences
 * says whether they differ), -1 on error with error_text(). */
int align_sources(struct event_source *a, struct event_source *b, const struct task_matching *tasks,
                  const struct align_options *options, divergence_sink *sink, void *sink_context,
                  struct align_totals *totals);

#endif
