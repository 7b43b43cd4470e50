/*
 * seccomp_filters.c — programs that sandbox themselves with seccomp. The
 * program's filters are installed for real and act for real; the recorder
 * keeps a copy of each (a chain per task, shared as the kernel shares it:
 * inherited by clone and fork, kept across execve, given to every thread by
 * SECCOMP_FILTER_FLAG_TSYNC) and asks them at each syscall entry what the
 * kernel is about to do. When a filter answers in the kernel's place (ERRNO,
 * TRAP: the SIGSYS that follows is recorded as a signal; KILL; TRACE, which
 * without a tracer asking for PTRACE_O_TRACESECCOMP is ENOSYS), the event is
 * marked SYSCALL_FILTERED and replay, which installs no filter, does not run
 * it either. Those calls go to the kernel exactly as the program made them,
 * from its own ip: the recorder answers nothing in their place.
 *
 * The recorder's own syscalls must get through: each filter is installed
 * with a prefix that allows any syscall made from the trampoline page's
 * `syscall` (TRAMPOLINE_AFTER_SYSCALL), where
 * the recorder injects its calls (task.c, even before the page is mapped)
 * and makes the kernel skip a call it answers itself (orig_rax -1, which a
 * filter would otherwise judge). The patched program is written below the
 * program's stack pointer for the duration of the call, then put back.
 * Strict mode (SECCOMP_MODE_STRICT) cannot be patched and needs nothing:
 * no exec, hence no injection, can follow it.
 */
#include "recorder.h"

#include <errno.h>
#include <linux/audit.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/syscall.h>

#include "debug_log.h"
#include "error.h"
#include "proc_maps.h"
#include "seccomp_bpf.h"

/* One installed filter, the program's own instructions, and the filters it
 * was installed over; shared by the tasks that run under it. */
struct seccomp_chain {
    int refs;
    struct seccomp_chain *older;
    unsigned count;
    struct sock_filter insns[];
};

/* allow if instruction_pointer == TRAMPOLINE_AFTER_SYSCALL, then A = 0 as
 * at a filter's start */
enum { PREFIX_LENGTH = 6 };

static void prefix(struct sock_filter out[PREFIX_LENGTH])
{
    const uint32_t ip_low = offsetof(struct seccomp_data, instruction_pointer);
    const struct sock_filter code[PREFIX_LENGTH] = {
        BPF_STMT(BPF_LD | BPF_W | BPF_ABS, ip_low),
        BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, (uint32_t)TRAMPOLINE_AFTER_SYSCALL, 0, 3),
        BPF_STMT(BPF_LD | BPF_W | BPF_ABS, ip_low + 4),
        BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, (uint32_t)(TRAMPOLINE_AFTER_SYSCALL >> 32), 0, 1),
        BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
        BPF_STMT(BPF_LD | BPF_IMM, 0),
    };
    memcpy(out, code, sizeof code);
}

static void chain_release(struct seccomp_chain *chain)
{
    while (chain && --chain->refs == 0) {
        struct seccomp_chain *older = chain->older;
        free(chain);
        chain = older;
    }
}

static void chain_set(struct rec_task *t, struct seccomp_chain *chain)
{
    if (chain)
        chain->refs++;
    chain_release(t->seccomp_filters);
    t->seccomp_filters = chain;
}

void seccomp_filters_inherit(struct rec_task *child, const struct rec_task *parent)
{
    chain_set(child, parent->seccomp_filters);
    child->seccomp_strict = parent->seccomp_strict;
}

void seccomp_filters_release(struct rec_task *t)
{
    chain_set(t, NULL);
    free(t->filter_install.saved);
    free(t->filter_install.chain);
    t->filter_install.saved = NULL;
    t->filter_install.chain = NULL;
}

/* The syscall is seccomp(op) or prctl(PR_SET_SECCOMP, mode): which mode it
 * sets (SECCOMP_MODE_STRICT, SECCOMP_MODE_FILTER), or 0. */
