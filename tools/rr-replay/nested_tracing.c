/*
 * nested_tracing.c — replaying a recording in which a recorded process was
 * itself a tracer (rr-replay recorded by rr-record, say). The tracer's ptrace
 * and wait calls are emulated like any syscall; what has to happen for real
 * is on the tracee's side:
 *   - tracee_stop: the tracee is run to the stop its tracer saw (a syscall
 *     entry or exit, a signal, a ptrace event) and left there, as the
 *     recorder left it until the tracer resumed it;
 *   - tracer_write: what the tracer changed in the stopped tracee (registers,
 *     memory, a register set, a user-area word such as a debug register,
 *     siginfo) is changed in the live task, so that it goes on as recorded.
 */
#include <elf.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <unistd.h>

#include "blob_store.h"
#include "error.h"
#include "replayer.h"
#include "signal_origin.h"

/* The stop's registers are the ones now in the task (nothing to run). */
static enum replay_outcome check_in_place(struct replayer *rep, const struct trace_event *event, bool all_regs)
{
    struct user_regs_struct regs;
    if (task_get_regs(&rep->cur->task, &regs) < 0)
        return replayer_failed();
    rep->observed = *event;
    rep->observed.regs = regs;
    rep->observed.ip = regs.rip;
    rep->has_observed = true;
    if (!all_regs)
        return regs.rip == event->ip
                   ? REPLAY_MATCHED
                   : replayer_diverged(event, "the tracee stands at 0x%llx, not at 0x%llx",
                                       (unsigned long long)regs.rip, (unsigned long long)event->ip);
    return replayer_compare_regs(event, &regs);
}

/* What the replay saw at a stop it ran to, as a tracee stop: the stop's
 * place and registers are observed; its arguments are the event's (a
 * ptrace event and its message, not a syscall's arguments). */
static void observed_as_tracee_stop(struct replayer *rep, const struct trace_event *event)
{
    rep->observed.kind = EVENT_TRACEE_STOP;
    memcpy(rep->observed.args, event->args, sizeof event->args);
}

/* Whether the code just before `ip` is a breakpoint instruction (int3,
 * or int $3), which raises SIGTRAP with SI_KERNEL and leaves ip after it. */
static bool after_breakpoint(struct task *task, uint64_t ip)
{
    unsigned char code[2];
    return task_read_mem(task, ip - sizeof code, code, sizeof code) == sizeof code &&
           (code[1] == 0xcc || (code[0] == 0xcd && code[1] == 0x03));
}

/* Whether the signal of a signal stop recurs when the task runs on: raised
 * by an instruction. A SIGTRAP with SI_KERNEL is also what the kernel sends
 * when a tracer resumes a task from a syscall stop with SIGTRAP (rr-replay
 * delivers a signal at a syscall boundary so): only one after a breakpoint
 * instruction recurs. */
static bool recurs(struct replayer *rep, const siginfo_t *info, uint64_t ip)
{
    if (!signal_from_instruction(info))
        return false;
    return info->si_signo != SIGTRAP || info->si_code != SI_KERNEL || after_breakpoint(&rep->cur->task, ip);
}

/* A signal stop: a fault or trap recurs when the task runs on; a signal
 * another process sent is sent again here, at the same boundary. */
static enum replay_outcome reach_signal_stop(struct replayer *rep, const struct trace_event *event)
{
    siginfo_t *info = NULL;
    size_t len = 0;
    if (event->extra_blob && blob_store_get(rep->store, event->extra_blob, (void **)&info, &len) < 0)
        return replayer_failed();
    bool sent = !info || len != sizeof *info || !recurs(rep, info, event->ip);
    /* The trap after one instruction, or the fault of one, when the tracer
     * single-stepped it (a TRAP_TRACE says so in a trace without arg2). */
    rep->cur->single_step =
        !sent && (event->args[2] == TRACEE_STEPPED || (info->si_signo == SIGTRAP && info->si_code == TRAP_TRACE));
    free(info);
    if (sent && rep->cur->masked_wait_pending) {
        /* It ended a wait under a temporary mask: that wait runs for real
         * with the signal queued (see replayer_run_masked_wait). */
        if (replayer_run_masked_wait(rep, event->signo) < 0)
            return replayer_failed();
    } else if (sent) {
        syscall(SYS_tkill, rep->cur->task.tid, event->signo); /* tkill: a thread too */
    }
    struct user_regs_struct regs;
    enum replay_outcome outcome = replayer_reach(rep, event, STOP_SIGNAL, event->signo, &regs);
    if (outcome != REPLAY_MATCHED)
        return outcome;
    observed_as_tracee_stop(rep, event);
    if (sent && replayer_set_recorded_siginfo(rep, event) < 0)
        return replayer_failed();
    rep->cur->stopped_at = STOPPED_AT_SIGNAL; /* delivered only if the tracer passes it on */
    return REPLAY_MATCHED;
}

/* A group stop: the stop signal was just passed on by the tracer. (The
 * usual run to a stop goes past group stops, as the recorder does for
 * tasks nobody else traces.) */
static enum replay_outcome reach_group_stop(struct replayer *rep, const struct trace_event *event)
{
    struct task_stop stop;
    siginfo_t info;
    int signo = rep->cur->deliver_signo;
    rep->cur->deliver_signo = 0;
    if (task_step(&rep->cur->task, RESUME_SYSEMU, signo, &stop) < 0)
        return replayer_failed();
    if (stop.kind != STOP_SIGNAL || stop.signo != event->signo ||
        ptrace(PTRACE_GETSIGINFO, rep->cur->task.tid, 0, &info) == 0) {
        char text[128];
        return replayer_diverged(event, "the tracee reached %s, not a group stop",
                                 task_stop_text(&stop, text, sizeof text));
    }
    return check_in_place(rep, event, true);
}

