/*
 * replay_exit.c — how tasks end in replay. exit and exit_group run for real
 * through the trampoline (the other threads of an exit_group die with it,
 * collected in the order the kernel reports them); an exit event checks that
 * the task ended as recorded, ending it first where the recording says it
 * was killed from outside, by its seccomp filter, or ended by another
 * thread's execve.
 */
#include "replayer.h"

#include <signal.h>
#include <stdbool.h>
#include <sys/syscall.h>

#include "error.h"

/* Wait until a task that is dying (or dead) is gone. */
static int collect_death(struct replay_task *rt)
{
    struct task_stop stop;
    do {
        if (task_wait(&rt->task, &stop) < 0)
            return -1;
    } while (stop.kind != STOP_EXITED && stop.kind != STOP_KILLED);
    replay_tasks_note_death(rt, &stop);
    return 0;
}

/* Every thread of `group` is dying (exit_group, SIGKILL): collect them all.
 * The kernel reports the thread group leader's death only after every other
 * thread's has been collected: the others first, then the leader. */
static int collect_group_deaths(struct replayer *rep, int32_t group)
{
    struct replay_task *leader = NULL;
    for (int i = 0; i < rep->task_count; i++) {
        struct replay_task *thread = rep->tasks[i];
        if (!replay_task_alive(thread) || thread->group != group)
            continue;
        if (thread->recorded_tid == thread->group)
            leader = thread;
        else if (collect_death(thread) < 0)
            return -1;
    }
    return leader ? collect_death(leader) : 0;
}

enum replay_outcome replay_exit_syscall(struct replayer *rep, const struct trace_event *event,
                                               struct user_regs_struct *regs)
{
    struct task_stop stop;
    char text[128];
    if (replay_step_leave_entry(rep) < 0)
        return replayer_failed();
    bool thread_of_several = syscall_exit_scope(event->sysno) == EXIT_SCOPE_THREAD && rep->cur->process->users > 1;
    /* The robust futex words the kernel marked FUTEX_OWNER_DIED at a thread's
     * exit when recorded (tools/rr-record/robust_futex.c) are the exit's
     * memory. The kernel does not mark them in replay (the thread has another
     * tid), so they are written as the thread exits, through it: nothing runs
     * in between. */
    if (thread_of_several && replayer_apply_mem_writes(rep, event->seq) < 0)
        return replayer_failed();
    regs->rip = TRAMPOLINE_ADDR;
    regs->rax = (unsigned long long)event->sysno;
    regs->orig_rax = (unsigned long long)-1;
    if (task_set_regs(&rep->cur->task, regs) < 0 || task_resume(&rep->cur->task, RESUME_CONT, 0) < 0)
        return replayer_failed();
    if (thread_of_several) {
        /* One thread of several: a thread group leader's death is reported
         * only after the others', so it is collected at its exit event. The
         * exit's effects (the clear-child-tid word its joiner reads) must
         * have happened before the others run on. */
        rep->cur->exiting = true;
        if (task_wait_until_exited(&rep->cur->task) < 0)
            return replayer_failed();
        return REPLAY_MATCHED;
    }
    if (syscall_exit_scope(event->sysno) == EXIT_SCOPE_PROCESS) /* the other threads die with it */
        return collect_group_deaths(rep, rep->cur->group) < 0 ? replayer_failed() : REPLAY_MATCHED;
    if (task_wait(&rep->cur->task, &stop) < 0)
        return replayer_failed();
    if (stop.kind != STOP_EXITED && stop.kind != STOP_KILLED)
        return replayer_diverged(event, "the program did not exit but reached %s",
                                 task_stop_text(&stop, text, sizeof text));
    replay_tasks_note_death(rep->cur, &stop);
    return REPLAY_MATCHED;
}

int replay_exit_die_by_syscall(struct replayer *rep, uint64_t at, long nr, uint64_t arg0, bool collect_later)
{
    struct replay_task *rt = rep->cur;
    struct user_regs_struct regs;
    struct task_stop stop;
    if (task_get_regs(&rt->task, &regs) < 0)
        return -1;
    regs.rip = at;
    regs.rax = (unsigned long long)nr;
    regs.rdi = arg0;
    regs.orig_rax = (unsigned long long)-1;
    if (task_set_regs(&rt->task, &regs) < 0 || task_resume(&rt->task, RESUME_CONT, 0) < 0)
        return -1;
    if (collect_later) {
        rt->exiting = true;
        return task_wait_until_exited(&rt->task);
    }
    if (task_wait(&rt->task, &stop) < 0)
        return -1;
    if (stop.kind != STOP_EXITED && stop.kind != STOP_KILLED) {
        error_set("replay: thread %d did not end", rt->task.tid);
        return -1;
    }
    replay_tasks_note_death(rt, &stop);
    return 0;
}

