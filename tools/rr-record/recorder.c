/*
 * recorder.c — the recording loop. Every task is stopped at each syscall
 * entry and exit, signal, exec and fork; at each stop the loop records what
 * the task observed and resumes it.
 *
 * Scheduling: exactly one task runs user code at a time (the current one).
 * A task resumed into a syscall runs in the kernel only, so at every syscall
 * entry the current task gives way: the next task with a pending stop is
 * handled (round robin, in the order their stops arrived), or the recorder
 * waits for any task to stop. A stop of a task that is not current is kept
 * until the task is scheduled, and recorded then, so that the order of events
 * in the trace is the order in which tasks ran user code, which replay follows.
 *
 * Signals: faults the program's own instructions raise are recorded where they
 * happen (replay re-raises them by re-executing). Any other signal is
 * delivered only at a syscall boundary — right after a syscall-exit stop —
 * so that replay can deliver it at the same point without counting
 * instructions; a caught signal that arrives while the program runs user code
 * is held until the next syscall exit. Uncaught ones (default action or
 * ignored) are delivered at once and recorded as following the last event:
 * nothing the program could observe happens in between.
 */
#include "recorder.h"

#include <asm/prctl.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/futex.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/personality.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <unistd.h>

#include "blob_store.h"
#include "content_hash.h"
#include "cpu_traps.h"
#include "error.h"
#include "event_log.h"
#include "outgoing_data.h"
#include "proc_status.h"
#include "signal_origin.h"
#include "syscall_table.h"
#include "tool_tsc.h"
#include "trace_store.h"

enum {
    PAGE = 4096,
    /* The recorder's timer: commits while the program blocks, and samples the
     * running task for spinning when another task waits to run (two samples
     * a tick apart: a spinning task gives way after at most two ticks). */
    RECORDER_TICK_MS = 50,
};

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
 * reports larger than it wrote): only readable pages are stored. */
static int record_memory(struct recorder *rec, struct task *task, int64_t seq, uint64_t addr, size_t len)
{
    if (reserve_copy_buffer(rec, MEM_WRITE_CHUNK) < 0)
        return -1;
    for (size_t done = 0; done < len;) {
        size_t piece = len - done < MEM_WRITE_CHUNK ? len - done : MEM_WRITE_CHUNK;
        ssize_t n = task_read_mem(task, addr + done, rec->copy_buffer, piece);
        if (n <= 0) {
            done += PAGE - ((addr + done) % PAGE); /* unmapped: nothing was written there */
            continue;
        }
        if (event_log_add_mem_write(rec->store, seq, addr + done, rec->copy_buffer, (size_t)n) < 0)
            return -1;
        done += (size_t)n;
    }
    return 0;
}

