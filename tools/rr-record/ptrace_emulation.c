/*
 * ptrace_emulation.c — nested tracing. A recorded process may itself be a
 * tracer (rr-replay, gdb, strace): a task has only one real tracer, and that
 * is the recorder, so the recorder performs each ptrace request on the inner
 * tracer's behalf and shows it what the kernel would:
 *
 *   - its ptrace calls never reach the kernel: they are answered here from
 *     the real state of the tracee (which the recorder keeps stopped while
 *     the tracer thinks it is), and recorded as emulated syscalls with the
 *     memory they fill;
 *   - a stop of a tracee that its tracer would see (by the way the tracer
 *     resumed it: PTRACE_SYSCALL, SYSEMU, CONT…) is recorded as a tracee_stop
 *     event and parked; the tracer's wait4/waitid returns it;
 *   - whatever the tracer changes in a tracee (registers, memory through
 *     POKE or /proc/PID/mem, extended state, debug registers, siginfo) is
 *     recorded as a tracer_write event, which replay applies to the live
 *     task, so that the tracee runs there exactly as it did here.
 *
 * Stops the recorder causes for itself (preemption, rdtsc the tracee did
 * not ask to trap) are never shown to the inner tracer.
 *
 * This file: the tracees' stops. The tracer's ptrace requests are in
 * ptrace_requests.c, the waits in inner_waits.c, the recording of the
 * tracer's changes in tracer_writes.c.
 */
#include "ptrace_emulation.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "blob_store.h"
#include "cpu_traps.h"
#include "error.h"
#include "event_log.h"
#include "nested_tracing.h"
#include "proc_status.h"
#include "recorder.h"
#include "signal_origin.h"
#include "trace_store.h"


/* Wait statuses as the kernel builds them. */
static int stopped_status(int signo, int event)
{
    return ((signo | event << 8) << 8) | 0x7f;
}

bool nested_resumed_for_syscalls(long request)
{
    return request == PTRACE_SYSCALL || request == PTRACE_SYSEMU || request == PTRACE_SYSEMU_SINGLESTEP;
}

static bool resumed_under_sysemu(long request)
{
    return request == PTRACE_SYSEMU || request == PTRACE_SYSEMU_SINGLESTEP;
}

struct rec_task *nested_find_task(struct recorder *rec, pid_t tid)
{
    for (int i = rec->task_count - 1; i >= 0; i--)
        if (rec->tasks[i]->task.tid == tid)
            return rec->tasks[i];
    return NULL;
}

/* Copy into the tracer's memory; -EFAULT as the kernel would say when it cannot. */
int64_t nested_put_to_tracer(struct rec_task *tracer, uint64_t addr, const void *data, size_t len)
{
    if (len == 0)
        return 0;
    return task_write_mem(&tracer->task, addr, data, len) < 0 ? -EFAULT : 0;
}

int64_t nested_get_from_tracer(struct rec_task *tracer, uint64_t addr, void *data, size_t len)
{
    return task_read_mem(&tracer->task, addr, data, len) == (ssize_t)len ? 0 : -EFAULT;
}

/* ---- what the tracer sees ---- */

/* Did a real single step (the tracer's) bring t to the stop it is at? */
static bool stepped_there(const struct rec_task *t)
{
    enum resume_how how = ptrace_emulation_resume_how(t);
    return how == RESUME_SINGLESTEP || how == RESUME_SYSEMU_SINGLESTEP;
}

/* Record that the tracee stopped where its tracer sees it, and keep it there. */
static int report_stop(struct recorder *rec, struct rec_task *t, int at, int status, bool skipped,
                       const siginfo_t *info, int ptrace_event, unsigned long message)
{
    struct user_regs_struct regs;
    if (task_get_regs(&t->task, &regs) < 0)
        return -1;
    struct trace_event event = {
        .seq = rec->next_seq++,
        .tid = t->task.tid,
        .kind = EVENT_TRACEE_STOP,
        .sysno = at == TRACEE_AT_SYSCALL_ENTRY || at == TRACEE_AT_SYSCALL_EXIT ? (int64_t)regs.orig_rax : -1,
        .args = {(uint64_t)ptrace_event, message, stepped_there(t) ? TRACEE_STEPPED : 0},
        .result = status,
        .signo = WSTOPSIG(status) & 0x7f,
        .sig_code = at,
        .sync = skipped,
        .ip = regs.rip,
        .has_regs = true,
        .regs = regs,
    };
    if (info) {
        event.extra_blob = blob_store_put(rec->store, info, sizeof *info);
        if (event.extra_blob < 0)
            return -1;
        t->inner.siginfo = *info;
    }
    if (event_log_append(rec->store, &event) < 0)
        return -1;
    record_signal_known_point(t, &regs); /* replay leaves the tracee there too */
    t->inner.stopped = true;
    t->inner.reported = false;
    t->inner.wait_status = status;
    t->inner.at = at;
    t->inner.event_msg = message;
    if (!t->inner.tracer->held_in_wait)
        inner_waits_send_sigchld(t->inner.tracer, t);
    inner_waits_wake_tracer(rec, t->inner.tracer);
    return 0;
}

