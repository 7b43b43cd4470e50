/*
 * replay_buffered.c — replaying the calls a process made through the
 * syscall buffer (docs/syscall-buffer.md, libtrace/syscall_buffer_abi.h).
 * The library is in the replayed process (the exec event's mappings hold
 * it, and the patches of its sites are shared-memory events); after each
 * exec the replayer puts it in replay mode. A buffered event does not run
 * the task: its record is queued. When the task next runs, towards its next
 * event, the queued records are put in its process's buffer (as many as it
 * holds; the library asks for the rest with SB_REFILL_SYSCALL), and the
 * library answers each call from the next record if it is this task's and
 * the same call with the same arguments; anything else it makes as a traced
 * call, which the replay reports as a divergence naming the buffered call
 * expected there. After that next event every record must have been
 * answered, or the replay diverged. The buffer learns before every run
 * which task runs.
 */
#include "replayer.h"

#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "debug_log.h"
#include "error.h"
#include "syscall_table.h"

void replay_buffered_free(struct replayer *rep)
{
    if (rep->buffered)
        free(rep->buffered->queue);
    free(rep->buffered);
    rep->buffered = NULL;
}

void replay_buffered_after_exec(struct replayer *rep)
{
    struct replay_process *process = rep->cur->process;
    memset(&process->sb, 0, sizeof process->sb);
    struct sb_header header;
    if (!rep->syscall_buffer ||
        task_read_mem(&rep->cur->task, SB_BUF_ADDR, &header, sizeof header) != (ssize_t)sizeof header ||
        header.magic != SB_MAGIC)
        return;
    process->sb.present = true;
    process->sb.off = header.mode == SB_MODE_OFF;
}

/* Put the next queued records in the buffer, from its first slot. */
static int put_in_next(struct replayer *rep)
{
    struct replay_buffered *b = rep->buffered;
    uint32_t n = b->queued - b->written;
    if (n > SB_CAPACITY)
        n = SB_CAPACITY;
    struct task *task = &rep->cur->task;
    uint32_t counts[2] = {n, 0}; /* count, consumed */
    uint32_t more = b->written + n < b->queued;
    if (task_write_mem(task, SB_BUF_ADDR + SB_RECORDS_AT, b->queue + b->written, n * sizeof *b->queue) < 0 ||
        task_write_mem(task, SB_BUF_ADDR + offsetof(struct sb_header, count), counts, sizeof counts) < 0 ||
        task_write_mem(task, SB_BUF_ADDR + offsetof(struct sb_header, more), &more, sizeof more) < 0)
        return -1;
    b->written += n;
    return 0;
}

int replay_buffered_before_run(struct replayer *rep)
{
    struct replay_process *process = rep->cur->process;
    rep->cur->runs++;
    if (!process->sb.present)
        return 0;
    uint32_t words[2] = {process->sb.off ? SB_MODE_OFF : SB_MODE_REPLAY, (uint32_t)rep->cur->recorded_tid};
    if (task_write_mem(&rep->cur->task, SB_BUF_ADDR + offsetof(struct sb_header, mode), words, sizeof words) < 0)
        return -1;
    struct replay_buffered *b = rep->buffered;
    if (b && b->queued && b->written == 0 && b->owner == rep->cur->recorded_tid)
        return put_in_next(rep);
    return 0;
}

int replay_buffered_refill(struct replayer *rep, const struct task_stop *stop)
{
    struct user_regs_struct regs;
    if (stop->kind != STOP_SYSCALL || !rep->cur->process->sb.present || task_get_regs(&rep->cur->task, &regs) < 0 ||
        regs.orig_rax != SB_REFILL_SYSCALL || regs.rip < SB_CODE_ADDR || regs.rip >= SB_CODE_ADDR + SB_STUBS_AT)
        return 0;
    struct replay_buffered *b = rep->buffered;
    if (!b || b->owner != rep->cur->recorded_tid || b->written >= b->queued) {
        error_set("task %d asked for buffered calls the recording does not have", rep->cur->recorded_tid);
        return -1;
    }
    DEBUG_LOG(LOG_REPLAY, "task %d: buffered calls %u on put in", rep->cur->recorded_tid, b->written);
    return put_in_next(rep) < 0 ? -1 : 1;
}

