/*
 * event_compare.h — comparing one event of A with one event of B: whether
 * they are the same step of the program (kind, syscall, arguments), and
 * every way they differ (result, bytes the kernel wrote, registers, …).
 */
#ifndef RRDIFF_EVENT_COMPARE_H
#define RRDIFF_EVENT_COMPARE_H

#include <stdbool.h>

#include "carried_values.h"
#include "divergence.h"
#include "event_source.h"
#include "ignore_list.h"
#include "task_match.h"

struct compare_context {
    struct event_source *a, *b;
    const struct task_matching *tasks;
    const struct ignore_list *ignore;
    struct carried_values carried;   /* this task pair's differing inputs so far */
};

/* Same kind, same syscall and arguments (pids through the task map), same
 * signal, same cpuid leaf: the two programs are at the same step, whatever
 * values the step returned. This is what resynchronisation looks for. */
bool event_same_step(const struct compare_context *context, const struct trace_event *a,
                     const struct trace_event *b);

/* Append every difference between a and b to `out`; remember differing
 * inputs in context->carried. Returns the number appended, or -1 (a blob that
 * cannot be read). */
int event_compare(struct compare_context *context, const struct source_event *a,
                  const struct source_event *b, struct difference_list *out);

#endif