static int mode_set_by(const struct user_regs_struct *regs)
{
    if (regs->orig_rax == SYS_seccomp && regs->rdi == SECCOMP_SET_MODE_STRICT)
        return SECCOMP_MODE_STRICT;
    if (regs->orig_rax == SYS_seccomp && regs->rdi == SECCOMP_SET_MODE_FILTER)
        return SECCOMP_MODE_FILTER;
    if (regs->orig_rax == SYS_prctl && regs->rdi == PR_SET_SECCOMP &&
        (regs->rsi == SECCOMP_MODE_STRICT || regs->rsi == SECCOMP_MODE_FILTER))
        return (int)regs->rsi;
    return 0;
}

static bool strict_mode_allows(uint64_t nr)
{
    return nr == SYS_read || nr == SYS_write || nr == SYS_exit || nr == SYS_rt_sigreturn;
}

void seccomp_filters_decide(struct rec_task *t, const struct user_regs_struct *regs)
{
    t->filtered = SYSCALL_RAN;
    if (t->seccomp_strict) {
        if (!strict_mode_allows(regs->orig_rax))
            t->filtered = SYSCALL_KILLED_BY_STRICT_MODE;
        return;
    }
    if (!t->seccomp_filters)
        return;
    struct seccomp_data data = {
        .nr = (int)regs->orig_rax,
        .arch = AUDIT_ARCH_X86_64,
        .instruction_pointer = regs->rip,
    };
    uint64_t args[6];
    task_syscall_args(regs, args);
    for (int i = 0; i < 6; i++)
        data.args[i] = args[i];
    uint32_t answer = SECCOMP_RET_ALLOW;
    for (const struct seccomp_chain *f = t->seccomp_filters; f; f = f->older)
        answer = seccomp_bpf_stricter(answer, seccomp_bpf_run(f->insns, f->count, &data));
    uint32_t action = answer & SECCOMP_RET_ACTION_FULL;
    t->filter_answer = answer;
    if (action == SECCOMP_RET_KILL_THREAD || action == SECCOMP_RET_KILL_PROCESS)
        t->filtered = SYSCALL_KILLED_BY_FILTER;
    else if (!seccomp_bpf_lets_run(answer))
        t->filtered = SYSCALL_FILTERED;
    DEBUG_LOG(LOG_RECORD, "task %d: its seccomp filters answer 0x%x to syscall %lld%s", t->task.tid, answer,
              (long long)regs->orig_rax, t->filtered ? ": the kernel answers in the call's place" : "");
}

/* Is [start, end) inside the mapping that holds the stack pointer? */
static int below_stack_pointer(pid_t tid, uint64_t start, uint64_t rsp)
{
    struct trace_mapping *maps;
    int count = proc_maps_read(tid, &maps);
    if (count < 0)
        return -1;
    bool inside = false;
    for (int i = 0; i < count && !inside; i++)
        inside = maps[i].start <= start && rsp <= maps[i].end && (maps[i].prot & PROT_WRITE);
    free(maps);
    if (!inside)
        error_set("no room below the stack pointer of task %d for its seccomp filter", tid);
    return inside ? 0 : -1;
}

/* Write the patched program below the stack pointer and point the call at it. */
static int install_patched(struct rec_task *t, struct user_regs_struct *regs, const struct sock_filter *insns,
                           unsigned count)
{
    size_t size = sizeof(struct sock_fprog) + (PREFIX_LENGTH + count) * sizeof *insns;
    enum { RED_ZONE = 128 }; /* the x86-64 ABI's, below rsp: the program's */
    uint64_t at = (regs->rsp - RED_ZONE - size) & ~(uint64_t)15;
    unsigned char *patched = malloc(size), *saved = malloc(size);
    int rc = -1;
    if (!patched || !saved) {
        error_set("out of memory for a seccomp filter");
    } else if (below_stack_pointer(t->task.tid, at, regs->rsp) == 0 &&
               task_read_mem(&t->task, at, saved, size) == (ssize_t)size) {
        struct sock_fprog fprog = {.len = (unsigned short)(PREFIX_LENGTH + count),
                                   .filter = (struct sock_filter *)(uintptr_t)(at + sizeof fprog)};
        memcpy(patched, &fprog, sizeof fprog);
        prefix((struct sock_filter *)(patched + sizeof fprog));
        memcpy(patched + sizeof fprog + PREFIX_LENGTH * sizeof *insns, insns, count * sizeof *insns);
        regs->rdx = at;
        if (task_write_mem(&t->task, at, patched, size) == 0 && task_set_regs(&t->task, regs) == 0) {
            t->filter_install.saved = saved;
            t->filter_install.at = at;
            t->filter_install.size = size;
            saved = NULL;
            rc = 0;
        }
    }
    free(patched);
    free(saved);
    return rc;
}

