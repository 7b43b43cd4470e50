/*
 * recorder.h — the recording session: runs a program and every process it
 * creates under ptrace, one task at a time, and writes what they observe into
 * a trace. main.c handles the command line; the session's loop is in
 * record_session.c, and each concept it calls on has a file of its own:
 * record_scheduler.c, record_tasks.c, record_syscall.c, record_signal.c,
 * exec_capture.c, preemption.c, passed_output.c, and nested tracing
 * (ptrace_emulation.h).
 */
#ifndef RRDB_RECORDER_H
#define RRDB_RECORDER_H

#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/user.h>

#include "chaos.h"
#include "cpu_traps.h"
#include "kernel_writes.h"
#include "mapping_cache.h"
#include "output_order.h"
#include "ptrace_emulation.h"
#include "substitute_answers.h"
#include "syscall_buffer.h"
#include "task.h"
#include "trace_event.h"

/* The recorder's ptrace options for every task (PTRACE_O_TRACESECCOMP is
 * added with the syscall buffer's filter). */
#define RECORD_PTRACE_OPTIONS                                                                                    \
    (PTRACE_O_TRACESYSGOOD | PTRACE_O_TRACEEXEC | PTRACE_O_EXITKILL | PTRACE_O_TRACEFORK | PTRACE_O_TRACEVFORK | \
     PTRACE_O_TRACECLONE)

struct trace_store;
struct seccomp_chain;
struct shared_process;

/* shared_memory.c: per process, its shared mappings as replay has them. */
struct shared_memory {
    struct shared_process *procs;
    int count, capacity;
    unsigned char *buffer;        /* a region's current bytes */
    size_t buffer_size;
};

/* How far a recorded task is in ending (it only moves forward). */
enum rec_task_life {
    TASK_LIVE = 0,
    TASK_EXITING,       /* called exit: dies as it is resumed, before any other task runs */
    TASK_GROUP_EXITING, /* its thread group called exit_group: it only dies now */
    TASK_DEAD,          /* its death is recorded */
};

/* One recorded task: a thread, alone in its process or not. */
struct rec_task {
    struct task task;
    int32_t pid;                  /* its thread group */
    int32_t parent;               /* tid of the task that created it (0: none) */
    bool announced;               /* its creation is in the trace, so it may run */
    bool at_initial_stop;         /* a new child's first stop (SIGSTOP): suppressed */
    enum rec_task_life life;
    bool exec_recorded;           /* an exec of its own is in the trace */
    bool job_stopped;             /* in a group stop (SIGSTOP, SIGTSTP…) until SIGCONT */

    /* a stop that arrived while another task ran, handled when it is scheduled */
    bool has_pending_stop;
    struct task_stop pending_stop;
    uint64_t ready_since;         /* scheduling order of pending stops */
    uint32_t chaos_priority;      /* chaos.c: with --chaos, the ready task with the highest runs */

    /* syscall in progress (between entry and exit stops) */
    bool in_syscall;
    struct user_regs_struct entry_regs;
    bool skipped;                 /* the recorder made the kernel skip it */
    int64_t skipped_result;       /* what the program is told instead */
    uint64_t skipped_store_at;    /* where that answer stores an int too (0: nowhere) */
    int skipped_store;            /* the int it stores */
    bool recorded_at_event;       /* a clone, recorded at its fork/clone event stop */
    /* what the call's arguments point at, read at entry (path strings, the
     * structs of `in:` kinds), stored with the syscall's event for the views */
    int kept_count;
    struct { uint64_t addr; size_t len; unsigned char bytes[4096]; } kept[3];
    bool entry_unmarked;          /* in a syscall whose entry is not in the trace yet */
    uint64_t entered_at;          /* order of syscall entries, for the markers */
    struct rec_task *vfork_child; /* until it execs or dies, this task is not scheduled */
    /* clone_untraced.c: the program's CLONE_UNTRACED, cleared for the kernel,
     * to put back after the clone (in the parent and in the child) */
    bool untraced_cleared;
    uint64_t untraced_flags;      /* the program's flags */
    uint64_t clone3_args;         /* clone3: its struct, where the flags are; 0 for clone */

    /* seccomp_filters.c: the filters it runs under (newest first), strict
     * mode, whether a filter answers the syscall in progress, and a filter
     * being installed (its bytes below the stack, to put back) */
    struct seccomp_chain *seccomp_filters;
    bool seccomp_strict;
    enum syscall_answered_by filtered; /* SYSCALL_RAN: the kernel runs the call */
    uint32_t filter_answer;
    struct {
        struct seccomp_chain *chain;
        unsigned char *saved;
        uint64_t at;
        size_t size;
    } filter_install;

