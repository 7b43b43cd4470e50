/*
 * gdb_fork.c — gdb following a fork in a replay (issue 15). gdb debugs one
 * recorded process at a time (target->debugged_pid). When gdb asked for
 * fork events and multiprocess thread ids (qSupported), a fork of the
 * debugged process (a new process: not a thread, not a vfork child, which
 * shares its parent's memory until it execs) stops the run just after the
 * fork's event, told as `fork:pCHILD.CHILD` in the stop reply. gdb then
 * detaches one side (`D;PID`): the child (follow-fork-mode parent, the
 * default), or the parent, and the process debugged from then on is the
 * child. The child never leaves the replay: only what gdb sees of it does.
 *
 * Before it detaches a side, gdb takes its breakpoints out of that side
 * (z packets): in a replay breakpoints live in gdb's one set, armed in the
 * debugged process only while it runs, so the set as it was at the fork
 * stop is put back at the D. The process debugged is kept in each history
 * entry (gdb_history.c): going back across the fork debugs the parent again.
 */
#include "gdb_target.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "replayer.h"

size_t gdb_thread_id_text(struct replayer *rep, int32_t tid, char *out, size_t size)
{
    const struct replay_task *rt = replay_tasks_find(rep, tid);
    if (!rep->debugger->multiprocess)
        return (size_t)snprintf(out, size, "%x", (unsigned)tid);
    return (size_t)snprintf(out, size, "p%x.%x", (unsigned)(rt ? rt->group : tid), (unsigned)tid);
}

/* The process a fork by `rt` in `event` made, or NULL. */
static struct replay_task *forked_process(struct replayer *rep, const struct replay_task *rt,
                                          const struct trace_event *event)
{
    if (event->kind != EVENT_SYSCALL || event->result <= 0 || event->result > INT32_MAX)
        return NULL;
    struct replay_task *child = replay_tasks_find(rep, (int32_t)event->result);
    if (!child || !replay_task_alive(child) || child->recorded_tid != child->group || child->group == rt->group ||
        child->process == rt->process)
        return NULL;
    return child;
}

int gdb_fork_after_event(struct replayer *rep, const struct replay_task *rt, const struct trace_event *event)
{
    struct gdb_target *target = rep->debugger;
    if (!target->fork_events || !target->multiprocess || target->rerun != GDB_RERUN_NONE || !rt ||
        rt->group != target->debugged_pid)
        return 0;
    struct replay_task *child = forked_process(rep, rt, event);
    if (!child)
        return 0;
    uint64_t *copy = malloc(sizeof *copy * (size_t)(target->set_count + 1));
    if (!copy) {
        error_set("out of memory");
        return -1;
    }
    memcpy(copy, target->set, sizeof *copy * (size_t)target->set_count);
    free(target->fork_set);
    target->fork_set = copy;
    target->fork_set_count = target->set_count;
    target->fork_child_pid = child->group;
    /* The run ends here, in the history too: going back reaches this stop. */
    target->end_seq = target->history[target->entry].end_seq = event->seq;
    return gdb_target_report_stop(rep, rt->recorded_tid, SIGTRAP, false, 0) < 0 ? -1 : 1;
}

size_t gdb_fork_stop_text(struct replayer *rep, char *out, size_t size)
{
    int32_t child = rep->debugger->fork_child_pid;
    if (!child)
        return 0;
    size_t n = (size_t)snprintf(out, size, "fork:");
    n += gdb_thread_id_text(rep, child, out + n, size - n);
    n += (size_t)snprintf(out + n, size - n, ";");
    return n;
}

bool gdb_fork_detach(struct gdb_target *target, int32_t pid)
{
    int32_t child = target->fork_child_pid;
    if (!child || (pid != child && pid != target->debugged_pid))
        return false; /* gdb leaves the replay */
    if (pid == target->debugged_pid)
        target->debugged_pid = child; /* follow-fork-mode child */
    free(target->set);
    target->set = target->fork_set;
    target->set_count = target->set_capacity = target->fork_set_count;
    target->fork_set = NULL;
    target->fork_set_count = 0;
    target->fork_child_pid = 0;
    return true;
}
