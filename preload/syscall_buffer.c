/*
 * syscall_buffer.c — the syscall buffer library, mapped by the recorder
 * into every recorded process (tools/rr-record/syscall_buffer_inject.c) and
 * rebuilt by replay from the exec event. Freestanding: no libc, no data
 * section, no relocations; built into a flat blob (Makefile) whose entry
 * points' offsets the build extracts.
 *
 * A patched syscall site's stub (syscall_buffer_patch.c) calls sb_entry
 * with the syscall's registers. sb_entry hands them to sb_dispatch, which
 * either answers the call (record: runs it from sb_untraced_syscall, the
 * one instruction the recorder's seccomp filter lets through without a
 * stop, and appends a record; replay: takes the next record, which must be
 * this task's and this call with these arguments) or declines: sb_entry then
 * puts every register back and makes the call from its own `syscall`
 * instruction, traced as any other. Either way it returns with rcx and r11
 * set to fixed values, so that registers do not depend on which path ran.
 */
#include "syscall_buffer_abi.h"

#define SB_STRING(x) SB_STRING_(x)
#define SB_STRING_(x) #x

struct sb_call {
    uint64_t nr;     /* in: the syscall number; out: its result when answered */
    uint64_t args[6];
};

long sb_untraced_syscall(const struct sb_call *call);
void sb_ask_refill(void);
int sb_dispatch(struct sb_call *call);

/* sb_entry: rax = number, rdi rsi rdx r10 r8 r9 = arguments; the stub has
 * moved rsp below the red zone. Builds a struct sb_call on the stack. */
__asm__(".text\n"
        ".globl sb_entry\n"
        "sb_entry:\n"
        "    push %r9\n    push %r8\n    push %r10\n    push %rdx\n"
        "    push %rsi\n    push %rdi\n    push %rax\n"
        "    push %rbx\n"
        "    mov %rsp, %rbx\n"
        "    and $-16, %rsp\n"
        "    lea 8(%rbx), %rdi\n"
        "    call sb_dispatch\n"
        "    mov %rbx, %rsp\n"
        "    pop %rbx\n"
        "    test %eax, %eax\n"
        "    pop %rax\n    pop %rdi\n    pop %rsi\n    pop %rdx\n"
        "    pop %r10\n    pop %r8\n    pop %r9\n"
        "    jnz 1f\n"
        "    mov $0, %ecx\n"
        "    mov $0, %r11d\n"
        "    syscall\n"
        ".globl sb_traced_after\n"
        "sb_traced_after:\n"
        "1:  mov $0, %ecx\n"
        "    mov $0x246, %r11d\n"
        "    ret\n"
        ".globl sb_untraced_syscall\n"
        "sb_untraced_syscall:\n"
        "    mov (%rdi), %rax\n"
        "    mov 40(%rdi), %r8\n"
        "    mov 48(%rdi), %r9\n"
        "    mov 32(%rdi), %r10\n"
        "    mov 24(%rdi), %rdx\n"
        "    mov 16(%rdi), %rsi\n"
        "    mov 8(%rdi), %rdi\n"
        "    syscall\n"
        ".globl sb_untraced_after\n"
        "sb_untraced_after:\n"
        "    ret\n"
        "sb_ask_refill:\n"
        "    mov $" SB_STRING(SB_REFILL_SYSCALL) ", %eax\n"
        "    syscall\n"
        "    ret\n");

static int same_call(const struct sb_record *r, uint32_t tid, const struct sb_call *call)
{
    if (r->tid != tid || r->sysno != call->nr)
        return 0;
    for (int i = 0; i < 6; i++)
        if (r->args[i] != call->args[i])
            return 0;
    return 1;
}

/* 1: answered (call->nr holds the result); 0: make it traced. */
int sb_dispatch(struct sb_call *call)
{
    volatile struct sb_header *h = (volatile struct sb_header *)SB_BUF_ADDR;
    struct sb_record *records = (struct sb_record *)(SB_BUF_ADDR + SB_RECORDS_AT);
    if (h->magic != SB_MAGIC || !sb_handles(call->nr))
        return 0;
    if (h->mode == SB_MODE_RECORD) {
        uint32_t n = h->count;
        if (h->flush) {
            h->flush = 0; /* traced: the recorder delivers a held signal at its exit */
            return 0;
        }
        if (n >= h->capacity || n >= SB_CAPACITY)
            return 0; /* full: the traced call lets the recorder empty it */
        long result = sb_untraced_syscall(call);
        struct sb_record *r = &records[n];
        r->tid = h->current_tid;
        r->sysno = (uint32_t)call->nr;
        for (int i = 0; i < 6; i++)
            r->args[i] = call->args[i];
        r->result = result;
        h->count = n + 1; /* last: a record is complete once counted */
        call->nr = (uint64_t)result;
        return 1;
    }
    if (h->mode == SB_MODE_REPLAY) {
        uint32_t n = h->consumed;
        if (n >= h->count && h->more) {
            sb_ask_refill(); /* the replayer puts the next records in, from the first */
            n = h->consumed;
        }
        if (n >= h->count || n >= SB_CAPACITY || !same_call(&records[n], h->current_tid, call))
            return 0; /* not the recorded call: the replayer sees it traced and reports it */
        call->nr = (uint64_t)records[n].result;
        h->consumed = n + 1;
        return 1;
    }
    return 0;
}
