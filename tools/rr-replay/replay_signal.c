/*
 * replay_signal.c — replaying signals and trapped instructions. A signal the
 * program's own instruction raised is re-raised by re-executing it; any other
 * is delivered at the recorded syscall boundary with its recorded siginfo.
 * A signal that ended a wait under a temporary mask is delivered inside a
 * real rt_sigsuspend with that mask. A syscall the kernel restarted after an
 * undelivered signal is restarted here too. rdtsc and cpuid (their SIGSEGV
 * trap) get their recorded values.
 */
#include "replayer.h"

#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "blob_store.h"
#include "cpu_traps.h"
#include "debug_log.h"
#include "error.h"
#include "proc_status.h"
#include "signal_origin.h"

enum replay_outcome replay_cpu_trap(struct replayer *rep, const struct trace_event *event)
{
    /* A recording that relied on PR_SET_TSC (no rdtsc rewritten, see
     * tools/rr-record/tsc_patching.c) needs it here too. */
    if (event->kind == EVENT_RDTSC && !rep->rdtsc_patched && !cpu_traps_rdtsc_traps()) {
        error_note("event %lld is an rdtsc the recording trapped with PR_SET_TSC, which this machine accepts"
                   " without effect (a PVM guest): the trace cannot be replayed here; record it again here",
                   (long long)event->seq);
        return REPLAY_FAILED;
    }
    struct user_regs_struct regs;
    enum replay_outcome outcome = replayer_reach(rep, event, STOP_SIGNAL, SIGSEGV, &regs);
    if (outcome != REPLAY_MATCHED)
        return outcome;
    if (event->kind == EVENT_CPUID) {
        regs.rax = event->args[2];
        regs.rbx = event->args[3];
        regs.rcx = event->args[4];
        regs.rdx = event->args[5];
        regs.rip += CPUID_INSN_LENGTH;
    } else {
        regs.rax = (uint32_t)event->result;
        regs.rdx = (uint64_t)event->result >> 32;
        regs.rip += RDTSC_INSN_LENGTH;
        if (event->args[0] != (uint64_t)-1) { /* rdtscp */
            regs.rcx = event->args[0];
            regs.rip += RDTSCP_INSN_LENGTH - RDTSC_INSN_LENGTH;
        }
    }
    return task_set_regs(&rep->cur->task, &regs) < 0 ? replayer_failed() : REPLAY_MATCHED;
}

/* The pending masked wait, for real: rt_sigsuspend with the call's mask
 * runs in its place (the program's descriptors do not exist in replay) with
 * `signo` queued, so the kernel delivers it under that mask and puts the old
 * mask back after the handler, as when recorded. The registers are then
 * those of the recorded call's return. */
int replayer_run_masked_wait(struct replayer *rep, int signo)
{
    struct replay_task *rt = rep->cur;
    struct user_regs_struct entry, regs;
    DEBUG_LOG(LOG_REPLAY, "task %d: signal %d delivered inside a real rt_sigsuspend under the wait's mask",
              rt->recorded_tid, signo);
    rt->masked_wait_pending = false;
    if (replay_step_leave_entry(rep) < 0 || task_get_regs(&rt->task, &entry) < 0)
        return -1;
    regs = entry;
    regs.rip -= SYSCALL_INSN_LENGTH; /* back onto the syscall instruction */
    regs.rax = SYS_rt_sigsuspend;
    regs.rdi = rt->masked_wait_mask;
    regs.rsi = 8;
    if (task_set_regs(&rt->task, &regs) < 0 ||
        replay_step_to_syscall_stop(rep, "the masked wait did not start") < 0)
        return -1;
    syscall(SYS_tgkill, rt->task.tid, rt->task.tid, signo);
    if (replay_step_to_syscall_stop(rep, "the masked wait did not return") < 0)
        return -1;
    entry.rax = (unsigned long long)rt->masked_wait_result;
    return task_set_regs(&rt->task, &entry);
}

