/*
 * record_syscall.c — recording a syscall. At its entry stop the syscall is
 * checked (supported, or answered in the kernel's place: substitute_answers.c),
 * its path arguments kept, and it is handed to nested tracing (a tracer's
 * ptrace and wait calls are emulated) or skipped when it would undo the
 * recorder's traps. At its exit stop the event is written with the memory
 * the kernel wrote, new file mappings and what it passed to stdout/stderr. A clone is recorded at the parent's
 * fork/clone event stop, before the child can run.
 */
#include "recorder.h"

#include <asm/prctl.h>
#include <assert.h>
#include <errno.h>
#include <linux/seccomp.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "content_hash.h"
#include "debug_log.h"
#include "error.h"
#include "event_log.h"
#include "outgoing_data.h"
#include "proc_status.h"
#include "syscall_decode.h"
#include "syscall_table.h"

enum { PAGE = 4096 };

/* Make the recorder's copy buffer hold at least `size` bytes. */
static int reserve_copy_buffer(struct recorder *rec, size_t size)
{
    if (size <= rec->copy_capacity)
        return 0;
    unsigned char *grown = realloc(rec->copy_buffer, size);
    if (!grown) {
        error_set("out of memory copying %zu bytes", size);
        return -1;
    }
    rec->copy_buffer = grown;
    rec->copy_capacity = size;
    return 0;
}

const unsigned char *recorder_copy_memory(struct recorder *rec, struct task *task, uint64_t addr,
                                          size_t len)
{
    if (reserve_copy_buffer(rec, len) < 0)
        return NULL;
    for (size_t done = 0; done < len;) {
        ssize_t n = task_read_mem(task, addr + done, rec->copy_buffer + done, len - done);
        if (n > 0) {
            done += (size_t)n;
            continue;
        }
        /* An unreadable page (past the end of a mapped file): zeros. */
        size_t skip = PAGE - ((addr + done) % PAGE);
        if (skip > len - done)
            skip = len - done;
        memset(rec->copy_buffer + done, 0, skip);
        done += skip;
    }
    return rec->copy_buffer;
}

/* Store what the kernel wrote at [addr, addr+len). The spec may name more
 * than the program has mapped (mincore's vector, a socklen_t the kernel
 * reports larger than it wrote, a size a failed call got from bad
 * arguments): the kernel writes a range in order and cannot write past a
 * hole in the address space, so what is stored stops at the first
 * unmapped page. */
static int record_memory(struct recorder *rec, struct task *task, int64_t seq, uint64_t addr, size_t len)
{
    if (reserve_copy_buffer(rec, MEM_WRITE_CHUNK) < 0)
        return -1;
    for (size_t done = 0; done < len;) {
        size_t piece = len - done < MEM_WRITE_CHUNK ? len - done : MEM_WRITE_CHUNK;
        ssize_t n = task_read_mem(task, addr + done, rec->copy_buffer, piece);
        if (n <= 0)
            return 0; /* unmapped: nothing was written there or past it */
        if (event_log_add_mem_write(rec->store, seq, addr + done, rec->copy_buffer, (size_t)n) < 0)
            return -1;
        done += (size_t)n;
    }
    return 0;
}

/* Syscalls that would undo the recorder's traps or let the kernel write
 * memory behind its back are not passed to the kernel: the program is told
 * what a kernel without the feature (or with the trap off) would say. */
static bool must_skip(const struct recorder *rec, struct rec_task *t, const struct user_regs_struct *regs,
                      int64_t *result)
{
    switch (regs->orig_rax) {
    case SYS_rseq:
        *result = -ENOSYS; /* the kernel would write the cpu number at will */
        return true;
    case SYS_prctl:
        /* rdtsc stays trapped; a program that asked for SIGSEGV gets it
         * (record_signal_stop), one that asked for rdtsc to work sees it work. */
        if (regs->rdi == PR_SET_TSC) {
            bool known = regs->rsi == PR_TSC_SIGSEGV || regs->rsi == PR_TSC_ENABLE;
            if (known)
                t->tsc_sigsegv = regs->rsi == PR_TSC_SIGSEGV;
            *result = known ? 0 : -EINVAL;
            return true;
        }
        if (regs->rdi == PR_GET_TSC) {
            *result = 0;
            t->skipped_store_at = regs->rsi;
            t->skipped_store = t->tsc_sigsegv ? PR_TSC_SIGSEGV : PR_TSC_ENABLE;
            return true;
        }
        return false;
    case SYS_arch_prctl:
        if (regs->rdi == ARCH_SET_CPUID) {
            /* As this machine would answer (a recorded recorder asks it);
             * cpuid stays trapped, and a program that turned it off gets
             * the SIGSEGV it asked for (record_signal_stop). */
            *result = rec->cpuid_native ? -ENODEV : 0;
            if (!rec->cpuid_native)
                t->cpuid_sigsegv = regs->rsi == 0;
            return true;
        }
        if (regs->rdi == ARCH_GET_CPUID) {
            *result = t->cpuid_sigsegv ? 0 : 1; /* as far as the program knows */
            return true;
        }
        return false;
    default:
        return false;
    }
}

