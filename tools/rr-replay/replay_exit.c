/*
 * replay_exit.c — how tasks end in replay. exit and exit_group run for real
 * through the trampoline (the other threads of an exit_group die with it,
 * collected in the order the kernel reports them); an exit event checks that
 * the task ended as recorded, ending it first where the recording says it
 * was killed from outside, by its seccomp filter, or ended by another
 * thread's execve.
 */
#include "replayer.h"

#include <linux/filter.h>
#include <linux/seccomp.h>
#include <signal.h>
#include <sys/prctl.h>
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
    regs->rip = TRAMPOLINE_ADDR;
    regs->rax = (unsigned long long)event->sysno;
    regs->orig_rax = (unsigned long long)-1;
    if (task_set_regs(&rep->cur->task, regs) < 0 || task_resume(&rep->cur->task, RESUME_CONT, 0) < 0)
        return replayer_failed();
    if (event->sysno == SYS_exit && rep->cur->process->users > 1) {
        /* One thread of several: a thread group leader's death is reported
         * only after the others', so it is collected at its exit event. The
         * exit's effects (the clear-child-tid word its joiner reads) must
         * have happened before the others run on. */
        rep->cur->exiting = true;
        return task_wait_until_exited(&rep->cur->task) < 0 ? replayer_failed() : REPLAY_MATCHED;
    }
    if (event->sysno == SYS_exit_group) /* the other threads die with it */
        return collect_group_deaths(rep, rep->cur->group) < 0 ? replayer_failed() : REPLAY_MATCHED;
    if (task_wait(&rep->cur->task, &stop) < 0)
        return replayer_failed();
    if (stop.kind != STOP_EXITED && stop.kind != STOP_KILLED)
        return replayer_diverged(event, "the program did not exit but reached %s",
                                 task_stop_text(&stop, text, sizeof text));
    replay_tasks_note_death(rep->cur, &stop);
    return REPLAY_MATCHED;
}

/* The task, stopped after its last event, makes syscall `nr` (arg0) through
 * the trampoline and must die of it. */
static int die_by_syscall(struct replayer *rep, long nr, uint64_t arg0)
{
    struct replay_task *rt = rep->cur;
    struct user_regs_struct regs;
    struct task_stop stop;
    if (task_get_regs(&rt->task, &regs) < 0)
        return -1;
    regs.rip = TRAMPOLINE_ADDR;
    regs.rax = (unsigned long long)nr;
    regs.rdi = arg0;
    regs.orig_rax = (unsigned long long)-1;
    if (task_set_regs(&rt->task, &regs) < 0 || task_step(&rt->task, RESUME_CONT, 0, &stop) < 0)
        return -1;
    if (stop.kind != STOP_EXITED && stop.kind != STOP_KILLED) {
        error_set("replay: thread %d did not end", rt->task.tid);
        return -1;
    }
    replay_tasks_note_death(rt, &stop);
    return 0;
}

/* Out of a syscall's entry stop, if the task is at one. */
static int leave_syscall(struct replayer *rep)
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
    return leave_syscall(rep) < 0 ? -1 : die_by_syscall(rep, SYS_exit, (uint64_t)status);
}

/* Killed by its seccomp filter when recorded (SECCOMP_RET_KILL_THREAD or
 * _PROCESS: a SIGSYS that no signal stop showed, right after the filtered
 * call). Replay runs none of the program's filters: the task gets one that
 * kills the same way, SECCOMP_RET_KILL_THREAD (which takes the whole
 * process with it when the thread is the last one), and makes a call. */
static int kill_by_filter(struct replayer *rep)
{
    struct task *task = &rep->cur->task;
    const uint64_t at = TRAMPOLINE_ADDR + TRAMPOLINE_KILL_FILTER_AT;
    const struct sock_filter kill = BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_KILL_THREAD);
    const struct sock_fprog prog = {.len = 1, .filter = (struct sock_filter *)(uintptr_t)(at + sizeof prog)};
    _Static_assert(sizeof prog + sizeof kill <= TRAMPOLINE_KILL_FILTER_SIZE, "the filter fits its trampoline area");
    const uint64_t no_new_privs[6] = {PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0, 0};
    const uint64_t install[6] = {SECCOMP_SET_MODE_FILTER, 0, at, 0, 0, 0};
    int64_t result = -1;
    if (leave_syscall(rep) < 0 || task_write_mem(task, at, &prog, sizeof prog) < 0 ||
        task_write_mem(task, at + sizeof prog, &kill, sizeof kill) < 0 ||
        task_inject_syscall(task, SYS_prctl, no_new_privs, &result) < 0 ||
        task_inject_syscall(task, SYS_seccomp, install, &result) < 0)
        return -1;
    if (result != 0) {
        error_set("replay: cannot install a filter in task %d to end it as recorded (%lld)", task->tid,
                  (long long)result);
        return -1;
    }
    return die_by_syscall(rep, SYS_getpid, 0);
}

enum replay_outcome replay_exit(struct replayer *rep, const struct trace_event *event)
{
    if (replay_task_alive(rep->cur) && rep->cur->deliver_signo) {
        struct task_stop stop;
        if (replay_step_run_to_stop(rep, &stop) < 0)
            return replayer_failed();
    }
    if (replay_task_alive(rep->cur) && rep->cur->exiting && collect_death(rep->cur) < 0)
        return replayer_failed();
    if (replay_task_alive(rep->cur) && !event->signo && rep->cur->recorded_tid != rep->cur->group &&
        replay_exit_end_thread(rep, (int)event->result) < 0)
        return replayer_failed();
    if (replay_task_alive(rep->cur) && event->signo == SIGSYS && kill_by_filter(rep) < 0)
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
