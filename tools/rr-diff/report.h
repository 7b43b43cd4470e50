/*
 * report.h — printing what the aligner found: as text for people
 * (report_text.c) or as one JSON document for tools (report_json.c). Each
 * has a begin (the two sources), a divergence sink (aligner.h) and an end
 * (the verdict).
 */
#ifndef RRDIFF_REPORT_H
#define RRDIFF_REPORT_H

#include <stdbool.h>
#include <stdio.h>

#include "aligner.h"

struct report {
    FILE *out;
    bool all;
    int resync_window;
    int printed;             /* divergences printed so far */
};

void report_text_begin(struct report *report, struct event_source *a, struct event_source *b,
                       const struct task_matching *tasks);
int report_text_divergence(void *report, struct event_source *a, struct event_source *b,
                           const struct divergence *divergence);
void report_text_end(struct report *report, const struct task_matching *tasks,
                     const struct align_totals *totals);

void report_json_begin(struct report *report, struct event_source *a, struct event_source *b,
                       const struct task_matching *tasks);
int report_json_divergence(void *report, struct event_source *a, struct event_source *b,
                           const struct divergence *divergence);
void report_json_end(struct report *report, const struct task_matching *tasks,
                     const struct align_totals *totals);

#endif
