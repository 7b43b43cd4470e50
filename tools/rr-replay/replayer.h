/*
 * replayer.h — the replay session: rebuilds the recorded program from the
 * trace and re-executes it, emulating the kernel from the recorded events.
 * The loop is in replay_session.c; each concept it calls on has a file of its
 * own: replay_step.c, replay_tasks.c, replay_syscall.c, replay_clone.c,
 * replay_exec.c, replay_exit.c, replay_signal.c, replay_events_out.c,
 * address_space.c, landmark_search.c, nested_tracing.c.
 */
#ifndef RRDB_REPLAYER_H
#define RRDB_REPLAYER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/user.h>

#include "event_log.h"
#include "syscall_buffer_abi.h"
#include "task_stream.h"
#include "output_check.h"
#include "output_fds.h"
#include "task.h"
#include "trace_verify.h"
#include "watchdog.h"

struct trace_store;
struct trace_reader;
struct gdb_target;
struct trace_syscalls;

enum replay_outcome {
    REPLAY_MATCHED = 0,     /* reached the end of the recording, every event matched */
    REPLAY_DIVERGED = 1,    /* a mismatch, reported on stderr */
    REPLAY_FAILED = 2,      /* the trace is unusable or cut short, or a system error */
};

/* What tasks sharing an address space share (CLONE_VM: threads, and a
 * vfork child until it execs). Begins with its user count (replay_shared_state). */
struct replay_process {
    int users;                      /* tasks pointing here */
    uint64_t current_brk;           /* the program break, as replay has mapped it */
    struct {                        /* replay_buffered.c: its syscall buffer */
        bool present;               /* the library is mapped (since its last exec) */
        bool off;                   /* switched off when recorded */
    } sb;
};

/* What tasks sharing a descriptor table share (CLONE_FILES: threads). */
struct replay_files {
    int users;
    struct output_fds outputs;
};

/* Where a replay task stands between its events, when that is not simply
 * where its last event left it: its next event starts from there. */
enum replay_stopped_at {
    STOPPED_AFTER_EVENT = 0,   /* where its last event left it */
    STOPPED_AT_ENTRY,          /* at a syscall entry an enter event (or a tracer's stop) reached:
                                  its next event is that syscall (parked_regs) */
    STOPPED_AT_LANDMARK,       /* at a landmark (a SIGTRAP stop) */
    STOPPED_AT_SIGNAL,         /* at a signal-delivery stop: where a tracer saw a signal
                                  (nested tracing), or a new task's first SIGSTOP */
};

/* One replayed task: a live thread standing for a recorded tid. */
struct replay_task {
    int32_t recorded_tid;
    int32_t group;                  /* recorded thread group id */
    struct task task;
    enum task_end end;              /* TASK_END_NONE while alive */
    int end_value;                  /* its exit status or killing signal */
    int deliver_signo;              /* passed with the next resume */
    /* at a syscall that waited under a temporary signal mask (rt_sigsuspend,
     * pselect6, ppoll, epoll_pwait) and was interrupted by a signal */
    bool masked_wait_pending;
    uint64_t masked_wait_mask;      /* address of the temporary mask */
    int64_t masked_wait_result;     /* what the syscall returned */
    bool exiting;                   /* called exit; its death is collected at its exit event */
    bool restart_pending;           /* the last syscall returned -ERESTART*: restart it
                                       unless a signal is delivered next */
    struct replay_process *process;
    struct replay_files *files;
    enum replay_stopped_at stopped_at;
    bool single_step;               /* run one instruction only (a tracer single-stepped it) */
    struct user_regs_struct parked_regs;
    uint64_t runs;                  /* times resumed towards a stop (replay_buffered.c) */
    bool vfork_pending;             /* in a real vfork until its child execs or exits */
    struct user_regs_struct vfork_regs; /* what it returns with */
};

static inline bool replay_task_alive(const struct replay_task *rt)
{
    return rt->end == TASK_END_NONE;
}

struct replayer {
    struct trace_store *store;
    struct trace_reader *reader;    /* reads the trace's own syscall table */
    const struct trace_syscalls *syscalls; /* the table the trace was recorded with */
    bool quiet;
    bool verbose;                   /* print each event as it is replayed */
    int pinned_cpu;
    bool cpuid_trapped;
    bool rdtsc_patched;             /* the recorder made rdtsc trap by rewriting it (meta.rdtsc) */
    bool syscall_buffer;            /* recorded with the syscall buffer (meta.syscall_buffer) */

    struct replay_task **tasks;
    int task_count, task_capacity;
    struct replay_task *initial;    /* the program rr-record started */
    struct replay_task *cur;        /* the task of the event being replayed */

    struct mem_write_record pending_write; /* the next unconsumed mem_write row */
    bool has_pending_write;
    bool writes_exhausted;

