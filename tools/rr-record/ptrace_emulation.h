/*
 * ptrace_emulation.h — nested tracing: a recorded process that calls ptrace
 * (an inner tracer, such as rr-replay under rr-record) gets what the kernel
 * would give it, while the recorder stays the only real tracer of every task.
 * See ptrace_emulation.c.
 */
#ifndef RRDB_PTRACE_EMULATION_H
#define RRDB_PTRACE_EMULATION_H

#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/user.h>

#include "task.h"

struct recorder;
struct rec_task;

/* A tracer's PTRACE_SINGLESTEP over a syscall instruction: the kernel runs
 * the whole syscall and reports the step at its exit with a SIGTRAP
 * (TRAP_BRKPT, user_single_step_report). The recorder runs the syscall as
 * any other (a real single step would give it no syscall stops to record
 * it by) and then raises that SIGTRAP. */
enum step_over_syscall {
    STEP_OVER_NONE = 0,
    STEP_OVER_IN_SYSCALL,  /* resumed to run the syscall */
    STEP_OVER_TRAP_DUE,    /* the syscall is done: the SIGTRAP is on its way */
};

/* What a task traced by a recorded process looks like to that tracer. */
struct inner_tracee {
    struct rec_task *tracer;      /* NULL: no recorded process traces it */
    unsigned long options;        /* PTRACE_O_* the tracer set */
    long resume_request;          /* how the tracer last resumed it: PTRACE_CONT, _SYSCALL… */
    bool stopped;                 /* in a stop the tracer knows of; runs when the tracer resumes it */
    bool reported;                /* a wait has reported that stop */
    int wait_status;              /* what a wait reports for it */
    int at;                       /* enum tracee_stop_at */
    bool entry_pending;           /* at a syscall entry the recorder handles once resumed */
    bool exec_exit_owed;          /* at execve's exit stop, shown to the tracer as an exec event so far */
    siginfo_t siginfo;            /* at a signal stop */
    unsigned long event_msg;      /* PTRACE_GETEVENTMSG */
    bool exit_unreported;         /* it died; no wait has reported it yet */
    bool reaped_by_tracer;        /* its tracer is its parent: a real wait reaps it */
    bool seized;                  /* attached with PTRACE_SEIZE (itself or its creator's tracee) */
    bool auto_attached;           /* traced from its creation (PTRACE_O_TRACEFORK…) */
    bool listening;               /* in a group stop the tracer let go on with PTRACE_LISTEN */
    bool continued_meanwhile;     /* a SIGCONT came during its group stop, before PTRACE_LISTEN */
    bool interrupt_requested;     /* PTRACE_INTERRUPT sent the recorder's SIGSTOP to stop it */
    bool attach_sigstop_sent;     /* PTRACE_ATTACH sent the recorder's SIGSTOP, shown as the kernel's */
    bool exit_event_shown;        /* its PTRACE_EVENT_EXIT stop was reported */
    enum step_over_syscall step_over;
};

/* A tracer in wait4/waitid with nothing to report yet: its arguments. */
struct emulated_wait {
    long sysno;
    uint64_t args[6];
};

/* At a syscall entry: ptrace requests, and waits by a tracer for its
 * tracees, are answered here. Returns 1 when emulated (t->skipped and
 * t->skipped_result set; t->held_in_wait when the answer must wait), 0 when
 * the kernel runs the syscall, -1 on error (recording stops). */
int ptrace_emulation_syscall(struct recorder *rec, struct rec_task *t, const struct user_regs_struct *regs);

/* A stop of a task a recorded process traces, before the recorder handles
 * it: returns 1 when the stop is the tracer's (reported to it, the task
 * stays stopped until the tracer resumes it), 0 when the recorder handles it
 * as usual, -1 on error. */
int ptrace_emulation_before_stop(struct recorder *rec, struct rec_task *t, const struct task_stop *stop);

/* After the recorder handled a stop (a syscall exit, an exec or a clone
 * event, a death): report it to the tracer if it would see it. */
int ptrace_emulation_after_stop(struct recorder *rec, struct rec_task *t, const struct task_stop *stop,
                                bool was_in_syscall);

/* After a syscall of t is recorded: bytes it wrote into another recorded
 * task through /proc/PID/mem (write, writev, pwrite64, pwritev) or
 * process_vm_writev are recorded for that task. */
struct trace_event;
int ptrace_emulation_after_syscall(struct recorder *rec, struct rec_task *t, const struct trace_event *event);

/* A recorded task sent SIGCONT to t: a tracee its tracer let listen in a
 * group stop is reported stopped again, its group stop over. */
int ptrace_emulation_continued(struct recorder *rec, struct rec_task *t);

/* inner_waits.c: at each tick of the recorder's timer, a tracer held in a
 * wait that has a caught signal pending has its wait interrupted. */
void inner_waits_tick(struct recorder *rec);

/* How to resume a task the recorder is about to run (the tracer's SYSEMU
 * and single-step requests become the real ones). */
enum resume_how ptrace_emulation_resume_how(const struct rec_task *t);

/* The functions above, as the hooks the recorder's loop calls (recorder.h). */
struct nested_hooks;
extern const struct nested_hooks ptrace_emulation_hooks;

#endif
