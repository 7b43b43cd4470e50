/*
 * syscall_buffer_patch.c — redirecting a syscall site into the library.
 * At the exit of a traced call the library handles, made from a `syscall`
 * instruction of the program's (libc's `syscall()`, its inline wrappers),
 * the recorder writes a stub in the library's code mapping:
 *
 *     lea rsp,[rsp-128]        past the red zone
 *     call sb_entry            the library: the call, answered or traced
 *     lea rsp,[rsp+128]
 *     <the instructions after the `syscall`, relocated (insn_relocate.h)>
 *     jmp <behind them>
 *
 * and over the `syscall` and those instructions a `jmp` to the stub (nops
 * after it). A site is left alone when the stub is out of a 32-bit jump's
 * reach, when a branch lands inside the patch (branch_targets.h), or when
 * another task of the process stands inside it (it would go on inside the
 * patch), or where the task's own last event left it inside (its previous
 * call was made there: replay, which writes the patch at that point, has
 * it stand there). This is done at the call's entry: the kernel is made to skip it,
 * and at its exit the task is put back on the site, now the jump, with the
 * registers it had: it makes the call again, through the library. Nothing
 * of the skipped call is recorded; the two writes are the mem_write rows of
 * a shared-memory event of the task (memory changed while it did not run),
 * which replay writes before the task runs again. Static binaries, sites far
 * from the library and raw `syscall` instructions elsewhere stay traced.
 */
#include "recorder.h"
#include "syscall_buffer.h"

#include <stddef.h>
#include <string.h>

#include "branch_targets.h"
#include "debug_log.h"
#include "error.h"
#include "event_log.h"
#include "insn_relocate.h"

enum {
    WINDOW_BEFORE = 96,   /* code read before the site, for branches into the patch */
    WINDOW_AFTER = 160,
    SYSCALL_LEN = 2,
    JMP_LEN = 5,
    STUB_HEAD = 18,       /* lea, call, lea */
};

static bool reaches(uint64_t from_end, uint64_t to)
{
    int64_t delta = (int64_t)(to - from_end);
    return delta >= INT32_MIN && delta <= INT32_MAX;
}

static void put_rel32(unsigned char *at, uint64_t from_end, uint64_t to)
{
    int32_t rel = (int32_t)(int64_t)(to - from_end);
    memcpy(at, &rel, sizeof rel);
}

/* Does another task of t's process stand inside (site, end]: in a syscall
 * made there, or stopped there? (It would go on inside the patch.) */
static bool other_task_inside(const struct recorder *rec, const struct rec_task *t, uint64_t site, uint64_t end)
{
    for (int i = 0; i < rec->task_count; i++) {
        struct rec_task *o = rec->tasks[i];
        if (o == t || o->pid != t->pid || o->life == TASK_DEAD)
            continue;
        struct user_regs_struct regs;
        uint64_t ip = o->in_syscall ? o->entry_regs.rip : task_get_regs(&o->task, &regs) == 0 ? regs.rip : site + 1;
        if (ip > site && ip <= end)
            return true;
    }
    return false;
}

