/*
 * nested_source.c — the event source of rr-diff --nested: the inner replay
 * held in OUTER, a recording of rr-replay replaying some trace INNER.
 *
 * OUTER is read as any recording (trace_source.c); of its tasks, only those
 * rr-replay traced (the replayed program's tasks, in creation order) are this
 * source's tasks, and each one's events are rebuilt from its stops and its
 * tracer's writes (inner_events.c). The replayer's own task, and whatever a
 * replayed task did for the replayer before its first stop, are left out, so
 * the task list lines up with INNER's by creation order.
 *
 * Tids are OUTER's; the replayed program itself saw INNER's (the replayer
 * gives it the recorded results), which the task matching maps as for any
 * two runs. Mappings, memory contents and symbols are not kept: the program's
 * address space lives in OUTER only as the replayer rebuilt it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "event_source.h"
#include "inner_events.h"
#include "trace_store.h"
#include "tracee_stops.h"

struct nested_source {
    struct event_source base;      /* first: the source handed out is this struct */
    struct event_source *outer;    /* OUTER as a recording */
    struct trace_store *store;     /* OUTER, for the questions about its tracees */
    struct tracee_stops *tracees;
    int32_t first_tracee;          /* the replay's first process */
};

struct event_cursor {
    struct nested_source *nested;
    struct event_cursor *outer;    /* over the tracee's events in OUTER */
    struct source_event outer_event;
    struct inner_events inner;
    bool outer_ended;
};

static struct nested_source *of(struct event_source *source)
{
    return (struct nested_source *)source;
}

static int nested_tasks(struct event_source *source, struct trace_task **tasks)
{
    struct nested_source *nested = of(source);
    int count = nested->outer->ops->tasks(nested->outer, tasks);
    if (count < 0)
        return -1;
    int kept = 0;
    for (int i = 0; i < count; i++) {
        int traced = tracee_stops_is_tracee(nested->tracees, (*tasks)[i].tid);
        if (traced < 0) {
            free(*tasks);
            *tasks = NULL;
            return -1;
        }
        if (traced)
            (*tasks)[kept++] = (*tasks)[i];
    }
    /* OUTER names the first one as rr-replay's child; it stands for the
     * program INNER started with, whose command only INNER knows. */
    if (kept)
        (*tasks)[0].command[0] = '\0';
    return kept;
}

static void nested_close_task(struct event_cursor *cursor)
{
    if (!cursor)
        return;
    struct event_source *outer = cursor->nested->outer;
    outer->ops->close_task(cursor->outer);
    source_event_free(&cursor->outer_event);
    inner_events_free(&cursor->inner);
    free(cursor);
}

static struct event_cursor *nested_open_task(struct event_source *source, const struct trace_task *task)
{
    struct nested_source *nested = of(source);
    struct event_cursor *cursor = calloc(1, sizeof *cursor);
    if (!cursor) {
        error_set("out of memory");
        return NULL;
    }
    cursor->nested = nested;
    inner_events_init(&cursor->inner, nested->outer, nested->tracees, task->tid,
                      task->tid == nested->first_tracee);
    cursor->outer = nested->outer->ops->open_task(nested->outer, task);
    if (!cursor->outer) {
        nested_close_task(cursor);
        return NULL;
    }
    return cursor;
}

static int nested_next(struct event_cursor *cursor, struct source_event *event)
{
    struct event_source *outer = cursor->nested->outer;
    for (;;) {
        int rc = inner_events_take(&cursor->inner, event);
        if (rc != 0 || cursor->outer_ended)
            return rc;
        rc = outer->ops->next(cursor->outer, &cursor->outer_event);
        if (rc < 0)
            return -1;
        if (rc == 0) {
            cursor->outer_ended = true;
            rc = inner_events_end(&cursor->inner);
        } else {
            rc = inner_events_feed(&cursor->inner, &cursor->outer_event);
        }
        if (rc < 0)
            return -1;
    }
}

static int nested_read_blob(struct event_source *source, int64_t blob, void **data, size_t *len)
{
    struct event_source *outer = of(source)->outer;
    return outer->ops->read_blob(outer, blob, data, len);
}

static int nested_mappings(struct event_source *source, int64_t seq, struct trace_mapping **mappings)
{
    (void)source;
    (void)seq;
    *mappings = NULL;
    return 0;
}

static size_t nested_read_memory(struct event_source *source, int32_t tid, int64_t seq, uint64_t addr,
                                 void *buf, size_t max)
{
    (void)source, (void)tid, (void)seq, (void)addr, (void)buf, (void)max;
    return 0;
}

static int nested_locate(struct event_source *source, int32_t tid, int64_t seq, uint64_t addr,
                         char *text, size_t size)
{
    (void)source, (void)tid, (void)seq, (void)addr, (void)text, (void)size;
    return 0;
}

static void nested_close(struct event_source *source)
{
    struct nested_source *nested = of(source);
    tracee_stops_free(nested->tracees);
    if (nested->store)
        trace_store_close(nested->store);
    event_source_close(nested->outer);
    free(nested);
}

static const struct event_source_ops nested_source_ops = EVENT_SOURCE_OPS(nested);

/* The first traced task in creation order; 0 when OUTER traced none. */
static int find_first_tracee(struct nested_source *nested, int32_t *tid)
{
    struct trace_task *tasks = NULL;
    int count = nested_tasks(&nested->base, &tasks);
    if (count < 0)
        return -1;
    *tid = count ? tasks[0].tid : 0;
    free(tasks);
    return 0;
}

struct event_source *nested_source_open(const char *path)
{
    struct nested_source *nested = calloc(1, sizeof *nested);
    if (!nested) {
        error_set("out of memory");
        return NULL;
    }
    nested->base.ops = &nested_source_ops;
    nested->base.path = path;
    if (!(nested->outer = trace_source_open(path)) || !(nested->store = trace_store_open(path)) ||
        !(nested->tracees = tracee_stops_new(nested->store)) ||
        find_first_tracee(nested, &nested->first_tracee) < 0) {
        nested_close(&nested->base);
        return NULL;
    }
    nested->base.syscalls = nested->outer->syscalls; /* the inner replay ran on OUTER's machine */
    if (!nested->first_tracee) {
        error_set("%s traced no task: it is not a recording of rr-replay (rr-record -o %s rr-replay TRACE)",
                  path, path);
        nested_close(&nested->base);
        return NULL;
    }
    snprintf(nested->base.description, sizeof nested->base.description, "the replay inside %.480s",
             nested->outer->description);
    return &nested->base;
}
