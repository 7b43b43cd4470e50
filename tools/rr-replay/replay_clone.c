/*
 * replay_clone.c — replaying fork, vfork, clone and clone3. The fork-like
 * syscall runs for real, in place, with flags that keep every replayed
 * process a child of rr-replay; the new process stands for the recorded
 * child, gets the recorded tids and the parent's registers at entry. A vfork
 * parent returns once its child has exec'd or exited, at its next event.
 */
#include "replayer.h"

#include <linux/sched.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/ptrace.h>
#include <stdlib.h>
#include <sys/syscall.h>

#include "blob_store.h"
#include "error.h"

/* The flags a fork-like syscall runs with in replay. Tids are written as
 * recorded, not by the kernel. Every replayed process is made a child of
 * rr-replay (CLONE_PARENT): the program's own waits are emulated, and a real
 * SIGCHLD reaching the program would be a stop the recording never saw (an
 * exit_signal of 0 is not enough: exec resets it to SIGCHLD). A vfork stays
 * a vfork: the child shares the parent's memory and the parent waits for its
 * exec, as when recorded. CLONE_UNTRACED is dropped, as the recorder did
 * (clone_untraced.c): the child must be traced. */
static uint64_t replay_clone_flags(uint64_t flags)
{
    /* Namespaces are left out too: every call that sees them is answered
     * from the trace (the pids a process in a new pid namespace sees among
     * them), and an unprivileged replay could not make them. */
    const uint64_t namespaces = CLONE_NEWNS | CLONE_NEWCGROUP | CLONE_NEWUTS | CLONE_NEWIPC | CLONE_NEWUSER |
                                CLONE_NEWPID | CLONE_NEWNET;
    return (flags & ~(uint64_t)(CLONE_PARENT_SETTID | CLONE_CHILD_SETTID | CLONE_PIDFD | CLONE_UNTRACED | namespaces |
                                0xff /* exit signal: CLONE_PARENT takes the parent's */)) |
           CLONE_PARENT;
}

/* The new task's pids: as the trace names it and as it sees itself (a pid
 * namespace makes them differ from the caller's result; replay_protocol.h). */
static int recorded_clone_pids(struct replayer *rep, const struct trace_event *event, struct clone_pids *pids)
{
    pids->tid = pids->own_tid = (int32_t)event->result;
    if (!event->extra_blob)
        return 0;
    void *data;
    size_t len;
    if (blob_store_get(rep->store, event->extra_blob, &data, &len) < 0)
        return -1;
    int rc = 0;
    if (len == sizeof *pids) {
        memcpy(pids, data, sizeof *pids);
    } else {
        error_set("event %lld: its new task's pids are %zu bytes, not %zu", (long long)event->seq, len,
                  sizeof *pids);
        rc = -1;
    }
    free(data);
    return rc;
}

/* Write the recorded tid where the program asked the kernel to put it. */
static int write_recorded_tid(struct task *task, uint64_t addr, int32_t tid)
{
    return addr ? task_write_mem(task, addr, &tid, sizeof tid) : 0;
}

/* Run the fork-like syscall for real, in place (the child must resume where
 * the recorded one did), with flags changed as replay_clone_flags says; the
 * new process stands for the recorded child. */