    /* the last point where replay puts the task exactly: a syscall exit, an
     * exec, a landmark, a stop its tracer saw (and the registers the tracer
     * wrote there), to recognise signals delivered right there */
    bool at_syscall_exit;
    struct user_regs_struct exit_regs;

    /* preemption (preemption.c): a SIGSTOP the recorder sent */
    bool preempt_requested;
    bool yield;                   /* give way to another task after this stop */

    /* nested tracing (ptrace_emulation.c) */
    struct inner_tracee inner;    /* as the tracee of a recorded process */
    bool held_in_wait;            /* a tracer whose wait has nothing to report yet */
    bool wait_interrupted;        /* sent a SIGSTOP to restart a wait as an emulated one */
    struct emulated_wait wait;
    bool wait_redirected;         /* its wait runs narrowed to one child: put back */
    uint64_t redirected_rdi, redirected_rsi;
    bool tsc_sigsegv;             /* it asked for SIGSEGV at rdtsc (PR_SET_TSC) */
    bool cpuid_sigsegv;           /* it asked for SIGSEGV at cpuid (ARCH_SET_CPUID 0) */
    bool opened_memory_file;      /* its process opened a /proc/…/mem (tracer_writes.c) */
    bool sigchld_sent;            /* a tracer told of a tracee's stop by a SIGCHLD… */
    siginfo_t sigchld_info;       /* …that gets this siginfo */

    /* a caught asynchronous signal, held until the next syscall boundary */
    bool has_deferred;
    siginfo_t deferred;
    int deliver_signo;            /* passed with the next resume */
    bool delivering_deferred;

    struct output_turn output;    /* output_order.c: its write to our stdout/stderr */
    bool ran_user_code;           /* resumed into user code since its last stop */
    struct rec_syscall_buffer sb; /* syscall_buffer.h */
    bool syscall_changes_shared;  /* the syscall it entered (shared_memory_changed_by) */
    /* robust_futex.c: the futex words of the robust mutexes it held when it
     * called exit, stored with that event once it is gone */
    uint64_t robust_words[64];
    int robust_count;
    int64_t robust_exit_seq;
};

/* Nested tracing (a recorded process that is itself a tracer), as the loop
 * sees it. The loop calls nested tracing only through these hooks, at fixed
 * points; nested tracing calls the loop's functions below (queue a task,
 * record a signal, handle a syscall entry). So the two do not call each
 * other in a circle. ptrace_emulation.h provides them (ptrace_emulation_hooks). */
struct nested_hooks {
    /* At a syscall entry: 1 emulated (t->skipped, t->skipped_result set; or
     * t->held_in_wait), 0 for the kernel, -1 on error. */
    int (*syscall_entry)(struct recorder *rec, struct rec_task *t, const struct user_regs_struct *regs);
    /* Before the loop handles a stop: 1 the stop is the inner tracer's, 0 the
     * loop handles it, -1 on error. */
    int (*before_stop)(struct recorder *rec, struct rec_task *t, const struct task_stop *stop);
    /* After the loop handled a stop: show it to the inner tracer if it would see it. */
    int (*after_stop)(struct recorder *rec, struct rec_task *t, const struct task_stop *stop, bool was_in_syscall);
    /* After a syscall is recorded: what it wrote into another task. */
    int (*after_syscall)(struct recorder *rec, struct rec_task *t, const struct trace_event *event);
    /* A recorded task sent SIGCONT to t. */
    int (*continued)(struct recorder *rec, struct rec_task *t);
    /* At each tick of the recorder's timer. */
    void (*tick)(struct recorder *rec);
    /* How to resume t (the inner tracer's single steps and SYSEMU). */
    enum resume_how (*resume_how)(const struct rec_task *t);
};

struct recorder {
    struct trace_store *store;
    const struct nested_hooks *nested; /* never NULL while recording */
    int64_t next_seq;
    int pinned_cpu;               /* the one CPU the program runs on */
    bool cpuid_native;            /* no CPUID faulting here: cpuid is not trapped */
    bool commit_timer;            /* arm a periodic SIGALRM once the program runs */
    struct chaos chaos;           /* rr-record --chaos (chaos.c) */
    int64_t committed_at_ms;      /* when the timer last committed the trace */
    bool syscall_buffer;          /* map the syscall buffer into every process (syscall_buffer.h) */

