/*
 * gdb_history.c — going back in a replay under gdb, by replaying it again
 * from the start. There are no hardware counters to say "where" a task is
 * between two events; instead every resume gdb asked for is kept (the
 * mode, the breakpoints set, and which hit of them ended it). The replay is
 * deterministic and gdb's breakpoints never change it, so replaying that
 * history from the start stops exactly where each resume stopped before: a
 * position is an event plus counted breakpoint hits and single steps.
 *
 * reverse-continue (bc) replays the history once with gdb's breakpoints of
 * now armed as well, collecting their hits, and keeps the last one before
 * where gdb is: in entry E, the H-th hit of E's breakpoints and gdb's. The
 * history is cut after E-1 and ends with "E's resume, stopping at that H-th
 * hit"; a second replay runs it to its end and gdb gets the stop. With no
 * hit before, it goes to the start of the history (gdb: "No more
 * reverse-execution history"). reverse-stepi (bs) drops a last single step
 * of that thread; after a resume that ran further, a replay runs the thread
 * one counted step at a time through that resume (N steps to where gdb
 * is), and the resume becomes "the same, ending after N-1 steps of that
 * thread": exact. Counting starts after the thread's last event in that
 * resume when it had one (its steps since its last syscall), else at the
 * resume's start; a step costs a ptrace stop, so going back one
 * instruction over a long stretch without syscalls is slow.
 * A watched piece's hit (gdb_watchpoints.c) is counted as a breakpoint's;
 * reverse-continue to one then goes one instruction further back, as
 * reverse-stepi does, so that gdb sees the value before the write: it
 * stops on the instruction that wrote it (on the syscall, for the kernel's).
 * gdb's memory and register writes are not in the history: after one,
 * going back gives the recording's run, not the changed one.
 */
#include "gdb_target.h"

#include <stdlib.h>
#include <string.h>

#include "array_grow.h"
#include "error.h"

/* Make history[index] the run in progress: its mode, its own breakpoints
 * armed, and gdb's set too while collecting. */
static int load(struct gdb_target *target, int index)
{
    const struct gdb_history_entry *entry = &target->history[index];
    target->entry = index;
    target->mode = entry->mode;
    target->step_tid = entry->step_tid;
    target->goto_seq = entry->goto_seq;
    target->end_seq = entry->end_seq;
    target->debugged_pid = entry->debugged_pid;
    target->own_hits = target->union_hits = 0;
    target->steps = 0;
    target->limit_reached = false;
    bool last = index == target->history_count - 1;
    bool counting_pass = target->rerun == GDB_RERUN_COUNT && last;
    int32_t counted = counting_pass ? target->reverse_tid : entry->count_tid;
    target->count_from_seq = counting_pass ? target->reverse_from_seq : entry->count_from_seq;
    target->counting_tid = target->count_from_seq < 0 ? counted : 0;
    target->counting_later_tid = target->count_from_seq < 0 ? 0 : counted;
    target->step_limit = entry->step_limit;
    target->entry_start_seq = target->has_last_event ? target->last_event.seq : -1;
    bool collect = target->rerun == GDB_RERUN_COLLECT;
    return gdb_breakpoints_arm(target, entry->own, entry->own_count, collect ? target->set : NULL,
                               collect ? target->set_count : 0);
}

static void drop_from(struct gdb_target *target, int first)
{
    for (int i = first; i < target->history_count; i++)
        free(target->history[i].own);
    if (first < target->history_count)
        target->history_count = first;
}

/* Append an entry owning `own` (freed on failure). */
static int append(struct gdb_target *target, struct gdb_history_entry entry)
{
    struct gdb_history_entry *grown = array_grow(target->history, &target->history_capacity,
                                                 target->history_count + 1, sizeof *grown, 16);
    if (!grown) {
        free(entry.own);
        return -1;
    }
    target->history = grown;
    target->history[target->history_count++] = entry;
    return 0;
}

/* A copy of `a` (and `b`, without repeats). */
static uint64_t *union_of(const uint64_t *a, int a_count, const uint64_t *b, int b_count, int *count)
{
    uint64_t *all = malloc(sizeof *all * (size_t)(a_count + b_count + 1));
    if (!all) {
        error_set("out of memory");
        return NULL;
    }
    int n = 0;
    for (int i = 0; i < a_count + b_count; i++) {
        uint64_t addr = i < a_count ? a[i] : b[i - a_count];
        bool seen = false;
        for (int j = 0; j < n && !seen; j++)
            seen = all[j] == addr;
        if (!seen)
            all[n++] = addr;
    }
    *count = n;
    return all;
}