static int report_signal_stop(struct recorder *rec, struct rec_task *t, const siginfo_t *info)
{
    return report_stop(rec, t, TRACEE_AT_SIGNAL, stopped_status(info->si_signo, 0), false, info, 0, 0);
}

int nested_report_syscall_stop(struct recorder *rec, struct rec_task *t, int at, bool skipped)
{
    int trap = t->inner.options & PTRACE_O_TRACESYSGOOD ? SIGTRAP | 0x80 : SIGTRAP;
    return report_stop(rec, t, at, stopped_status(trap, 0), skipped, NULL, 0, 0);
}

int nested_report_event_stop(struct recorder *rec, struct rec_task *t, int ptrace_event, unsigned long message)
{
    return report_stop(rec, t, TRACEE_AT_EVENT, stopped_status(SIGTRAP, ptrace_event), false, NULL,
                       ptrace_event, message);
}

/* A group stop: a seized tracee shows it as PTRACE_EVENT_STOP. */
int nested_report_group_stop(struct recorder *rec, struct rec_task *t, int signo)
{
    int status = stopped_status(signo, t->inner.seized ? PTRACE_EVENT_STOP : 0);
    return report_stop(rec, t, TRACEE_AT_GROUP_STOP, status, false, NULL, 0, 0);
}

int ptrace_emulation_continued(struct recorder *rec, struct rec_task *t)
{
    if (!t->inner.tracer || !t->inner.seized)
        return 0;
    if (t->inner.listening) {
        t->inner.listening = false;
        return nested_report_event_stop(rec, t, PTRACE_EVENT_STOP, 0);
    }
    if (t->inner.stopped && t->inner.at == TRACEE_AT_GROUP_STOP)
        t->inner.continued_meanwhile = true; /* shown when the tracer listens */
    return 0;
}

/* Is this SIGSEGV the recorder's own rdtsc trap, which the program did not ask for? */
static bool is_recorder_tsc_trap(const struct recorder *rec, struct rec_task *t, const siginfo_t *info)
{
    if (info->si_signo != SIGSEGV || info->si_code != SI_KERNEL)
        return false;
    struct user_regs_struct regs;
    int length;
    return task_get_regs(&t->task, &regs) == 0 && recorder_own_trap(rec, t, info, &regs, &length) != TRAPPED_NONE;
}

/* A tracer that set PTRACE_O_TRACEEXIT sees its tracee stop once more as it
 * exits (at exit or exit_group), before it dies. */
static bool exit_event_due(const struct rec_task *t, const struct user_regs_struct *regs)
{
    return (t->inner.options & PTRACE_O_TRACEEXIT) && !t->inner.exit_event_shown &&
           syscall_exit_scope((long)regs->orig_rax) != EXIT_SCOPE_NONE;
}

/* The PTRACE_EVENT_EXIT stop, at the exit's entry; the exit itself is
 * recorded when the tracer resumes the tracee. */
static int report_exit_event(struct recorder *rec, struct rec_task *t, const struct user_regs_struct *regs)
{
    t->inner.exit_event_shown = true;
    t->inner.entry_pending = true;
    return nested_report_event_stop(rec, t, PTRACE_EVENT_EXIT, (unsigned long)((regs->rdi & 0xff) << 8));
}

/* Is this the stop of signal `signo` that the recorder itself sent to t? */
static bool stop_for_recorders_signal(struct rec_task *t, const struct task_stop *stop, int signo)
{
    siginfo_t info;
    return stop->kind == STOP_SIGNAL && stop->signo == signo &&
           ptrace(PTRACE_GETSIGINFO, t->task.tid, 0, &info) == 0 && recorder_sent_signal(&info);
}

