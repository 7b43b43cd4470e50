/*
 * syscall_buffer_inject.c — putting the syscall buffer into a recorded
 * process, and resuming it so that the library's own calls cost no stop.
 *
 * At an exec's exit stop (exec_capture.c), before the new address space is
 * stored, the recorder maps the library's code (the embedded blob) and its
 * buffer at their fixed addresses by injected mmap calls, and writes them:
 * the exec event then stores them like any other mapping, so replay has
 * them too. The first time, it installs a seccomp filter that allows the
 * syscalls made from the library's untraced instruction (and the
 * trampoline's, where the recorder injects its own) and sends every other
 * to the recorder as a seccomp stop (PTRACE_O_TRACESECCOMP); the filter is
 * inherited by children and kept across exec, as the kernel keeps it. A
 * task resumed into user code with PTRACE_CONT stops only at those. A
 * process traced by a recorded tracer or running under filters of its own
 * needs every syscall seen at its entry: its buffer is switched off and it
 * is resumed with PTRACE_SYSCALL, the filter's stops then being passed over.
 */
#include "recorder.h"
#include "syscall_buffer.h"

#include <errno.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stddef.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>

#include "debug_log.h"
#include "error.h"

static int inject_mmap(struct rec_task *t, uint64_t addr, uint64_t size, int prot)
{
    const uint64_t args[6] = {addr, size, (uint64_t)prot, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE,
                              (uint64_t)-1, 0};
    int64_t result;
    if (task_inject_syscall(&t->task, SYS_mmap, args, &result) < 0)
        return -1;
    if ((uint64_t)result != addr) {
        error_set("task %d: cannot map the syscall buffer at 0x%llx: %s", t->task.tid, (unsigned long long)addr,
                  result < 0 ? strerror((int)-result) : "mapped elsewhere");
        return -1;
    }
    return 0;
}

/* The filter: ALLOW from the library's untraced `syscall` and from the
 * trampoline's, TRACE for anything else. */
static int install_filter(struct rec_task *t)
{
    enum { IP_LO = offsetof(struct seccomp_data, instruction_pointer), IP_HI = IP_LO + 4 };
    uint64_t untraced = SB_CODE_ADDR + syscall_buffer_untraced_after_offset;
    struct sock_filter program[] = {
        BPF_STMT(BPF_LD | BPF_W | BPF_ABS, IP_LO),
        BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, (uint32_t)untraced, 0, 2),
        BPF_STMT(BPF_LD | BPF_W | BPF_ABS, IP_HI),
        BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, (uint32_t)(untraced >> 32), 3, 4),
        BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, (uint32_t)TRAMPOLINE_AFTER_SYSCALL, 0, 3),
        BPF_STMT(BPF_LD | BPF_W | BPF_ABS, IP_HI),
        BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, (uint32_t)(TRAMPOLINE_AFTER_SYSCALL >> 32), 0, 1),
        BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
        BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_TRACE),
    };
    struct sock_fprog fprog = {.len = sizeof program / sizeof program[0],
                               .filter = (struct sock_filter *)(SB_BUF_ADDR + SB_FILTER_AT)};
    uint64_t fprog_at = SB_BUF_ADDR + offsetof(struct sb_header, scratch);
    _Static_assert(sizeof fprog <= sizeof((struct sb_header *)0)->scratch, "sock_fprog fits the scratch words");
    _Static_assert(SB_FILTER_AT + sizeof program <= SB_RECORDS_AT, "the filter fits before the records");
    _Static_assert(sizeof(struct sb_header) <= SB_FILTER_AT, "the header comes before the filter");
    const uint64_t args[6] = {SECCOMP_SET_MODE_FILTER, 0, fprog_at, 0, 0, 0};
    int64_t result;
    if (task_write_mem(&t->task, SB_BUF_ADDR + SB_FILTER_AT, program, sizeof program) < 0 ||
        task_write_mem(&t->task, fprog_at, &fprog, sizeof fprog) < 0 ||
        task_inject_syscall(&t->task, SYS_seccomp, args, &result) < 0)
        return -1;
    if (result < 0) {
        error_set("task %d: cannot install the syscall buffer's seccomp filter: %s", t->task.tid,
                  strerror((int)-result));
        return -1;
    }
    uint64_t zero[4] = {0};
    if (task_write_mem(&t->task, fprog_at, zero, sizeof zero) < 0 ||
        task_set_options(&t->task, RECORD_PTRACE_OPTIONS | PTRACE_O_TRACESECCOMP) < 0)
        return -1;
    t->sb.filter = true;
    return 0;
}