/* Set the recorded siginfo of `event` as the task's current signal. */
int replayer_set_recorded_siginfo(struct replayer *rep, const struct trace_event *event)
{
    siginfo_t *info;
    size_t len;
    if (!event->extra_blob)
        return 0;
    if (blob_store_get(rep->store, event->extra_blob, (void **)&info, &len) < 0)
        return -1;
    int rc = len == sizeof *info ? task_set_siginfo(&rep->cur->task, info) : 0;
    free(info);
    return rc;
}

/* The task stands where the signal was delivered (`reached`: whether it
 * does): it gets the recorded signal, with its recorded siginfo, as it
 * resumes. */
static enum replay_outcome deliver_as_recorded(struct replayer *rep, const struct trace_event *event,
                                               enum replay_outcome reached)
{
    if (reached != REPLAY_MATCHED)
        return reached;
    if (replayer_set_recorded_siginfo(rep, event) < 0)
        return replayer_failed();
    rep->cur->deliver_signo = event->signo;
    return REPLAY_MATCHED;
}

/* A SIGBUS the program's own access raised past the end of a mapped file
 * (BUS_ADRERR)? In replay that page is anonymous memory and does not fault. */
static bool past_end_of_file(struct replayer *rep, const struct trace_event *event)
{
    siginfo_t *info;
    size_t len;
    if (!event->sync || event->signo != SIGBUS || !event->extra_blob ||
        blob_store_get(rep->store, event->extra_blob, (void **)&info, &len) < 0)
        return false;
    bool adrerr = len == sizeof *info && info->si_code == BUS_ADRERR;
    free(info);
    return adrerr;
}

/* Such a SIGBUS: run the task to the faulting instruction with the recorded
 * registers, and deliver the recorded signal there, as the kernel did. */
static enum replay_outcome raise_bus_error(struct replayer *rep, const struct trace_event *event)
{
    DEBUG_LOG(LOG_REPLAY, "task %d: SIGBUS past the end of a file, raised at 0x%llx", rep->cur->recorded_tid,
              (unsigned long long)event->ip);
    return deliver_as_recorded(rep, event, replay_breakpoint_search(rep, event));
}

/* A signal sent to the task that the recorder recorded where it arrived,
 * past the boundary the replay delivers it at (`regs`): one the program had
 * no handler for, delivered at once (record_signal.c), which the program
 * could not tell from one delivered at the boundary. When its default action
 * ends the process (the replayed task has no handler for it either), 1: the
 * task may die of it there with the recorded registers. 0 otherwise, -1 on
 * error. */
static int fatal_past_boundary(struct replayer *rep, const struct trace_event *event,
                               const struct user_regs_struct *regs)
{
    if (event->sync || !event->has_regs || !memcmp(&event->regs, regs, sizeof *regs) ||
        !signal_kills_by_default(event->signo))
        return 0;
    struct signal_masks masks;
    if (proc_status_signal_masks(rep->cur->task.tid, &masks) < 0)
        return -1;
    uint64_t bit = 1ull << (event->signo - 1);
    if ((masks.caught | masks.ignored) & bit)
        return 0;
    DEBUG_LOG(LOG_REPLAY, "task %d: signal %d, without a handler, was recorded past this boundary at 0x%llx",
              rep->cur->recorded_tid, event->signo, (unsigned long long)event->ip);
    return 1;
}

/* The registers `regs` the task stands with where the replay delivers
 * `event`, checked against the recorded ones; a fatal signal recorded past
 * this point dies of it where it was recorded to (those registers are set). */