/* The SIGSTOP trace_me sent to interrupt a wait: dropped, so the wait restarts. */
static bool is_wait_interruption(struct rec_task *t, const struct task_stop *stop)
{
    if (!t->wait_interrupted || !stop_for_recorders_signal(t, stop, SIGSTOP))
        return false;
    t->wait_interrupted = false;
    return true;
}

/* The SIGCHLD inner_waits_send_sigchld sent: it takes the siginfo the kernel would
 * have given it, and is then recorded as any signal. */
static int is_recorder_sigchld(struct rec_task *t, const struct task_stop *stop)
{
    if (!t->sigchld_sent || !stop_for_recorders_signal(t, stop, SIGCHLD))
        return 0;
    t->sigchld_sent = false;
    return task_set_siginfo(&t->task, &t->sigchld_info) < 0 ? -1 : 1;
}

/* The SIGTRAP that ends a single step over a syscall (see enum
 * step_over_syscall), raised by the recorder at the syscall's exit: it
 * gets the kernel's siginfo, TRAP_BRKPT at the ip the syscall returned to. */
static int report_step_over_trap(struct recorder *rec, struct rec_task *t)
{
    struct user_regs_struct regs;
    if (task_get_regs(&t->task, &regs) < 0)
        return -1;
    siginfo_t info;
    memset(&info, 0, sizeof info);
    info.si_signo = SIGTRAP;
    info.si_code = TRAP_BRKPT;
    info.si_addr = (void *)regs.rip;
    t->inner.step_over = STEP_OVER_NONE;
    if (task_set_siginfo(&t->task, &info) < 0)
        return -1;
    return report_signal_stop(rec, t, &info);
}

/* A signal stop of a tracee, shown to its tracer: where replay can put it.
 * A fault is, as any fault; an asynchronous signal (a timer's, another
 * process's) that stops the tracee in the middle of its user code is not
 * (replay has no way to find that point): it is held, as for any task,
 * until the tracee stands at a known point (its next syscall, or a
 * landmark, preemption.c), where it comes back and its tracer sees it. */
static int signal_stop_seen(struct recorder *rec, struct rec_task *t, siginfo_t *info)
{
    struct user_regs_struct regs;
    if (task_get_regs(&t->task, &regs) < 0)
        return -1;
    bool at_known_point = record_signal_at_known_point(t, &regs);
    int held = record_signal_took_held(t, info->si_signo, at_known_point, info);
    if (held < 0)
        return -1;
    if (!held && !at_known_point && !signal_from_instruction(info)) {
        record_signal_hold(t, info);
        return 1; /* it goes on without it for now */
    }
    return report_signal_stop(rec, t, info) < 0 ? -1 : 1;
}