static int record_syscall_event(struct recorder *rec, struct rec_task *t, const struct user_regs_struct *entry,
                                int64_t result, int64_t extra_blob, struct trace_event *event)
{
    memset(event, 0, sizeof *event);
    event->extra_blob = extra_blob;
    const struct syscall_desc *desc = syscall_lookup((long)entry->orig_rax);
    if (outgoing_data_applies(desc) && result > 0 && !t->filtered) {
        uint64_t args[6];
        unsigned char *data;
        size_t len;
        task_syscall_args(entry, args);
        if (outgoing_data_read(&t->task, desc, args, result, &data, &len) < 0)
            return -1;
        event->has_data_hash = true;
        event->data_hash = content_hash(data, len);
        output_order_add_bytes(rec, t, data, len);
        free(data);
    }
    event->seq = rec->next_seq++;
    event->tid = t->task.tid;
    event->kind = EVENT_SYSCALL;
    event->sysno = (int64_t)entry->orig_rax;
    task_syscall_args(entry, event->args);
    event->result = result;
    event->sig_code = t->filtered;
    event->ip = entry->rip;
    event->has_regs = true;
    event->regs = *entry;
    if (event_log_append(rec->store, event) < 0)
        return -1;
    for (int i = 0; i < t->kept_count; i++)
        if (event_log_add_mem_read(rec->store, event->seq, t->kept[i].addr, t->kept[i].bytes, t->kept[i].len) < 0)
            return -1;
    t->kept_count = 0;
    return 0;
}

/* Store the memory the kernel wrote during the syscall `event`. */
static int record_kernel_writes(struct recorder *rec, struct rec_task *t, const struct syscall_desc *desc,
                                const struct trace_event *event)
{
    mem_ranges_clear(&rec->ranges);
    if (desc && kernel_writes_collect(&t->task, desc, event->args, event->result, &rec->ranges) < 0)
        return -1;
    for (int i = 0; i < rec->ranges.count; i++)
        if (record_memory(rec, &t->task, event->seq, rec->ranges.items[i].addr, rec->ranges.items[i].len) < 0)
            return -1;
    return 0;
}

static int record_new_mapping(struct recorder *rec, struct rec_task *t, const struct trace_event *event)
{
    if (event->sysno == SYS_shmat)
        return shared_memory_record_attach(rec, t, event);
    if (event->sysno == SYS_shmdt)
        return 0; /* replay unmaps what its shmat mapped */
    uint64_t length = (event->args[1] + PAGE - 1) & ~(uint64_t)(PAGE - 1);
    struct trace_mapping mapping = {
        .start = (uint64_t)event->result,
        .end = (uint64_t)event->result + length,
        .prot = (int)event->args[2],
        .flags = (int)event->args[3],
        .offset = event->args[5],
    };
    if (mapping.flags & MAP_ANONYMOUS)
        return event_log_add_mapping(rec->store, event->seq, &mapping, NULL);
    proc_fd_target(t->task.tid, (int)event->args[4], mapping.path, sizeof mapping.path);
    if (mapping_cache_store(rec, &t->task, event->seq, &mapping, (int)event->args[4], MAPPING_BY_MMAP) < 0)
        return -1;
    return tsc_patching_mapping(rec, &t->task, t->pid, event->seq, &mapping);
}

uint64_t record_syscall_clone_flags(struct rec_task *t, const struct user_regs_struct *regs)
{
    uint64_t flags = 0;
    switch (regs->orig_rax) {
    case SYS_fork:
        return SIGCHLD;
    case SYS_vfork:
        return CLONE_VM | CLONE_VFORK | SIGCHLD;
    case SYS_clone:
        return regs->rdi;
    default: /* clone3: struct clone_args begins with the flags */
        if (regs->rsi < sizeof flags || task_read_mem(&t->task, regs->rdi, &flags, sizeof flags) != sizeof flags)
            flags = 0;
        return flags;
    }
}

