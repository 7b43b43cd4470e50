/*
 * insn_relocate.c — relocation of the first instructions of a basic block
 * (see insn_relocate.h), decoded with capstone.
 *
 * An instruction moves unchanged unless its encoding holds an offset from
 * its own address: a rip-relative memory operand (its 32-bit displacement is
 * adjusted by the distance moved) or a relative jump (re-encoded in its
 * 32-bit form towards the same absolute target). Everything else in the
 * instruction stream does not depend on where it runs.
 */
#include "insn_relocate.h"

#include <capstone/capstone.h>
#include <stdbool.h>
#include <string.h>

#include "error.h"

/* Instructions that must not run anywhere but at their own address. */
static bool must_stay(csh handle, const cs_insn *insn)
{
    switch (insn->id) {
    case X86_INS_SYSCALL:
    case X86_INS_SYSENTER:
    case X86_INS_INT:
    case X86_INS_INT1:
    case X86_INS_INT3:
    case X86_INS_INTO:
    case X86_INS_RDTSC:
    case X86_INS_RDTSCP:
    case X86_INS_CPUID:
    case X86_INS_UD2:
    case X86_INS_JRCXZ:
    case X86_INS_JECXZ:
    case X86_INS_LOOP:
    case X86_INS_LOOPE:
    case X86_INS_LOOPNE:
    case X86_INS_XBEGIN:
        return true;
    default:
        return cs_insn_group(handle, insn, CS_GRP_CALL) || cs_insn_group(handle, insn, CS_GRP_INT) ||
               cs_insn_group(handle, insn, CS_GRP_IRET);
    }
}

static bool fits_rel32(int64_t value)
{
    return value >= INT32_MIN && value <= INT32_MAX;
}

static void put_rel32(unsigned char *at, int64_t value)
{
    int32_t rel = (int32_t)value;
    memcpy(at, &rel, sizeof rel);
}

/* Append one relocated instruction; `at` is its new address. */
static int relocate_one(csh handle, const cs_insn *insn, uint64_t at, struct insn_relocation *out)
{
    const cs_x86 *x86 = &insn->detail->x86;
    bool relative_jump = cs_insn_group(handle, insn, CS_GRP_JUMP) && x86->op_count == 1 &&
                         x86->operands[0].type == X86_OP_IMM;
    if (relative_jump) {
        int64_t target = x86->operands[0].imm;
        unsigned char *code = out->code + out->size;
        size_t size;
        if (insn->id == X86_INS_JMP) {
            code[0] = 0xe9;
            size = 5;
        } else {
            /* jcc: 0x70+cc (rel8) or 0x0f 0x80+cc (rel32) */
            int cc = x86->opcode[0] == 0x0f ? x86->opcode[1] & 0x0f : x86->opcode[0] & 0x0f;
            code[0] = 0x0f;
            code[1] = (unsigned char)(0x80 | cc);
            size = 6;
        }
        if (out->size + size > INSN_RELOCATE_MAX || !fits_rel32(target - (int64_t)(at + size))) {
            error_set("the jump at 0x%llx cannot be moved out of its reach", (unsigned long long)insn->address);
            return -1;
        }
        put_rel32(code + size - 4, target - (int64_t)(at + size));
        out->size += size;
        return 0;
    }
    if (out->size + insn->size > INSN_RELOCATE_MAX) {
        error_set("too many bytes to relocate at 0x%llx", (unsigned long long)insn->address);
        return -1;
    }
    unsigned char *code = out->code + out->size;
    memcpy(code, insn->bytes, insn->size);
    for (int i = 0; i < x86->op_count; i++) {
        const cs_x86_op *op = &x86->operands[i];
        if (op->type != X86_OP_MEM || op->mem.base != X86_REG_RIP)
            continue;
        int64_t disp = op->mem.disp + (int64_t)insn->address - (int64_t)at;
        if (x86->encoding.disp_offset == 0 || x86->encoding.disp_size != 4 || !fits_rel32(disp)) {
            error_set("the rip-relative operand at 0x%llx cannot be moved", (unsigned long long)insn->address);
            return -1;
        }
        put_rel32(code + x86->encoding.disp_offset, disp);
    }
    out->size += insn->size;
    return 0;
}

int insn_relocate(const unsigned char *code, size_t len, uint64_t from, size_t min_size, uint64_t to,
                  struct insn_relocation *out)
{
    csh handle;
    if (cs_open(CS_ARCH_X86, CS_MODE_64, &handle) != CS_ERR_OK) {
        error_set("capstone cannot decode x86_64");
        return -1;
    }
    cs_option(handle, CS_OPT_DETAIL, CS_OPT_ON);
    cs_insn *insn = cs_malloc(handle);
    memset(out, 0, sizeof *out);
    const uint8_t *next = code;
    size_t left = len;
    uint64_t address = from;
    int rc = -1;
    while (out->displaced < min_size) {
        if (!cs_disasm_iter(handle, &next, &left, &address, insn)) {
            error_set("cannot decode the instruction at 0x%llx", (unsigned long long)(from + out->displaced));
            break;
        }
        if (must_stay(handle, insn)) {
            error_set("the instruction at 0x%llx (%s) must run in place", (unsigned long long)insn->address,
                      insn->mnemonic);
            break;
        }
        if (relocate_one(handle, insn, to + out->size, out) < 0)
            break;
        out->displaced += insn->size;
        bool ends_block = cs_insn_group(handle, insn, CS_GRP_JUMP) || cs_insn_group(handle, insn, CS_GRP_RET);
        if (ends_block && out->displaced < min_size) {
            error_set("the block at 0x%llx is shorter than %zu bytes", (unsigned long long)from, min_size);
            break;
        }
    }
    if (out->displaced >= min_size)
        rc = 0;
    cs_free(insn, 1);
    cs_close(&handle);
    return rc;
}
