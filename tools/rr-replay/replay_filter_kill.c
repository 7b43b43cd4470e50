/*
 * replay_filter_kill.c — tasks the program's own seccomp killed when
 * recorded: a filter's SECCOMP_RET_KILL_THREAD or _PROCESS (a SIGSYS no
 * signal stop shows), or a call strict mode forbids (SIGKILL). Replay runs
 * none of the program's filters, so the task is given one that kills the
 * same way (or is put in strict mode) and makes a call (from the program's
 * own syscall instruction where it can): its death, and what the kernel does at a thread's death (the
 * clear-child-tid word its joiner reads), happen at the recorded call,
 * before any other task runs on (the recorder let none run in between).
 */
#include "replayer.h"

#include <linux/filter.h>
#include <linux/seccomp.h>
#include <sys/prctl.h>
#include <sys/syscall.h>

#include "debug_log.h"
#include "error.h"
#include "syscall_table.h"

/* Make the task's next syscall kill it: a one-instruction filter answering
 * SECCOMP_RET_KILL_THREAD (the whole process when the thread is its last),
 * or strict mode (SIGKILL). */
static int arm_kill(struct task *task, bool strict)
{
    const uint64_t at = TRAMPOLINE_ADDR + TRAMPOLINE_KILL_FILTER_AT;
    const struct sock_filter kill = BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_KILL_THREAD);
    const struct sock_fprog prog = {.len = 1, .filter = (struct sock_filter *)(uintptr_t)(at + sizeof prog)};
    _Static_assert(sizeof prog + sizeof kill <= TRAMPOLINE_KILL_FILTER_SIZE, "the filter fits its trampoline area");
    const uint64_t no_new_privs[6] = {PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0, 0};
    const uint64_t install[6] = {SECCOMP_SET_MODE_FILTER, 0, at, 0, 0, 0};
    const uint64_t strict_mode[6] = {PR_SET_SECCOMP, SECCOMP_MODE_STRICT, 0, 0, 0, 0};
    int64_t result = -1;
    if (strict ? task_inject_syscall(task, SYS_prctl, strict_mode, &result) < 0
               : task_write_mem(task, at, &prog, sizeof prog) < 0 ||
                     task_write_mem(task, at + sizeof prog, &kill, sizeof kill) < 0 ||
                     task_inject_syscall(task, SYS_prctl, no_new_privs, &result) < 0 ||
                     task_inject_syscall(task, SYS_seccomp, install, &result) < 0)
        return -1;
    if (result != 0) {
        error_set("replay: cannot make task %d die as recorded (%s: %lld)", task->tid,
                  strict ? "strict mode" : "a killing filter", (long long)result);
        return -1;
    }
    return 0;
}

/* Where the killing call is made: the program's own `syscall` the task
 * stands after (where the recorded call was made), else the trampoline's.
 * Not the trampoline's when it can be helped: a recorder recording this
 * replay exempts calls from there from every filter (its own injected calls
 * come from there), and the task would not die. 0 when the task cannot be
 * read. */
static uint64_t kill_site(struct task *task)
{
    struct user_regs_struct regs;
    unsigned char code[SYSCALL_INSN_LENGTH];
    if (task_get_regs(task, &regs) < 0)
        return 0;
    uint64_t at = regs.rip - SYSCALL_INSN_LENGTH;
    if (!replay_in_trampoline(at) && task_read_mem(task, at, code, sizeof code) == sizeof code &&
        replay_is_syscall_insn(code))
        return at;
    return TRAMPOLINE_ADDR;
}

int replay_filter_kill_thread(struct replayer *rep)
{
    if (replay_exit_leave_syscall(rep) < 0 || arm_kill(&rep->cur->task, false) < 0)
        return -1;
    uint64_t at = kill_site(&rep->cur->task);
    return at ? replay_exit_die_by_syscall(rep, at, SYS_getpid, 0, false) : -1;
}

enum replay_outcome replay_filter_kill_in_syscall(struct replayer *rep, const struct trace_event *event)
{
    struct replay_task *rt = rep->cur;
    bool strict = event->sig_code == SYSCALL_KILLED_BY_STRICT_MODE;
    DEBUG_LOG(LOG_REPLAY, "task %d: killed in %s by %s when recorded", rt->recorded_tid, syscall_name(event->sysno),
              strict ? "strict mode" : "its seccomp filter");
    if (replay_exit_leave_syscall(rep) < 0 || arm_kill(&rt->task, strict) < 0)
        return replayer_failed();
    /* One thread of several: collected at its exit event. */
    bool collect_later = rt->process->users > 1;
    uint64_t at = kill_site(&rt->task);
    return !at || replay_exit_die_by_syscall(rep, at, SYS_getpid, 0, collect_later) < 0 ? replayer_failed()
                                                                                      : REPLAY_MATCHED;
}
