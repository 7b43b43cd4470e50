/*
 * inner_waits.c — nested tracing: a recorded tracer's wait4 and waitid for
 * its tracees, answered by the recorder (the kernel would never report the
 * stops of a task it is not the real tracer of), and the SIGCHLD it gets
 * for each stop. A wait with nothing to report yet holds the tracer in its
 * syscall until a tracee stops or dies (inner_waits_wake_tracer). A child
 * of the tracer that died is reaped by a real wait narrowed to it, so that
 * no zombie is left for a later wait to find.
 */
#include <errno.h>
#include <signal.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "error.h"
#include "nested_tracing.h"
#include "proc_status.h"
#include "recorder.h"

/* What a wait call asks for, from either call: wait4's pid, and its options. */
struct wait_filter {
    int64_t pid;
    bool nohang, nowait;
    bool own_thread_only; /* __WNOTHREAD */
};

static struct wait_filter wait_filter(const struct emulated_wait *wait)
{
    struct wait_filter filter = {0};
    uint64_t options;
    if (wait->sysno == SYS_waitid) {
        int idtype = (int)wait->args[0];
        filter.pid = idtype == P_PID ? (int64_t)(int32_t)wait->args[1] : -1;
        options = wait->args[3];
        filter.nowait = options & WNOWAIT;
    } else {
        filter.pid = (int64_t)(int32_t)wait->args[0];
        options = wait->args[2];
    }
    filter.nohang = options & WNOHANG;
    filter.own_thread_only = options & __WNOTHREAD;
    return filter;
}

/* Does this wait of `waiter` take this tracee? Any thread of the tracer's
 * process may wait for its tracees (only the tracer itself may make ptrace
 * requests), unless it asks for its own with __WNOTHREAD. */
static bool wait_matches(const struct rec_task *waiter, const struct wait_filter *filter,
                         const struct rec_task *tracee)
{
    const struct rec_task *tracer = tracee->inner.tracer;
    if (!tracer || (tracer != waiter && (filter->own_thread_only || tracer->pid != waiter->pid)))
        return false;
    return filter->pid <= 0 || tracee->task.tid == filter->pid;
}

/* Fill in what the wait call reports for `tracee`; returns its result. */
static int64_t report_to_wait(struct rec_task *tracer, const struct emulated_wait *wait, struct rec_task *tracee)
{
    int status = tracee->inner.wait_status;
    static const unsigned char no_usage[144];
    if (wait->sysno == SYS_waitid) {
        siginfo_t info;
        memset(&info, 0, sizeof info);
        info.si_signo = SIGCHLD;
        info.si_pid = tracee->task.tid;
        if (WIFEXITED(status)) {
            info.si_code = CLD_EXITED;
            info.si_status = WEXITSTATUS(status);
        } else if (WIFSIGNALED(status)) {
            info.si_code = WCOREDUMP(status) ? CLD_DUMPED : CLD_KILLED;
            info.si_status = WTERMSIG(status);
        } else {
            info.si_code = CLD_TRAPPED;
            info.si_status = WSTOPSIG(status);
        }
        if ((wait->args[2] && nested_put_to_tracer(tracer, wait->args[2], &info, sizeof info) < 0) ||
            (wait->args[4] && nested_put_to_tracer(tracer, wait->args[4], no_usage, sizeof no_usage) < 0))
            return -EFAULT;
        return 0;
    }
    if ((wait->args[1] && nested_put_to_tracer(tracer, wait->args[1], &status, sizeof status) < 0) ||
        (wait->args[3] && nested_put_to_tracer(tracer, wait->args[3], no_usage, sizeof no_usage) < 0))
        return -EFAULT;
    return tracee->task.tid;
}

/* Answer the tracer's wait if one of its tracees has something to report.
 * Returns 1 (answered, *result set), 2 (the death of a child of the
 * tracer's, whose zombie only the kernel can reap: *result is its tid, for
 * redirect_wait), 0 (nothing yet, but it has tracees the wait covers), or -1
 * (it covers no tracee: the kernel answers it). */
static int answer_wait(struct recorder *rec, struct rec_task *tracer, const struct emulated_wait *wait,
                       int64_t *result)
{
    struct wait_filter filter = wait_filter(wait);
    bool nowait = filter.nowait, covered = false;
    for (int i = 0; i < rec->task_count; i++) {
        struct rec_task *tracee = rec->tasks[i];
        if (!wait_matches(tracer, &filter, tracee))
            continue;
        covered = true;
        bool stop_news = tracee->life != TASK_DEAD && tracee->inner.stopped && !tracee->inner.reported;
        if (!stop_news && !tracee->inner.exit_unreported)
            continue;
        if (!stop_news && tracee->inner.reaped_by_tracer) {
            *result = tracee->task.tid;
            if (!nowait) {
                tracee->inner.exit_unreported = false;
                tracee->inner.tracer = NULL;
            }
            return 2;
        }
        *result = report_to_wait(tracer, wait, tracee);
        if (*result < 0 || nowait)
            return 1;
        if (stop_news) {
            tracee->inner.reported = true;
        } else {
            tracee->inner.exit_unreported = false;
            tracee->inner.tracer = NULL; /* reaped: gone from the tracer's view */
        }
        return 1;
    }
    if (!covered)
        return -1;
    if (filter.nohang) {
        *result = 0;
        return 1;
    }
    return 0;
}

