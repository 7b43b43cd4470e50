/*
 * replay_syscall.c — replaying a syscall event. The task stops at the
 * syscall's entry under PTRACE_SYSEMU, so the kernel skips it: an emulated
 * syscall gets its recorded result and memory writes (and what it wrote to
 * stdout/stderr must hash as recorded); the few that shape the address space
 * or signal state are re-run through the trampoline page with recorded
 * arguments (mmap forced to its recorded address and filled from the trace).
 * A syscall that waited under a temporary signal mask and was interrupted
 * leaves a masked wait for replay_signal.c. An enter event parks a task at
 * its syscall's entry until its next event.
 */
#include "replayer.h"

#include <asm/prctl.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "blob_store.h"
#include "content_hash.h"
#include "debug_log.h"
#include "error.h"
#include "outgoing_data.h"
#include "proc_maps.h"
#include "syscall_table.h"
#include "trace_syscalls.h"

enum { PAGE = 4096 };

static uint64_t page_up(uint64_t value)
{
    return (value + PAGE - 1) & ~(uint64_t)(PAGE - 1);
}

/* Put the memory the kernel wrote during event `seq` back into the program. */
int replayer_apply_mem_writes(struct replayer *rep, int64_t seq)
{
    for (;;) {
        if (!rep->has_pending_write && !rep->writes_exhausted) {
            int rc = event_log_next_mem_write(rep->store, &rep->pending_write);
            if (rc < 0)
                return -1;
            rep->has_pending_write = rc == 1;
            rep->writes_exhausted = rc == 0;
        }
        if (!rep->has_pending_write || rep->pending_write.seq > seq)
            return 0;
        rep->has_pending_write = false;
        if (rep->pending_write.seq < seq)
            continue;
        void *data;
        size_t len;
        if (blob_store_get(rep->store, rep->pending_write.blob, &data, &len) < 0)
            return -1;
        int rc = task_write_mem(&rep->cur->task, rep->pending_write.addr, data, len);
        if (rc == 0 && rep->events_out)
            rc = event_log_add_mem_write(rep->events_out, seq, rep->pending_write.addr, data, len);
        free(data);
        if (rc < 0)
            return -1;
    }
}

/* The bytes a write-like syscall handed the kernel must hash as recorded;
 * those going to stdout/stderr are shown as the recording saw them. */
static enum replay_outcome check_outgoing_data(struct replayer *rep, const struct trace_event *event)
{
    unsigned char *data;
    size_t len;
    if (!event->has_data_hash)
        return REPLAY_MATCHED;
    const struct syscall_desc *desc = trace_syscalls_describe(rep->syscalls, event->sysno);
    if (outgoing_data_read(&rep->cur->task, desc, event->args, event->result, &data, &len) < 0)
        return replayer_failed();
    rep->observed.has_data_hash = true;
    rep->observed.data_hash = content_hash(data, len);
    if (rep->observed.data_hash != event->data_hash) {
        free(data);
        return replayer_diverged(event, "the %zu bytes written differ from the recording", len);
    }
    enum output_kind kind = output_fds_kind(&rep->cur->files->outputs, (int64_t)event->args[0]);
    if (kind != OUTPUT_NONE)
        output_check_show(&rep->output, kind, data, len);
    free(data);
    return REPLAY_MATCHED;
}

/* Show what a call that passes data inside the kernel (copy_file_range,
 * sendfile: the table's passes effect) passed to stdout/stderr when recorded. */
static int echo_passed_output(struct replayer *rep, const struct syscall_desc *desc, const struct trace_event *event)
{
    int out_arg = desc->effects.passes_to_arg;
    if (out_arg == SYSCALL_NO_ARG)
        return 0;
    enum output_kind kind = output_fds_kind(&rep->cur->files->outputs, (int64_t)event->args[out_arg]);
    if (kind == OUTPUT_NONE || event->result <= 0)
        return 0;
    return output_check_show_passed(&rep->output, kind, rep->store, event->seq);
}

/* Run one syscall for real in place of the recorded one, then make the
 * program see the recorded result with its registers as at entry. */
static enum replay_outcome run_for_real(struct replayer *rep, const struct trace_event *event,
                                        struct user_regs_struct *regs, long nr, const uint64_t args[6],
                                        int64_t expected)
{
    int64_t result;
    DEBUG_LOG(LOG_REPLAY, "task %d: runs %s for real", rep->cur->recorded_tid, syscall_name(nr));
    if (replay_step_leave_entry(rep) < 0 || task_inject_syscall(&rep->cur->task, nr, args, &result) < 0)
        return replayer_failed();
    if (expected != INT64_MIN && result != expected) {
        rep->observed.result = result; /* the program sees the recorded result otherwise */
        return replayer_diverged(event, "%s returned %lld in replay, %lld when recorded",
                                 syscall_name(nr), (long long)result, (long long)expected);
    }
    struct user_regs_struct after;
    if (task_get_regs(&rep->cur->task, &after) < 0)
        return replayer_failed();
    regs->fs_base = after.fs_base; /* arch_prctl(ARCH_SET_FS) changes them */
    regs->gs_base = after.gs_base;
    regs->rax = (unsigned long long)event->result;
    if (task_set_regs(&rep->cur->task, regs) < 0)
        return replayer_failed();
    return REPLAY_MATCHED;
}