static void stop_recording(struct recorder *rec, const char *why)
{
    snprintf(rec->stop_reason, sizeof rec->stop_reason, "%s", why);
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
         * (on_signal), one that asked for rdtsc to work sees it work. */
        if (regs->rdi == PR_SET_TSC) {
            bool known = regs->rsi == PR_TSC_SIGSEGV || regs->rsi == PR_TSC_ENABLE;
            if (known)
                t->tsc_sigsegv = regs->rsi == PR_TSC_SIGSEGV;
            *result = known ? 0 : -EINVAL;
            return true;
        }
        if (regs->rdi == PR_GET_TSC) {
            *result = 0;
            return true;
        }
        return false;
    case SYS_arch_prctl:
        if (regs->rdi == ARCH_SET_CPUID) {
            /* As this machine would answer (a recorded recorder asks it);
             * cpuid stays trapped, and a program that turned it off gets
             * the SIGSEGV it asked for (on_signal). */
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
                                int64_t result, struct trace_event *event)
{
    memset(event, 0, sizeof *event);
    if (outgoing_data_applies((long)entry->orig_rax) && result > 0) {
        uint64_t args[6];
        unsigned char *data;
        size_t len;
        task_syscall_args(entry, args);
        if (outgoing_data_read(&t->task, (long)entry->orig_rax, args, result, &data, &len) < 0)
            return -1;
        event->has_data_hash = true;
        event->data_hash = content_hash(data, len);
        free(data);
    }
    event->seq = rec->next_seq++;
    event->tid = t->task.tid;
    event->kind = EVENT_SYSCALL;
    event->sysno = (int64_t)entry->orig_rax;
    task_syscall_args(entry, event->args);
    event->result = result;
    event->ip = entry->rip;
    event->has_regs = true;
    event->regs = *entry;
    if (event_log_append(rec->store, event) < 0)
        return -1;
    for (int i = 0; i < t->path_count; i++)
        if (event_log_add_mem_read(rec->store, event->seq, t->paths[i].addr, t->paths[i].text,
                                   strlen(t->paths[i].text) + 1) < 0)
            return -1;
    t->path_count = 0;
    return 0;
}

static int record_new_mapping(struct recorder *rec, struct rec_task *t, const struct trace_event *event)
{
    uint64_t length = (event->args[1] + PAGE - 1) & ~(uint64_t)(PAGE - 1);
    struct trace_mapping mapping = {
        .start = (uint64_t)event->result,
        .end = (uint64_t)event->result + length,
        .prot = (int)event->args[2],
        .flags = (int)event->args[3],
        .offset = event->args[5],
    };
    const unsigned char *contents = NULL;
    if (!(mapping.flags & MAP_ANONYMOUS)) {
        char link[64];
        snprintf(link, sizeof link, "/proc/%d/fd/%d", t->task.tid, (int)event->args[4]);
        ssize_t n = readlink(link, mapping.path, sizeof mapping.path - 1);
        mapping.path[n > 0 ? n : 0] = 0;
        contents = recorder_copy_memory(rec, &t->task, mapping.start, length);
        if (!contents)
            return -1;
    }
    return event_log_add_mapping(rec->store, event->seq, &mapping, contents);
}

/* clone flags of a fork-like syscall at its entry (clone3: from its struct). */
static int clone_flags(struct rec_task *t, const struct user_regs_struct *regs, uint64_t *flags)
{
    switch (regs->orig_rax) {
    case SYS_fork:
        *flags = SIGCHLD;
        return 0;
    case SYS_vfork:
        *flags = CLONE_VM | CLONE_VFORK | SIGCHLD;
        return 0;
    case SYS_clone:
        *flags = regs->rdi;
        return 0;
    default: /* clone3: struct clone_args begins with the flags */
        if (regs->rsi < sizeof *flags ||
            task_read_mem(&t->task, regs->rdi, flags, sizeof *flags) != sizeof *flags) {
            *flags = 0;
        }
        return 0;
    }
}

/* Processes, vfork and threads are recorded; a new namespace is not, nor a
 * task its creator keeps from being traced (CLONE_UNTRACED). */
static int check_clone_supported(struct rec_task *t, const struct user_regs_struct *regs)
{
    uint64_t flags;
    clone_flags(t, regs, &flags);
    uint64_t namespaces = CLONE_NEWNS | CLONE_NEWUTS | CLONE_NEWIPC | CLONE_NEWUSER | CLONE_NEWPID |
                          CLONE_NEWNET | CLONE_NEWCGROUP;
    if (flags & namespaces) {
        error_set("unsupported: %s into new namespaces (flags 0x%llx)",
                  syscall_name((long)regs->orig_rax), (unsigned long long)(flags & namespaces));
        return -1;
    }
    if (flags & CLONE_UNTRACED) {
        error_set("unsupported: %s with CLONE_UNTRACED (the new task would run unrecorded)",
                  syscall_name((long)regs->orig_rax));
        return -1;
    }
    return 0;
}

/* Keep the path strings the program hands the kernel (for rr-query and
 * rr-diff; replay does not need them). Unreadable ones are left out. */
static void read_path_arguments(struct rec_task *t, const struct syscall_desc *desc,
                                const uint64_t args[6])
{
    t->path_count = 0;
    for (int i = 0; i < 6 && t->path_count < 2; i++) {
        if (!args[i] || !syscall_arg_is_path(desc, i))
            continue;
        if (task_read_string(&t->task, args[i], t->paths[t->path_count].text,
                             sizeof t->paths[0].text) == 0)
            t->paths[t->path_count++].addr = args[i];
    }
}

int recorder_syscall_entry(struct recorder *rec, struct rec_task *t)
{
    struct user_regs_struct regs;
    if (task_get_regs(&t->task, &regs) < 0)
        return -1;
    t->at_syscall_exit = false;
    long sysno = (long)regs.orig_rax;
    const struct syscall_desc *desc = syscall_lookup(sysno);
    uint64_t args[6];
    task_syscall_args(&regs, args);
    if (!desc) {
        error_set("unsupported syscall number %ld", sysno);
        return -1;
    }
    if (kernel_writes_check_supported(desc, args) < 0 ||
        (desc->replay == REPLAY_CLONE && check_clone_supported(t, &regs) < 0))
        return -1;
    read_path_arguments(t, desc, args);
    int emulated = ptrace_emulation_syscall(rec, t, &regs);
    if (emulated < 0)
        return -1;
    if (sysno == SYS_exit || sysno == SYS_exit_group) {
        /* There is no exit stop to wait for: record it now. The task is in
         * the kernel until its death is reported, which for a thread group
         * leader comes only after every other thread has gone. */
        struct trace_event event;
        t->in_syscall = true;
        t->exiting = sysno == SYS_exit;
        if (sysno == SYS_exit_group)
            for (int i = 0; i < rec->task_count; i++)
                if (rec->tasks[i]->pid == t->pid)
                    rec->tasks[i]->group_exiting = true;
        return record_syscall_event(rec, t, &regs, 0, &event);
    }
    t->in_syscall = true;
    t->entry_regs = regs;
    t->entry_unmarked = true;
    t->entered_at = rec->ready_clock++;
    t->skipped = emulated || must_skip(rec, t, &regs, &t->skipped_result);
    if (t->skipped) {
        regs.orig_rax = (unsigned long long)-1;
        return task_set_regs(&t->task, &regs);
    }
    return 0;
}

void recorder_resume_later(struct recorder *rec, struct rec_task *t)
{
    t->has_pending_stop = true;
    t->pending_stop = (struct task_stop){.kind = STOP_GROUP}; /* a stop with nothing to handle */
    t->ready_since = rec->ready_clock++;
}

bool recorder_sent_signal(const siginfo_t *info)
{
    return info->si_code == SI_TKILL && info->si_pid == getpid();
}

/* Let a job-stopped task run again: resumed when next scheduled. */
static void continue_task(struct recorder *rec, struct rec_task *t)
{
    if (!t->job_stopped)
        return;
    t->job_stopped = false;
    recorder_resume_later(rec, t);
}

/* The process group of a task (0 if unknown). */
static pid_t process_group(pid_t tid)
{
    struct proc_stat stat;
    return proc_stat_read(tid, &stat) == 0 ? stat.pgrp : 0;
}

/* A recorded task sent SIGCONT: the job-stopped tasks it reached go on. */
static void continue_stopped_by(struct recorder *rec, const struct trace_event *event)
{
    int64_t target;
    switch (event->sysno) {
    case SYS_kill:
    case SYS_rt_sigqueueinfo:
        target = (int64_t)(int32_t)event->args[0];
        if ((int)event->args[1] != SIGCONT)
            return;
        break;
    case SYS_tgkill:
    case SYS_rt_tgsigqueueinfo:
        target = (int64_t)(int32_t)event->args[0];
        if ((int)event->args[2] != SIGCONT)
            return;
        break;
    case SYS_tkill:
        target = (int64_t)(int32_t)event->args[0];
        if ((int)event->args[1] != SIGCONT)
            return;
        break;
    default:
        return;
    }
    pid_t sender_group = process_group(event->tid);
    for (int i = 0; i < rec->task_count; i++) {
        struct rec_task *t = rec->tasks[i];
        bool reached = target == -1 || (target > 0 && (t->pid == target || t->task.tid == target)) ||
                       (target == 0 && process_group(t->task.tid) == sender_group) ||
                       (target < -1 && process_group(t->task.tid) == -target);
        if (!t->dead && reached) {
            continue_task(rec, t);
            if (ptrace_emulation_continued(rec, t) < 0)
                error_note("%s", error_text());
        }
    }
}

static int on_syscall_exit(struct recorder *rec, struct rec_task *t)
{
    struct user_regs_struct regs;
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
        if (task_set_regs(&t->task, &regs) < 0)
            return -1;
        if (entry->orig_rax == SYS_prctl && entry->rdi == PR_GET_TSC && entry->rsi) {
            int enabled = t->tsc_sigsegv ? PR_TSC_SIGSEGV : PR_TSC_ENABLE;
            if (task_write_mem(&t->task, entry->rsi, &enabled, sizeof enabled) < 0)
                return -1;
        }
    }
    if (t->recorded_at_event) {
        t->recorded_at_event = false; /* a clone: recorded at its event stop */
        t->at_syscall_exit = true;
        t->exit_regs = regs;
        return 0;
    }
    struct trace_event event;
    if (record_syscall_event(rec, t, entry, result, &event) < 0)
        return -1;

    const struct syscall_desc *desc = syscall_lookup(event.sysno);
    mem_ranges_clear(&rec->ranges);
    if (kernel_writes_collect(&t->task, desc, event.args, result, &rec->ranges) < 0)
        return -1;
    for (int i = 0; i < rec->ranges.count; i++)
        if (record_memory(rec, &t->task, event.seq, rec->ranges.items[i].addr, rec->ranges.items[i].len) < 0)
            return -1;
    if (desc->replay == REPLAY_MMAP && result >= 0 && record_new_mapping(rec, t, &event) < 0)
        return -1;
    if (passed_output_capture(rec, t, &event) < 0 || ptrace_emulation_after_syscall(rec, t, &event) < 0)
        return -1;
    if (result >= 0)
        continue_stopped_by(rec, &event);

    t->at_syscall_exit = true;
    t->exit_regs = regs;
    if (t->has_deferred) {
        t->deliver_signo = t->deferred.si_signo;
        t->delivering_deferred = true;
    }
    return 0;
}