/* A wait under a temporary mask, interrupted when recorded, runs for real
 * only when its signal comes: meanwhile its tracer sees what it returned. */
static int show_masked_wait_result(struct replayer *rep)
{
    struct user_regs_struct regs;
    if (task_get_regs(&rep->cur->task, &regs) < 0)
        return -1;
    regs.rax = (unsigned long long)rep->cur->masked_wait_result;
    return task_set_regs(&rep->cur->task, &regs);
}

enum replay_outcome replay_tracee_stop(struct replayer *rep, const struct trace_event *event)
{
    struct user_regs_struct regs;
    enum replay_outcome outcome;
    switch (event->sig_code) {
    case TRACEE_AT_SYSCALL_ENTRY:
        /* Single-stepped into its syscall (PTRACE_SYSEMU_SINGLESTEP): the
         * trap flag is on as the syscall instruction saves rflags in r11. */
        rep->cur->single_step = event->args[2] == TRACEE_STEPPED && rep->cur->stopped_at != STOPPED_AT_ENTRY;
        outcome = replayer_reach(rep, event, STOP_SYSCALL, 0, &regs);
        observed_as_tracee_stop(rep, event);
        if (outcome != REPLAY_MATCHED || event->sync)
            return outcome; /* skipped (PTRACE_SYSEMU): it goes on from here when resumed */
        /* The syscall runs when the tracer resumes it: its event follows. */
        rep->cur->stopped_at = STOPPED_AT_ENTRY;
        rep->cur->parked_regs = regs;
        return REPLAY_MATCHED;
    case TRACEE_AT_SYSCALL_EXIT:
        /* Its syscall event just put it there; or the tracer cancelled the
         * syscall at its entry (orig_rax -1), where it still stands. */
        rep->cur->stopped_at = STOPPED_AFTER_EVENT;
        if (rep->cur->masked_wait_pending && show_masked_wait_result(rep) < 0)
            return replayer_failed();
        return check_in_place(rep, event, true);
    case TRACEE_AT_SIGNAL:
        return reach_signal_stop(rep, event);
    case TRACEE_AT_GROUP_STOP:
        return reach_group_stop(rep, event);
    case TRACEE_AT_EVENT:
        if (rep->cur->vfork_pending) {
            /* A vfork parent, inside the vfork until its child execs or
             * exits: its tracer saw it at the vfork event before that. */
            rep->observed = *event;
            rep->has_observed = true;
            return REPLAY_MATCHED;
        }
        if (event->args[0] == PTRACE_EVENT_EXIT && rep->cur->stopped_at != STOPPED_AT_ENTRY) {
            /* At the entry of its exit, which its syscall event then runs. */
            enum replay_outcome reached = replayer_reach(rep, event, STOP_SYSCALL, 0, &regs);
            observed_as_tracee_stop(rep, event);
            rep->cur->stopped_at = reached == REPLAY_MATCHED ? STOPPED_AT_ENTRY : STOPPED_AFTER_EVENT;
            rep->cur->parked_regs = regs;
            return reached;
        }
        /* The exec or clone was replayed at its own event; only where it
         * stands can be checked (the clone's return value is not set yet). */
        return check_in_place(rep, event, false);
    default:
        return replayer_diverged(event, "unknown tracee stop %d", event->sig_code);
    }
}

static enum replay_outcome write_regset(struct replayer *rep, const struct trace_event *event)
{
    struct iovec iov;
    if (blob_store_get(rep->store, event->extra_blob, &iov.iov_base, &iov.iov_len) < 0)
        return replayer_failed();
    long rc = ptrace(PTRACE_SETREGSET, rep->cur->task.tid, (void *)event->args[0], &iov);
    free(iov.iov_base);
    if (rc < 0)
        return replayer_diverged(event, "the tracer's register set %llu cannot be written",
                                 (unsigned long long)event->args[0]);
    return REPLAY_MATCHED;
}

static enum replay_outcome write_siginfo(struct replayer *rep, const struct trace_event *event)
{
    if (replayer_set_recorded_siginfo(rep, event) < 0)
        return replayer_diverged(event, "the tracer's siginfo cannot be set");
    return REPLAY_MATCHED;
}

enum replay_outcome replay_tracer_write(struct replayer *rep, const struct trace_event *event)
{
    struct task *task = &rep->cur->task;
    rep->observed = *event;
    rep->has_observed = true;
    switch (event->sig_code) {
    case TRACER_WROTE_REGS:
        if (task_set_regs(task, &event->regs) < 0)
            return replayer_failed();
        if (rep->cur->stopped_at == STOPPED_AT_ENTRY)
            rep->cur->parked_regs = event->regs;
        return REPLAY_MATCHED;
    case TRACER_WROTE_MEMORY:
        return replayer_apply_mem_writes(rep, event->seq) < 0 ? replayer_failed() : REPLAY_MATCHED;
    case TRACER_WROTE_REGSET:
        return write_regset(rep, event);
    case TRACER_WROTE_USER:
        if (ptrace(PTRACE_POKEUSER, task->tid, (void *)event->args[0], (void *)event->args[1]) < 0)
            return replayer_diverged(event, "the tracer's write at offset %llu of the user area fails",
                                     (unsigned long long)event->args[0]);
        return REPLAY_MATCHED;
    case TRACER_WROTE_SIGINFO:
        return write_siginfo(rep, event);
    default:
        return replayer_diverged(event, "unknown tracer write %d", event->sig_code);
    }
}
