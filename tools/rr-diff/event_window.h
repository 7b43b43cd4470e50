/*
 * event_window.h — one task's events from an event source, with a bounded
 * look-ahead: the aligner peeks up to `capacity` events ahead (to find where
 * two executions meet again after parting) and drops them as it goes. Memory
 * stays bounded by the capacity however long the task is.
 *
 * An enter event (a syscall entered, other tasks ran, then it completed)
 * is folded into its completion: what the program did is one syscall, and
 * only the interleaving differs from a run where it completed at once. The
 * completion carries the enter's seq (source_event.entered_seq).
 */
#ifndef RRDIFF_EVENT_WINDOW_H
#define RRDIFF_EVENT_WINDOW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "event_source.h"

struct event_window {
    struct event_source *source;
    struct event_cursor *cursor;
    struct source_event *items;  /* a ring of `capacity` events, `count` from `head` */
    size_t capacity, head, count;
    bool ended;                  /* the cursor has no more */
    int64_t taken;               /* events dropped so far (an enter and its completion: one) */
    int64_t read;                /* events read from the source */
    struct source_event held;    /* read after an enter, and not its completion */
    bool has_held;
};

/* Start on `task`'s events (task may be NULL: an empty window). 0 or -1. */
int event_window_open(struct event_window *window, struct event_source *source,
                      const struct trace_task *task, size_t capacity);
/* The i-th event ahead (0: the next), i < capacity: 1 with *event set, 0 when
 * the task has fewer events, -1 on error. *event stays valid until the next drop. */
int event_window_peek(struct event_window *window, size_t i, const struct source_event **event);
/* Drop the next n events (peeked or not). 0 or -1. */
int event_window_drop(struct event_window *window, int64_t n);
/* Drop every remaining event; returns how many, or -1. */
int64_t event_window_drain(struct event_window *window);
void event_window_close(struct event_window *window);

#endif