    struct rec_task **tasks;
    int task_count, task_capacity;
    int live_tasks;
    struct rec_task *initial;     /* the program rr-record started */
    struct rec_task *current;     /* the task running user code, or NULL */
    uint64_t ready_clock;
    /* preemption.c: the current task and next_seq at the last timer tick
     * (the same at the next tick: it ran a whole tick without an event) */
    struct rec_task *tick_task;
    int64_t tick_seq;             /* (not counting buffered events) */
    int64_t buffered_events;      /* syscall_buffer_fold.c: events folded from buffers so far */

    struct output_order output;   /* output_order.c: writes to our stdout/stderr */
    struct shared_memory shared;  /* shared_memory.c */
    struct mem_ranges ranges;
    unsigned char *copy_buffer;
    size_t copy_capacity;
    struct mapping_cache mapping_cache; /* mapping_cache.c: file mappings stored already */

    struct substitute_log substitutes; /* calls answered in the kernel's place */
    struct tsc_patches {               /* tsc_patching.c: rdtsc sites made to trap */
        bool on;
        struct tsc_patch { pid_t pid; uint64_t addr; } *items;
        int count, capacity;
    } tsc_patches;

    /* how it ended */
    int exit_status;              /* of the initial program, as a shell reports it */
    char stop_reason[256];        /* set when recording stopped early */
    int stopped_by_signal;        /* the recorder's SIGTERM, SIGHUP or SIGINT that stopped it, or 0 */
};

/* Fork and exec argv[0] (a path), record until every task has ended. Returns
 * 0 when the program ran to its end (exit_status set), -1 when recording
 * stopped early (stop_reason set; the trace keeps everything up to there). */
int recorder_run(struct recorder *rec, char *const argv[]);
/* -1 (the reason in error_text()) when the recorder was asked to stop by a
 * signal (SIGTERM, SIGHUP, a SIGINT sent to it), 0 otherwise. */
int recorder_check_stop_signal(struct recorder *rec);
/* Free what the recorder allocated. */
void recorder_free(struct recorder *rec);

/* exec_capture.c: at an exec event stop, arm the traps, hide the vDSO and
 * store the new address space as an exec event (of task `event_tid` in the
 * trace). */
int exec_capture(struct recorder *rec, struct rec_task *t, const struct user_regs_struct *entry_regs,
                 bool has_entry_regs, pid_t event_tid);
/* At the exec event stop of a thread that was not its process's leader (the
 * stop comes as the leader's tid, `leader`; `former` is the thread's): the
 * leader is gone, the thread goes on under the leader's tid. */
int exec_capture_from_thread(struct recorder *rec, struct rec_task *leader, pid_t former);

/* record_syscall.c: the clone flags of a fork-like syscall at its entry
 * (clone3: from its struct; 0 when unreadable). */
uint64_t record_syscall_clone_flags(struct rec_task *t, const struct user_regs_struct *regs);

/* substitute_answers.c: at a syscall's entry, should the recorder answer in
 * the kernel's place? true with *result (-errno) and a name for the warning
 * line in `what`, or false to let the kernel run it. desc may be NULL (a
 * number rrdb does not know). */
bool substitute_answer(struct rec_task *t, const struct syscall_desc *desc, const struct user_regs_struct *regs,
                       int64_t *result, char *what, size_t size);

/* clone_untraced.c: at a fork-like syscall's entry (regs: the program's),
 * clear CLONE_UNTRACED for the kernel so that the new task is traced; after
 * the call, in the parent (at its exit stop) and in the child (at its first
 * stop), put the program's value back. regs: the task's current registers. */
int clone_untraced_clear(struct rec_task *t, const struct user_regs_struct *regs);
int clone_untraced_restore(struct rec_task *t, struct user_regs_struct *regs);
/* The child of t inherits what is to be put back. */
void clone_untraced_inherit(struct rec_task *child, const struct rec_task *parent);

/* seccomp_filters.c. At a syscall's entry (regs: the program's): do t's
 * filters answer it in the kernel's place? Sets t->filtered. */
void seccomp_filters_decide(struct rec_task *t, const struct user_regs_struct *regs);
/* Before the kernel runs the call: a filter the program installs is
 * installed with the recorder's prefix. 0, or -1 (recording stops). */
int seccomp_filters_before_kernel(struct rec_task *t, const struct user_regs_struct *program_regs);
/* At the call's exit stop (regs: the task's, put back as the program left
 * them): what it installed is now in force. */