    struct trace_store *events_out; /* --events: the observed stream, or NULL */
    struct trace_task *recorded_tasks; /* for events_out: where each task was created, */
    int recorded_task_count;           /* in creation order (task_stream_tasks) */
    int next_created_task;             /* the first whose creation is not written yet */
    const char *command;            /* the recorded command line, for events_out */
    struct trace_event observed;    /* what the replay saw at the current event */
    bool has_observed;

    struct output_check output;     /* what it shows, checked against the recording's */
    int64_t events_replayed;
    enum trace_end trace_end;       /* how the recording ended (trace_verify.h), once replayed to its end */
    int64_t corrupt_seq;            /* --test-corrupt-result: this emulated result is made wrong (0: none) */

    struct replay_watchdog watchdog;
    struct gdb_target *debugger;    /* --gdb, --gdb-server: gdb's control (gdb_target.h), or NULL */
    struct replay_buffered *buffered; /* replay_buffered.c, or NULL */
};

/* Replay the whole trace. */
enum replay_outcome replayer_run(struct replayer *rep);

/* replay_tasks.c: the task table and the state tasks share. */
/* The task standing for `recorded_tid` (the latest), or NULL. */
struct replay_task *replay_tasks_find(struct replayer *rep, int32_t recorded_tid);
/* A replay task standing for `recorded_tid`, driven through live task `tid`;
 * NULL (an error set) when process or files is NULL or the task cannot be opened. */
struct replay_task *replay_tasks_add(struct replayer *rep, int32_t recorded_tid, pid_t tid,
                                     struct replay_process *process, struct replay_files *files);
/* rt died (stop: STOP_EXITED or STOP_KILLED): note how. */
void replay_tasks_note_death(struct replay_task *rt, const struct task_stop *stop);
/* A state shared between tasks (struct replay_process or replay_files, both
 * beginning with their user count): `share` itself with one more user, or a
 * copy of `copy` (a fork), or a fresh one. */
void *replay_shared_state(void *share, const void *copy, size_t size);
void replay_shared_state_release(void *state);
/* The first task's descriptors: stdout and stderr are the recording's. */
struct replay_files *replay_tasks_initial_files(void);

/* replay_step.c: running the current task to a stop. */
/* An event described in words, for reports. */
void replayer_describe_event(const struct trace_event *event, char *text, size_t size);
/* Resume (passing any signal due for delivery) and wait for the next stop. */
int replay_step_run_to_stop(struct replayer *rep, struct task_stop *stop);
/* Resume to the next syscall stop; anything else is a failure named by `what`. */
int replay_step_to_syscall_stop(struct replayer *rep, const char *what);
/* From a SYSEMU entry stop, move to the (skipped) syscall's exit stop, where
 * syscalls can be injected. */
int replay_step_leave_entry(struct replayer *rep);

/* One replay function per event kind (or syscall family). */
enum replay_outcome replay_syscall(struct replayer *rep, const struct trace_event *event);  /* replay_syscall.c */
enum replay_outcome replay_enter(struct replayer *rep, const struct trace_event *event);    /* replay_syscall.c */
/* Memory another process or the kernel changed in the task's shared
 * mappings while it did not run: written in before it runs on. */
enum replay_outcome replay_shared_memory(struct replayer *rep, const struct trace_event *event); /* replay_syscall.c */
enum replay_outcome replay_exec(struct replayer *rep, const struct trace_event *event);     /* replay_exec.c */
enum replay_outcome replay_clone(struct replayer *rep, const struct trace_event *event,     /* replay_clone.c */
                                 struct user_regs_struct *regs);
/* replay_exit.c: the current task, a thread, exits alone through the
 * trampoline, now (its death noted). */
int replay_exit_end_thread(struct replayer *rep, int status);
/* An exec is coming in the current task's process: every other thread of it
 * but `keep` ends now (the kernel's exec waits until its tracer has reaped
 * them; their exit events, which the recording may show later, find them
 * ended as recorded). */
int replay_exit_end_other_threads(struct replayer *rep, const struct replay_task *keep);
/* Out of a syscall's entry stop, if the current task is at one. */
int replay_exit_leave_syscall(struct replayer *rep);
/* The current task, stopped after its last event, makes syscall `nr` (arg0)
 * with the `syscall` instruction at `at` (the trampoline's, TRAMPOLINE_ADDR,
 * or one of the program's) and must die of it: its death noted, or with
 * collect_later, once it has exited, left to its exit event to collect (a
 * thread group leader's death is reported only after its other threads'). */
int replay_exit_die_by_syscall(struct replayer *rep, uint64_t at, long nr, uint64_t arg0, bool collect_later);
/* replay_filter_kill.c: a task the program's seccomp filter or strict mode
 * killed in the syscall of `event`, when recorded: killed the same way here. */
enum replay_outcome replay_filter_kill_in_syscall(struct replayer *rep, const struct trace_event *event);
/* At the exit event of a thread a filter killed with its process (SIGSYS,
 * without an event of its own): the same. */