/* Whether the kernel writes at argument `index` (the table's `writes`): the
 * trace then holds what is there after the call. */
static bool kernel_writes_at(const struct syscall_desc *desc, int index)
{
    for (int i = 0; i < desc->write_count; i++)
        if (desc->writes[i].ptr_arg == index)
            return true;
    return false;
}

/* Keep what the program hands the kernel behind its pointers, for rr-query
 * and rr-diff (replay does not need it): the path strings, and the structs
 * of `in:` argument kinds the kernel does not overwrite (a connect's address,
 * a nanosleep's time). Unreadable ones are left out. */
static void read_kept_arguments(struct rec_task *t, const struct syscall_desc *desc, const uint64_t args[6])
{
    t->kept_count = 0;
    int max = (int)(sizeof t->kept / sizeof t->kept[0]);
    for (int i = 0; i < 6 && t->kept_count < max; i++) {
        if (!args[i])
            continue;
        char kind[32];
        size_t len = 0;
        if (syscall_arg_is_path(desc, i)) {
            char *text = (char *)t->kept[t->kept_count].bytes;
            if (task_read_string(&t->task, args[i], text, sizeof t->kept[0].bytes) == 0)
                len = strlen(text) + 1;
        } else if (syscall_arg_kind(desc, i, kind, sizeof kind) && !kernel_writes_at(desc, i)) {
            size_t want = syscall_decode_entry_bytes(kind, args, i);
            if (want > sizeof t->kept[0].bytes)
                want = sizeof t->kept[0].bytes;
            if (want && task_read_mem(&t->task, args[i], t->kept[t->kept_count].bytes, want) == (ssize_t)want)
                len = want;
        }
        if (len) {
            t->kept[t->kept_count].addr = args[i];
            t->kept[t->kept_count++].len = len;
        }
    }
}

/* A syscall the program's seccomp filters answer: the kernel does, as the
 * program made it; the recorder answers nothing in its place. */
static int enter_filtered(struct recorder *rec, struct rec_task *t, const struct user_regs_struct *regs)
{
    t->in_syscall = true;
    t->entry_regs = *regs;
    t->entry_unmarked = true;
    t->entered_at = rec->ready_clock++;
    t->skipped = false;
    t->output.target = OUTPUT_STREAM_NONE;
    if (t->filtered == SYSCALL_FILTERED)
        return 0;
    /* It kills the task: recorded now, as an exit is. A thread with others
     * alive dies at once (do_exit), clearing its clear-child-tid word: before
     * any other task runs. The last one, or a whole process, gets the
     * kernel's exit stop first, then a fatal SIGSYS no signal stop shows. */
    bool others = false;
    for (int i = 0; i < rec->task_count; i++)
        others |= rec->tasks[i] != t && rec->tasks[i]->pid == t->pid && rec->tasks[i]->life == TASK_LIVE;
    uint32_t action = t->filter_answer & SECCOMP_RET_ACTION_FULL;
    if (t->filtered == SYSCALL_KILLED_BY_STRICT_MODE || (action == SECCOMP_RET_KILL_THREAD && others))
        t->life = TASK_EXITING;
    else
        for (int i = 0; i < rec->task_count; i++)
            if (rec->tasks[i]->pid == t->pid && rec->tasks[i]->life != TASK_DEAD)
                rec->tasks[i]->life = TASK_GROUP_EXITING;
    t->entry_unmarked = false;
    struct trace_event event;
    DEBUG_LOG(LOG_RECORD, "task %d: killed in %s by %s", t->task.tid, syscall_name((long)regs->orig_rax),
              t->filtered == SYSCALL_KILLED_BY_STRICT_MODE ? "strict mode" : "its seccomp filter");
    return record_syscall_event(rec, t, regs, 0, 0, &event);
}

