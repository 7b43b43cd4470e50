/*
 * event_source.h — what rr-diff compares: an execution's event stream, as a
 * list of tasks in creation order and, for each task, a cursor over its
 * events in order, each with the memory the kernel wrote during it.
 *
 * The alignment (aligner.c) sees sources only through this interface, never a
 * SQLite handle. trace_source.c reads a trace file (a recording, or the
 * stream `rr-replay --events` writes); nested_source.c reads the inner
 * replay out of a recording of rr-replay (rr-diff --nested).
 */
#ifndef RRDIFF_EVENT_SOURCE_H
#define RRDIFF_EVENT_SOURCE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "event_log.h"
#include "task_stream.h"
#include "trace_event.h"

struct trace_syscalls;
struct syscall_desc;

/* One event and the memory the kernel wrote during it. `writes` is owned by
 * the struct and reused from one event to the next. */
struct source_event {
    struct trace_event event;
    struct task_write *writes;
    size_t write_count, write_capacity;
    /* > 0: the syscall was entered at this earlier event and other tasks ran
     * before it completed (an enter event that event_window folded in) */
    int64_t entered_seq;
    /* The source cannot know the event's result (a landmark's stack hash,
     * which a nested recording's tracer never sees): it is not compared. */
    bool result_unknown;
};

struct event_source;
struct event_cursor;

struct event_source_ops {
    /* The tasks in creation order: a malloc'd array in *tasks; count or -1. */
    int (*tasks)(struct event_source *source, struct trace_task **tasks);
    /* A cursor over `task`'s events from its first; NULL on failure. */
    struct event_cursor *(*open_task)(struct event_source *source, const struct trace_task *task);
    /* The next event into *event: 1 filled, 0 no more, -1 error. */
    int (*next)(struct event_cursor *cursor, struct source_event *event);
    void (*close_task)(struct event_cursor *cursor);
    /* The bytes of blob `blob` (a write's, or an event's extra_blob), malloc'd. 0 or -1. */
    int (*read_blob)(struct event_source *source, int64_t blob, void **data, size_t *len);
    /* The mappings event `seq` made (exec, mmap…): malloc'd array; count, 0 when the
     * source keeps none, or -1. */
    int (*mappings)(struct event_source *source, int64_t seq, struct trace_mapping **mappings);
    /* Up to `max` bytes at `addr` as task `tid` saw them at event `seq`, where
     * known for certain (to show strings strace-like); how many, 0 when unknown. */
    size_t (*read_memory)(struct event_source *source, int32_t tid, int64_t seq, uint64_t addr,
                          void *buf, size_t max);
    /* Name code address `addr` of task `tid` at event `seq` ("libc.so.6+0x2a1c0")
     * into text: 1 named, 0 unknown, -1 error. */
    int (*locate)(struct event_source *source, int32_t tid, int64_t seq, uint64_t addr,
                  char *text, size_t size);
    void (*close)(struct event_source *source);
    /* How many events the source holds, for a progress line; NULL or 0 when
     * not known cheaply. */
    int64_t (*event_count)(struct event_source *source);
};

/* The operations of a source written as PREFIX_tasks, PREFIX_open_task, …,
 * PREFIX_close: every kind of source names its nine functions alike. */
#define EVENT_SOURCE_OP_FIELDS(prefix)                                                             \
    .tasks = prefix##_tasks, .open_task = prefix##_open_task, .next = prefix##_next,               \
    .close_task = prefix##_close_task, .read_blob = prefix##_read_blob,                            \
    .mappings = prefix##_mappings, .read_memory = prefix##_read_memory,                           \
    .locate = prefix##_locate, .close = prefix##_close
#define EVENT_SOURCE_OPS(prefix) {EVENT_SOURCE_OP_FIELDS(prefix)}

struct event_source {
    const struct event_source_ops *ops;
    const char *path;        /* as given on the command line */
    char description[512];   /* what it is: "recording of `ls -l`, complete" */
    bool replay_stream;      /* written by rr-replay --events (only what the replay observed) */
    const struct trace_syscalls *syscalls; /* the trace's own syscall table (names, argument kinds) */
};

/* Append a write to event->writes. 0, or -1 when out of memory. */
int source_event_add_write(struct source_event *event, const struct task_write *write);
/* Copy `from` into `to`, reusing to's write buffer. 0 or -1. */
int source_event_copy(struct source_event *to, const struct source_event *from);
void source_event_free(struct source_event *event);

/* Syscall `nr` as the table of the trace `source` reads describes it (NULL:
 * unknown), and its name ("syscall_NNN" in buf when unknown). `source` may
 * be NULL (this build's table). */
const struct syscall_desc *event_source_syscall(const struct event_source *source, int64_t nr);
const char *event_source_syscall_name(const struct event_source *source, int64_t nr, char *buf, size_t size);

/* Open PATH as an event source: a recording or a replay event stream. NULL
 * (with error_text() saying why) when it is missing or not a trace. */
struct event_source *trace_source_open(const char *path);
/* Open OUTER, a recording of rr-replay, as the event stream of the replay it
 * recorded: what the replayed program's tasks showed their tracer. NULL (with
 * error_text()) when it is missing, not a trace, or traced no task. */
struct event_source *nested_source_open(const char *path);
void event_source_close(struct event_source *source);

#endif