int replay_filter_kill_thread(struct replayer *rep);
enum replay_outcome replay_exit_syscall(struct replayer *rep, const struct trace_event *event, /* replay_exit.c */
                                        struct user_regs_struct *regs);
enum replay_outcome replay_exit(struct replayer *rep, const struct trace_event *event);     /* replay_exit.c */
enum replay_outcome replay_cpu_trap(struct replayer *rep, const struct trace_event *event); /* replay_signal.c */
enum replay_outcome replay_signal(struct replayer *rep, const struct trace_event *event);   /* replay_signal.c */

/* replay_clone.c: a vfork parent's next event: its vfork has returned by
 * now; give it the recorded result. */
int replay_clone_finish_vfork(struct replay_task *parent);
/* replay_signal.c: the kernel restarted the current task's interrupted
 * syscall when recorded: do the same. */
int replay_signal_restart_syscall(struct replayer *rep);
/* replay_events_out.c: --events: write the event as the replay observed it. */
int replay_events_out_write(struct replayer *rep, const struct trace_event *event);

/* address_space.c: replace the task's address space with the one recorded
 * by exec event `seq`, and load the registers stored with it. */
int address_space_restore(struct replayer *rep, const struct trace_event *exec_event);

/* Resume the current task (passing any signal due for delivery), wait for
 * its next stop, and note in rep->observed what the replay saw there. */
int replayer_run_and_observe(struct replayer *rep, const struct trace_event *event,
                             struct task_stop *stop, struct user_regs_struct *regs);

/* Run the current task to the stop `event` needs (want; want_signo for a
 * signal stop) and check the registers there against the event's. */
enum replay_outcome replayer_reach(struct replayer *rep, const struct trace_event *event,
                                   enum stop_kind want, int want_signo, struct user_regs_struct *regs);
/* Compare registers against the event's; report a divergence if they differ. */
enum replay_outcome replayer_compare_regs(const struct trace_event *event, const struct user_regs_struct *actual);
/* Report the error in error_text() and return REPLAY_FAILED. */
enum replay_outcome replayer_failed(void);
/* Set the recorded siginfo of `event` as the current task's signal. */
int replayer_set_recorded_siginfo(struct replayer *rep, const struct trace_event *event);
/* The current task's pending masked wait, for real, ended by `signo`. */
int replayer_run_masked_wait(struct replayer *rep, int signo);
/* Write the memory rows of event `seq` into the current task. */
int replayer_apply_mem_writes(struct replayer *rep, int64_t seq);

/* nested_tracing.c: a recorded tracer's view of its tracees (see there). */
enum replay_outcome replay_tracee_stop(struct replayer *rep, const struct trace_event *event);
enum replay_outcome replay_tracer_write(struct replayer *rep, const struct trace_event *event);

/* landmark_search.c: run the current task to landmark `event`. */
enum replay_outcome replay_landmark(struct replayer *rep, const struct trace_event *event);
/* Does the task stand at the landmark: all registers and the stack hash? */
bool at_landmark(struct task *task, const struct trace_event *event, const struct user_regs_struct *regs);
/* Run the task to the event's ip (a hardware breakpoint) until its registers
 * are the recorded ones (and the stack hash, for a landmark). */
enum replay_outcome replay_breakpoint_search(struct replayer *rep, const struct trace_event *event);

/* Kill every live replay task and free them. */
void replayer_free(struct replayer *rep);

/* Report a divergence (one line) and return REPLAY_DIVERGED. */
enum replay_outcome replayer_diverged(const struct trace_event *event, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* replay_buffered.c: calls made through the syscall buffer. Only one task
 * at a time has buffered calls still to make (its next event follows them). */
struct replay_buffered {
    struct sb_record *queue;        /* the calls to answer before the owner's next event */
    uint32_t queued, capacity;
    uint32_t written;               /* of them, put in the buffer so far */
    int32_t owner;                  /* the recorded task they are of */
    int64_t first_seq;              /* the event of the first */
    uint64_t runs_at_fill;          /* the owner's runs when the first was queued */
};
void replay_buffered_after_exec(struct replayer *rep);
int replay_buffered_before_run(struct replayer *rep);
/* After a stop: 1 when it was the library asking for more records (put in:
 * run on), 0 for any other stop, -1 on error. */
int replay_buffered_refill(struct replayer *rep, const struct task_stop *stop);
void replay_buffered_free(struct replayer *rep);
enum replay_outcome replay_buffered_syscall(struct replayer *rep, const struct trace_event *event);
/* At a syscall stop in the library (a call it did not answer): which buffered call it should have been. */
enum replay_outcome replay_buffered_at_stop(struct replayer *rep, const struct trace_event *event,
                                            const struct user_regs_struct *regs);
enum replay_outcome replay_buffered_check(struct replayer *rep, const struct trace_event *event);

#endif
