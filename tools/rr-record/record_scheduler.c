/*
 * record_scheduler.c — which task runs next. Exactly one task runs user code
 * at a time (the current one). A task resumed into a syscall runs in the
 * kernel only, so at every syscall entry the current task gives way: the next
 * task with a pending stop is handled (round robin, in the order their stops
 * arrived), or the recorder waits for any task to stop. A stop of a task that
 * is not current is kept until the task is scheduled, and recorded then, so
 * that the order of events in the trace is the order in which tasks ran user
 * code, which replay follows. Before a task runs user code, tasks blocked in
 * syscalls they entered earlier get an enter event (record_scheduler_mark_entries).
 */
#include "recorder.h"

#include <linux/futex.h>
#include <sys/syscall.h>
#include <sys/time.h>

#include "debug_log.h"
#include "error.h"
#include "event_log.h"
#include "proc_status.h"
#include "syscall_table.h"

void recorder_resume_later(struct recorder *rec, struct rec_task *t)
{
    t->has_pending_stop = true;
    t->pending_stop = (struct task_stop){.kind = STOP_GROUP}; /* a stop with nothing to handle */
    t->ready_since = rec->ready_clock++;
}

/* Some syscalls write the program's memory when they block, not when they
 * complete: a priority-inheritance lock sets FUTEX_WAITERS in the owner's
 * futex word, which the owner then reads. Once the task has gone to sleep in
 * the kernel, the word is stored with its enter event, so that replay writes
 * it at the same point. */
static int record_blocking_writes(struct recorder *rec, struct rec_task *t, const struct trace_event *enter)
{
    if (enter->sysno != SYS_futex)
        return 0;
    switch (enter->args[1] & FUTEX_CMD_MASK) {
    case FUTEX_LOCK_PI:
    case FUTEX_LOCK_PI2:
        break;
    default:
        return 0;
    }
    if (task_wait_until_blocked(&t->task) < 0)
        return -1;
    uint32_t word;
    if (task_read_mem(&t->task, enter->args[0], &word, sizeof word) != sizeof word)
        return 0;
    return event_log_add_mem_write(rec->store, enter->seq, enter->args[0], &word, sizeof word);
}

/* Before task `next` runs user code: tasks inside syscalls they entered
 * before get an enter event, in the order they entered, so that replay runs
 * each to its syscall before `next` runs (they share memory, for threads). */
int record_scheduler_mark_entries(struct recorder *rec, struct rec_task *next)
{
    for (;;) {
        struct rec_task *first = NULL;
        for (int i = 0; i < rec->task_count; i++) {
            struct rec_task *t = rec->tasks[i];
            if (t != next && t->life != TASK_DEAD && t->entry_unmarked &&
                (!first || t->entered_at < first->entered_at))
                first = t;
        }
        if (!first)
            return 0;
        first->entry_unmarked = false;
        DEBUG_LOG(LOG_RECORD, "task %d: enter event %lld (%s), before task %d runs", first->task.tid,
                  (long long)rec->next_seq, syscall_name((long)first->entry_regs.orig_rax), next ? next->task.tid : 0);
        struct trace_event event = {
            .seq = rec->next_seq++,
            .tid = first->task.tid,
            .kind = EVENT_ENTER,
            .sysno = (int64_t)first->entry_regs.orig_rax,
            .ip = first->entry_regs.rip,
            .has_regs = true,
            .regs = first->entry_regs,
        };
        task_syscall_args(&first->entry_regs, event.args);
        if (event_log_append(rec->store, &event) < 0 || record_blocking_writes(rec, first, &event) < 0)
            return -1;
    }
}

/* Whether ready task a runs before ready task b: the older stop, or with
 * --chaos the higher priority (chaos.c). */
static bool runs_before(const struct recorder *rec, const struct rec_task *a, const struct rec_task *b)
{
    if (rec->chaos.on && a->chaos_priority != b->chaos_priority)
        return a->chaos_priority > b->chaos_priority;
    return a->ready_since < b->ready_since;
}

/* The ready task that runs first (runs_before), or NULL. */
struct rec_task *record_scheduler_pick_ready(struct recorder *rec)
{
    struct rec_task *best = NULL;
    for (int i = 0; i < rec->task_count; i++) {
        struct rec_task *t = rec->tasks[i];
        if (t->vfork_child && (t->vfork_child->life == TASK_DEAD || t->vfork_child->exec_recorded))
            t->vfork_child = NULL;
        if (t->life != TASK_DEAD && t->announced && t->has_pending_stop && !t->vfork_child && !t->job_stopped &&
            (!best || runs_before(rec, t, best)))
            best = t;
    }
    return best;
}

void record_scheduler_chaos_tick(struct recorder *rec)
{
    for (int i = 0; i < rec->task_count; i++)
        rec->tasks[i]->chaos_priority = chaos_priority(&rec->chaos);
    long next_us = chaos_tick_us(&rec->chaos);
    DEBUG_LOG(LOG_RECORD, "chaos: priorities drawn, next tick in %ld us", next_us);
    struct itimerval tick = {{next_us / 1000000, next_us % 1000000}, {next_us / 1000000, next_us % 1000000}};
    setitimer(ITIMER_REAL, &tick, NULL);
}

/* Nested tracing can leave no task able to run: each live one either
 * stopped for its tracer or a tracer waiting for its stopped tracees, and
 * still in that ptrace stop (one that was killed meanwhile has news). */
static bool all_wait_on_each_other(struct recorder *rec)
{
    for (int i = 0; i < rec->task_count; i++) {
        struct rec_task *t = rec->tasks[i];
        if (t->life == TASK_DEAD)
            continue;
        struct proc_stat stat;
        if ((!t->inner.stopped && !t->held_in_wait) || proc_stat_read(t->task.tid, &stat) != 0 ||
            stat.state != 't')
            return false;
    }
    return true;
}

/* Wait for any task to stop; a stop of a task other than the current one is
 * kept for later. Returns the current task's stop in *stop (and sets
 * rec->current when there was none), or -1. */
int record_scheduler_next_stop(struct recorder *rec, struct task_stop *stop)
{
    for (;;) {
        if (!rec->current) {
            struct rec_task *ready = record_scheduler_pick_ready(rec);
            if (ready) {
                /* Tasks that entered syscalls before this stop is handled
                 * are marked first: the stop may be a completion their
                 * syscall caused (a wake, an unlock). */
                if (record_scheduler_mark_entries(rec, ready) < 0)
                    return -1;
                DEBUG_LOG(LOG_RECORD, "task %d: scheduled", ready->task.tid);
                ready->has_pending_stop = false;
                *stop = ready->pending_stop;
                rec->current = ready;
                return 0;
            }
            if (rec->live_tasks == 0)
                return 1;
            if (all_wait_on_each_other(rec)) {
                error_set("every recorded task waits for another (a tracer for a tracee it never resumed)");
                return -1;
            }
        }
        pid_t tid;
        struct task_stop got;
        if (task_wait_any(&tid, &got) < 0)
            return -1;
        if (tid == 0 && recorder_check_stop_signal(rec) < 0)
            return -1;
        if (tid == 0)
            continue; /* the timer made a task ready */
        struct rec_task *t = record_tasks_for_stop(rec, tid);
        if (!t)
            return -1;
        if (t == rec->current) {
            *stop = got;
            return 0;
        }
        DEBUG_LOG(LOG_RECORD, "task %d: stop kept until it is scheduled", tid);
        /* (A stop kept already is replaced: only a death can follow it.) */
        t->has_pending_stop = true;
        t->pending_stop = got;
        t->ready_since = rec->ready_clock++;
    }
}