enum trapped_insn recorder_own_trap(struct rec_task *t, const siginfo_t *info, const struct user_regs_struct *regs,
                                    int *length)
{
    if (info->si_signo != SIGSEGV || info->si_code != SI_KERNEL)
        return TRAPPED_NONE;
    enum trapped_insn insn = cpu_traps_decode(&t->task, regs->rip, length);
    if (insn == TRAPPED_CPUID ? t->cpuid_sigsegv : t->tsc_sigsegv)
        return TRAPPED_NONE; /* the program's own trap: its SIGSEGV */
    return insn;
}

static int on_cpu_trap(struct recorder *rec, struct rec_task *t, struct user_regs_struct *regs, enum trapped_insn insn,
                       int length)
{
    struct trace_event event = {
        .seq = rec->next_seq++,
        .tid = t->task.tid,
        .ip = regs->rip,
        .has_regs = true,
        .regs = *regs,
    };
    if (insn == TRAPPED_CPUID) {
        uint32_t out[4];
        cpu_traps_cpuid((uint32_t)regs->rax, (uint32_t)regs->rcx, out);
        event.kind = EVENT_CPUID;
        event.args[0] = (uint32_t)regs->rax;
        event.args[1] = (uint32_t)regs->rcx;
        for (int i = 0; i < 4; i++)
            event.args[2 + i] = out[i];
        regs->rax = out[0];
        regs->rbx = out[1];
        regs->rcx = out[2];
        regs->rdx = out[3];
    } else {
        uint32_t aux = 0;
        uint64_t tsc = cpu_traps_rdtscp(&aux);
        event.kind = EVENT_RDTSC;
        event.result = (int64_t)tsc;
        event.args[0] = insn == TRAPPED_RDTSCP ? aux : (uint64_t)-1;
        regs->rax = (uint32_t)tsc;
        regs->rdx = tsc >> 32;
        if (insn == TRAPPED_RDTSCP)
            regs->rcx = aux;
    }
    regs->rip += (unsigned)length;
    t->at_syscall_exit = false;
    if (task_set_regs(&t->task, regs) < 0)
        return -1;
    return event_log_append(rec->store, &event);
}

