/*
 * task_stream.h — reading a trace one task at a time: the tasks in the order
 * they were created, and a cursor over one task's events (registers decoded)
 * with the memory the kernel wrote during each.
 *
 * event_log_next streams the whole trace in global order; tools that align
 * two executions task by task (rr-diff) need each task's own subsequence
 * instead, from several cursors at once. Like event_log_next, a cursor
 * streams and never loads a trace whole.
 */
#ifndef RRDB_TASK_STREAM_H
#define RRDB_TASK_STREAM_H

#include <stddef.h>
#include <stdint.h>

#include "trace_event.h"

struct trace_store;
struct task_stream;

struct trace_task {
    int32_t tid;
    int32_t pid;        /* thread group; the tid when the task table does not say */
    int32_t ppid;       /* 0 when unknown */
    int64_t first_seq;  /* its first event */
    int64_t created_seq; /* the event that created it (the task table's first_seq), or first_seq */
    char command[256];  /* "" when unknown */
};

/* A piece of memory the kernel wrote during an event. `hash` is the blob's
 * content hash (blob_store.h), so two writes can be compared without
 * fetching their bytes. */
struct task_write {
    uint64_t addr;
    size_t len;
    int64_t blob;
    uint64_t hash;
};

/* Every task that has events, in creation order (by first event), with what
 * the task table says about it. A malloc'd array in *tasks; returns the count
 * or -1. */
int task_stream_tasks(struct trace_store *store, struct trace_task **tasks);

/* A cursor over the events of task `tid`, from its first. NULL on failure. */
struct task_stream *task_stream_open(struct trace_store *store, int32_t tid);
/* The task's next event: 1 filled, 0 no more, -1 error. */
int task_stream_next(struct task_stream *stream, struct trace_event *event);
/* The memory writes of the event task_stream_next returned last, in the
 * order they were stored: 1 filled, 0 no more for that event, -1 error. */
int task_stream_next_write(struct task_stream *stream, struct task_write *write);
void task_stream_close(struct task_stream *stream);

#endif