int syscall_buffer_inject(struct recorder *rec, struct rec_task *t)
{
    t->sb.library = false; /* the exec dropped it with the old address space */
    if (!rec->syscall_buffer || t->inner.tracer || t->seccomp_filters || t->seccomp_strict)
        return 0;
    if (inject_mmap(t, SB_CODE_ADDR, SB_CODE_SIZE, PROT_READ | PROT_EXEC) < 0 ||
        inject_mmap(t, SB_BUF_ADDR, SB_BUF_SIZE, PROT_READ | PROT_WRITE) < 0 ||
        task_write_mem(&t->task, SB_CODE_ADDR, syscall_buffer_blob, syscall_buffer_blob_size) < 0)
        return -1;
    if (!t->sb.filter && install_filter(t) < 0)
        return -1;
    struct sb_header header = {.magic = SB_MAGIC, .mode = SB_MODE_RECORD, .capacity = SB_CAPACITY};
    if (task_write_mem(&t->task, SB_BUF_ADDR, &header, sizeof header) < 0)
        return -1;
    t->sb.library = true;
    DEBUG_LOG(LOG_RECORD, "task %d: syscall buffer mapped at 0x%llx", t->task.tid, (unsigned long long)SB_CODE_ADDR);
    return 0;
}

/* Whether every syscall of t must be seen at its entry: the buffer is off. */
static bool needs_every_entry(const struct rec_task *t)
{
    return t->inner.tracer || t->seccomp_filters || t->seccomp_strict;
}

enum resume_how syscall_buffer_resume_how(struct rec_task *t, enum resume_how how)
{
    if (how == RESUME_SYSCALL && t->sb.filter && !t->in_syscall && !needs_every_entry(t))
        return RESUME_CONT;
    return how;
}

int syscall_buffer_before_user_code(struct rec_task *t)
{
    if (!t->sb.library)
        return 0;
    if (needs_every_entry(t)) {
        uint32_t off = SB_MODE_OFF;
        DEBUG_LOG(LOG_RECORD, "task %d: syscall buffer off (a tracer or a filter of its own)", t->task.tid);
        t->sb.library = false;
        return task_write_mem(&t->task, SB_BUF_ADDR + offsetof(struct sb_header, mode), &off, sizeof off);
    }
    /* A held signal waits for a syscall exit: the next call is made traced.
     * A task whose memory is gone (its process dying of a signal) runs no
     * user code: nothing to tell. Another task's tid left there would be
     * caught when its records are folded. */
    uint32_t words[2] = {(uint32_t)t->task.tid, t->has_deferred};
    if (task_write_mem(&t->task, SB_BUF_ADDR + offsetof(struct sb_header, current_tid), words, sizeof words) < 0)
        DEBUG_LOG(LOG_RECORD, "task %d: %s", t->task.tid, error_text());
    return 0;
}

int syscall_buffer_seccomp_stop(struct rec_task *t, struct task_stop *stop)
{
    if (t->in_syscall) {
        DEBUG_LOG(LOG_RECORD, "task %d: the filter's stop after the entry stop: passed over", t->task.tid);
        return 0;
    }
    stop->kind = STOP_SYSCALL;
    stop->event = 0;
    t->sb.entered_by_filter = true;
    return 1;
}

int syscall_buffer_pass_filter_stop(struct rec_task *t)
{
    if (!t->sb.filter || t->sb.entered_by_filter)
        return 0;
    struct task_stop stop;
    if (task_wait(&t->task, &stop) < 0)
        return -1;
    if (stop.kind != STOP_EVENT || stop.event != PTRACE_EVENT_SECCOMP) {
        error_set("task %d: expected the syscall filter's stop on its way out", t->task.tid);
        return -1;
    }
    return task_resume(&t->task, RESUME_SYSCALL, 0);
}
