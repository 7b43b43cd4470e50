/*
 * branch_targets.c — direct branches aimed inside a patch site (see
 * branch_targets.h), found by decoding the code around it with capstone.
 */
#include "branch_targets.h"

#include <capstone/capstone.h>

/* The target of a direct jump or call, or 0. */
static uint64_t direct_target(csh handle, const cs_insn *insn)
{
    const cs_x86 *x86 = &insn->detail->x86;
    if (!cs_insn_group(handle, insn, CS_GRP_JUMP) && !cs_insn_group(handle, insn, CS_GRP_CALL))
        return 0;
    return x86->op_count == 1 && x86->operands[0].type == X86_OP_IMM ? (uint64_t)x86->operands[0].imm : 0;
}

/* Decode from offset `from` until address `until` (or the end or an
 * undecodable byte). *hit: a branch aimed inside (at, at + size); returns
 * the address where decoding stopped. */
static uint64_t sweep(csh handle, cs_insn *insn, const unsigned char *code, size_t len, uint64_t base, size_t from,
                      uint64_t until, uint64_t at, size_t size, bool *hit)
{
    const uint8_t *next = code + from;
    size_t left = len - from;
    uint64_t address = base + from;
    while (address < until && cs_disasm_iter(handle, &next, &left, &address, insn)) {
        uint64_t target = direct_target(handle, insn);
        if (target > at && target < at + size)
            *hit = true;
    }
    return address;
}

bool branch_targets_inside(const unsigned char *code, size_t len, uint64_t base, uint64_t at, size_t size)
{
    csh handle;
    if (at < base || at >= base + len || cs_open(CS_ARCH_X86, CS_MODE_64, &handle) != CS_ERR_OK)
        return true; /* cannot tell: not safe */
    cs_option(handle, CS_OPT_DETAIL, CS_OPT_ON);
    cs_insn *insn = cs_malloc(handle);
    bool hit = false;
    sweep(handle, insn, code, len, base, at - base, UINT64_MAX, at, size, &hit);
    /* The code before `at`: from the first offset whose decoding falls
     * onto `at`; none (undecodable bytes just before it): not safe. */
    bool synced = base == at;
    for (size_t start = 0; base + start < at && !hit && !synced; start++) {
        bool before_hit = false;
        synced = sweep(handle, insn, code, len, base, start, at, at, size, &before_hit) == at;
        hit = synced && before_hit;
    }
    hit = hit || !synced;
    cs_free(insn, 1);
    cs_close(&handle);
    return hit;
}