int gdb_history_resume(struct gdb_target *target, enum gdb_run_mode mode, int32_t step_tid, int64_t goto_seq)
{
    /* A goto stops at no breakpoint, a step at none but a watched piece's
     * hit (as the step's last instruction, or its syscall, changes it). */
    struct gdb_history_entry entry = {mode, step_tid, goto_seq, NULL, 0, 1, 0, -1, 0, -1, target->debugged_pid};
    bool step = mode == GDB_RUN_STEP;
    if (!(entry.own = union_of(target->set, mode == GDB_RUN_CONTINUE || step ? target->set_count : 0, NULL, 0,
                               &entry.own_count)))
        return -1;
    int kept = 0;
    for (int i = 0; i < entry.own_count; i++)
        if (!step || gdb_watch_is(entry.own[i]))
            entry.own[kept++] = entry.own[i];
    entry.own_count = kept;
    if (append(target, entry) < 0)
        return -1;
    return load(target, target->history_count - 1);
}

bool gdb_history_hit(struct gdb_target *target, const struct gdb_breakpoint *bp, int32_t tid)
{
    if (bp->own)
        target->own_hits++;
    target->union_hits++;
    bool ends = bp->own && target->own_hits >= target->history[target->entry].hits;
    bool where_gdb_is = ends && target->entry == target->history_count - 1;
    if (target->rerun == GDB_RERUN_COLLECT && bp->collect && !where_gdb_is) {
        target->found_entry = target->entry;
        target->found_hits = target->union_hits;
        target->found_watch = gdb_watch_is(bp->addr) ? bp->addr : 0;
        target->found_tid = tid;
    }
    return ends;
}

/* Where going back stops: the first entry of the process gdb debugs now.
 * Past a fork gdb followed, gdb knows the parent as detached, and the child
 * as there: the history before it is not gdb's to go back into. */
static int history_floor(const struct gdb_target *target)
{
    int32_t debugged = target->history[target->history_count - 1].debugged_pid;
    int floor = target->history_count - 1;
    while (floor > 0 && (target->history[floor - 1].debugged_pid == debugged || !target->history[floor - 1].debugged_pid))
        floor--;
    return floor;
}

/* Collecting reached where gdb is: the history now ends at the last hit found. */
static int cut_at_last_hit(struct gdb_target *target)
{
    target->rerun = GDB_RERUN_REPLAY;
    int floor = history_floor(target);
    if (floor > 0 && target->found_entry < floor) {
        target->at_begin = true; /* stays where gdb is: nothing of this process's before */
        return 0;
    }
    target->reverse_watch = target->found_entry < 0 ? 0 : target->found_watch;
    target->reverse_watch_tid = target->reverse_watch ? target->found_tid : 0;
    if (target->found_entry < 0) {
        drop_from(target, 1);
        target->at_begin = true;
        return 0;
    }
    const struct gdb_history_entry *found = &target->history[target->found_entry];
    struct gdb_history_entry entry = {found->mode,        found->step_tid,       found->goto_seq,
                                      NULL,               0,                     target->found_hits,
                                      found->count_tid,   found->count_from_seq, found->step_limit,
                                      found->end_seq,     found->debugged_pid};
    if (!(entry.own = union_of(found->own, found->own_count, target->set, target->set_count, &entry.own_count)))
        return -1;
    drop_from(target, target->found_entry);
    return append(target, entry);
}

/* Counting reached where gdb is, after `steps` of reverse_tid in the last
 * entry: the history now ends one step before. */
static int cut_before_last_step(struct gdb_target *target)
{
    struct gdb_history_entry *last = &target->history[target->history_count - 1];
    target->rerun = GDB_RERUN_REPLAY;
    if (target->steps >= 2) {
        last->count_tid = target->reverse_tid;
        last->count_from_seq = target->reverse_from_seq;
        last->step_limit = target->steps - 1;
    } else if (target->reverse_from_seq >= 0) {
        /* One step back is where counting began, or before the task's event
         * there: counted again from the entry's start. */
        target->rerun = GDB_RERUN_COUNT;
        target->reverse_from_seq = -1;
    } else if (target->history_count - 1 <= history_floor(target)) {
        target->at_begin = true; /* nothing of that task's before */
    } else {
        drop_from(target, target->history_count - 1);
        if (target->steps == 0) /* it did not run in that entry: one step back is further */
            target->rerun = GDB_RERUN_COUNT;
    }
    return 0;
}

