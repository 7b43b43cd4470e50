/*
 * replay_exec.c — replaying an exec event: the task gets a fresh address
 * space for real (a vfork child stops sharing its parent's; a thread that is
 * not its process's leader takes over the leader), then the recorded one is
 * built in it (address_space.c).
 */
#include "replayer.h"

#include <asm/prctl.h>
#include <string.h>
#include <sys/syscall.h>

#include "error.h"
#include "trace_syscalls.h"

/* An exec gets a fresh address space for real before the recorded one is
 * built in it: a vfork child shares its parent's memory until it execs, and
 * the parent resumes only then, as when recorded. The image exec'd is the
 * replay process's own (/proc/self/exe); none of its code runs. */
static int exec_fresh_process(struct replayer *rep)
{
    static const char path[] = REPLAY_FRESH_EXEC_PATH;
    const uint64_t argv[2] = {TRAMPOLINE_ADDR + TRAMPOLINE_EXEC_PATH_AT, 0};
    _Static_assert(sizeof path <= TRAMPOLINE_EXEC_PATH_SIZE && sizeof argv <= TRAMPOLINE_EXEC_ARGV_SIZE,
                   "the exec's path and argv fit their trampoline areas");
    struct task *task = &rep->cur->task;
    int64_t result;
    if (task_write_mem(task, TRAMPOLINE_ADDR + TRAMPOLINE_EXEC_PATH_AT, path, sizeof path) < 0 ||
        task_write_mem(task, TRAMPOLINE_ADDR + TRAMPOLINE_EXEC_ARGV_AT, argv, sizeof argv) < 0)
        return -1;
    const uint64_t args[6] = {TRAMPOLINE_ADDR + TRAMPOLINE_EXEC_PATH_AT, TRAMPOLINE_ADDR + TRAMPOLINE_EXEC_ARGV_AT,
                              TRAMPOLINE_ADDR + TRAMPOLINE_EXEC_ARGV_AT + 8, 0, 0, 0};
    if (task_inject_syscall_keep_regs(task, SYS_execve, args, &result) < 0)
        return -1; /* (the registers from before the exec mean nothing now) */
    if (result != 0) {
        error_set("replay: cannot exec a fresh process: %s", strerror((int)-result));
        return -1;
    }
    task->has_trampoline = false; /* a new address space */
    if (task_map_trampoline(task) < 0)
        return -1;
    if (rep->cpuid_trapped) {
        const uint64_t faulting[6] = {ARCH_SET_CPUID, 0, 0, 0, 0, 0};
        if (task_inject_syscall(task, SYS_arch_prctl, faulting, &result) < 0 || result != 0) {
            error_set("replay: cannot re-arm CPUID faulting after exec");
            return -1;
        }
    }
    return 0;
}

/* An exec by a thread that is not its process's leader: when recorded, the
 * kernel ended every other thread, the leader too, and gave the thread the
 * leader's tid, by which the trace names it from then on. Here the thread's
 * live task exits and the leader's runs the exec (which thread of a process
 * survives its exec cannot be told from inside; and the kernel's exec waits
 * until its tracer has reaped every other thread): the exec'ing thread's
 * replay task goes on through the leader's, standing for the leader's
 * recorded tid, and the leader's replay task ends. */
static int exec_from_thread(struct replayer *rep)
{
    struct replay_task *thread = rep->cur, *leader = replay_tasks_find(rep, thread->group);
    if (!leader || !replay_task_alive(leader) || leader == thread) {
        error_set("replay: the leader %d of exec'ing thread %d is gone", thread->group, thread->recorded_tid);
        return -1;
    }
    if (replay_exit_end_other_threads(rep, leader) < 0 || replay_exit_end_thread(rep, 0) < 0)
        return -1;
    struct task dead = thread->task;
    thread->task = leader->task;
    leader->task = dead;
    leader->end = thread->end;
    leader->end_value = thread->end_value;
    leader->stopped_at = STOPPED_AFTER_EVENT;
    thread->end = TASK_END_NONE;
    thread->stopped_at = STOPPED_AFTER_EVENT;
    thread->recorded_tid = thread->group;
    int at_entry = task_syscall_stop_is_entry(&thread->task);
    return at_entry < 0 || (at_entry && replay_step_leave_entry(rep) < 0) ? -1 : exec_fresh_process(rep);
}

enum replay_outcome replay_exec(struct replayer *rep, const struct trace_event *event)
{
    if (event->has_regs) {
        struct user_regs_struct regs;
        enum replay_outcome outcome = replayer_reach(rep, event, STOP_SYSCALL, 0, &regs);
        if (outcome != REPLAY_MATCHED)
            return outcome;
        bool leader = rep->cur->recorded_tid == rep->cur->group;
        if (replay_step_leave_entry(rep) < 0 ||
            (leader ? replay_exit_end_other_threads(rep, NULL) < 0 || exec_fresh_process(rep) < 0
                    : exec_from_thread(rep) < 0))
            return replayer_failed();
    }
    if (rep->cur->process->users > 1) {
        /* A vfork child shared its parent's memory until now. */
        struct replay_process *own = replay_shared_state(NULL, rep->cur->process, sizeof *own);
        if (!own)
            return replayer_failed();
        replay_shared_state_release(rep->cur->process);
        rep->cur->process = own;
    }
    output_fds_after_syscall(&rep->cur->files->outputs, trace_syscalls_describe(rep->syscalls, SYS_execve),
                             event->args, 0);
    /* (The memory writes of an exec event: rdtsc made to trap, see
     * tools/rr-record/tsc_patching.c.) */
    if (address_space_restore(rep, event) < 0 || replayer_apply_mem_writes(rep, event->seq) < 0)
        return replayer_failed();
    replay_buffered_after_exec(rep);
    return REPLAY_MATCHED;
}