int ptrace_emulation_before_stop(struct recorder *rec, struct rec_task *t, const struct task_stop *stop)
{
    if (is_wait_interruption(t, stop))
        return 1;
    if (is_recorder_sigchld(t, stop) < 0)
        return -1;
    if (!t->inner.tracer)
        return 0;
    switch (stop->kind) {
    case STOP_GROUP: {
        if (!t->inner.entry_pending)
            return 0;
        /* Resumed by its tracer from a syscall-entry stop: the syscall runs
         * now, unless the tracer cancelled it (orig_rax -1: the kernel skips it). */
        struct user_regs_struct regs;
        if (task_get_regs(&t->task, &regs) < 0)
            return -1;
        if (exit_event_due(t, &regs))
            return report_exit_event(rec, t, &regs) < 0 ? -1 : 1; /* and then the exit */
        t->inner.entry_pending = false;
        if ((int64_t)regs.orig_rax == -1)
            return 0;
        return recorder_syscall_entry(rec, t) < 0 ? -1 : 1;
    }
    case STOP_SYSCALL: {
        if (t->in_syscall)
            return 0; /* an exit: reported once it is recorded */
        int at_entry = task_syscall_stop_is_entry(&t->task);
        if (at_entry < 0)
            return -1;
        if (!at_entry) {
            /* The exit of a syscall that did not run (skipped under
             * PTRACE_SYSEMU, or cancelled by the tracer): nothing to record. */
            if (!nested_resumed_for_syscalls(t->inner.resume_request))
                return 1;
            return nested_report_syscall_stop(rec, t, TRACEE_AT_SYSCALL_EXIT, false) < 0 ? -1 : 1;
        }
        struct user_regs_struct regs;
        if (task_get_regs(&t->task, &regs) < 0)
            return -1;
        if (!nested_resumed_for_syscalls(t->inner.resume_request) && exit_event_due(t, &regs))
            return report_exit_event(rec, t, &regs) < 0 ? -1 : 1;
        if (!nested_resumed_for_syscalls(t->inner.resume_request))
            return 0; /* not the tracer's: recorded as usual */
        if (resumed_under_sysemu(t->inner.resume_request)) {
            /* A boundary too: a held signal comes as the tracer resumes it. */
            record_signal_release_held(t);
            return nested_report_syscall_stop(rec, t, TRACEE_AT_SYSCALL_ENTRY, true) < 0 ? -1 : 1;
        }
        t->inner.entry_pending = true;
        return nested_report_syscall_stop(rec, t, TRACEE_AT_SYSCALL_ENTRY, false) < 0 ? -1 : 1;
    }
    case STOP_SIGNAL: {
        siginfo_t info;
        if (ptrace(PTRACE_GETSIGINFO, t->task.tid, 0, &info) < 0) {
            /* A group stop: the tracer sees it, and resuming it ends it. */
            return nested_report_group_stop(rec, t, stop->signo) < 0 ? -1 : 1;
        }
        if (t->at_initial_stop && stop->signo == SIGSTOP) {
            /* A new task's first stop. A tracee traced from its creation
             * shows it to its tracer (as PTRACE_EVENT_STOP when seized); one
             * attached to later did not start traced: the recorder drops it,
             * as for any new task. */
            if (!t->inner.auto_attached)
                return 0;
            t->at_initial_stop = false;
            int rc = t->inner.seized ? nested_report_event_stop(rec, t, PTRACE_EVENT_STOP, 0) : report_signal_stop(rec, t, &info);
            return rc < 0 ? -1 : 1;
        }
        if (t->inner.step_over == STEP_OVER_TRAP_DUE && stop->signo == SIGTRAP)
            return report_step_over_trap(rec, t) < 0 ? -1 : 1;
        bool recorders_sigstop = stop->signo == SIGSTOP && recorder_sent_signal(&info);
        if (recorders_sigstop && t->inner.interrupt_requested) {
            t->inner.interrupt_requested = false; /* PTRACE_INTERRUPT's stop (interrupt_running) */
            return nested_report_event_stop(rec, t, PTRACE_EVENT_STOP, 0) < 0 ? -1 : 1;
        }
        if (recorders_sigstop && t->inner.attach_sigstop_sent) {
            /* PTRACE_ATTACH's: the kernel sends it as SI_KERNEL. */
            t->inner.attach_sigstop_sent = false;
            memset(&info, 0, sizeof info);
            info.si_signo = SIGSTOP;
            info.si_code = SI_KERNEL;
            if (task_set_siginfo(&t->task, &info) < 0)
                return -1;
            return report_signal_stop(rec, t, &info) < 0 ? -1 : 1;
        }
        if (recorders_sigstop && t->preempt_requested)
            return 0;
        if (is_recorder_tsc_trap(rec, t, &info))
            return 0;
        return signal_stop_seen(rec, t, &info);
    }
    default:
        return 0;
    }
}

/* The tracer of a task that died: tracees it asked to be killed with it die. */
static void tracer_died(struct recorder *rec, struct rec_task *tracer)
{
    for (int i = 0; i < rec->task_count; i++) {
        struct rec_task *tracee = rec->tasks[i];
        if (tracee->inner.tracer != tracer || tracee->life == TASK_DEAD)
            continue;
        if (tracee->inner.options & PTRACE_O_EXITKILL)
            kill(tracee->task.tid, SIGKILL);
        tracee->inner.tracer = NULL;
        if (tracee->inner.stopped) {
            /* Detached: it goes on as if resumed. */
            tracee->inner.stopped = false;
            recorder_resume_later(rec, tracee);
        }
    }
}

/* A new task: traced by its creator's tracer when the tracer asked for it. */
static bool child_is_traced(const struct rec_task *parent, int ptrace_event)
{
    unsigned long options = parent->inner.options;
    switch (ptrace_event) {
    case PTRACE_EVENT_FORK: return options & PTRACE_O_TRACEFORK;
    case PTRACE_EVENT_VFORK: return options & PTRACE_O_TRACEVFORK;
    case PTRACE_EVENT_CLONE: return options & PTRACE_O_TRACECLONE;
    default: return false;
    }
}

