/*
 * test_landmark_stub.c — runs a landmark stub (libtrace/landmark_stub.h) in
 * this process with every general register and the stack set as a landmark
 * recorded them, which C code cannot arrange: a small assembly harness loads
 * all sixteen registers and the flags from a table, rsp pointing into a
 * stack of the test's own, and jumps to a patched block. The stub must trap
 * (SIGTRAP, caught here) exactly when the registers and the hash of the
 * stack window (the same content_hash the recorder computes) agree, count
 * every pass, and leave registers and flags as they were either way. Apart
 * from test_libtrace because valgrind does not follow such code.
 * Prints PASS/FAIL lines and `N passed, M failed`.
 */
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <ucontext.h>

#include "content_hash.h"
#include "insn_relocate.h"
#include "landmark_stub.h"
#include "trace_event.h"
#include "unit_check.h"

enum { FLAGS_SLOT = 16, TABLE_SLOTS = 17, FLAGS_ARITH = 0x8d5 /* CF PF AF ZF SF OF */ };

/* Used by the harness (hence not static): where C's stack was, where to
 * jump, and what the registers held when the code came back to it. */
uint64_t harness_saved_rsp, harness_target, harness_out[7]; /* rax rcx rdx rsi r8 r9 flags */
int harness_run(const uint64_t *table, uint64_t target);
void harness_match(void);
void harness_mismatch(void);

/* harness_run(table, target): registers by x86 number from table[0..15],
 * flags from table[16]; returns 0 through harness_mismatch, 1 through
 * harness_match (where the SIGTRAP handler sends a trap). */
__asm__(".text\n"
        "harness_run:\n"
        "  push %rbx\n  push %rbp\n  push %r12\n  push %r13\n  push %r14\n  push %r15\n"
        "  mov %rsp, harness_saved_rsp(%rip)\n"
        "  mov %rsi, harness_target(%rip)\n"
        "  pushq 128(%rdi)\n  popfq\n"
        "  mov 0(%rdi), %rax\n  mov 8(%rdi), %rcx\n  mov 16(%rdi), %rdx\n  mov 24(%rdi), %rbx\n"
        "  mov 32(%rdi), %rsp\n  mov 40(%rdi), %rbp\n  mov 48(%rdi), %rsi\n  mov 64(%rdi), %r8\n"
        "  mov 72(%rdi), %r9\n  mov 80(%rdi), %r10\n  mov 88(%rdi), %r11\n  mov 96(%rdi), %r12\n"
        "  mov 104(%rdi), %r13\n  mov 112(%rdi), %r14\n  mov 120(%rdi), %r15\n  mov 56(%rdi), %rdi\n"
        "  jmp *harness_target(%rip)\n"
        "harness_mismatch:\n"
        "  mov %rax, harness_out(%rip)\n  mov %rcx, harness_out+8(%rip)\n  mov %rdx, harness_out+16(%rip)\n"
        "  mov %rsi, harness_out+24(%rip)\n  mov %r8, harness_out+32(%rip)\n  mov %r9, harness_out+40(%rip)\n"
        "  mov harness_saved_rsp(%rip), %rsp\n"
        "  pushfq\n  popq harness_out+48(%rip)\n"
        "  xor %eax, %eax\n  jmp 1f\n"
        "harness_match:\n"
        "  mov harness_saved_rsp(%rip), %rsp\n  mov $1, %eax\n"
        "1:\n"
        "  pop %r15\n  pop %r14\n  pop %r13\n  pop %r12\n  pop %rbp\n  pop %rbx\n  ret\n");

static uint64_t trap_ip;
static greg_t trapped_regs[NGREG];
static int traps;

static void on_trap(int signo, siginfo_t *info, void *context)
{
    (void)signo;
    (void)info;
    ucontext_t *uc = context;
    traps++;
    memcpy(trapped_regs, uc->uc_mcontext.gregs, sizeof trapped_regs);
    if ((uint64_t)uc->uc_mcontext.gregs[REG_RIP] != trap_ip)
        abort();
    uc->uc_mcontext.gregs[REG_RIP] = (greg_t)(uintptr_t)harness_match;
}

static uint64_t fake_stack[1024];

/* The table's registers as the kernel names them, in x86 number order. */
static const int greg_of_number[16] = {REG_RAX, REG_RCX, REG_RDX, REG_RBX, REG_RSP, REG_RBP, REG_RSI, REG_RDI,
                                       REG_R8,  REG_R9,  REG_R10, REG_R11, REG_R12, REG_R13, REG_R14, REG_R15};

static void table_to_regs(const uint64_t *table, struct user_regs_struct *regs)
{
    memset(regs, 0, sizeof *regs);
    regs->rax = table[0], regs->rcx = table[1], regs->rdx = table[2], regs->rbx = table[3];
    regs->rsp = table[4], regs->rbp = table[5], regs->rsi = table[6], regs->rdi = table[7];
    regs->r8 = table[8], regs->r9 = table[9], regs->r10 = table[10], regs->r11 = table[11];
    regs->r12 = table[12], regs->r13 = table[13], regs->r14 = table[14], regs->r15 = table[15];
}