enum replay_outcome replay_clone(struct replayer *rep, const struct trace_event *event,
                                        struct user_regs_struct *regs)
{
    struct replay_task *parent = rep->cur;
    struct user_regs_struct run = *regs;
    uint64_t flags = 0, parent_tid_at = 0, child_tid_at = 0;
    run.rip -= SYSCALL_INSN_LENGTH; /* back onto the syscall instruction */
    switch (event->sysno) {
    case SYS_clone3: {
        unsigned char args[TRAMPOLINE_CLONE_ARGS_SIZE];
        size_t size = event->args[1] < sizeof args ? event->args[1] : sizeof args;
        if (task_read_mem(&parent->task, event->args[0], args, size) != (ssize_t)size)
            return replayer_failed();
        memcpy(&flags, args + CLONE_ARGS_FLAGS, 8);
        memcpy(&child_tid_at, args + CLONE_ARGS_CHILD_TID, 8);
        memcpy(&parent_tid_at, args + CLONE_ARGS_PARENT_TID, 8);
        uint64_t changed = replay_clone_flags(flags), no_signal = 0;
        memcpy(args + CLONE_ARGS_FLAGS, &changed, 8);
        memcpy(args + CLONE_ARGS_EXIT_SIGNAL, &no_signal, 8);
        if (task_write_mem(&parent->task, TRAMPOLINE_ADDR + TRAMPOLINE_CLONE_ARGS_AT, args, size) < 0)
            return replayer_failed();
        run.rax = SYS_clone3;
        run.rdi = TRAMPOLINE_ADDR + TRAMPOLINE_CLONE_ARGS_AT;
        break;
    }
    case SYS_clone:
        flags = event->args[0];
        parent_tid_at = event->args[2];
        child_tid_at = event->args[3];
        run.rax = SYS_clone;
        run.rdi = replay_clone_flags(flags);
        break;
    default: /* fork, vfork: a clone with only their own flags */
        flags = event->sysno == SYS_vfork ? CLONE_VM | CLONE_VFORK : 0;
        run.rax = SYS_clone;
        run.rdi = replay_clone_flags(flags);
        run.rsi = 0;
        break;
    }
    struct task_stop stop;
    unsigned long child_pid = 0;
    if (replay_step_leave_entry(rep) < 0 || task_set_regs(&parent->task, &run) < 0 ||
        replay_step_to_syscall_stop(rep, "the fork did not start") < 0 ||
        task_step(&parent->task, RESUME_SYSCALL, 0, &stop) < 0)
        return replayer_failed();
    if (stop.kind != STOP_EVENT ||
        ptrace(PTRACE_GETEVENTMSG, parent->task.tid, 0, &child_pid) < 0) {
        char text[128];
        return replayer_diverged(event, "the fork failed in replay (%s)",
                                 task_stop_text(&stop, text, sizeof text));
    }
    bool vfork = stop.event == PTRACE_EVENT_VFORK;
    if (vfork) {
        /* The parent returns once the child has exec'd or exited; its exit
         * stop is collected before its next event (replay_clone_finish_vfork). */
        if (task_resume(&parent->task, RESUME_SYSCALL, 0) < 0)
            return replayer_failed();
        parent->vfork_pending = true;
    } else if (replay_step_to_syscall_stop(rep, "the fork did not return") < 0) {
        return replayer_failed();
    }
    struct task child_task = {.tid = (pid_t)child_pid, .mem_fd = -1};
    if (task_wait(&child_task, &stop) < 0)
        return replayer_failed();
    if (stop.kind != STOP_SIGNAL || stop.signo != SIGSTOP)
        return replayer_diverged(event, "the new process did not start as expected");
    /* A vfork child shares its parent's memory but has a descriptor table
     * of its own (its dup2s before exec are not the parent's). */
    struct replay_process *process = flags & CLONE_VM
        ? replay_shared_state(parent->process, NULL, sizeof *process)
        : replay_shared_state(NULL, parent->process, sizeof *process);
    struct replay_files *files = flags & CLONE_FILES
        ? replay_shared_state(parent->files, NULL, sizeof *files)
        : replay_shared_state(NULL, parent->files, sizeof *files);
    struct clone_pids pids;
    if (recorded_clone_pids(rep, event, &pids) < 0)
        return replayer_failed();
    struct replay_task *child = replay_tasks_add(rep, pids.tid, (pid_t)child_pid, process, files);
    if (!child)
        return replayer_failed();
    if (rep->events_out) {
        /* The stream's task table, named as the recorder names new tasks. */
        char command[64];
        snprintf(command, sizeof command, "%s of %d", flags & CLONE_THREAD ? "thread" : "child",
                 parent->recorded_tid);
        if (event_log_task_started(rep->events_out, child->recorded_tid,
                                   flags & CLONE_THREAD ? parent->group : child->recorded_tid,
                                   parent->recorded_tid, event->seq, command) < 0)
            return replayer_failed();
    }
    child->task.has_trampoline = parent->task.has_trampoline;
    if (flags & CLONE_THREAD)
        child->group = parent->group;

    /* The child's registers are the parent's at entry but for rax = 0. */
    struct user_regs_struct child_regs = *regs;
    child_regs.rax = 0;
    if (task_get_regs(&child->task, &run) < 0)
        return replayer_failed();
    child_regs.rsp = run.rsp; /* clone may give the child a stack of its own */
    child_regs.fs_base = run.fs_base;
    if (task_set_regs(&child->task, &child_regs) < 0)
        return replayer_failed();
    /* It stands at its first stop, a SIGSTOP's signal-delivery stop: a
     * signal sent to it before it ran (its first event) replaces that
     * SIGSTOP with its recorded siginfo, as the kernel delivered it. */
    child->stopped_at = STOPPED_AT_SIGNAL;
    if (flags & CLONE_PARENT_SETTID) {
        if (write_recorded_tid(&parent->task, parent_tid_at, (int32_t)event->result) < 0 ||
            write_recorded_tid(&child->task, parent_tid_at, (int32_t)event->result) < 0)
            return replayer_failed();
    }
    if ((flags & CLONE_CHILD_SETTID) &&
        write_recorded_tid(&child->task, child_tid_at, pids.own_tid) < 0)
        return replayer_failed();
    regs->rax = (unsigned long long)event->result;
    if (vfork)
        parent->vfork_regs = *regs;
    else if (task_set_regs(&parent->task, regs) < 0)
        return replayer_failed();
    return replayer_apply_mem_writes(rep, event->seq) < 0 ? replayer_failed() : REPLAY_MATCHED;
}

/* A vfork parent's next event: its vfork has returned by now (the child
 * exec'd or exited, as the recorded order says); give it the recorded result. */
int replay_clone_finish_vfork(struct replay_task *parent)
{
    struct task_stop stop;
    parent->vfork_pending = false;
    if (task_wait(&parent->task, &stop) < 0)
        return -1;
    if (stop.kind != STOP_SYSCALL) {
        error_set("replay: vfork did not return to its parent");
        return -1;
    }
    return task_set_regs(&parent->task, &parent->vfork_regs);
}
