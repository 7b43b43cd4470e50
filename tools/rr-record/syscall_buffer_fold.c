/*
 * syscall_buffer_fold.c — the library's records become syscall events.
 * Only one task runs user code at a time (record_session.c), so the records
 * in a process's buffer at a stop of the task that ran are that task's (each
 * names the task the recorder said runs: checked). They are folded before the
 * stop itself is handled: the stop's events follow them, as the calls
 * happened before it. Each is an ordinary syscall event (number, arguments,
 * result; no registers, ip the library's untraced instruction) marked
 * SYSCALL_BUFFERED, which replay answers from the buffer without a stop.
 *
 * A stop inside the library (a signal, the recorder's preemption SIGSTOP)
 * is first stepped out of it, so that no signal handler, preemption point
 * or landmark is ever inside buffered code and no record is half written.
 */
#include "recorder.h"
#include "syscall_buffer.h"

#include <asm/processor-flags.h>
#include <stddef.h>
#include <string.h>
#include <sys/ptrace.h>

#include "debug_log.h"
#include "error.h"
#include "event_log.h"

int syscall_buffer_leave_library(struct recorder *rec, struct rec_task *t, struct task_stop *stop)
{
    (void)rec;
    struct user_regs_struct regs;
    if (!t->sb.filter || stop->kind != STOP_SIGNAL)
        return 0;
    if (task_get_regs(&t->task, &regs) < 0)
        return -1;
    /* Right after the library's traced call (a syscall exit, where held
     * signals are delivered) is a point replay reaches exactly. */
    if (!syscall_buffer_contains(regs.rip) || record_signal_at_known_point(t, &regs))
        return 0;
    bool own_trap_flag = regs.eflags & X86_EFLAGS_TF;
    siginfo_t info;
    if (task_get_siginfo(&t->task, &info) < 0)
        return -1;
    int signo = stop->signo;
    DEBUG_LOG(LOG_RECORD, "task %d: signal %d inside the syscall buffer at 0x%llx: stepped out", t->task.tid, signo,
              (unsigned long long)regs.rip);
    while (syscall_buffer_contains(regs.rip)) {
        if (task_step(&t->task, RESUME_SINGLESTEP, 0, stop) < 0)
            return -1;
        if (stop->kind == STOP_EVENT && stop->event == PTRACE_EVENT_SECCOMP) {
            /* The library's traced call: its entry is the point; the
             * signal waits for its exit, as any held signal. The trap
             * flag of our steps is not the program's: r11 (the flags the
             * `syscall` saved) must not show it. */
            if (!(signo == SIGSTOP && recorder_sent_signal(&info)))
                record_signal_hold(t, &info);
            t->preempt_requested = false;
            if (task_get_regs(&t->task, &regs) < 0)
                return -1;
            if (!own_trap_flag && regs.r11 & X86_EFLAGS_TF) {
                regs.r11 &= ~(unsigned long long)X86_EFLAGS_TF;
                return task_set_regs(&t->task, &regs);
            }
            return 0;
        }
        if (stop->kind != STOP_SIGNAL) {
            error_set("task %d: stopped (%d) while stepping out of the syscall buffer", t->task.tid, stop->kind);
            return -1;
        }
        if (stop->signo != SIGTRAP && stop->signo != SIGSTOP) {
            /* Another signal came meanwhile: the same standard one merges
             * with the first, as in the kernel; another waits its turn. */
            siginfo_t other;
            if (task_get_siginfo(&t->task, &other) < 0)
                return -1;
            if (stop->signo != signo || signo >= SIGRTMIN)
                record_signal_hold(t, &other);
        }
        if (task_get_regs(&t->task, &regs) < 0)
            return -1;
    }
    /* Out: the signal stands here, as if it had come now. */
    stop->kind = STOP_SIGNAL;
    stop->signo = signo;
    return task_set_siginfo(&t->task, &info);
}

int syscall_buffer_fold(struct recorder *rec, struct rec_task *t)
{
    if (!t->sb.library)
        return 0;
    struct sb_header header;
    if (task_read_mem(&t->task, SB_BUF_ADDR, &header, sizeof header) != (ssize_t)sizeof header) {
        /* Its memory is gone: it is dying (of a fatal signal, its process's
         * exit). Replay would then meet calls without records: a divergence. */
        DEBUG_LOG(LOG_RECORD, "task %d: its syscall buffer cannot be read", t->task.tid);
        return 0;
    }
    if (header.count == 0)
        return 0;
    if (header.magic != SB_MAGIC || header.count > SB_CAPACITY) {
        error_set("task %d: its syscall buffer is damaged (count %u)", t->task.tid, header.count);
        return -1;
    }
    size_t len = header.count * sizeof(struct sb_record);
    const unsigned char *bytes = recorder_copy_memory(rec, &t->task, SB_BUF_ADDR + SB_RECORDS_AT, len);
    if (!bytes)
        return -1;
    DEBUG_LOG(LOG_RECORD, "task %d: %u buffered syscalls folded", t->task.tid, header.count);
    for (uint32_t i = 0; i < header.count; i++) {
        struct sb_record r;
        memcpy(&r, bytes + i * sizeof r, sizeof r);
        if ((pid_t)r.tid != t->task.tid) {
            error_set("task %d: its syscall buffer holds a call of task %u", t->task.tid, r.tid);
            return -1;
        }
        struct trace_event event = {
            .seq = rec->next_seq++,
            .tid = t->task.tid,
            .kind = EVENT_SYSCALL,
            .sysno = r.sysno,
            .result = r.result,
            .sig_code = SYSCALL_BUFFERED,
            .ip = SB_CODE_ADDR + syscall_buffer_untraced_after_offset,
        };
        memcpy(event.args, r.args, sizeof event.args);
        if (event_log_append(rec->store, &event) < 0)
            return -1;
        rec->buffered_events++;
    }
    uint32_t zero = 0;
    return task_write_mem(&t->task, SB_BUF_ADDR + offsetof(struct sb_header, count), &zero, sizeof zero);
}
