/*
 * replay_events_out.c — `rr-replay --events FILE`: the event stream the
 * replay observed, written as a trace of its own (events, the memory writes
 * replay applied, the task table), which rr-diff compares with the
 * recording.
 */
#include "replayer.h"

#include "event_log.h"

/* --events: the event as the replay observed it (the recorded one where the
 * replay had nothing of its own to observe, as for an exec's new image). */
int replay_events_out_write(struct replayer *rep, const struct trace_event *event)
{
    struct trace_event seen = rep->has_observed ? rep->observed : *event;
    seen.seq = event->seq;
    seen.tid = event->tid;
    seen.extra_blob = 0; /* blob ids belong to the source trace */
    if (event->seq == 0 && event_log_task_started(rep->events_out, event->tid, event->tid, 0, 0,
                                                  rep->command ? rep->command : "") < 0)
        return -1;
    if (event_log_append(rep->events_out, &seen) < 0)
        return -1;
    /* The tasks this event created, as the recording lists them: rr-diff
     * pairs tasks by creation order. */
    for (; rep->next_created_task < rep->recorded_task_count &&
           rep->recorded_tasks[rep->next_created_task].created_seq <= event->seq;
         rep->next_created_task++) {
        const struct trace_task *task = &rep->recorded_tasks[rep->next_created_task];
        if (task->created_seq == event->seq && task->tid != event->tid &&
            event_log_task_started(rep->events_out, task->tid, task->pid, task->ppid, event->seq, task->command) < 0)
            return -1;
    }
    if (seen.kind == EVENT_EXIT) {
        int value;
        enum task_end end = task_end_of_exit_event(&seen, &value);
        return event_log_task_ended(rep->events_out, seen.tid, seen.seq, end, value);
    }
    return 0;
}