int seccomp_filters_before_kernel(struct rec_task *t, const struct user_regs_struct *program_regs)
{
    if (mode_set_by(program_regs) != SECCOMP_MODE_FILTER)
        return 0;
    struct sock_fprog fprog;
    if (task_read_mem(&t->task, program_regs->rdx, &fprog, sizeof fprog) != sizeof fprog || fprog.len == 0 ||
        fprog.len > BPF_MAXINSNS)
        return 0; /* the kernel refuses it (EFAULT, EINVAL) */
    if (fprog.len + PREFIX_LENGTH > BPF_MAXINSNS) {
        error_set("seccomp filter of %u instructions: no room for the recorder's %d (the kernel takes %d)",
                  fprog.len, PREFIX_LENGTH, BPF_MAXINSNS);
        return -1;
    }
    struct seccomp_chain *chain = malloc(sizeof *chain + fprog.len * sizeof chain->insns[0]);
    if (!chain) {
        error_set("out of memory for a seccomp filter");
        return -1;
    }
    chain->refs = 0;
    chain->older = NULL;
    chain->count = fprog.len;
    if (task_read_mem(&t->task, (uint64_t)(uintptr_t)fprog.filter, chain->insns, fprog.len * sizeof chain->insns[0]) !=
        (ssize_t)(fprog.len * sizeof chain->insns[0])) {
        free(chain);
        return 0; /* EFAULT */
    }
    struct user_regs_struct regs = *program_regs;
    if (install_patched(t, &regs, chain->insns, chain->count) < 0) {
        free(chain);
        return -1;
    }
    t->filter_install.chain = chain;
    DEBUG_LOG(LOG_RECORD, "task %d: installs a seccomp filter of %u instructions (%d more let the recorder's "
              "own syscalls through)", t->task.tid, chain->count, PREFIX_LENGTH);
    return 0;
}

/* The filter is in force: for t, or for every thread of its process. */
static void filter_installed(struct recorder *rec, struct rec_task *t, struct seccomp_chain *chain, bool all_threads)
{
    chain->older = t->seccomp_filters;
    if (chain->older)
        chain->older->refs++;
    for (int i = 0; i < rec->task_count; i++) {
        struct rec_task *other = rec->tasks[i];
        if (other == t || (all_threads && other->pid == t->pid && other->life != TASK_DEAD))
            chain_set(other, chain);
    }
}

int seccomp_filters_after_kernel(struct recorder *rec, struct rec_task *t, struct user_regs_struct *regs,
                                 int64_t result)
{
    const struct user_regs_struct *entry = &t->entry_regs;
    struct seccomp_chain *chain = t->filter_install.chain;
    t->filter_install.chain = NULL;
    if (t->filter_install.saved) {
        int rc = task_write_mem(&t->task, t->filter_install.at, t->filter_install.saved, t->filter_install.size);
        free(t->filter_install.saved);
        t->filter_install.saved = NULL;
        regs->rdx = entry->rdx;
        if (rc < 0 || task_set_regs(&t->task, regs) < 0) {
            free(chain);
            return -1;
        }
    }
    int mode = t->filtered != SYSCALL_RAN || t->skipped ? 0 : mode_set_by(entry);
    if (mode == SECCOMP_MODE_STRICT && result == 0)
        t->seccomp_strict = true;
    if (chain && result == 0) {
        uint64_t flags = entry->orig_rax == SYS_seccomp ? entry->rsi : 0;
        filter_installed(rec, t, chain, flags & SECCOMP_FILTER_FLAG_TSYNC);
    } else {
        free(chain);
    }
    return 0;
}
