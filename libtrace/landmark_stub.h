/*
 * landmark_stub.h — an in-tracee conditional breakpoint for replaying a
 * landmark in a loop at near-native speed. A 5-byte `jmp rel32` written at
 * the landmark's ip leads to a stub page mapped within reach; the stub
 * compares the sixteen general registers with the recorded ones without
 * touching the flags or the stack, and traps (int3) only when all agree.
 * Otherwise it runs the instructions the jump displaced (insn_relocate.h)
 * and jumps back behind them.
 *
 * The stub's two pages hold code, then data slots (the saved rcx and rax,
 * the negated expected value of each register). Every comparison is
 * `mov rcx,[rip+neg]; lea rcx,[rcx+REG]; jrcxz next`: mov, lea and jrcxz
 * leave the flags alone.
 */
#ifndef RRDB_LANDMARK_STUB_H
#define RRDB_LANDMARK_STUB_H

#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>
#include <sys/user.h>

#include "insn_relocate.h"
#include "event_log.h"

enum {
    LANDMARK_STUB_PAGE = 8192, /* the stub's mapping: a code page and a data page */
    LANDMARK_PATCH_SIZE = 5,   /* jmp rel32 */
    LANDMARK_PATCH_JMP = 0xe9, /* its first byte */
};

struct landmark_stub {
    unsigned char bytes[LANDMARK_STUB_PAGE];
    size_t size;
    uint64_t trap_ip;          /* rip at the SIGTRAP stop of a match (after the int3) */
    uint64_t resume_ip;        /* where a false match goes on: the displaced instructions */
};

/* What the stub checks beyond the registers: the hash of the stack window
 * (LANDMARK_STACK_BELOW bytes under rsp, LANDMARK_STACK_ABOVE over it) as
 * content_hash computes it. Only where that whole window is mapped: then
 * it is at the landmark too (no syscall unmaps it meanwhile). */
struct landmark_stack_check {
    int64_t hash;
};

/* Build the stub for a page at `stub_addr`: compare with `expected` (and
 * the stack, unless `stack` is NULL), run the relocated instructions `moved`
 * (relocated to landmark_stub_code_addr), then jump to `back_to` (the
 * landmark's ip + moved->displaced). Returns 0, or -1 if `back_to` is out
 * of reach. */
int landmark_stub_build(uint64_t stub_addr, const struct user_regs_struct *expected,
                        const struct landmark_stack_check *stack, const struct insn_relocation *moved,
                        uint64_t back_to, struct landmark_stub *out);

/* Where the stub counts the passes through it (8 bytes). */
uint64_t landmark_stub_passes_addr(uint64_t stub_addr);

/* Where in a stub page at `stub_addr` the relocated instructions go. */
uint64_t landmark_stub_code_addr(uint64_t stub_addr);

/* Where the jump at the landmark leads: the stub's entry. */
uint64_t landmark_stub_entry(uint64_t stub_addr);

/* The jump written at `from` to reach `to`. Returns 0, or -1 if out of reach. */
int landmark_stub_patch(uint64_t from, uint64_t to, unsigned char patch[LANDMARK_PATCH_SIZE]);

/* A page-aligned address for the stub page within reach of `ip` (a 32-bit
 * jump either way), the nearest in any hole of the address space `mappings`
 * (sorted) describe, a page away from its neighbours (not to merge with
 * them) and well below a stack (its growth and guard gap). Returns 0 when
 * there is none. */
uint64_t landmark_stub_place(const struct trace_mapping *mappings, int count, uint64_t ip);

#endif
