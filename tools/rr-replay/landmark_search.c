/*
 * landmark_search.c — replaying a landmark event: running the task to the
 * point in user code where the recorder interrupted it (the recorded ip,
 * every general register and a hash of the stack near rsp), with no syscall
 * or other stop on the way. See tools/rr-record/preemption.c.
 */
#include "replayer.h"

#include <string.h>

#include "content_hash.h"
#include "error.h"

static enum replay_outcome search_failed(void)
{
    error_note("%s", error_text());
    return REPLAY_FAILED;
}

enum { EFLAGS_TRAP = 0x100, EFLAGS_RESUME = 0x10000, LANDMARK_MAX_HITS = 10000000 };

/* Does the task stand where the landmark was recorded: every register (but
 * the trap and resume flags, which the breakpoint itself touches) and the
 * stack near rsp? */
bool at_landmark(struct task *task, const struct trace_event *event,
                        const struct user_regs_struct *regs)
{
    struct user_regs_struct a = *regs, b = event->regs;
    a.eflags &= ~(unsigned long long)(EFLAGS_TRAP | EFLAGS_RESUME);
    b.eflags &= ~(unsigned long long)(EFLAGS_TRAP | EFLAGS_RESUME);
    if (memcmp(&a, &b, sizeof a) != 0)
        return false;
    unsigned char window[LANDMARK_STACK_BELOW + LANDMARK_STACK_ABOVE];
    ssize_t n = task_read_mem(task, regs->rsp - LANDMARK_STACK_BELOW, window, sizeof window);
    return (int64_t)content_hash(window, n > 0 ? (size_t)n : 0) == event->result;
}

/* A landmark: the task was stopped in user code, at no syscall, when
 * recorded. Run it with a hardware breakpoint at the recorded ip until it is
 * there with the recorded registers and stack: a loop that passes the same
 * point looks different on each pass (a counter) or identical (a spin, where
 * any pass will do). Each pass is a stop: this is slow for long loops. */
enum replay_outcome replay_landmark(struct replayer *rep, const struct trace_event *event)
{
    struct task *task = &rep->cur->task;
    struct user_regs_struct regs;
    struct task_stop stop;
    char text[128];
    if (task_set_breakpoint(task, event->ip) < 0)
        return search_failed();
    for (long hits = 0; hits < LANDMARK_MAX_HITS; hits++) {
        if (replayer_run_and_observe(rep, event, &stop, &regs) < 0)
            return search_failed();
        if (stop.kind != STOP_SIGNAL || stop.signo != SIGTRAP)
            return replayer_diverged(event, "the program reached %s before the landmark at 0x%llx",
                                     replayer_stop_text(&stop, text, sizeof text), (unsigned long long)event->ip);
        rep->observed.kind = EVENT_LANDMARK;
        rep->observed.signo = 0;
        if (regs.rip == event->ip && at_landmark(task, event, &regs)) {
            rep->observed.result = event->result;
            rep->cur->at_landmark = true;
            /* The flags as recorded: the breakpoint's resume flag is not the
             * program's (a signal frame built here would keep it). */
            regs.eflags = event->regs.eflags;
            rep->observed.regs = regs;
            if (task_set_regs(task, &regs) < 0)
                return search_failed();
            return task_set_breakpoint(task, 0) < 0 ? search_failed() : REPLAY_MATCHED;
        }
        regs.eflags |= EFLAGS_RESUME; /* past this breakpoint once */
        if (task_set_regs(task, &regs) < 0)
            return search_failed();
    }
    return replayer_diverged(event, "the landmark at 0x%llx was not reached in %d passes",
                             (unsigned long long)event->ip, LANDMARK_MAX_HITS);
}

