/*
 * record_tasks.c — the recorder's task table: every task the program
 * created, in creation order, the dead ones kept (their tids may be reused:
 * a lookup finds the live one). A task not seen before is a new child whose
 * first stop may arrive before its parent's fork event. record_tasks_exit writes
 * how a task ended.
 */
#include "recorder.h"

#include <assert.h>
#include <stdlib.h>

#include "array_grow.h"
#include "debug_log.h"
#include "error.h"
#include "event_log.h"

int record_tasks_exit(struct recorder *rec, struct rec_task *t, const struct task_stop *stop)
{
    struct trace_event event = {
        .seq = rec->next_seq++,
        .tid = t->task.tid,
        .kind = EVENT_EXIT,
    };
    if (stop->kind == STOP_EXITED)
        event.result = stop->status;
    else
        event.signo = stop->signo;
    if (t == rec->initial)
        rec->exit_status = stop->kind == STOP_EXITED ? stop->status : 128 + stop->signo;
    DEBUG_LOG(LOG_RECORD, "task %d: %s %d: event %lld", t->task.tid, stop->kind == STOP_EXITED ? "exited" : "killed by",
              stop->kind == STOP_EXITED ? stop->status : stop->signo, (long long)event.seq);
    record_tasks_forget(rec, t);
    if (event_log_append(rec->store, &event) < 0)
        return -1;
    return event_log_task_ended(rec->store, t->task.tid, event.seq,
                                stop->kind == STOP_EXITED ? TASK_END_EXITED : TASK_END_KILLED,
                                stop->kind == STOP_EXITED ? stop->status : stop->signo);
}

void record_tasks_forget(struct recorder *rec, struct rec_task *t)
{
    assert(t->life != TASK_DEAD && rec->live_tasks > 0); /* a task dies once */
    t->life = TASK_DEAD;
    rec->live_tasks--;
    output_order_task_ended(rec, t);
    task_detach_fd(&t->task);
}

struct rec_task *record_tasks_find_live(struct recorder *rec, pid_t tid)
{
    for (int i = 0; i < rec->task_count; i++)
        if (rec->tasks[i]->task.tid == tid && rec->tasks[i]->life != TASK_DEAD)
            return rec->tasks[i];
    return NULL;
}

struct rec_task *record_tasks_add(struct recorder *rec, pid_t tid)
{
    struct rec_task **grown = array_grow(rec->tasks, &rec->task_capacity, rec->task_count + 1, sizeof *grown, 8);
    if (!grown)
        return NULL;
    rec->tasks = grown;
    struct rec_task *t = calloc(1, sizeof *t);
    if (!t) {
        error_set("out of memory");
        return NULL;
    }
    t->task.tid = tid;
    t->task.mem_fd = -1;
    if (rec->chaos.on)
        t->chaos_priority = chaos_priority(&rec->chaos);
    if (task_attach_fd(&t->task, tid) < 0) {
        free(t);
        return NULL;
    }
    rec->tasks[rec->task_count++] = t;
    rec->live_tasks++;
    return t;
}

/* The task a stop came from; a task not seen before is a new child, whose
 * first stop may arrive before its parent's fork event. */
struct rec_task *record_tasks_for_stop(struct recorder *rec, pid_t tid)
{
    struct rec_task *t = record_tasks_find_live(rec, tid);
    if (!t && (t = record_tasks_add(rec, tid)))
        t->at_initial_stop = true;
    return t;
}
