/*
 * watchdog.h — the replay's watchdog: a replay that diverged into a loop
 * without syscalls, or a landmark search that never meets its landmark,
 * ends with one line saying what the replay was doing, and status 1,
 * instead of running forever. See watchdog.c.
 */
#ifndef RRDB_REPLAY_WATCHDOG_H
#define RRDB_REPLAY_WATCHDOG_H

#include <stdbool.h>
#include <stdint.h>

#include "trace_event.h"

struct replayer;

enum {
    WATCHDOG_DEFAULT_PATIENCE_MS = 10000,
};

/* What the replay is doing for the current event, for the report. */
enum watchdog_activity {
    WATCHDOG_RUNNING,             /* running the program to the event's stop */
    WATCHDOG_STUB_SEARCH,         /* searching a landmark with its stub in the program */
    WATCHDOG_BREAKPOINT_SEARCH,   /* searching a landmark with a hardware breakpoint */
};

struct replay_watchdog {
    int64_t patience_ms;          /* what every event gets (--patience), plus 20x its recorded time */
    const struct trace_event *event; /* the event being replayed */
    int64_t previous_at_ms;       /* when the event before it was recorded */
    int64_t armed_at_ms;
    int64_t deadline_ms;
    int64_t armed_cpu_ms;         /* CPU time the replay had used when armed */
    int tracee;                   /* the event's task, once the replay reaches it (0: not yet) */
    int tracee_process;           /* its process, whose CPU time counts with the replayer's: a
                                     process clock needs the thread group's id, not a thread's */
    bool fired;                   /* the task was killed and the report printed */
    enum watchdog_activity activity;
    uint64_t search_ip;           /* the landmark searched for */
    long breakpoint_passes;       /* breakpoint stops so far */
    uint64_t stub_passes_addr;    /* where the stub counts the passes through it */
};

/* Start the timer; the patience is rep->watchdog.patience_ms (0: default). */
void watchdog_start(struct replayer *rep);
/* A new event is being replayed: its deadline starts now. */
void watchdog_arm(struct replayer *rep, const struct trace_event *event);
/* The event was replayed. */
void watchdog_event_done(struct replayer *rep, const struct trace_event *event);
/* Called after every stop of the program: fire if a tick came and the
 * deadline is past. True once the watchdog has fired. */
bool watchdog_poll(struct replayer *rep);
/* The replay stood still for `paused_ms` while a debugger held it (gdb_target.c):
 * that time does not count against the event. */
void watchdog_pause_ended(struct replayer *rep, int64_t paused_ms);

#endif
