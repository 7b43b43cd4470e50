/*
 * timeline_output.h — the `timeline` subject's rows (seq, time, ms, pid, tid,
 * task, kind, detail: subjects.c) drawn: as Chrome Trace Event JSON
 * (`--format chrome-trace`: {"traceEvents": […]}, which Perfetto and
 * chrome://tracing open; one tid per recorded task, pid its process) or as one
 * self-contained page (`--format html`: timeline.html with that JSON inside).
 * Syscalls are complete events ("X") from entry to exit; signals, execs,
 * exits, forks and the other events are instants ("i"). Times are the trace's
 * at_ms, in µs as the format wants.
 */
#ifndef RRQ_TIMELINE_OUTPUT_H
#define RRQ_TIMELINE_OUTPUT_H

#include <stdbool.h>
#include <stdio.h>

#include "output.h"

struct timeline_output;

/* Start writing to `stream`; NULL (with error_set) when the columns are not
 * the timeline's (another subject was asked for) or out of memory. */
struct timeline_output *timeline_output_begin(FILE *stream, bool html, int count, const char *const *names);
void timeline_output_row(struct timeline_output *timeline, const struct cell *cells);
/* Close the JSON (and the page) and free. */
void timeline_output_end(struct timeline_output *timeline);

#endif