enum replay_outcome replay_buffered_syscall(struct replayer *rep, const struct trace_event *event)
{
    rep->observed = *event;
    rep->has_observed = true;
    if (!rep->cur->process->sb.present)
        return replayer_diverged(event, "a buffered syscall in a process without the syscall buffer");
    if (!rep->buffered && !(rep->buffered = calloc(1, sizeof *rep->buffered))) {
        error_set("out of memory");
        return replayer_failed();
    }
    struct replay_buffered *b = rep->buffered;
    if (b->queued && b->owner != event->tid)
        return replayer_diverged(event, "task %d has buffered syscalls still to make (from event %lld)", b->owner,
                                 (long long)b->first_seq);
    if (b->queued == b->capacity) {
        uint32_t grown = b->capacity ? 2 * b->capacity : SB_CAPACITY;
        struct sb_record *queue = realloc(b->queue, grown * sizeof *queue);
        if (!queue) {
            error_set("out of memory");
            return replayer_failed();
        }
        b->queue = queue;
        b->capacity = grown;
    }
    if (!b->queued) {
        b->owner = event->tid;
        b->first_seq = event->seq;
        b->runs_at_fill = rep->cur->runs;
        b->written = 0;
    }
    struct sb_record *record = &b->queue[b->queued++];
    *record = (struct sb_record){.tid = (uint32_t)event->tid, .sysno = (uint32_t)event->sysno, .result = event->result};
    memcpy(record->args, event->args, sizeof record->args);
    return REPLAY_MATCHED;
}

/* How many queued records the library has answered (reading its header). */
static int answered(struct replayer *rep, uint32_t *count, uint32_t *in_buffer)
{
    struct sb_header header;
    if (task_read_mem(&rep->cur->task, SB_BUF_ADDR, &header, sizeof header) != (ssize_t)sizeof header) {
        error_set("cannot read the syscall buffer of task %d", rep->cur->recorded_tid);
        return -1;
    }
    *in_buffer = header.consumed;
    *count = rep->buffered->written - header.count + header.consumed;
    return 0;
}

enum replay_outcome replay_buffered_at_stop(struct replayer *rep, const struct trace_event *event,
                                            const struct user_regs_struct *regs)
{
    struct replay_buffered *b = rep->buffered;
    if (!b || !b->queued || b->owner != rep->cur->recorded_tid || regs->rip < SB_CODE_ADDR ||
        regs->rip >= SB_CODE_ADDR + SB_STUBS_AT)
        return REPLAY_MATCHED;
    uint32_t done, in_buffer;
    if (answered(rep, &done, &in_buffer) < 0)
        return replayer_failed();
    if (done >= b->queued)
        return REPLAY_MATCHED;
    const struct sb_record *record = &b->queue[done];
    uint32_t queued = b->queued;
    b->queued = 0;
    return replayer_diverged(event,
                             "buffered syscall %u of %u from event %lld was %s(0x%llx, 0x%llx, 0x%llx…);"
                             " the replay made %s(0x%llx, 0x%llx, 0x%llx…) there",
                             done + 1, queued, (long long)b->first_seq, syscall_name(record->sysno),
                             (unsigned long long)record->args[0], (unsigned long long)record->args[1],
                             (unsigned long long)record->args[2], syscall_name((long)regs->orig_rax),
                             (unsigned long long)regs->rdi, (unsigned long long)regs->rsi,
                             (unsigned long long)regs->rdx);
}

enum replay_outcome replay_buffered_check(struct replayer *rep, const struct trace_event *event)
{
    struct replay_buffered *b = rep->buffered;
    struct replay_task *rt = rep->cur;
    if (!b || !b->queued || !rt || b->owner != rt->recorded_tid || rt->runs == b->runs_at_fill ||
        !replay_task_alive(rt))
        return REPLAY_MATCHED;
    uint32_t done, in_buffer, queued = b->queued;
    if (answered(rep, &done, &in_buffer) < 0)
        return replayer_failed();
    b->queued = 0;
    if (done != queued)
        return replayer_diverged(event, "the replay made %u of the %u buffered syscalls recorded before it"
                                        " (from event %lld)",
                                 done, queued, (long long)b->first_seq);
    DEBUG_LOG(LOG_REPLAY, "task %d: its %u buffered syscalls were made", rt->recorded_tid, queued);
    uint32_t zero[2] = {0, 0};
    return task_write_mem(&rt->task, SB_BUF_ADDR + offsetof(struct sb_header, count), zero, sizeof zero) < 0
               ? replayer_failed()
               : REPLAY_MATCHED;
}