/* Map anonymous memory with `args` (forced to the recorded address) and
 * write in the contents the trace holds for the event's mappings. */
static enum replay_outcome map_recorded(struct replayer *rep, const struct trace_event *event,
                                        struct user_regs_struct *regs, const uint64_t args[6])
{
    enum replay_outcome outcome = run_for_real(rep, event, regs, SYS_mmap, args, event->result);
    if (outcome != REPLAY_MATCHED)
        return outcome;
    struct trace_mapping *mappings = NULL;
    int count = event_log_mappings(rep->store, event->seq, &mappings);
    if (count < 0)
        return replayer_failed();
    for (int i = 0; i < count; i++) {
        void *contents;
        size_t len;
        if (!mappings[i].blob)
            continue;
        if (blob_store_get(rep->store, mappings[i].blob, &contents, &len) < 0) {
            free(mappings);
            return replayer_failed();
        }
        int rc = task_write_mem(&rep->cur->task, mappings[i].start, contents, len);
        free(contents);
        if (rc < 0) {
            free(mappings);
            return replayer_failed();
        }
    }
    free(mappings);
    return REPLAY_MATCHED;
}

/* SysV shared memory: shmat maps anonymous shared memory where the segment
 * was attached, as large as it was (the mapping the recorder stored), with
 * its contents; shmdt unmaps what that shmat mapped. What other processes
 * store into the segment comes as shared_memory events. */
static enum replay_outcome replay_shm(struct replayer *rep, const struct trace_event *event,
                                      struct user_regs_struct *regs)
{
    if (event->sysno == SYS_shmat) {
        struct trace_mapping *mappings = NULL;
        int count = event_log_mappings(rep->store, event->seq, &mappings);
        if (count < 0)
            return replayer_failed();
        if (count != 1) {
            free(mappings);
            return replayer_diverged(event, "the trace holds no mapping for this shmat");
        }
        const uint64_t args[6] = {mappings[0].start, mappings[0].end - mappings[0].start, (uint64_t)mappings[0].prot,
                                  MAP_SHARED | MAP_ANONYMOUS | MAP_FIXED, (uint64_t)-1, 0};
        free(mappings);
        return map_recorded(rep, event, regs, args);
    }
    struct trace_mapping *current = NULL;
    int count = proc_maps_read(rep->cur->task.tid, &current);
    if (count < 0)
        return replayer_failed();
    uint64_t length = 0;
    for (int i = 0; i < count; i++)
        if (current[i].start == event->args[0])
            length = current[i].end - current[i].start;
    free(current);
    if (!length)
        return replayer_diverged(event, "nothing is mapped at 0x%llx to detach", (unsigned long long)event->args[0]);
    const uint64_t args[6] = {event->args[0], length, 0, 0, 0, 0};
    return run_for_real(rep, event, regs, SYS_munmap, args, 0);
}

static enum replay_outcome replay_mmap(struct replayer *rep, const struct trace_event *event,
                                       struct user_regs_struct *regs)
{
    if (event->sysno == SYS_shmat || event->sysno == SYS_shmdt)
        return replay_shm(rep, event, regs);
    uint64_t args[6];
    memcpy(args, event->args, sizeof args);
    int keep = MAP_SHARED | MAP_PRIVATE | MAP_GROWSDOWN | MAP_STACK | MAP_NORESERVE | MAP_LOCKED;
    args[0] = (uint64_t)event->result;
    args[3] = (args[3] & (uint64_t)keep) | MAP_FIXED | MAP_ANONYMOUS;
    /* A read-only shared mapping can only show the file: private is the same
     * here, and lets the recorded contents be written in. */
    if (!(args[2] & PROT_WRITE) && (args[3] & MAP_SHARED))
        args[3] = (args[3] & ~(uint64_t)MAP_SHARED) | MAP_PRIVATE;
    args[4] = (uint64_t)-1;
    args[5] = 0;
    enum replay_outcome outcome = map_recorded(rep, event, regs, args);
    /* (An mmap's memory writes: rdtsc made to trap, tools/rr-record/tsc_patching.c.) */
    if (outcome == REPLAY_MATCHED && replayer_apply_mem_writes(rep, event->seq) < 0)
        return replayer_failed();
    return outcome;
}

