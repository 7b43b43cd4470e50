/*
 * trace_tasks.h — the task table of a trace in memory, by tid: each thread's
 * process, the process that created it, and the event that created it. What
 * every reader needs to turn a thread into its address space (a process's
 * threads share one) and to follow a fork back to the parent whose mappings
 * the child inherited.
 */
#ifndef RRDB_TRACE_TASKS_H
#define RRDB_TRACE_TASKS_H

#include <stdbool.h>
#include <stdint.h>

struct trace_store;

struct trace_task_row {
    int32_t tid;
    int32_t pid;        /* thread group */
    int32_t ppid;       /* 0 when the table does not say */
    int64_t first_seq;  /* the event that created the task */
};

struct trace_tasks {
    struct trace_task_row *rows; /* by tid, ascending */
    int count;
};

/* Read the task table. NULL with error_set on failure. */
struct trace_tasks *trace_tasks_load(struct trace_store *store);
void trace_tasks_free(struct trace_tasks *tasks);

/* The row of thread `tid`, or NULL when the trace did not record it. */
const struct trace_task_row *trace_tasks_find(const struct trace_tasks *tasks, int32_t tid);
/* The process of thread `tid` (the tid itself when the table lacks it). */
int32_t trace_tasks_pid_of(const struct trace_tasks *tasks, int32_t tid);

#endif
