/*
 * inner_view.h — INNER as rr-diff --nested compares it: a recording whose
 * program was itself a tracer (or wrote another process's memory) holds
 * nested-tracing events, tracee_stop and tracer_write, that its replay
 * under a recorder shows only as what the replayer did to the task. This
 * view folds them into the program events that the nested source
 * (inner_events.c) rebuilds from the same replay:
 *   - a syscall-entry stop that was skipped (PTRACE_SYSEMU) is a syscall,
 *     completed by what the tracer then wrote (rax: its result);
 *   - a signal stop is a signal (siginfo, si_code, from an instruction or
 *     sent), whether or not the tracer passes it on;
 *   - registers a tracer writes after a syscall are those the program goes
 *     on with: their rax is the syscall's result;
 *   - memory a tracer writes belongs to the task's last event (to the
 *     syscall's completion when the task is inside one), and so does
 *     shared memory changed from outside (a shared_memory event), which the
 *     replayer writes in the same way; before the task's first event,
 *     neither side keeps it;
 *   - other stops (entry of a syscall that runs, exit, ptrace event, group
 *     stop) and other writes (a register set, a user-area word, siginfo)
 *     make no event: the replay does not show them apart.
 * Every other event passes as it is.
 */
#ifndef RRDIFF_INNER_VIEW_H
#define RRDIFF_INNER_VIEW_H

#include "event_source.h"

/* Wrap `inner` (owned from now on). NULL with error_text() on failure. */
struct event_source *inner_view_open(struct event_source *inner);

#endif