static enum replay_outcome replay_mremap(struct replayer *rep, const struct trace_event *event,
                                         struct user_regs_struct *regs)
{
    uint64_t args[6];
    memcpy(args, event->args, sizeof args);
    if ((uint64_t)event->result == args[0]) {
        args[3] &= ~(uint64_t)MREMAP_MAYMOVE; /* it stayed put when recorded */
    } else {
        args[3] |= MREMAP_MAYMOVE | MREMAP_FIXED;
        args[4] = (uint64_t)event->result;
    }
    return run_for_real(rep, event, regs, SYS_mremap, args, event->result);
}

/* The program break is emulated with anonymous mappings, since the replay
 * process's own break is not where the recorded one was. */
static enum replay_outcome replay_brk(struct replayer *rep, const struct trace_event *event,
                                      struct user_regs_struct *regs)
{
    uint64_t old_end = page_up(rep->cur->process->current_brk), new_end = page_up((uint64_t)event->result);
    if (rep->cur->process->current_brk == 0 || old_end == new_end) {
        rep->cur->process->current_brk = (uint64_t)event->result;
        regs->rax = (unsigned long long)event->result;
        return task_set_regs(&rep->cur->task, regs) < 0 ? replayer_failed() : REPLAY_MATCHED;
    }
    enum replay_outcome outcome;
    if (new_end > old_end) {
        const uint64_t args[6] = {old_end, new_end - old_end, PROT_READ | PROT_WRITE,
                                  MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, (uint64_t)-1, 0};
        outcome = run_for_real(rep, event, regs, SYS_mmap, args, (int64_t)old_end);
    } else {
        const uint64_t args[6] = {new_end, old_end - new_end, 0, 0, 0, 0};
        outcome = run_for_real(rep, event, regs, SYS_munmap, args, 0);
    }
    rep->cur->process->current_brk = (uint64_t)event->result;
    return outcome;
}

static enum replay_outcome replay_emulated(struct replayer *rep, const struct trace_event *event,
                                           struct user_regs_struct *regs)
{
    DEBUG_LOG(LOG_REPLAY, "task %d: %s emulated, returns %lld", rep->cur->recorded_tid, syscall_name(event->sysno),
              (long long)event->result);
    if (replayer_apply_mem_writes(rep, event->seq) < 0)
        return replayer_failed();
    regs->rax = (unsigned long long)event->result;
    if (rep->corrupt_seq && event->seq == rep->corrupt_seq)
        regs->rax++; /* the injected replayer bug (--test-corrupt-result) */
    if (task_set_regs(&rep->cur->task, regs) < 0)
        return replayer_failed();
    rep->cur->restart_pending = replay_is_restart_result(event->result);
    enum replay_outcome outcome = check_outgoing_data(rep, event);
    if (outcome != REPLAY_MATCHED)
        return outcome;
    const struct syscall_desc *desc = trace_syscalls_describe(rep->syscalls, event->sysno);
    if (desc && echo_passed_output(rep, desc, event) < 0)
        return replayer_failed();
    output_fds_after_syscall(&rep->cur->files->outputs, desc, event->args, event->result);
    return REPLAY_MATCHED;
}

/* Does this syscall wait under a temporary signal mask (the table's sigmask
 * effect)? *mask gets the mask's address (0 when the call passed none). */
static bool temporary_mask(struct replayer *rep, const struct syscall_desc *desc, const struct trace_event *event,
                           uint64_t *mask)
{
    int arg = desc->effects.sigmask_arg;
    if (arg == SYSCALL_NO_ARG)
        return false;
    *mask = event->args[arg];
    if (!desc->effects.sigmask_indirect || *mask == 0)
        return true;
    uint64_t at = *mask; /* pselect6: the argument points at {sigset pointer, size} */
    *mask = 0;
    return task_read_mem(&rep->cur->task, at, mask, sizeof *mask) == sizeof *mask;
}