int ptrace_emulation_after_stop(struct recorder *rec, struct rec_task *t, const struct task_stop *stop,
                                bool was_in_syscall)
{
    if (t->life == TASK_DEAD) {
        tracer_died(rec, t);
        if (!t->inner.tracer)
            return 0;
        /* A child of its tracer stays a zombie until the tracer reaps it. */
        struct proc_stat stat;
        t->inner.reaped_by_tracer = proc_stat_read(t->task.tid, &stat) == 0 && stat.ppid == t->inner.tracer->pid;
        t->inner.stopped = false;
        t->inner.exit_unreported = true;
        t->inner.wait_status = stop->kind == STOP_EXITED ? stop->status << 8 : stop->signo;
        inner_waits_wake_tracer(rec, t->inner.tracer);
        return 0;
    }
    if (!t->inner.tracer)
        return 0;
    switch (stop->kind) {
    case STOP_SYSCALL:
        if (was_in_syscall && !t->in_syscall && t->inner.step_over == STEP_OVER_IN_SYSCALL) {
            /* The kernel's step report: a SIGTRAP, queued now. A signal
             * held for this syscall boundary is delivered after it, as the
             * kernel delivers the synchronous signals first. */
            t->inner.step_over = STEP_OVER_TRAP_DUE;
            syscall(SYS_tgkill, t->pid, t->task.tid, SIGTRAP);
            return 0;
        }
        if (was_in_syscall && !t->in_syscall && nested_resumed_for_syscalls(t->inner.resume_request))
            return nested_report_syscall_stop(rec, t, TRACEE_AT_SYSCALL_EXIT, false);
        return 0;
    case STOP_EVENT:
        if (stop->event == PTRACE_EVENT_EXEC) {
            /* A single step over execve ends in the SIGTRAP after exec
             * alone (the kernel's step report finds it pending and merges). */
            t->inner.step_over = STEP_OVER_NONE;
            /* exec_capture has taken the task on to execve's syscall-exit
             * stop: that stop is shown when the tracer asks for it. */
            t->inner.exec_exit_owed = true;
            if (t->inner.options & PTRACE_O_TRACEEXEC)
                return nested_report_event_stop(rec, t, PTRACE_EVENT_EXEC, (unsigned long)t->task.tid);
            siginfo_t info = {.si_signo = SIGTRAP, .si_code = SI_USER};
            return report_signal_stop(rec, t, &info); /* the legacy SIGTRAP after execve */
        }
        if (stop->event == PTRACE_EVENT_FORK || stop->event == PTRACE_EVENT_VFORK ||
            stop->event == PTRACE_EVENT_CLONE) {
            unsigned long child_tid;
            if (ptrace(PTRACE_GETEVENTMSG, t->task.tid, 0, &child_tid) < 0 || !child_is_traced(t, stop->event))
                return 0;
            struct rec_task *child = nested_find_task(rec, (pid_t)child_tid);
            if (!child)
                return 0;
            child->inner = (struct inner_tracee){
                .tracer = t->inner.tracer,
                .options = t->inner.options,
                .resume_request = PTRACE_CONT,
                .seized = t->inner.seized,
                .auto_attached = true,
            };
            return nested_report_event_stop(rec, t, stop->event, child_tid);
        }
        return 0;
    default:
        return 0;
    }
}

enum resume_how ptrace_emulation_resume_how(const struct rec_task *t)
{
    if (!t->inner.tracer || t->in_syscall || t->inner.step_over != STEP_OVER_NONE)
        return RESUME_SYSCALL;
    switch (t->inner.resume_request) {
    case PTRACE_SYSEMU: return RESUME_SYSEMU;
    case PTRACE_SYSEMU_SINGLESTEP: return RESUME_SYSEMU_SINGLESTEP;
    case PTRACE_SINGLESTEP: return RESUME_SINGLESTEP;
    default: return RESUME_SYSCALL;
    }
}

const struct nested_hooks ptrace_emulation_hooks = {
    .syscall_entry = ptrace_emulation_syscall,
    .before_stop = ptrace_emulation_before_stop,
    .after_stop = ptrace_emulation_after_stop,
    .after_syscall = ptrace_emulation_after_syscall,
    .continued = ptrace_emulation_continued,
    .tick = inner_waits_tick,
    .resume_how = ptrace_emulation_resume_how,
};