int seccomp_filters_after_kernel(struct recorder *rec, struct rec_task *t, struct user_regs_struct *regs,
                                 int64_t result);
/* A new task runs under its creator's filters; a task's own are let go. */
void seccomp_filters_inherit(struct rec_task *child, const struct rec_task *parent);
void seccomp_filters_release(struct rec_task *t);

/* pid_namespaces.c: at a clone's event stop, the new task `child` as its
 * caller sees it (*seen, the syscall's result) and, when that or the pid
 * the child sees itself as differ from `child`, a struct clone_pids blob
 * for the event (*extra_blob, else 0). */
int pid_namespace_clone_view(struct trace_store *store, pid_t caller, pid_t child, int64_t *seen,
                             int64_t *extra_blob);

/* passed_output.c: store what copy_file_range/sendfile moved to our stdout/stderr. */
int passed_output_capture(struct recorder *rec, struct rec_task *t, const struct trace_event *event);

/* record_tasks.c: the task table. */
/* The live task `tid`, or NULL. */
struct rec_task *record_tasks_find_live(struct recorder *rec, pid_t tid);
/* A new task `tid` (its memory file opened), or NULL. */
struct rec_task *record_tasks_add(struct recorder *rec, pid_t tid);
/* The task a stop came from: a task not seen before is a new child, added
 * at its initial stop. */
struct rec_task *record_tasks_for_stop(struct recorder *rec, pid_t tid);
/* t died (stop: STOP_EXITED or STOP_KILLED): record its exit event. */
int record_tasks_exit(struct recorder *rec, struct rec_task *t, const struct task_stop *stop);
/* t is gone without a death to record (a leader replaced by an exec'ing thread). */
void record_tasks_forget(struct recorder *rec, struct rec_task *t);

/* record_scheduler.c: which task runs next. */
/* The task with the oldest pending stop that may run, or NULL. */
struct rec_task *record_scheduler_pick_ready(struct recorder *rec);
/* Before task `next` runs user code: enter events for the tasks inside
 * syscalls they entered before, in the order they entered. */
int record_scheduler_mark_entries(struct recorder *rec, struct rec_task *next);
/* Wait for the current task's next stop (*stop; rec->current set when there
 * was none): 0, 1 when every task has ended, -1 on error. */
int record_scheduler_next_stop(struct recorder *rec, struct task_stop *stop);

/* record_syscall.c */
/* At a syscall-exit stop of t: record the syscall. */
int record_syscall_exit(struct recorder *rec, struct rec_task *t);
/* At the parent's fork/vfork/clone event stop: record the clone. */
int record_syscall_clone_event(struct recorder *rec, struct rec_task *t, int ptrace_event);

/* record_signal.c */
/* At a signal stop of t. */
int record_signal_stop(struct recorder *rec, struct rec_task *t, int signo);
/* t stands (at `regs`) where replay puts it exactly (see at_syscall_exit). */
void record_signal_known_point(struct rec_task *t, const struct user_regs_struct *regs);
/* Is t, at `regs`, still at that point? */
bool record_signal_at_known_point(const struct rec_task *t, const struct user_regs_struct *regs);
/* Hold the asynchronous signal `info` of t until t stands at a known point
 * (one at a time: a standard signal does not queue twice). */
void record_signal_hold(struct rec_task *t, const siginfo_t *info);
/* t is at a known point: its held signal, if any, comes with its next resume. */
void record_signal_release_held(struct rec_task *t);
/* At a signal stop of t (signo) at a known point: is it the held signal
 * coming back? Then it gets its own siginfo back (*info). 1, 0, or -1. */
int record_signal_took_held(struct rec_task *t, int signo, bool at_known_point, siginfo_t *info);
/* Let a job-stopped task run again: resumed when next scheduled. */
void record_signal_continue_task(struct recorder *rec, struct rec_task *t);
/* After a syscall that may have sent SIGCONT: the tasks it reached go on. */
void record_signal_continue_stopped_by(struct recorder *rec, const struct trace_event *event);

/* Record signal `info` as delivered to t at `regs` (sync: raised by its own
 * instruction), and deliver it with t's next resume. */
int recorder_record_signal(struct recorder *rec, struct rec_task *t, const struct user_regs_struct *regs,
                           const siginfo_t *info, bool sync);
/* Is this SIGSEGV (at regs) the recorder's own rdtsc/rdtscp/cpuid trap,
 * one the program did not ask for? Which instruction (its length in
 * *length), or TRAPPED_NONE when the signal is the program's. */
