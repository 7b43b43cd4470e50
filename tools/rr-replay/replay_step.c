/*
 * replay_step.c — running the current task to the stop an event needs.
 * Tasks run under PTRACE_SYSEMU, so every syscall stops at its entry and the
 * kernel skips it; the stop reached is checked against the event (its kind,
 * its signal, every register), and what the replay saw there is noted for
 * `--events`. After every stop the watchdog (watchdog.c) gets its check: a
 * replay that diverged into a loop without syscalls, or a landmark search
 * that stops the program at every pass, would otherwise never end.
 * Divergences are reported here, one line each.
 */
#include "replayer.h"

#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/ptrace.h>

#include "debug_log.h"
#include "error.h"
#include "gdb_target.h"
#include "regs_codec.h"
#include "syscall_table.h"

void replayer_describe_event(const struct trace_event *event, char *text, size_t size)
{
    if (event->kind == EVENT_SYSCALL)
        snprintf(text, size, "syscall %s", syscall_name(event->sysno));
    else if (event->kind == EVENT_SIGNAL || (event->kind == EVENT_EXIT && event->signo))
        snprintf(text, size, "%s %s", event_kind_name(event->kind), strsignal(event->signo));
    else
        snprintf(text, size, "%s", event_kind_name(event->kind));
}