int recorder_syscall_entry(struct recorder *rec, struct rec_task *t)
{
    struct user_regs_struct regs;
    if (task_get_regs(&t->task, &regs) < 0)
        return -1;
    int patched = syscall_buffer_patch_at_entry(rec, t, &regs);
    if (patched != 0)
        return patched < 0 ? -1 : 0;
    t->at_syscall_exit = false;
    long sysno = (long)regs.orig_rax;
    const struct syscall_desc *desc = syscall_lookup(sysno);
    t->syscall_changes_shared = shared_memory_changed_by(desc);
    uint64_t args[6];
    task_syscall_args(&regs, args);
    if (desc)
        read_kept_arguments(t, desc, args);
    seccomp_filters_decide(t, &regs);
    if (t->filtered)
        return enter_filtered(rec, t, &regs);
    char what[64];
    int64_t substitute = 0;
    bool substituted = substitute_answer(t, desc, &regs, &substitute, what, sizeof what);
    if (substituted)
        substitute_note(&rec->substitutes, what, (int)-substitute);
    else if (kernel_writes_check_supported(desc) < 0)
        return -1;
    int emulated = substituted ? 0 : rec->nested->syscall_entry(rec, t, &regs);
    if (emulated < 0)
        return -1;
    enum exit_scope exit_scope = syscall_exit_scope(sysno);
    if (exit_scope != EXIT_SCOPE_NONE) {
        /* There is no exit stop to wait for: record it now. The task is in
         * the kernel until its death is reported, which for a thread group
         * leader comes only after every other thread has gone. */
        struct trace_event event;
        DEBUG_LOG(LOG_RECORD, "task %d: %s, recorded at its entry", t->task.tid, syscall_name(sysno));
        t->in_syscall = true;
        if (exit_scope == EXIT_SCOPE_THREAD)
            t->life = TASK_EXITING;
        if (exit_scope == EXIT_SCOPE_PROCESS)
            for (int i = 0; i < rec->task_count; i++)
                if (rec->tasks[i]->pid == t->pid && rec->tasks[i]->life != TASK_DEAD)
                    rec->tasks[i]->life = TASK_GROUP_EXITING;
        if (record_syscall_event(rec, t, &regs, 0, 0, &event) < 0)
            return -1;
        if (exit_scope == EXIT_SCOPE_THREAD)
            robust_futex_at_exit(t, event.seq);
        return 0;
    }
    t->in_syscall = true;
    t->entry_regs = regs;
    t->entry_unmarked = true;
    t->entered_at = rec->ready_clock++;
    t->skipped_store_at = 0;
    t->skipped = substituted || emulated || must_skip(rec, t, &regs, &t->skipped_result);
    if (substituted)
        t->skipped_result = substitute;
    DEBUG_LOG(LOG_RECORD, "task %d: enters %s%s", t->task.tid, syscall_name(sysno),
              emulated ? ", emulated (nested tracing)" : t->skipped ? ", skipped: the recorder answers" : "");
    if (!t->skipped && desc->replay == REPLAY_CLONE && clone_untraced_clear(t, &regs) < 0)
        return -1;
    if (t->skipped) {
        t->output.target = OUTPUT_STREAM_NONE;
        regs.orig_rax = (unsigned long long)-1;
        if (t->seccomp_filters && t->task.has_trampoline)
            regs.rip = TRAMPOLINE_AFTER_SYSCALL; /* the program's filters let it through */
        return task_set_regs(&t->task, &regs);
    }
    if (seccomp_filters_before_kernel(t, &regs) < 0)
        return -1;
    output_order_at_entry(rec, t, &regs);
    return 0;
}