enum trapped_insn recorder_own_trap(const struct recorder *rec, struct rec_task *t, const siginfo_t *info,
                                    const struct user_regs_struct *regs, int *length);
/* Queue t, stopped, to be resumed where it stands when its turn comes. */
void recorder_resume_later(struct recorder *rec, struct rec_task *t);
/* Was this signal sent by the recorder itself (its own tgkill)? */
bool recorder_sent_signal(const siginfo_t *info);
/* At a syscall-entry stop of t: check and prepare the syscall. */
int recorder_syscall_entry(struct recorder *rec, struct rec_task *t);
/* Handle one stop of task t (which is now the one scheduled). */
int recorder_handle_stop(struct recorder *rec, struct rec_task *t, const struct task_stop *stop);

/* tsc_patching.c: whether rdtsc is to be patched here (rec->tsc_patches.on;
 * said in the trace's meta);
 * make the rdtsc and rdtscp instructions of mapping m (a new one of task,
 * of process pid) trap, the bytes written stored as memory writes of event
 * seq; the same for every mapping after an exec; a child's copy of its
 * parent's patched sites; sites no longer the recorder's (unmapped, or
 * written over by a recorded tracer); whether the recorder patched addr. */
bool tsc_patching_wanted(void);
int tsc_patching_mapping(struct recorder *rec, struct task *task, pid_t pid, int64_t seq,
                         const struct trace_mapping *m);
int tsc_patching_after_exec(struct recorder *rec, struct rec_task *t, int64_t seq);
int tsc_patching_inherit(struct recorder *rec, pid_t parent, pid_t child);
void tsc_patching_forget(struct recorder *rec, pid_t pid, uint64_t start, uint64_t length);
bool tsc_patching_is_site(const struct recorder *rec, pid_t pid, uint64_t addr);
void tsc_patching_free(struct recorder *rec);

/* record_scheduler.c, with --chaos, at each tick of the recorder's timer:
 * every task's priority drawn again, and the next tick armed at a random
 * interval (chaos.c). */
void record_scheduler_chaos_tick(struct recorder *rec);

/* preemption.c: at each tick of the recorder's timer, with a current task,
 * ask it to stop if another task waits to run (others_wait) or a signal is
 * held for it. */
void preemption_tick(struct recorder *rec, bool others_wait);
/* At the stop that request caused (regs: the task's registers there),
 * record a landmark if it is due, and mark the task to give way. */
int preemption_on_stop(struct recorder *rec, struct rec_task *t, const struct user_regs_struct *regs);

/* shared_memory.c: memory shared with other processes or files, changed
 * from outside a process's user code, recorded before that code runs on. */
/* At t's first stop after it ran user code: its process's shared memory
 * is what replay has there. */
int shared_memory_after_user_code(struct recorder *rec, struct rec_task *t);
/* Before t is resumed: into user code, record what changed from outside
 * (an EVENT_SHARED_MEMORY event of t, when anything did); into the kernel
 * or another process, keep what replay has first. */
int shared_memory_before_resume(struct recorder *rec, struct rec_task *t);
/* May this syscall change memory shared with a file or another process
 * beyond what it writes into the caller? */
bool shared_memory_changed_by(const struct syscall_desc *desc);
/* Process `pid` mapped or unmapped memory (its address space was replaced
 * by an exec: address_space_replaced; may_add_shared: the call may have
 * made a shared mapping, where munmap, mremap and a private mmap make none
 * in a process that had none). */
void shared_memory_forget(struct recorder *rec, int32_t pid, bool address_space_replaced, bool may_add_shared);
/* A new process (a fork) starts with its parent's shared memory. */
int shared_memory_inherit(struct recorder *rec, int32_t parent_pid, int32_t child_pid);
/* At shmat's exit: store the attached segment as the event's mapping. */
int shared_memory_record_attach(struct recorder *rec, struct rec_task *t, const struct trace_event *event);
void shared_memory_free(struct shared_memory *shared);

/* robust_futex.c: at t's exit (event exit_seq), the robust futex words the
 * kernel will mark; once t is gone, store them with that event. */
void robust_futex_at_exit(struct rec_task *t, int64_t exit_seq);
int robust_futex_after_exit(struct recorder *rec, struct rec_task *t);

/* Copy `len` bytes of a task's memory at `addr` into the recorder's buffer;
 * unreadable pages read as zeros. Returns the buffer or NULL. */
const unsigned char *recorder_copy_memory(struct recorder *rec, struct task *task, uint64_t addr,
                                          size_t len);

#endif
