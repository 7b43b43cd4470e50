/*
 * robust_futex.c — what the kernel writes when a thread ends while other
 * threads of its process live on: for each robust mutex the thread still
 * holds (its set_robust_list list), the futex word gets FUTEX_OWNER_DIED,
 * which the next locker sees as EOWNERDEAD. The kernel only does so for a
 * word holding the dying thread's tid; in replay the thread has another tid
 * (the program holds the recorded one), so replay would not. The recorder
 * finds the words at the thread's exit (walking the list as the kernel
 * will), reads them once the thread is gone, through a thread that lives
 * on, and stores them with the exit event; replay writes them as the
 * thread exits (the kernel would not there: the thread has another tid). (When the whole process ends, only memory shared with
 * other processes can see the words: shared_memory.c records them there.)
 */
#include "recorder.h"

#include <linux/futex.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "debug_log.h"
#include "event_log.h"


static bool read_word(struct task *task, uint64_t addr, uint64_t *value)
{
    return task_read_mem(task, addr, value, sizeof *value) == sizeof *value;
}

static void note_word(struct rec_task *t, uint64_t addr)
{
    if (t->robust_count < (int)(sizeof t->robust_words / sizeof t->robust_words[0]))
        t->robust_words[t->robust_count++] = addr;
}

void robust_futex_at_exit(struct rec_task *t, int64_t exit_seq)
{
    t->robust_count = 0;
    t->robust_exit_seq = exit_seq;
    struct robust_list_head *head_ptr = NULL;
    size_t len = 0;
    if (syscall(SYS_get_robust_list, t->task.tid, &head_ptr, &len) != 0 || !head_ptr)
        return;
    uint64_t head = (uint64_t)(uintptr_t)head_ptr, entry, offset, pending;
    if (!read_word(&t->task, head, &entry) ||
        !read_word(&t->task, head + offsetof(struct robust_list_head, futex_offset), &offset) ||
        !read_word(&t->task, head + offsetof(struct robust_list_head, list_op_pending), &pending))
        return;
    for (int n = 0; entry != head && entry && n < ROBUST_LIST_LIMIT; n++) { /* the kernel's bound */
        uint64_t at = entry & ~(uint64_t)1; /* bit 0 marks a priority-inheritance entry */
        note_word(t, at + offset);
        if (!read_word(&t->task, at, &entry))
            break;
    }
    if (pending)
        note_word(t, (pending & ~(uint64_t)1) + offset);
    DEBUG_LOG(LOG_RECORD, "task %d: %d robust futex word(s) at its exit", t->task.tid, t->robust_count);
}

int robust_futex_after_exit(struct recorder *rec, struct rec_task *t)
{
    struct rec_task *sibling = NULL;
    for (int i = 0; i < rec->task_count && !sibling; i++) {
        struct rec_task *other = rec->tasks[i];
        if (other != t && other->pid == t->pid && other->life == TASK_LIVE)
            sibling = other;
    }
    for (int i = 0; sibling && i < t->robust_count; i++) {
        uint32_t word;
        if (task_read_mem(&sibling->task, t->robust_words[i], &word, sizeof word) == sizeof word &&
            event_log_add_mem_write(rec->store, t->robust_exit_seq, t->robust_words[i], &word, sizeof word) < 0)
            return -1;
    }
    t->robust_count = 0;
    return 0;
}
