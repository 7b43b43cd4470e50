/*
 * inner_events.h — one inner tracee's program events, read off what its
 * tracer saw and did. In a recording of rr-replay (the inner tracer), each
 * task rr-replay re-executes (an inner tracee) has tracee_stop events (where
 * the replayer saw it stop) and tracer_write events (what the replayer changed
 * in it). Fed those in order, this turns them back into the events the
 * replayed program went through, of the kinds a recording has: syscalls with
 * their arguments, result and memory written, signals, rdtsc/cpuid traps,
 * landmarks, execs and the exit. The replayer's own bookkeeping (its injected
 * syscalls, the rebuild of an address space, a new process's first SIGSTOP,
 * group stops) makes no event.
 */
#ifndef RRDIFF_INNER_EVENTS_H
#define RRDIFF_INNER_EVENTS_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/user.h>

#include "event_source.h"

struct tracee_stops;

enum inner_pending {
    PENDING_NONE,
    PENDING_START,    /* the replay's first process, from its first stop to its first program event */
    PENDING_SYSCALL,  /* a program syscall entered; an exec when PTRACE_EVENT_EXEC follows */
    PENDING_SIGNAL,   /* a signal stop: a signal, an rdtsc/cpuid trap or a landmark */
};

enum { INNER_READY_MAX = 4 };

struct inner_events {
    struct event_source *outer;     /* the outer recording, read as it is: siginfo blobs */
    struct tracee_stops *tracees;
    int32_t tid;                    /* the tracee's tid in the outer recording */
    bool first_process;
    bool stopped_before;            /* its first stop (SIGSTOP, a new process) is behind */

    /* The program event being built, from its stop until the program runs on. */
    enum inner_pending pending;
    struct source_event event;
    struct user_regs_struct stop_regs;
    int64_t stop_seq;
    int32_t stop_si_code;
    /* The registers the program runs on with: the last set the tracer wrote
     * or a stop showed, outside the trampoline page (and, for a syscall, not
     * the replayer's rewind onto the syscall instruction to run it again). */
    struct user_regs_struct resume_regs;
    int64_t resume_seq;
    bool outcome_written;           /* the tracer wrote registers the program runs on with */
    /* The replayer has moved on to preparing the next event (it injected a
     * syscall after writing this one's outcome, e.g. to map a landmark
     * search's stub): what it writes now is not this event's. */
    bool closed;
    bool injected;                  /* the replayer ran a syscall of its own in the tracee */
    bool search_over;               /* a landmark search cleared its breakpoint: found */
    int64_t exec_seq;               /* PTRACE_EVENT_EXEC: the syscall was an execve that succeeded */
    int64_t fork_seq;               /* PTRACE_EVENT_FORK/VFORK/CLONE: where a recording completes it */
    bool delivered;                 /* the signal was delivered for real */
    int32_t killed_by;              /* SYSCALL_KILLED_BY_*: a syscall it made killed it (a
                                       seccomp kill or strict mode the replayer armed) */
    bool search_trap;               /* a SIGTRAP stop of the replayer's landmark search */

    /* How the replayer's landmark search stops the task, when armed: its
     * hardware breakpoint (DR0 at the landmark, DR7 enabling it alone for
     * execution) or its stub's jump written over the landmark. A SIGTRAP
     * stop is the search's only then; any other is the program's own (a
     * debugger's breakpoint or watchpoint, the replayer sending SIGTRAP at
     * a syscall boundary). */
    uint64_t dr0, dr7;
    uint64_t stub_patch_at;         /* 0: no stub jump in place */
    uint64_t soft_break_at;         /* 0: no int3 of the search in place (where
                                       hardware breakpoints never fire) */
    bool siginfo_written;           /* the tracer set the siginfo (a signal sent at a boundary) */
    bool fault_placed;              /* ... of a fault the program's instruction raised, where the
                                       tracer's breakpoint found that instruction (a SIGBUS
                                       past a file's end, which replay's memory does not raise) */
    int32_t written_si_code;
    int64_t written_siginfo;

    /* Events complete and not yet handed out. */
    struct source_event ready[INNER_READY_MAX];
    int ready_head, ready_count;
};

void inner_events_init(struct inner_events *inner, struct event_source *outer,
                       struct tracee_stops *tracees, int32_t tid, bool first_process);
/* One event of the tracee in the outer recording, in order. 0 or -1. */
int inner_events_feed(struct inner_events *inner, const struct source_event *outer);
/* The outer recording has no more events of the tracee. 0 or -1. */
int inner_events_end(struct inner_events *inner);
/* The next complete event into *event: 1, or 0 when none is ready. -1 on error. */
int inner_events_take(struct inner_events *inner, struct source_event *event);
void inner_events_free(struct inner_events *inner);

/* A SIGSEGV stop at `at` (SI_KERNEL, not delivered) after which the tracer
 * set registers `after`: when it stepped the program past an rdtsc, rdtscp
 * or cpuid, turn `event` into that instruction with the values it was given
 * and return true; false (event unchanged) otherwise. rdtsc and cpuid are
 * both two bytes long: `code`, the two bytes at the stop when known (NULL
 * otherwise), tells them apart; without them, a cpuid is one that changed
 * rbx or rcx (one that left both as they were reads as an rdtsc). */
bool inner_cpu_trap(struct trace_event *event, const struct user_regs_struct *at,
                    const struct user_regs_struct *after, const unsigned char *code);

/* Whether a trap stepped over from `at` to `after` needs its code bytes to
 * be told apart (inner_cpu_trap): two bytes, rbx and rcx as they were. */
bool inner_cpu_trap_ambiguous(const struct user_regs_struct *at, const struct user_regs_struct *after);

#endif