bool gdb_history_stopped(struct gdb_target *target)
{
    if (target->rerun == GDB_RERUN_NONE)
        return true;
    if (target->entry < target->history_count - 1) {
        if (load(target, target->entry + 1) < 0) {
            target->rerun = GDB_RERUN_NONE; /* tell gdb where the replay is */
            return true;
        }
        return false;
    }
    if (target->rerun == GDB_RERUN_NONE || target->rerun == GDB_RERUN_REPLAY) {
        int32_t back_tid = target->rerun == GDB_RERUN_REPLAY ? target->reverse_watch_tid : 0;
        target->rerun = GDB_RERUN_NONE;
        target->reverse_watch_tid = 0;
        /* At a watched piece's last hit, after the instruction (or event)
         * that changed it: gdb is shown the moment before, the old value. */
        return !back_tid || gdb_history_reverse(target, true, back_tid) < 0;
    }
    int rc = target->rerun == GDB_RERUN_COLLECT ? cut_at_last_hit(target) : cut_before_last_step(target);
    if (rc < 0 || load(target, 0) < 0) {
        target->rerun = GDB_RERUN_NONE; /* tell gdb where the replay is */
        return true;
    }
    target->restart = true;
    return false;
}

static int64_t last_event_of(const struct gdb_target *target, int32_t tid)
{
    for (int i = 0; i < target->task_event_count; i++)
        if (target->task_events[i].tid == tid)
            return target->task_events[i].seq;
    return -1;
}

int gdb_history_note_event(struct gdb_target *target, const struct trace_event *event)
{
    if (target->counting_later_tid && event->seq == target->count_from_seq) {
        target->counting_tid = target->counting_later_tid;
        target->counting_later_tid = 0;
    }
    for (int i = 0; i < target->task_event_count; i++) {
        if (target->task_events[i].tid == event->tid) {
            target->task_events[i].seq = event->seq;
            return 0;
        }
    }
    struct gdb_task_event *grown = array_grow(target->task_events, &target->task_event_capacity,
                                              target->task_event_count + 1, sizeof *grown, 8);
    if (!grown)
        return -1;
    target->task_events = grown;
    target->task_events[target->task_event_count++] = (struct gdb_task_event){event->tid, event->seq};
    return 0;
}

int gdb_history_reverse(struct gdb_target *target, bool step, int32_t tid)
{
    target->at_begin = false;
    if (step) {
        const struct gdb_history_entry *last = &target->history[target->history_count - 1];
        if (last->mode == GDB_RUN_STEP && last->step_tid == tid && target->history_count - 1 > history_floor(target)) {
            drop_from(target, target->history_count - 1);
            target->rerun = GDB_RERUN_REPLAY;
        } else if (last->count_tid && last->count_tid != tid) {
            error_set("reverse-stepi of thread %d after one of thread %d's", tid, last->count_tid);
            return -1;
        } else {
            /* Counted from the thread's last event in this entry, if any: its
             * steps since its last syscall, not since the entry began. */
            target->rerun = GDB_RERUN_COUNT;
            target->reverse_tid = tid;
            int64_t since = last_event_of(target, tid);
            target->reverse_from_seq = last->count_tid ? last->count_from_seq
                                                       : since > target->entry_start_seq ? since : -1;
        }
    } else {
        target->rerun = GDB_RERUN_COLLECT;
        target->found_entry = -1;
    }
    if (load(target, 0) < 0)
        return -1;
    target->restart = true;
    return 0;
}

int gdb_history_go_to_event(struct gdb_target *target, int64_t seq)
{
    drop_from(target, 0);
    target->rerun = GDB_RERUN_REPLAY;
    target->at_begin = false;
    struct gdb_history_entry entry = {GDB_RUN_GOTO, 0, seq, NULL, 0, 1, 0, -1, 0, -1, 0};
    if (append(target, entry) < 0 || load(target, 0) < 0)
        return -1;
    target->restart = true;
    return 0;
}

void gdb_history_free(struct gdb_target *target)
{
    free(target->task_events);
    drop_from(target, 0);
    free(target->history);
    target->history = NULL;
    target->history_capacity = 0;
}