int record_syscall_exit(struct recorder *rec, struct rec_task *t)
{
    assert(t->in_syscall); /* an exit stop follows the entry stop that set it */
    struct user_regs_struct regs;
    if (t->filtered == SYSCALL_KILLED_BY_FILTER) {
        /* Recorded at its entry: the fatal SIGSYS comes as it goes on. */
        t->in_syscall = false;
        return 0;
    }
    int restarted = syscall_buffer_restart_at_exit(t);
    if (restarted != 0)
        return restarted < 0 ? -1 : 0;
    if (task_get_regs(&t->task, &regs) < 0)
        return -1;
    t->in_syscall = false;
    t->entry_unmarked = false;
    const struct user_regs_struct *entry = &t->entry_regs;
    int64_t result = (int64_t)regs.rax;
    if (t->skipped) {
        result = t->skipped_result;
        regs.rax = (unsigned long long)result;
        regs.orig_rax = entry->orig_rax;
        regs.rip = entry->rip;
        if (task_set_regs(&t->task, &regs) < 0)
            return -1;
        if (t->skipped_store_at &&
            task_write_mem(&t->task, t->skipped_store_at, &t->skipped_store, sizeof t->skipped_store) < 0)
            return -1;
        t->skipped_store_at = 0;
    }
    if (clone_untraced_restore(t, &regs) < 0 || seccomp_filters_after_kernel(rec, t, &regs, result) < 0)
        return -1;
    if (t->recorded_at_event) {
        t->recorded_at_event = false; /* a clone: recorded at its event stop */
        t->at_syscall_exit = true;
        t->exit_regs = regs;
        return 0;
    }
    struct trace_event event;
    if (record_syscall_event(rec, t, entry, result, 0, &event) < 0)
        return -1;
    DEBUG_LOG(LOG_RECORD, "task %d: %s returned %lld: event %lld", t->task.tid, syscall_name(event.sysno),
              (long long)result, (long long)event.seq);

    const struct syscall_desc *desc = t->filtered ? NULL : syscall_lookup(event.sysno); /* nothing ran */
    if (record_kernel_writes(rec, t, desc, &event) < 0)
        return -1;
    if (desc && desc->replay == REPLAY_MMAP && result >= 0 && record_new_mapping(rec, t, &event) < 0)
        return -1;
    if (desc && (desc->replay == REPLAY_MMAP || desc->replay == REPLAY_MREMAP || event.sysno == SYS_munmap)) {
        bool private_map = event.sysno == SYS_mmap && (event.args[3] & MAP_TYPE) == MAP_PRIVATE;
        bool may_add_shared = desc->replay == REPLAY_MMAP && !private_map;
        shared_memory_forget(rec, t->pid, false, may_add_shared);
        if (event.sysno == SYS_munmap && result == 0)
            tsc_patching_forget(rec, t->pid, event.args[0], event.args[1]);
        if (event.sysno == SYS_mremap && result >= 0) {
            tsc_patching_forget(rec, t->pid, event.args[0], event.args[1]);
            tsc_patching_forget(rec, t->pid, (uint64_t)result, event.args[2]);
        }
    }
    if (!t->filtered && (passed_output_capture(rec, t, &event) < 0 ||
                         output_order_syscall_done(rec, t, event.seq, result) < 0 ||
                         rec->nested->after_syscall(rec, t, &event) < 0))
        return -1;
    if (result >= 0 && !t->filtered)
        record_signal_continue_stopped_by(rec, &event);

    record_signal_known_point(t, &regs);
    record_signal_release_held(t);
    return 0;
}

/* At the parent's fork/vfork/clone event stop the child exists: the clone is
 * recorded there, before the child can run (a vfork parent only returns once
 * the child has exec'd or exited). */
int record_syscall_clone_event(struct recorder *rec, struct rec_task *t, int ptrace_event)
{
    assert(t->in_syscall); /* the parent is inside its fork-like syscall */
    unsigned long child_tid;
    if (ptrace(PTRACE_GETEVENTMSG, t->task.tid, 0, &child_tid) < 0) {
        error_set_errno("cannot read the new task of task %d", t->task.tid);
        return -1;
    }
    struct rec_task *child = record_tasks_for_stop(rec, (pid_t)child_tid);
    if (!child)
        return -1;
    struct trace_event event;
    int64_t seen, pids_blob;
    if (pid_namespace_clone_view(rec->store, t->task.tid, (pid_t)child_tid, &seen, &pids_blob) < 0 ||
        record_syscall_event(rec, t, &t->entry_regs, seen, pids_blob, &event) < 0 ||
        record_kernel_writes(rec, t, syscall_lookup(event.sysno), &event) < 0) /* a pidfd */
        return -1;
    uint64_t flags = record_syscall_clone_flags(t, &t->entry_regs);
    child->parent = t->task.tid;
    child->pid = flags & CLONE_THREAD ? t->pid : child->task.tid;
    child->announced = true;
    child->task.has_trampoline = t->task.has_trampoline;
    child->tsc_sigsegv = t->tsc_sigsegv;
    child->cpuid_sigsegv = t->cpuid_sigsegv;
    child->opened_memory_file = t->opened_memory_file; /* the descriptors are inherited */
    child->sb = t->sb; /* the filter, and the library in the memory it shares or copies */
    child->sb.restarting = false;
    seccomp_filters_inherit(child, t);
    if (!(flags & CLONE_THREAD) &&
        (shared_memory_inherit(rec, t->pid, child->pid) < 0 || tsc_patching_inherit(rec, t->pid, child->pid) < 0))
        return -1;
    clone_untraced_inherit(child, t);
    t->recorded_at_event = true;
    t->entry_unmarked = false; /* the clone event stands at its entry */
    /* The kernel lets a vfork parent go during its child's execve, before
     * the child's exec event: the parent waits here for that event to be
     * recorded, so that replay (where the exec is done at that event) sees
     * the same order. */
    if (ptrace_event == PTRACE_EVENT_VFORK)
        t->vfork_child = child;
    char command[64];
    snprintf(command, sizeof command, "%s of %d", flags & CLONE_THREAD ? "thread" : "child",
             t->task.tid);
    return event_log_task_started(rec->store, child->task.tid, child->pid, t->task.tid,
                                  event.seq, command);
}