int syscall_buffer_patch_at_entry(struct recorder *rec, struct rec_task *t, struct user_regs_struct *regs)
{
    if (!t->sb.library || t->seccomp_filters || t->inner.tracer || !sb_handles(regs->orig_rax))
        return 0;
    uint64_t site = regs->rip - SYSCALL_LEN;
    if ((site >= SB_CODE_ADDR && site < SB_CODE_ADDR + SB_CODE_SIZE) || site == TRAMPOLINE_ADDR)
        return 0;
    struct sb_header header;
    if (task_read_mem(&t->task, SB_BUF_ADDR, &header, sizeof header) != (ssize_t)sizeof header ||
        header.magic != SB_MAGIC)
        return 0;
    uint64_t stub = SB_CODE_ADDR + SB_STUBS_AT + header.stubs_used;
    if (SB_STUBS_AT + header.stubs_used + SB_STUB_SIZE > SB_CODE_SIZE || !reaches(site + JMP_LEN, stub))
        return 0;
    unsigned char code[WINDOW_BEFORE + WINDOW_AFTER];
    uint64_t base = site - WINDOW_BEFORE;
    ssize_t got = task_read_mem(&t->task, base, code, sizeof code);
    if (got < WINDOW_BEFORE + 16) {
        base = site;
        got = task_read_mem(&t->task, base, code, WINDOW_AFTER);
        if (got < 16)
            return 0;
    }
    const unsigned char *at = code + (site - base);
    size_t after = (size_t)got - (size_t)(site - base);
    if (at[0] != 0x0f || at[1] != 0x05)
        return 0;
    struct insn_relocation moved;
    if (insn_relocate(at + SYSCALL_LEN, after - SYSCALL_LEN, site + SYSCALL_LEN, JMP_LEN - SYSCALL_LEN,
                      stub + STUB_HEAD, &moved) < 0 ||
        STUB_HEAD + moved.size + JMP_LEN > SB_STUB_SIZE) {
        DEBUG_LOG(LOG_RECORD, "task %d: syscall site 0x%llx not patched: %s", t->task.tid, (unsigned long long)site,
                  error_text());
        return 0;
    }
    size_t patch_len = SYSCALL_LEN + moved.displaced;
    uint64_t back = site + patch_len;
    /* Replay writes the patch where t's last event left it: right after the
     * previous call made at this site, inside the patch, the replayed task
     * would go on in the middle of the jump. The next call there that does
     * not follow one made there is patched. */
    bool last_event_inside = t->at_syscall_exit && t->exit_regs.rip > site && t->exit_regs.rip <= back;
    if (last_event_inside || branch_targets_inside(code, (size_t)got, base, site, patch_len) ||
        other_task_inside(rec, t, site, back) || !reaches(stub + STUB_HEAD + moved.size + JMP_LEN, back))
        return 0;

    unsigned char bytes[SB_STUB_SIZE];
    static const unsigned char head[] = {0x48, 0x8d, 0x64, 0x24, 0x80, 0xe8, 0, 0, 0, 0,
                                         0x48, 0x8d, 0xa4, 0x24, 0x80, 0x00, 0x00, 0x00};
    _Static_assert(sizeof head == STUB_HEAD, "the stub's head");
    memcpy(bytes, head, sizeof head);
    put_rel32(bytes + 6, stub + 10, SB_CODE_ADDR + syscall_buffer_entry_offset);
    memcpy(bytes + STUB_HEAD, moved.code, moved.size);
    size_t stub_len = STUB_HEAD + moved.size;
    bytes[stub_len] = 0xe9;
    put_rel32(bytes + stub_len + 1, stub + stub_len + JMP_LEN, back);
    stub_len += JMP_LEN;

    unsigned char jump[SYSCALL_LEN + INSN_RELOCATE_MAX];
    memset(jump, 0x90, patch_len);
    jump[0] = 0xe9;
    put_rel32(jump + 1, site + JMP_LEN, stub);
    uint32_t used = header.stubs_used + SB_STUB_SIZE;
    struct trace_event event = {.seq = rec->next_seq++, .tid = t->task.tid, .kind = EVENT_SHARED_MEMORY};
    if (task_write_mem(&t->task, stub, bytes, stub_len) < 0 || task_write_mem(&t->task, site, jump, patch_len) < 0 ||
        task_write_mem(&t->task, SB_BUF_ADDR + offsetof(struct sb_header, stubs_used), &used, sizeof used) < 0 ||
        event_log_append(rec->store, &event) < 0 ||
        event_log_add_mem_write(rec->store, event.seq, stub, bytes, stub_len) < 0 ||
        event_log_add_mem_write(rec->store, event.seq, site, jump, patch_len) < 0)
        return -1;
    DEBUG_LOG(LOG_RECORD, "task %d: syscall site 0x%llx patched, stub at 0x%llx: the call is made again through it",
              t->task.tid, (unsigned long long)site, (unsigned long long)stub);
    /* Skip the call now; at its exit the task goes back to the site. */
    t->sb.restart = *regs;
    t->sb.restart.rip = site;
    t->sb.restart.rax = regs->orig_rax;
    t->sb.restarting = true;
    t->in_syscall = true;
    t->entry_unmarked = false;
    t->skipped = false;
    regs->orig_rax = (unsigned long long)-1;
    return task_set_regs(&t->task, regs) < 0 ? -1 : 1;
}

int syscall_buffer_restart_at_exit(struct rec_task *t)
{
    if (!t->sb.restarting)
        return 0;
    t->sb.restarting = false;
    t->in_syscall = false;
    return task_set_regs(&t->task, &t->sb.restart) < 0 ? -1 : 1;
}