/* A tracer that catches SIGCHLD is told of a tracee's stop by one, as the
 * kernel does: sent by the recorder, it gets the kernel's siginfo when it
 * arrives (is_recorder_sigchld). */
void inner_waits_send_sigchld(struct rec_task *tracer, const struct rec_task *tracee)
{
    struct signal_masks masks;
    if (proc_status_signal_masks(tracer->task.tid, &masks) < 0 || !(masks.caught & (1ull << (SIGCHLD - 1))))
        return;
    memset(&tracer->sigchld_info, 0, sizeof tracer->sigchld_info);
    tracer->sigchld_info.si_signo = SIGCHLD;
    tracer->sigchld_info.si_code = CLD_TRAPPED;
    tracer->sigchld_info.si_pid = tracee->task.tid;
    tracer->sigchld_info.si_status = WSTOPSIG(tracee->inner.wait_status);
    tracer->sigchld_sent = true;
    syscall(SYS_tgkill, tracer->pid, tracer->task.tid, SIGCHLD);
}

/* The wait goes to the kernel, narrowed to the child `tid` that died (so
 * that its zombie is reaped); the arguments changed are put back at the
 * syscall's exit (ptrace_emulation_after_syscall). */
static int redirect_wait(struct rec_task *tracer, const struct emulated_wait *wait, pid_t tid)
{
    struct user_regs_struct regs;
    if (task_get_regs(&tracer->task, &regs) < 0)
        return -1;
    tracer->wait_redirected = true;
    tracer->redirected_rdi = regs.rdi;
    tracer->redirected_rsi = regs.rsi;
    regs.orig_rax = (unsigned long long)wait->sysno;
    if (wait->sysno == SYS_waitid) {
        regs.rdi = P_PID;
        regs.rsi = (unsigned long long)tid;
    } else {
        regs.rdi = (unsigned long long)tid;
    }
    tracer->skipped = false;
    return task_set_regs(&tracer->task, &regs);
}

/* A held wait returns `result` (the tracer was stopped at its syscall's
 * entry, skipped: it goes on into the syscall's exit when scheduled). */
static void end_held_wait(struct recorder *rec, struct rec_task *tracer, int64_t result)
{
    tracer->held_in_wait = false;
    tracer->skipped_result = result;
    recorder_resume_later(rec, tracer);
}

/* The wait `waiter` is held in, answered if it can be now: whether it was. */
static bool wake_waiter(struct recorder *rec, struct rec_task *waiter)
{
    int64_t result;
    int answered;
    if (!waiter->held_in_wait || waiter->life == TASK_DEAD ||
        (answered = answer_wait(rec, waiter, &waiter->wait, &result)) <= 0)
        return false;
    if (answered == 2 && redirect_wait(waiter, &waiter->wait, (pid_t)result) < 0)
        error_note("%s", error_text());
    end_held_wait(rec, waiter, result);
    return true;
}

/* A tracee has news: a thread of its tracer's process held in a wait for it
 * goes on (the tracer itself first). */
void inner_waits_wake_tracer(struct recorder *rec, struct rec_task *tracer)
{
    if (!tracer || wake_waiter(rec, tracer))
        return;
    for (int i = 0; i < rec->task_count; i++)
        if (rec->tasks[i]->pid == tracer->pid && rec->tasks[i] != tracer && wake_waiter(rec, rec->tasks[i]))
            return;
}

void inner_waits_tick(struct recorder *rec)
{
    for (int i = 0; i < rec->task_count; i++) {
        struct rec_task *tracer = rec->tasks[i];
        struct signal_masks masks;
        if (!tracer->held_in_wait || tracer->life == TASK_DEAD || proc_status_signal_masks(tracer->task.tid, &masks) < 0 ||
            !(masks.pending & masks.caught & ~masks.blocked))
            continue;
        /* A signal it catches is pending: the wait ends as the kernel ends
         * it, restarted or EINTR by the handler's SA_RESTART, and the
         * signal is delivered at its exit. */
        end_held_wait(rec, tracer, -ERESTARTSYS);
    }
}

int inner_waits_syscall(struct recorder *rec, struct rec_task *t, const struct user_regs_struct *regs,
                        int64_t *result)
{
    struct emulated_wait wait = {.sysno = (long)regs->orig_rax};
    task_syscall_args(regs, wait.args);
    int answered = answer_wait(rec, t, &wait, result);
    if (answered < 0)
        return 0; /* none of its tracees: the kernel answers */
    if (answered == 2)
        return redirect_wait(t, &wait, (pid_t)*result) < 0 ? -1 : 0;
    if (answered == 0) {
        t->held_in_wait = true;
        t->wait = wait;
        *result = 0;
    }
    return 1;
}