static enum replay_outcome compare_delivery_regs(struct replayer *rep, const struct trace_event *event,
                                                 struct user_regs_struct *regs)
{
    int fatal = fatal_past_boundary(rep, event, regs);
    if (fatal < 0)
        return replayer_failed();
    if (fatal) {
        *regs = event->regs;
        if (task_set_regs(&rep->cur->task, regs) < 0)
            return replayer_failed();
        rep->observed.regs = *regs; /* what the signal is delivered with (--events) */
        rep->observed.ip = regs->rip;
    }
    return replayer_compare_regs(event, regs);
}

enum replay_outcome replay_signal(struct replayer *rep, const struct trace_event *event)
{
    if (past_end_of_file(rep, event))
        return raise_bus_error(rep, event);
    struct user_regs_struct regs;
    if ((rep->cur->stopped_at == STOPPED_AT_LANDMARK || rep->cur->stopped_at == STOPPED_AT_SIGNAL) && !event->sync) {
        /* Delivered at the landmark's stop when recorded (or at a signal
         * stop, by a tracer that passed the signal on, or at a new task's
         * first stop, sent before it ran): it replaces the stop's own
         * signal, with its recorded siginfo. */
        rep->cur->stopped_at = STOPPED_AFTER_EVENT;
        if (task_get_regs(&rep->cur->task, &regs) < 0)
            return replayer_failed();
        rep->observed = *event;
        rep->observed.regs = regs;
        rep->has_observed = true;
        /* The siginfo first: a reader of a recorded replay takes the
         * registers set after it for the signal's (inner_events.c). */
        if (replayer_set_recorded_siginfo(rep, event) < 0)
            return replayer_failed();
        enum replay_outcome outcome = compare_delivery_regs(rep, event, &regs);
        if (outcome == REPLAY_MATCHED)
            rep->cur->deliver_signo = event->signo;
        return outcome;
    }
    if (rep->cur->masked_wait_pending) {
        if (event->sync || replayer_run_masked_wait(rep, event->signo) < 0)
            return event->sync ? replayer_diverged(event, "a fault inside a masked wait") : replayer_failed();
    } else if (!event->sync) {
        /* Delivered at this boundary when recorded: send it now. */
        DEBUG_LOG(LOG_REPLAY, "task %d: signal %d sent at this boundary", rep->cur->recorded_tid, event->signo);
        rep->cur->deliver_signo = event->signo;
    }
    struct task_stop stop;
    char text[128];
    if (replayer_run_and_observe(rep, event, &stop, &regs) < 0)
        return replayer_failed();
    if (!event->sync && stop.kind == STOP_KILLED && stop.signo == event->signo) {
        rep->observed = *event; /* delivered straight away and fatal, as recorded */
        return REPLAY_MATCHED;
    }
    if (stop.kind != STOP_SIGNAL || stop.signo != event->signo)
        return replayer_diverged(event, "the program reached %s instead",
                                 task_stop_text(&stop, text, sizeof text));
    enum replay_outcome outcome = compare_delivery_regs(rep, event, &regs);
    if (outcome != REPLAY_MATCHED)
        return outcome;
    if (!event->sync && replayer_set_recorded_siginfo(rep, event) < 0)
        return replayer_failed();
    rep->cur->deliver_signo = event->signo;
    return REPLAY_MATCHED;
}

/* When recorded, the syscall was interrupted by a signal that was then not
 * delivered (discarded, or a stop): the kernel restarted it, and the next
 * event is the restarted call. Do what the kernel did. */
int replay_signal_restart_syscall(struct replayer *rep)
{
    struct user_regs_struct regs;
    rep->cur->restart_pending = false;
    DEBUG_LOG(LOG_REPLAY, "task %d: its interrupted syscall restarts, as the kernel did", rep->cur->recorded_tid);
    if (task_get_regs(&rep->cur->task, &regs) < 0)
        return -1;
    regs.rax = (int64_t)regs.rax == -ERESTART_RESTARTBLOCK ? SYS_restart_syscall : regs.orig_rax;
    regs.rip -= SYSCALL_INSN_LENGTH;
    return task_set_regs(&rep->cur->task, &regs);
}