/* An uncaught signal whose action is to do nothing: ignored, or ignored by
 * default (a running process is not affected by SIGCONT either). */
static bool signal_is_discarded(int signo, const struct signal_masks *masks)
{
    if (masks->ignored & (1ull << (signo - 1)))
        return true;
    return signo == SIGCHLD || signo == SIGURG || signo == SIGWINCH || signo == SIGCONT;
}

int recorder_record_signal(struct recorder *rec, struct rec_task *t, const struct user_regs_struct *regs,
                           const siginfo_t *info, bool sync)
{
    struct trace_event event = {
        .seq = rec->next_seq++,
        .tid = t->task.tid,
        .kind = EVENT_SIGNAL,
        .signo = info->si_signo,
        .sig_code = info->si_code,
        .sync = sync,
        .ip = regs->rip,
        .has_regs = true,
        .regs = *regs,
    };
    event.extra_blob = blob_store_put(rec->store, info, sizeof *info);
    if (event.extra_blob < 0)
        return -1;
    t->deliver_signo = info->si_signo;
    t->at_syscall_exit = false;
    return event_log_append(rec->store, &event);
}

static int on_signal(struct recorder *rec, struct rec_task *t, int signo)
{
    siginfo_t info;
    struct user_regs_struct regs;
    if (ptrace(PTRACE_GETSIGINFO, t->task.tid, 0, &info) < 0) {
        if (errno == EINVAL) {
            /* A group stop (a stop signal was delivered): the task stays
             * stopped, as it would untraced, until a SIGCONT (continue_group). */
            t->job_stopped = true;
            return 0;
        }
        error_set_errno("cannot read the signal of task %d", t->task.tid);
        return -1;
    }
    if (task_get_regs(&t->task, &regs) < 0)
        return -1;
    if (signo == SIGSTOP && t->preempt_requested && recorder_sent_signal(&info))
        return preemption_on_stop(rec, t, &regs);
    int length = 0;
    enum trapped_insn insn = recorder_own_trap(t, &info, &regs, &length);
    if (insn != TRAPPED_NONE)
        return on_cpu_trap(rec, t, &regs, insn, length);

    bool at_boundary = t->at_syscall_exit && memcmp(&regs, &t->exit_regs, sizeof regs) == 0;
    if (t->delivering_deferred && signo == t->deferred.si_signo && at_boundary) {
        /* The held signal, re-sent by us: give it back its own siginfo. */
        info = t->deferred;
        t->delivering_deferred = false;
        t->has_deferred = false;
        if (task_set_siginfo(&t->task, &info) < 0)
            return -1;
    }
    if (signal_from_instruction(&info))
        return recorder_record_signal(rec, t, &regs, &info, true);
    struct signal_masks masks;
    if (proc_status_signal_masks(t->task.tid, &masks) < 0)
        return -1;
    bool caught = masks.caught & (1ull << (signo - 1));
    if (!caught && signal_is_discarded(signo, &masks))
        return 0; /* the kernel would drop it: nothing happens, nothing to record */
    if (at_boundary || !caught)
        return recorder_record_signal(rec, t, &regs, &info, false);
    if (t->has_deferred)
        return 0; /* one is already held; a standard signal does not queue twice */
    t->has_deferred = true;
    t->deferred = info;
    return 0;
}