int replay_exit_leave_syscall(struct replayer *rep)
{
    int at_entry = task_syscall_stop_is_entry(&rep->cur->task);
    if (at_entry < 0 || (at_entry && replay_step_leave_entry(rep) < 0))
        return -1;
    rep->cur->stopped_at = STOPPED_AFTER_EVENT;
    return 0;
}

/* A thread that ended without an exit of its own: another thread's execve
 * ended it when recorded (exec ends every other thread), and in replay that
 * exec comes later. The thread exits here, alone, through the trampoline
 * (replay_exec.c ends a thread so too). */
int replay_exit_end_thread(struct replayer *rep, int status)
{
    return replay_exit_leave_syscall(rep) < 0 ? -1 : replay_exit_die_by_syscall(rep, TRAMPOLINE_ADDR, SYS_exit, (uint64_t)status, false);
}

int replay_exit_end_other_threads(struct replayer *rep, const struct replay_task *keep)
{
    struct replay_task *current = rep->cur;
    int rc = 0;
    for (int i = 0; i < rep->task_count && rc == 0; i++) {
        struct replay_task *thread = rep->tasks[i];
        if (thread == current || thread == keep || thread->group != current->group || !replay_task_alive(thread))
            continue;
        rep->cur = thread;
        rc = thread->exiting ? collect_death(thread) : replay_exit_end_thread(rep, 0);
    }
    rep->cur = current;
    return rc;
}

/* Whether another thread of the current task's process is still alive. */
static bool others_alive(const struct replayer *rep)
{
    for (int i = 0; i < rep->task_count; i++)
        if (rep->tasks[i] != rep->cur && replay_task_alive(rep->tasks[i]) && rep->tasks[i]->group == rep->cur->group)
            return true;
    return false;
}

/* The task dies of the signal it stands at, as recorded. A fatal signal
 * kills every thread of the process: with others alive, the kernel reports
 * a thread group leader's death only once they are collected, so all are
 * collected (the others' exit events may come later). 0 or -1. */
static int die_of_pending_signal(struct replayer *rep, const struct trace_event *event)
{
    if (event->signo != rep->cur->deliver_signo || !others_alive(rep)) {
        struct task_stop stop;
        return replay_step_run_to_stop(rep, &stop);
    }
    int signo = rep->cur->deliver_signo;
    rep->cur->deliver_signo = 0;
    if (task_resume(&rep->cur->task, RESUME_CONT, signo) < 0)
        return -1;
    return collect_group_deaths(rep, rep->cur->group);
}

enum replay_outcome replay_exit(struct replayer *rep, const struct trace_event *event)
{
    if (replay_task_alive(rep->cur) && rep->cur->deliver_signo && die_of_pending_signal(rep, event) < 0)
        return replayer_failed();
    if (replay_task_alive(rep->cur) && rep->cur->exiting && collect_death(rep->cur) < 0)
        return replayer_failed();
    if (replay_task_alive(rep->cur) && !event->signo && rep->cur->recorded_tid != rep->cur->group &&
        replay_exit_end_thread(rep, (int)event->result) < 0)
        return replayer_failed();
    if (replay_task_alive(rep->cur) && event->signo == SIGSYS && replay_filter_kill_thread(rep) < 0)
        return replayer_failed();
    if (replay_task_alive(rep->cur) && event->signo == SIGKILL) {
        /* Killed from outside when recorded: nothing the program did after
         * its last event was observable, so it is killed here, with every
         * thread of its process (their exit events may come later). */
        kill(rep->cur->task.tid, SIGKILL);
        if (collect_group_deaths(rep, rep->cur->group) < 0)
            return replayer_failed();
    }
    if (replay_task_alive(rep->cur))
        return replayer_diverged(event, "the program is still running where it ended when recorded");
    rep->observed = *event;
    rep->observed.result = rep->cur->end == TASK_END_EXITED ? rep->cur->end_value : 0;
    rep->observed.signo = rep->cur->end == TASK_END_KILLED ? rep->cur->end_value : 0;
    rep->has_observed = true;
    int recorded_value;
    enum task_end recorded = task_end_of_exit_event(event, &recorded_value);
    if (recorded != rep->cur->end || recorded_value != rep->cur->end_value)
        return replayer_diverged(event, "the program ended with %s %d, when recorded with %s %d",
                                 rep->cur->end == TASK_END_EXITED ? "status" : "signal", rep->cur->end_value,
                                 recorded == TASK_END_EXITED ? "status" : "signal", recorded_value);
    return REPLAY_MATCHED;
}
