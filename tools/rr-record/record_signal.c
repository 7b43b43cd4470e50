/*
 * record_signal.c — recording signals and the stops they cause. Faults the
 * program's own instructions raise are recorded where they happen (replay
 * re-raises them by re-executing). Any other signal is delivered only at a
 * syscall boundary — right after a syscall-exit stop — so that replay can
 * deliver it at the same point without counting instructions; a caught
 * signal that arrives while the program runs user code is held until the
 * next syscall exit or landmark (preemption.c). Uncaught ones (default action or ignored) are delivered
 * at once and recorded as following the last event: nothing the program
 * could observe happens in between. The SIGSEGV of a trapped rdtsc or cpuid
 * is recorded as that instruction's result; a stop signal parks the task
 * until a SIGCONT (job control).
 */
#include "recorder.h"
#include "syscall_table.h"

#include <errno.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "blob_store.h"
#include "cpu_traps.h"
#include "debug_log.h"
#include "error.h"
#include "tsc_sites.h"
#include "event_log.h"
#include "proc_status.h"
#include "signal_origin.h"

bool recorder_sent_signal(const siginfo_t *info)
{
    return info->si_code == SI_TKILL && info->si_pid == getpid();
}

/* Let a job-stopped task run again: resumed when next scheduled. */
void record_signal_continue_task(struct recorder *rec, struct rec_task *t)
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
void record_signal_continue_stopped_by(struct recorder *rec, const struct trace_event *event)
{
    /* The calls that send a signal say where from their table row. */
    const struct syscall_desc *desc = syscall_lookup(event->sysno);
    if (!desc || desc->effects.signal_target_arg == SYSCALL_NO_ARG ||
        (int)event->args[desc->effects.signal_number_arg] != SIGCONT)
        return;
    int64_t target = (int64_t)(int32_t)event->args[desc->effects.signal_target_arg];
    pid_t sender_group = process_group(event->tid);
    for (int i = 0; i < rec->task_count; i++) {
        struct rec_task *t = rec->tasks[i];
        bool reached = target == -1 || (target > 0 && (t->pid == target || t->task.tid == target)) ||
                       (target == 0 && process_group(t->task.tid) == sender_group) ||
                       (target < -1 && process_group(t->task.tid) == -target);
        if (t->life != TASK_DEAD && reached) {
            record_signal_continue_task(rec, t);
            if (rec->nested->continued(rec, t) < 0)
                error_note("%s", error_text());
        }
    }
}

enum trapped_insn recorder_own_trap(const struct recorder *rec, struct rec_task *t, const siginfo_t *info,
                                    const struct user_regs_struct *regs, int *length)
{
    if (info->si_signo != SIGSEGV || info->si_code != SI_KERNEL)
        return TRAPPED_NONE;
    unsigned char code[3] = {0};
    ssize_t known = task_read_mem(&t->task, regs->rip, code, sizeof code);
    enum trapped_insn insn = known < 2 ? TRAPPED_NONE : cpu_traps_decode_bytes(code, (size_t)known, length);
    if (insn == TRAPPED_RDTSC || insn == TRAPPED_RDTSCP) {
        if (code[0] == TSC_SITE_MARK) {
            /* A hlt the recorder put there (tsc_patching.c) is its own trap,
             * with PR_SET_TSC or not: this machine would not have trapped.
             * Any other hlt faults for the program. */
            return tsc_patching_is_site(rec, t->pid, regs->rip) ? insn : TRAPPED_NONE;
        }
    }
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
    DEBUG_LOG(LOG_RECORD, "task %d: signal %d recorded (%s), delivered with its next resume: event %lld",
              t->task.tid, info->si_signo, sync ? "raised by an instruction" : "at a boundary", (long long)event.seq);
    t->deliver_signo = info->si_signo;
    t->at_syscall_exit = false;
    return event_log_append(rec->store, &event);
}

void record_signal_known_point(struct rec_task *t, const struct user_regs_struct *regs)
{
    t->at_syscall_exit = true;
    t->exit_regs = *regs;
}

bool record_signal_at_known_point(const struct rec_task *t, const struct user_regs_struct *regs)
{
    return t->at_syscall_exit && memcmp(regs, &t->exit_regs, sizeof *regs) == 0;
}

void record_signal_hold(struct rec_task *t, const siginfo_t *info)
{
    DEBUG_LOG(LOG_RECORD, "task %d: signal %d %s", t->task.tid, info->si_signo,
              t->has_deferred ? "dropped: one is held already" : "held until the next syscall exit or landmark");
    if (t->has_deferred)
        return;
    t->has_deferred = true;
    t->deferred = *info;
}

void record_signal_release_held(struct rec_task *t)
{
    if (!t->has_deferred)
        return;
    t->deliver_signo = t->deferred.si_signo;
    t->delivering_deferred = true;
}

int record_signal_took_held(struct rec_task *t, int signo, bool at_known_point, siginfo_t *info)
{
    if (!t->delivering_deferred || signo != t->deferred.si_signo || !at_known_point)
        return 0;
    /* The held signal, re-sent by us: give it back its own siginfo. */
    *info = t->deferred;
    t->delivering_deferred = false;
    t->has_deferred = false;
    return task_set_siginfo(&t->task, info) < 0 ? -1 : 1;
}

int record_signal_stop(struct recorder *rec, struct rec_task *t, int signo)
{
    siginfo_t info;
    struct user_regs_struct regs;
    if (ptrace(PTRACE_GETSIGINFO, t->task.tid, 0, &info) < 0) {
        if (errno == EINVAL) {
            /* A group stop (a stop signal was delivered): the task stays
             * stopped, as it would untraced, until a SIGCONT (record_signal_continue_task). */
            DEBUG_LOG(LOG_RECORD, "task %d: group stop", t->task.tid);
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
    enum trapped_insn insn = recorder_own_trap(rec, t, &info, &regs, &length);
    if (insn != TRAPPED_NONE) {
        DEBUG_LOG(LOG_RECORD, "task %d: the recorder's trap of %s", t->task.tid, insn == TRAPPED_CPUID ? "cpuid" : "rdtsc");
        return on_cpu_trap(rec, t, &regs, insn, length);
    }

    bool at_boundary = record_signal_at_known_point(t, &regs);
    if (record_signal_took_held(t, signo, at_boundary, &info) < 0)
        return -1;
    if (signal_from_instruction(&info))
        return recorder_record_signal(rec, t, &regs, &info, true);
    struct signal_masks masks;
    if (proc_status_signal_masks(t->task.tid, &masks) < 0)
        return -1;
    bool caught = masks.caught & (1ull << (signo - 1));
    if (!caught && signal_is_discarded(signo, &masks)) {
        DEBUG_LOG(LOG_RECORD, "task %d: signal %d discarded, as the kernel would", t->task.tid, signo);
        return 0; /* nothing happens, nothing to record */
    }
    if (at_boundary || !caught)
        return recorder_record_signal(rec, t, &regs, &info, false);
    record_signal_hold(t, &info);
    return 0;
}
