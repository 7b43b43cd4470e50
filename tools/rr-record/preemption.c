/*
 * preemption.c — interrupting a task that runs user code too long without a
 * syscall. The recorder's timer (recorder_tick) asks the running task to stop
 * with the recorder's own SIGSTOP when another task waits to run or a signal
 * is held for it; at that stop the task may be recorded at a register
 * landmark (ip, every general register and a hash of the stack near rsp),
 * where replay finds it again (tools/rr-replay/landmark_search.c), gives way
 * to the other tasks, and gets its held signal.
 */
#include "recorder.h"

#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "content_hash.h"
#include "event_log.h"

/* A hash of the stack near rsp (the red zone and what is above it), stored
 * with a landmark: replay stops at the first point with the same registers
 * and this hash. */
static int64_t stack_hash(struct task *task, uint64_t rsp)
{
    unsigned char window[LANDMARK_STACK_BELOW + LANDMARK_STACK_ABOVE];
    ssize_t n = task_read_mem(task, rsp - LANDMARK_STACK_BELOW, window, sizeof window);
    return (int64_t)content_hash(window, n > 0 ? (size_t)n : 0);
}

/* The recorder's own SIGSTOP (see recorder_tick) has stopped task t in user
 * code. A task found with the same registers twice in a row is spinning
 * (waiting for another task, or for a signal): it is stopped there, at a
 * landmark replay can find (every pass through a spin loop looks the same),
 * and gives way. Otherwise it goes on: its next syscall is the next chance. */
int preemption_on_stop(struct recorder *rec, struct rec_task *t, const struct user_regs_struct *regs)
{
    t->preempt_requested = false;
    bool spinning = t->has_sample && memcmp(&t->sample, regs, sizeof *regs) == 0;
    t->sample = *regs;
    t->has_sample = true;
    if (!spinning || (t->at_syscall_exit && memcmp(regs, &t->exit_regs, sizeof *regs) == 0))
        return 0;
    struct trace_event event = {
        .seq = rec->next_seq++,
        .tid = t->task.tid,
        .kind = EVENT_LANDMARK,
        .result = stack_hash(&t->task, regs->rsp),
        .ip = regs->rip,
        .has_regs = true,
        .regs = *regs,
    };
    if (event_log_append(rec->store, &event) < 0)
        return -1;
    t->has_sample = false;
    if (!t->has_deferred) {
        t->yield = true;
        return 0;
    }
    /* A held signal is delivered at the landmark: resuming this signal stop
     * with another signal delivers that one at once, with the siginfo set
     * here (the kernel keeps it when the numbers agree). */
    t->has_deferred = false;
    if (task_set_siginfo(&t->task, &t->deferred) < 0)
        return -1;
    return recorder_record_signal(rec, t, regs, &t->deferred, false);
}

void preemption_tick(struct recorder *rec, bool others_wait)
{
    struct rec_task *t = rec->current;
    if (t->in_syscall || t->preempt_requested || t->dead)
        return;
    if (!t->has_deferred && !others_wait)
        return;
    t->preempt_requested = true;
    syscall(SYS_tgkill, t->pid, t->task.tid, SIGSTOP);
}