static int record_exit(struct recorder *rec, struct rec_task *t, const struct task_stop *stop)
{
    struct trace_event event = {
        .seq = rec->next_seq++,
        .tid = t->task.tid,
        .kind = EVENT_EXIT,
    };
    if (stop->kind == STOP_EXITED)
        event.result = stop->status;
    else
        event.signo = stop->signo;
    if (t == rec->initial)
        rec->exit_status = stop->kind == STOP_EXITED ? stop->status : 128 + stop->signo;
    t->dead = true;
    rec->live_tasks--;
    task_detach_fd(&t->task);
    if (event_log_append(rec->store, &event) < 0)
        return -1;
    return event_log_task_ended(rec->store, t->task.tid, event.seq,
                                stop->kind == STOP_EXITED ? "exited" : "killed",
                                stop->kind == STOP_EXITED ? stop->status : stop->signo);
}

static struct rec_task *find_task(struct recorder *rec, pid_t tid)
{
    for (int i = 0; i < rec->task_count; i++)
        if (rec->tasks[i]->task.tid == tid && !rec->tasks[i]->dead)
            return rec->tasks[i];
    return NULL;
}

static struct rec_task *add_task(struct recorder *rec, pid_t tid)
{
    if (rec->task_count == rec->task_capacity) {
        int capacity = rec->task_capacity ? rec->task_capacity * 2 : 8;
        struct rec_task **grown = realloc(rec->tasks, (size_t)capacity * sizeof *grown);
        if (!grown) {
            error_set("out of memory");
            return NULL;
        }
        rec->tasks = grown;
        rec->task_capacity = capacity;
    }
    struct rec_task *t = calloc(1, sizeof *t);
    if (!t) {
        error_set("out of memory");
        return NULL;
    }
    t->task.tid = tid;
    t->task.mem_fd = -1;
    if (task_attach_fd(&t->task, tid) < 0) {
        free(t);
        return NULL;
    }
    rec->tasks[rec->task_count++] = t;
    rec->live_tasks++;
    return t;
}

/* The task a stop came from; a task not seen before is a new child, whose
 * first stop may arrive before its parent's fork event. */
static struct rec_task *task_for_stop(struct recorder *rec, pid_t tid)
{
    struct rec_task *t = find_task(rec, tid);
    if (!t && (t = add_task(rec, tid)))
        t->at_initial_stop = true;
    return t;
}

/* At the parent's fork/vfork/clone event stop the child exists: the clone is
 * recorded there, before the child can run (a vfork parent only returns once
 * the child has exec'd or exited). */