enum replay_outcome replay_syscall(struct replayer *rep, const struct trace_event *event)
{
    struct user_regs_struct regs;
    enum replay_outcome outcome = replayer_reach(rep, event, STOP_SYSCALL, 0, &regs);
    if (outcome != REPLAY_MATCHED)
        return outcome;
    if (event->sig_code == SYSCALL_KILLED_BY_FILTER || event->sig_code == SYSCALL_KILLED_BY_STRICT_MODE)
        return replay_filter_kill_in_syscall(rep, event);
    if (event->sig_code == SYSCALL_FILTERED) {
        /* The program's seccomp filter answered when recorded: nothing ran,
         * nothing was written; the program sees the answer (a TRAP's SIGSYS,
         * a KILL's death are the next events). */
        DEBUG_LOG(LOG_REPLAY, "task %d: %s answered by the program's seccomp filter: %lld", rep->cur->recorded_tid,
                  syscall_name(event->sysno), (long long)event->result);
        regs.rax = (unsigned long long)event->result;
        return task_set_regs(&rep->cur->task, &regs) < 0 ? replayer_failed() : REPLAY_MATCHED;
    }
    const struct syscall_desc *desc = trace_syscalls_describe(rep->syscalls, event->sysno);
    if (!desc && event->result != -ENOSYS)
        return replayer_diverged(event, "the trace names a syscall this rr-replay does not know (%lld)",
                                 (long long)event->sysno);
    if (!desc) /* a number the recorder did not know: it answered ENOSYS */
        return replay_emulated(rep, event, &regs);
    uint64_t mask = 0;
    if ((event->result == -ERESTARTNOHAND || event->result == -EINTR) &&
        temporary_mask(rep, desc, event, &mask) && mask) {
        /* The signal that ended it must be delivered under the temporary
         * mask, which only a real wait sets up: replay_signal runs one. */
        DEBUG_LOG(LOG_REPLAY, "task %d: %s waited under a temporary mask: its signal comes next",
                  rep->cur->recorded_tid, syscall_name(event->sysno));
        if (replayer_apply_mem_writes(rep, event->seq) < 0)
            return replayer_failed();
        rep->cur->masked_wait_pending = true;
        rep->cur->masked_wait_mask = mask;
        rep->cur->masked_wait_result = event->result;
        return REPLAY_MATCHED;
    }
    if (event->result < 0 && event->result > -4096 && desc->replay != REPLAY_EXECUTE)
        return replay_emulated(rep, event, &regs); /* a failed call changed nothing */
    switch (desc->replay) {
    case REPLAY_EXECUTE:
        if (syscall_exit_scope(event->sysno) != EXIT_SCOPE_NONE)
            return replay_exit_syscall(rep, event, &regs);
        if (event->sysno == SYS_rt_sigreturn) {
            int64_t result;
            if (replay_step_leave_entry(rep) < 0 ||
                task_inject_syscall_keep_regs(&rep->cur->task, SYS_rt_sigreturn, event->args, &result) < 0)
                return replayer_failed();
            return REPLAY_MATCHED; /* the next event checks the restored registers */
        }
        /* A pid result (set_tid_address's: the caller's tid) differs in
         * replay; the program sees the recorded one. */
        outcome = run_for_real(rep, event, &regs, event->sysno, event->args,
                               desc->result == RESULT_PID ? INT64_MIN : event->result);
        if (outcome == REPLAY_MATCHED && replayer_apply_mem_writes(rep, event->seq) < 0)
            return replayer_failed();
        return outcome;
    case REPLAY_MMAP:
        return replay_mmap(rep, event, &regs);
    case REPLAY_MREMAP:
        return replay_mremap(rep, event, &regs);
    case REPLAY_BRK:
        return replay_brk(rep, event, &regs);
    case REPLAY_CLONE:
        return replay_clone(rep, event, &regs);
    case REPLAY_ARCH_PRCTL:
        if (event->args[0] == ARCH_SET_FS || event->args[0] == ARCH_SET_GS)
            return run_for_real(rep, event, &regs, SYS_arch_prctl, event->args, event->result);
        return replay_emulated(rep, event, &regs);
    default:
        return replay_emulated(rep, event, &regs);
    }
}

/* An enter event: run the task to the syscall's entry and leave it there;
 * the syscall completes at the task's next event. */
enum replay_outcome replay_enter(struct replayer *rep, const struct trace_event *event)
{
    struct user_regs_struct regs;
    enum replay_outcome outcome = replayer_reach(rep, event, STOP_SYSCALL, 0, &regs);
    if (outcome != REPLAY_MATCHED)
        return outcome;
    DEBUG_LOG(LOG_REPLAY, "task %d: parked at its syscall's entry until its next event", rep->cur->recorded_tid);
    rep->cur->stopped_at = STOPPED_AT_ENTRY;
    rep->cur->parked_regs = regs;
    /* What the kernel wrote when the syscall blocked (record_scheduler.c). */
    return replayer_apply_mem_writes(rep, event->seq) < 0 ? replayer_failed() : REPLAY_MATCHED;
}

enum replay_outcome replay_shared_memory(struct replayer *rep, const struct trace_event *event)
{
    rep->observed = *event;
    rep->has_observed = true;
    return replayer_apply_mem_writes(rep, event->seq) < 0 ? replayer_failed() : REPLAY_MATCHED;
}
