/*
 * block_scan.c — the fall-through path of a single-block step, decoded with
 * capstone (see block_scan.h). A conditional jump may or may not be taken, so
 * the path goes on past it; the step surely ends at the first unconditional
 * jump, call or return.
 */
#include "block_scan.h"

#include <capstone/capstone.h>
#include <stdbool.h>

static bool always_taken(csh handle, const cs_insn *insn)
{
    if (cs_insn_group(handle, insn, CS_GRP_CALL) || cs_insn_group(handle, insn, CS_GRP_RET) ||
        cs_insn_group(handle, insn, CS_GRP_IRET))
        return true;
    return insn->id == X86_INS_JMP || insn->id == X86_INS_LJMP;
}

static bool enters_kernel(csh handle, const cs_insn *insn)
{
    return insn->id == X86_INS_SYSCALL || insn->id == X86_INS_SYSENTER || cs_insn_group(handle, insn, CS_GRP_INT);
}

int block_scan_may_syscall(const unsigned char *code, size_t len, uint64_t ip, size_t *first_size)
{
    csh handle;
    if (cs_open(CS_ARCH_X86, CS_MODE_64, &handle) != CS_ERR_OK)
        return 1;
    cs_option(handle, CS_OPT_DETAIL, CS_OPT_ON);
    cs_insn *insn = cs_malloc(handle);
    const uint8_t *next = code;
    size_t left = len;
    uint64_t address = ip;
    int may = 1;
    *first_size = 0;
    while (cs_disasm_iter(handle, &next, &left, &address, insn)) {
        if (!*first_size)
            *first_size = insn->size;
        if (enters_kernel(handle, insn))
            break;
        if (always_taken(handle, insn)) {
            may = 0;
            break;
        }
    }
    cs_free(insn, 1);
    cs_close(&handle);
    return may;
}