enum replay_outcome replayer_diverged(const struct trace_event *event, const char *fmt, ...)
{
    char what[128], message[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(message, sizeof message, fmt, ap);
    va_end(ap);
    replayer_describe_event(event, what, sizeof what);
    error_note("divergence at event %lld (task %d, %s): %s", (long long)event->seq, event->tid,
               what, message);
    return REPLAY_DIVERGED;
}

enum replay_outcome replayer_failed(void)
{
    error_note("%s", error_text());
    return REPLAY_FAILED;
}

enum replay_outcome replayer_compare_regs(const struct trace_event *event,
                                        const struct user_regs_struct *actual)
{
    if (!event->has_regs)
        return REPLAY_MATCHED;
    for (size_t i = 0; i < REGS_COUNT; i++) {
        uint64_t expected = regs_get(&event->regs, i), got = regs_get(actual, i);
        if (expected != got)
            return replayer_diverged(event, "register %s: expected 0x%llx, replay has 0x%llx",
                                     regs_name(i), (unsigned long long)expected,
                                     (unsigned long long)got);
    }
    return REPLAY_MATCHED;
}

/* Resume (passing any signal due for delivery) and wait for the next stop. */
int replay_step_run_to_stop(struct replayer *rep, struct task_stop *stop)
{
    int signo = rep->cur->deliver_signo;
    rep->cur->deliver_signo = 0;
    if (rep->cur->stopped_at != STOPPED_AT_ENTRY)
        rep->cur->stopped_at = STOPPED_AFTER_EVENT; /* it runs on from a landmark or a tracer's signal stop */
    enum resume_how how = rep->cur->single_step ? RESUME_SYSEMU_SINGLESTEP : RESUME_SYSEMU;
    rep->cur->single_step = false;
    struct user_regs_struct regs;
    if (replay_buffered_before_run(rep) < 0)
        return -1;
    int refilled = 0;
    do {
        if (refilled && (signo = 0, task_get_regs(&rep->cur->task, &regs) < 0 ||
                         (regs.rax = 0, task_set_regs(&rep->cur->task, &regs) < 0)))
            return -1;
        if ((rep->debugger ? gdb_target_run_to_stop(rep, how, signo, stop)
                           : task_step(&rep->cur->task, how, signo, stop)) < 0)
            return -1;
    } while ((refilled = replay_buffered_refill(rep, stop)) == 1);
    if (refilled < 0)
        return -1;
    /* A stop signal delivered as recorded puts the task in a group stop,
     * which looks like a signal stop but has no siginfo: go on, as the
     * recorder did. */
    siginfo_t info;
    while (stop->kind == STOP_SIGNAL && ptrace(PTRACE_GETSIGINFO, rep->cur->task.tid, 0, &info) < 0 &&
           errno == EINVAL) {
        if (task_step(&rep->cur->task, RESUME_SYSEMU, 0, stop) < 0)
            return -1;
    }
    if (watchdog_poll(rep)) {
        error_set("stopped by the watchdog"); /* which has said why */
        return -1;
    }
    char text[128];
    DEBUG_LOG(LOG_REPLAY, "task %d: ran%s%s to %s", rep->cur->recorded_tid, how == RESUME_SYSEMU ? "" : " one step",
              signo ? " with its signal" : "", task_stop_text(stop, text, sizeof text));
    if (stop->kind == STOP_EXITED || stop->kind == STOP_KILLED)
        replay_tasks_note_death(rep->cur, stop);
    return 0;
}

/* Run to the next stop and note what the replay observed there: the event
 * stream `--events` writes is made of these, not of the recorded events. */
int replayer_run_and_observe(struct replayer *rep, const struct trace_event *event,
                             struct task_stop *stop, struct user_regs_struct *regs)
{
    if (replay_step_run_to_stop(rep, stop) < 0)
        return -1;
    struct trace_event *seen = &rep->observed;
    *seen = *event;
    seen->has_regs = false;
    seen->has_data_hash = false;
    rep->has_observed = true;
    switch (stop->kind) {
    case STOP_SYSCALL:
        if (task_get_regs(&rep->cur->task, regs) < 0)
            return -1;
        if (event->kind != EVENT_EXEC && event->kind != EVENT_ENTER)
            seen->kind = EVENT_SYSCALL;
        seen->sysno = (int64_t)regs->orig_rax;
        task_syscall_args(regs, seen->args);
        break;
    case STOP_SIGNAL:
        if (task_get_regs(&rep->cur->task, regs) < 0)
            return -1;
        if (!((event->kind == EVENT_RDTSC || event->kind == EVENT_CPUID) && stop->signo == SIGSEGV)) {
            seen->kind = EVENT_SIGNAL;
            seen->signo = stop->signo;
        }
        break;
    default:
        seen->kind = EVENT_EXIT;
        seen->result = stop->kind == STOP_EXITED ? stop->status : 0;
        seen->signo = stop->kind == STOP_KILLED ? stop->signo : 0;
        return 0;
    }
    seen->has_regs = true;
    seen->regs = *regs;
    seen->ip = regs->rip;
    return 0;
}

/* Run to the stop `event` needs and check the registers there. */
enum replay_outcome replayer_reach(struct replayer *rep, const struct trace_event *event,
                                 enum stop_kind want, int want_signo, struct user_regs_struct *regs)
{
    struct task_stop stop;
    char text[128];
    if (rep->cur->stopped_at == STOPPED_AT_ENTRY && want == STOP_SYSCALL) {
        /* Already at this syscall's entry: an enter event brought it there. */
        rep->cur->stopped_at = STOPPED_AFTER_EVENT;
        *regs = rep->cur->parked_regs;
        rep->observed = *event;
        rep->observed.regs = *regs;
        rep->has_observed = true;
        return replayer_compare_regs(event, regs);
    }
    if (rep->cur->stopped_at == STOPPED_AT_ENTRY)
        return replayer_diverged(event, "the task is waiting in a syscall it entered, not at %s",
                                 event_kind_name(event->kind));
    if (replayer_run_and_observe(rep, event, &stop, regs) < 0)
        return replayer_failed();
    enum replay_outcome buffered = stop.kind == STOP_SYSCALL ? replay_buffered_at_stop(rep, event, regs) : REPLAY_MATCHED;
    if (buffered != REPLAY_MATCHED)
        return buffered;
    if (stop.kind != want || (want == STOP_SIGNAL && stop.signo != want_signo))
        return replayer_diverged(event, "the program reached %s instead",
                                 task_stop_text(&stop, text, sizeof text));
    return replayer_compare_regs(event, regs);
}

/* Resume to the next syscall stop; anything else is a failure named by `what`. */
int replay_step_to_syscall_stop(struct replayer *rep, const char *what)
{
    struct task_stop stop;
    if (task_step(&rep->cur->task, RESUME_SYSCALL, 0, &stop) < 0)
        return -1;
    if (stop.kind != STOP_SYSCALL) {
        error_set("replay: %s", what);
        return -1;
    }
    return 0;
}

/* From a SYSEMU entry stop, move to the (skipped) syscall's exit stop, where
 * syscalls can be injected. */
int replay_step_leave_entry(struct replayer *rep)
{
    return replay_step_to_syscall_stop(rep, "the task did not stop after an emulated syscall");
}