static int registers_kept_at_trap(const uint64_t *table)
{
    for (int reg = 0; reg < 16; reg++)
        if ((uint64_t)trapped_regs[greg_of_number[reg]] != table[reg])
            return 0;
    return ((uint64_t)trapped_regs[REG_EFL] & FLAGS_ARITH) == (table[FLAGS_SLOT] & FLAGS_ARITH);
}

static int registers_kept_at_mismatch(const uint64_t *table)
{
    static const int numbers[6] = {0, 1, 2, 6, 8, 9}; /* rax rcx rdx rsi r8 r9: those the stub uses */
    for (int i = 0; i < 6; i++)
        if (harness_out[i] != table[numbers[i]])
            return 0;
    return (harness_out[6] & FLAGS_ARITH) == (table[FLAGS_SLOT] & FLAGS_ARITH);
}

int main(void)
{
    /* The block: five nops, then an absolute jump back to the harness. */
    unsigned char *pages = mmap(NULL, 3 * 4096, PROT_READ | PROT_WRITE | PROT_EXEC, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (pages == MAP_FAILED) {
        printf("FAIL cannot map executable pages\n0 passed, 1 failed\n");
        return 1;
    }
    static const unsigned char nops[5] = {0x90, 0x90, 0x90, 0x90, 0x90}, jmp_abs[6] = {0xff, 0x25, 0, 0, 0, 0};
    uint64_t block = (uint64_t)(uintptr_t)pages, stub_page = block + 4096, back = (uint64_t)(uintptr_t)harness_mismatch;
    memcpy(pages, nops, sizeof nops);
    memcpy(pages + 5, jmp_abs, sizeof jmp_abs);
    memcpy(pages + 11, &back, 8);

    uint64_t table[TABLE_SLOTS];
    for (int reg = 0; reg < 16; reg++)
        table[reg] = 0x1111111111111111ull * (uint64_t)(reg + 1) ^ (uint64_t)reg << 60;
    table[4] = (uint64_t)(uintptr_t)&fake_stack[512];
    for (int i = 0; i < 1024; i++)
        fake_stack[i] = 0x0123456789abcdefull * (uint64_t)i;
    struct user_regs_struct expected;
    table_to_regs(table, &expected);
    struct landmark_stack_check stack = {
        (int64_t)content_hash((char *)&fake_stack[512] - LANDMARK_STACK_BELOW,
                              LANDMARK_STACK_BELOW + LANDMARK_STACK_ABOVE)};

    struct insn_relocation moved;
    struct landmark_stub stub;
    unsigned char patch[LANDMARK_PATCH_SIZE];
    int ok = insn_relocate(pages, sizeof nops, block, LANDMARK_PATCH_SIZE, landmark_stub_code_addr(stub_page),
                           &moved) == 0 &&
             landmark_stub_build(stub_page, &expected, &stack, &moved, block + moved.displaced, &stub) == 0 &&
             landmark_stub_patch(block, landmark_stub_entry(stub_page), patch) == 0;
    check(ok, "a landmark stub with a stack check builds");
    if (!ok)
        return 1;
    memcpy(pages + 4096, stub.bytes, stub.size);
    memcpy(pages, patch, sizeof patch);
    __builtin___clear_cache((char *)pages, (char *)pages + 3 * 4096);
    trap_ip = stub.trap_ip;

    static char alt_stack[65536];
    stack_t alt = {.ss_sp = alt_stack, .ss_size = sizeof alt_stack};
    struct sigaction on_sigtrap = {.sa_sigaction = on_trap, .sa_flags = SA_SIGINFO | SA_ONSTACK};
    sigaltstack(&alt, NULL);
    sigaction(SIGTRAP, &on_sigtrap, NULL);

    table[FLAGS_SLOT] = 0x202 | FLAGS_ARITH;
    check(harness_run(table, block) == 1 && traps == 1 && registers_kept_at_trap(table),
          "registers and stack window agree: the stub traps, registers and flags (all set) intact");
    table[FLAGS_SLOT] = 0x202;
    check(harness_run(table, block) == 1 && traps == 2 && registers_kept_at_trap(table),
          "the same with the flags clear");

    fake_stack[512 + 20] ^= 1; /* within the window, above rsp */
    check(harness_run(table, block) == 0 && traps == 2 && registers_kept_at_mismatch(table),
          "a stack word differs: no trap, on through the displaced code, registers and flags intact");
    table[FLAGS_SLOT] = 0x202 | FLAGS_ARITH;
    check(harness_run(table, block) == 0 && traps == 2 && registers_kept_at_mismatch(table),
          "the same with the flags set");
    fake_stack[512 + 20] ^= 1;
    fake_stack[512 + 40] ^= 1; /* above the window: not checked */
    check(harness_run(table, block) == 1 && traps == 3, "a word outside the window does not count");

    table[15] ^= 1;
    check(harness_run(table, block) == 0 && traps == 3 && registers_kept_at_mismatch(table),
          "a register differs: no trap");
    uint64_t passes;
    memcpy(&passes, (void *)(uintptr_t)landmark_stub_passes_addr(stub_page), sizeof passes);
    check(passes == 6, "the stub counts every pass");
    munmap(pages, 3 * 4096);
    return unit_check_summary();
}