static int on_clone_event(struct recorder *rec, struct rec_task *t, int ptrace_event)
{
    unsigned long child_tid;
    if (ptrace(PTRACE_GETEVENTMSG, t->task.tid, 0, &child_tid) < 0) {
        error_set_errno("cannot read the new task of task %d", t->task.tid);
        return -1;
    }
    struct rec_task *child = task_for_stop(rec, (pid_t)child_tid);
    if (!child)
        return -1;
    struct trace_event event;
    if (record_syscall_event(rec, t, &t->entry_regs, (int64_t)child_tid, &event) < 0)
        return -1;
    uint64_t flags;
    clone_flags(t, &t->entry_regs, &flags);
    child->parent = t->task.tid;
    child->pid = flags & CLONE_THREAD ? t->pid : child->task.tid;
    child->announced = true;
    child->task.has_trampoline = t->task.has_trampoline;
    child->tsc_sigsegv = t->tsc_sigsegv;
    child->cpuid_sigsegv = t->cpuid_sigsegv;
    child->opened_memory_file = t->opened_memory_file; /* the descriptors are inherited */
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

static pid_t spawn_traced(char *const argv[], int cpu)
{
    pid_t pid = fork();
    if (pid != 0)
        return pid;
    /* The child: become traceable, wait for the recorder, then exec with
     * address-space randomization off (record and replay share one layout)
     * and rdtsc trapping on (it survives execve; the loader uses rdtsc). */
    if (ptrace(PTRACE_TRACEME, 0, 0, 0) < 0) {
        fprintf(stderr, "rr-record: cannot trace the child: %s\n", strerror(errno));
        _exit(127);
    }
    raise(SIGSTOP);
    cpu_set_t one_cpu;
    CPU_ZERO(&one_cpu);
    CPU_SET(cpu, &one_cpu);
    if (personality(ADDR_NO_RANDOMIZE) < 0 || prctl(PR_SET_TSC, PR_TSC_SIGSEGV, 0, 0, 0) < 0 ||
        sched_setaffinity(0, sizeof one_cpu, &one_cpu) < 0) {
        fprintf(stderr, "rr-record: cannot prepare the child: %s\n", strerror(errno));
        _exit(127);
    }
    execv(argv[0], argv);
    fprintf(stderr, "rr-record: cannot execute %s: %s\n", argv[0], strerror(errno));
    _exit(127);
}

static int start_program(struct recorder *rec, char *const argv[])
{
    struct task_stop stop;
    cpu_set_t allowed;
    rec->pinned_cpu = 0;
    if (sched_getaffinity(0, sizeof allowed, &allowed) == 0)
        while (rec->pinned_cpu < CPU_SETSIZE - 1 && !CPU_ISSET(rec->pinned_cpu, &allowed))
            rec->pinned_cpu++;
    /* The recorder runs on the program's CPU too: every ptrace stop is then
     * a switch on one CPU instead of a cross-CPU wake-up (an IPI, which costs
     * a VM exit under a hypervisor). Only one of the two runs at a time. */
    cpu_set_t one_cpu;
    CPU_ZERO(&one_cpu);
    CPU_SET(rec->pinned_cpu, &one_cpu);
    sched_setaffinity(0, sizeof one_cpu, &one_cpu);
    pid_t pid = spawn_traced(argv, rec->pinned_cpu);
    if (pid < 0) {
        error_set_errno("cannot fork");
        return -1;
    }
    struct task first = {.tid = pid, .mem_fd = -1};
    if (task_wait(&first, &stop) < 0)
        return -1;
    if (stop.kind != STOP_SIGNAL || stop.signo != SIGSTOP) {
        error_set("the child did not stop for tracing");
        return -1;
    }
    struct rec_task *t = add_task(rec, pid);
    if (!t)
        return -1;
    rec->initial = t;
    t->pid = pid;
    t->announced = true;
    if (task_set_options(&t->task, PTRACE_O_TRACESYSGOOD | PTRACE_O_TRACEEXEC | PTRACE_O_EXITKILL |
                                       PTRACE_O_TRACEFORK | PTRACE_O_TRACEVFORK |
                                       PTRACE_O_TRACECLONE) < 0 ||
        task_step(&t->task, RESUME_CONT, 0, &stop) < 0)
        return -1;
    if (stop.kind == STOP_EXITED) {
        rec->exit_status = stop.status;
        error_set("%s", ""); /* the child said why */
        return -1;
    }
    if (stop.kind != STOP_EVENT || stop.event != PTRACE_EVENT_EXEC) {
        error_set("the program did not start (unexpected stop)");
        return -1;
    }
    if (event_log_task_started(rec->store, pid, pid, getpid(), rec->next_seq, argv[0]) < 0)
        return -1;
    return exec_capture(rec, t, NULL, false);
}

/* The recorder itself was continued (the shell's fg after ^Z stops the whole
 * job, recorder and program): the program goes on too. */
static volatile sig_atomic_t recorder_continued;

static void on_recorder_sigcont(int signo)
{
    (void)signo;
    recorder_continued = 1;
}

static int handle_stop_as_recorder(struct recorder *rec, struct rec_task *t, const struct task_stop *stop)
{
    if (t->group_exiting && stop->kind != STOP_EXITED && stop->kind != STOP_KILLED) {
        /* A stop left over from before its thread group's exit_group (a
         * syscall that completed meanwhile): the task never runs again,
         * and replay ends it at the exit_group, so nothing is recorded. */
        t->in_syscall = true; /* resumed into the kernel, where it dies */
        return 0;
    }
    switch (stop->kind) {
    case STOP_SYSCALL:
        return t->in_syscall ? on_syscall_exit(rec, t) : recorder_syscall_entry(rec, t);
    case STOP_SIGNAL:
        if (t->at_initial_stop && stop->signo == SIGSTOP) {
            t->at_initial_stop = false; /* the SIGSTOP a new child starts with */
            return 0;
        }
        return on_signal(rec, t, stop->signo);
    case STOP_EVENT:
        if (stop->event == PTRACE_EVENT_EXEC) {
            if (task_reopen_mem(&t->task) < 0)
                return -1;
            return exec_capture(rec, t, &t->entry_regs, true);
        }
        if (stop->event == PTRACE_EVENT_FORK || stop->event == PTRACE_EVENT_VFORK ||
            stop->event == PTRACE_EVENT_CLONE)
            return on_clone_event(rec, t, stop->event);
        return 0;
    case STOP_GROUP:
        return 0;
    case STOP_EXITED:
    case STOP_KILLED:
        return record_exit(rec, t, stop);
    }
    return 0;
}

/* Handle one stop of task t (which is now the one scheduled). A task a
 * recorded process traces shows some of its stops to that tracer. */
int recorder_handle_stop(struct recorder *rec, struct rec_task *t, const struct task_stop *stop)
{
    int tracers = ptrace_emulation_before_stop(rec, t, stop);
    if (tracers != 0)
        return tracers < 0 ? -1 : 0;
    bool was_in_syscall = t->in_syscall;
    if (handle_stop_as_recorder(rec, t, stop) < 0)
        return -1;
    return ptrace_emulation_after_stop(rec, t, stop, was_in_syscall);
}

/* Some syscalls write the program's memory when they block, not when they
 * complete: a priority-inheritance lock sets FUTEX_WAITERS in the owner's
 * futex word, which the owner then reads. Once the task has gone to sleep in
 * the kernel, the word is stored with its enter event, so that replay writes
 * it at the same point. */
static int record_blocking_writes(struct recorder *rec, struct rec_task *t, const struct trace_event *enter)
{
    if (enter->sysno != SYS_futex)
        return 0;
    switch (enter->args[1] & FUTEX_CMD_MASK) {
    case FUTEX_LOCK_PI:
    case FUTEX_LOCK_PI2:
        break;
    default:
        return 0;
    }
    if (task_wait_until_blocked(&t->task) < 0)
        return -1;
    uint32_t word;
    if (task_read_mem(&t->task, enter->args[0], &word, sizeof word) != sizeof word)
        return 0;
    return event_log_add_mem_write(rec->store, enter->seq, enter->args[0], &word, sizeof word);
}

/* Before task `next` runs user code: tasks inside syscalls they entered
 * before get an enter event, in the order they entered, so that replay runs
 * each to its syscall before `next` runs (they share memory, for threads). */
static int mark_entries(struct recorder *rec, struct rec_task *next)
{
    for (;;) {
        struct rec_task *first = NULL;
        for (int i = 0; i < rec->task_count; i++) {
            struct rec_task *t = rec->tasks[i];
            if (t != next && !t->dead && t->entry_unmarked &&
                (!first || t->entered_at < first->entered_at))
                first = t;
        }
        if (!first)
            return 0;
        first->entry_unmarked = false;
        struct trace_event event = {
            .seq = rec->next_seq++,
            .tid = first->task.tid,
            .kind = EVENT_ENTER,
            .sysno = (int64_t)first->entry_regs.orig_rax,
            .ip = first->entry_regs.rip,
            .has_regs = true,
            .regs = first->entry_regs,
        };
        task_syscall_args(&first->entry_regs, event.args);
        if (event_log_append(rec->store, &event) < 0 || record_blocking_writes(rec, first, &event) < 0)
            return -1;
    }
}

/* The task with the oldest pending stop that may run, or NULL. */
static struct rec_task *pick_ready(struct recorder *rec)
{
    struct rec_task *best = NULL;
    for (int i = 0; i < rec->task_count; i++) {
        struct rec_task *t = rec->tasks[i];
        if (t->vfork_child && (t->vfork_child->dead || t->vfork_child->exec_recorded))
            t->vfork_child = NULL;
        if (!t->dead && t->announced && t->has_pending_stop && !t->vfork_child && !t->job_stopped &&
            (!best || t->ready_since < best->ready_since))
            best = t;
    }
    return best;
}

/* Nested tracing can leave no task able to run: each live one either
 * stopped for its tracer or a tracer waiting for its stopped tracees, and
 * still in that ptrace stop (one that was killed meanwhile has news). */
static bool all_wait_on_each_other(struct recorder *rec)
{
    for (int i = 0; i < rec->task_count; i++) {
        struct rec_task *t = rec->tasks[i];
        if (t->dead)
            continue;
        struct proc_stat stat;
        if ((!t->inner.stopped && !t->held_in_wait) || proc_stat_read(t->task.tid, &stat) != 0 ||
            stat.state != 't')
            return false;
    }
    return true;
}

/* Wait for any task to stop; a stop of a task other than the current one is
 * kept for later. Returns the current task's stop in *stop (and sets
 * rec->current when there was none), or -1. */
static int next_stop(struct recorder *rec, struct task_stop *stop)
{
    for (;;) {
        if (!rec->current) {
            struct rec_task *ready = pick_ready(rec);
            if (ready) {
                /* Tasks that entered syscalls before this stop is handled
                 * are marked first: the stop may be a completion their
                 * syscall caused (a wake, an unlock). */
                if (mark_entries(rec, ready) < 0)
                    return -1;
                ready->has_pending_stop = false;
                *stop = ready->pending_stop;
                rec->current = ready;
                return 0;
            }
            if (rec->live_tasks == 0)
                return 1;
            if (all_wait_on_each_other(rec)) {
                error_set("every recorded task waits for another (a tracer for a tracee it never resumed)");
                return -1;
            }
        }
        pid_t tid;
        struct task_stop got;
        if (task_wait_any(&tid, &got) < 0)
            return -1;
        if (tid == 0)
            continue; /* the timer made a task ready */
        struct rec_task *t = task_for_stop(rec, tid);
        if (!t)
            return -1;
        if (t == rec->current) {
            *stop = got;
            return 0;
        }
        t->has_pending_stop = true;
        t->pending_stop = got;
        t->ready_since = rec->ready_clock++;
    }
}

static void kill_all(struct recorder *rec)
{
    for (int i = 0; i < rec->task_count; i++)
        if (!rec->tasks[i]->dead)
            kill(rec->tasks[i]->task.tid, SIGKILL);
    pid_t tid;
    struct task_stop ignored;
    while (rec->live_tasks > 0 && task_wait_any(&tid, &ignored) == 0) {
        struct rec_task *t = find_task(rec, tid);
        if (t && (ignored.kind == STOP_EXITED || ignored.kind == STOP_KILLED)) {
            t->dead = true;
            rec->live_tasks--;
        }
    }
}

/* Called on every tick of the recorder's timer (RECORDER_TICK_MS) while
 * it waits: commit what is recorded, and ask the task running user code to
 * stop if another task is waiting to run or a signal is held for it, so that
 * a task spinning on another's progress cannot hold the others up forever. */
static bool recorder_tick(void *context)
{
    struct recorder *rec = context;
    if (trace_store_commit_pending(rec->store) < 0)
        error_note("%s", error_text());
    if (recorder_continued) {
        recorder_continued = 0;
        for (int i = 0; i < rec->task_count; i++)
            if (!rec->tasks[i]->dead)
                continue_task(rec, rec->tasks[i]);
    }
    inner_waits_tick(rec);
    bool ready = pick_ready(rec) != NULL;
    if (rec->current)
        preemption_tick(rec, ready);
    /* With no task in user code, a task made ready here (continued, or a
     * tracer whose wait a signal ended) is resumed now, not at the next stop. */
    return !rec->current && ready;
}

int recorder_run(struct recorder *rec, char *const argv[])
{
    if (syscall_table_init() < 0)
        return -1;
    if (start_program(rec, argv) < 0) {
        if (rec->exit_status == 0)
            rec->exit_status = 1;
        stop_recording(rec, error_text());
        kill_all(rec);
        return -1;
    }
    tool_tsc_trap_enable(); /* after the fork: the program sets its own */
    task_set_wait_interrupted_hook(recorder_tick, rec);
    struct sigaction on_cont = {.sa_handler = on_recorder_sigcont};
    sigaction(SIGCONT, &on_cont, NULL);
    if (rec->commit_timer) {
        /* Armed after the fork: the program must not inherit it. */
        struct itimerval tick = {{0, RECORDER_TICK_MS * 1000}, {0, RECORDER_TICK_MS * 1000}};
        setitimer(ITIMER_REAL, &tick, NULL);
    }
    rec->current = rec->initial;
    for (;;) {
        /* Resume the current task: into user code, or into the kernel after
         * a syscall entry or a fork event, where it gives way to others. */
        struct rec_task *t = rec->current;
        if (t && t->held_in_wait)
            t = rec->current = NULL; /* a tracer waits until a tracee stops */
        if (t && !t->in_syscall && mark_entries(rec, t) < 0)
            break;
        if (t) {
            int signo = t->deliver_signo;
            t->deliver_signo = 0;
            if (task_resume(&t->task, ptrace_emulation_resume_how(t), signo) < 0)
                break;
            /* A thread's exit clears its clear-child-tid word and wakes its
             * joiner: let that happen before any other task runs, as replay
             * will, rather than at some moment while another runs. */
            if (t->exiting && task_wait_until_exited(&t->task) < 0)
                break;
            if (t->in_syscall)
                rec->current = NULL;
        }
        struct task_stop stop;
        int rc = next_stop(rec, &stop);
        if (rc == 1)
            return 0; /* every task has ended */
        if (rc < 0 || recorder_handle_stop(rec, rec->current, &stop) < 0)
            break;
        if (rec->current->dead) {
            rec->current = NULL;
        } else if (rec->current->job_stopped) {
            rec->current = NULL; /* parked until continued */
        } else if (rec->current->inner.stopped) {
            rec->current = NULL; /* parked until its tracer resumes it */
        } else if (rec->current->yield) {
            /* Stopped at a landmark: to the back of the queue, resumed later. */
            rec->current->yield = false;
            recorder_resume_later(rec, rec->current);
            rec->current = NULL;
        }
    }
    stop_recording(rec, error_text());
    kill_all(rec);
    rec->exit_status = 125;
    return -1;
}

void recorder_free(struct recorder *rec)
{
    for (int i = 0; i < rec->task_count; i++) {
        task_detach_fd(&rec->tasks[i]->task);
        free(rec->tasks[i]);
    }
    free(rec->tasks);
    mem_ranges_free(&rec->ranges);
    free(rec->copy_buffer);
}
