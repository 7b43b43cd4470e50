/*
 * seccomp_bpf.c — see seccomp_bpf.h. The instruction set is the one the
 * kernel's seccomp_check_filter lets through (net/core/filter.c's classic
 * BPF, loads from struct seccomp_data only, as 32-bit words).
 */
#include "seccomp_bpf.h"

#include <stddef.h>
#include <string.h>

static bool load_word(const struct seccomp_data *data, uint32_t offset, uint32_t *value)
{
    if (offset % 4 != 0 || offset > sizeof *data - 4)
        return false;
    memcpy(value, (const unsigned char *)data + offset, 4);
    return true;
}

/* A BPF_ALU operation; false for a division by zero (the kernel's run ends
 * with 0 then; its checker refuses a constant zero divisor, and BPF_MOD). */
static bool alu(uint16_t code, uint32_t *a, uint32_t operand)
{
    switch (BPF_OP(code)) {
    case BPF_ADD: *a += operand; return true;
    case BPF_SUB: *a -= operand; return true;
    case BPF_MUL: *a *= operand; return true;
    case BPF_DIV:
        if (operand == 0)
            return false;
        *a /= operand;
        return true;
    case BPF_OR: *a |= operand; return true;
    case BPF_AND: *a &= operand; return true;
    case BPF_XOR: *a ^= operand; return true;
    case BPF_LSH: *a = operand < 32 ? *a << operand : 0; return true;
    case BPF_RSH: *a = operand < 32 ? *a >> operand : 0; return true;
    case BPF_NEG: *a = (uint32_t)-*a; return true;
    default: return false;
    }
}

static bool jump_taken(uint16_t code, uint32_t a, uint32_t operand)
{
    switch (BPF_OP(code)) {
    case BPF_JEQ: return a == operand;
    case BPF_JGT: return a > operand;
    case BPF_JGE: return a >= operand;
    case BPF_JSET: return (a & operand) != 0;
    default: return false;
    }
}

uint32_t seccomp_bpf_run(const struct sock_filter *insns, unsigned count, const struct seccomp_data *data)
{
    uint32_t a = 0, x = 0, mem[BPF_MEMWORDS] = {0};
    for (unsigned pc = 0; pc < count; pc++) {
        const struct sock_filter *in = &insns[pc];
        uint32_t operand = BPF_SRC(in->code) == BPF_X ? x : in->k;
        switch (BPF_CLASS(in->code)) {
        case BPF_LD:
            if (BPF_MODE(in->code) == BPF_ABS) {
                if (!load_word(data, in->k, &a))
                    return SECCOMP_RET_KILL_PROCESS;
            } else if (BPF_MODE(in->code) == BPF_IMM) {
                a = in->k;
            } else if (BPF_MODE(in->code) == BPF_MEM && in->k < BPF_MEMWORDS) {
                a = mem[in->k];
            } else if (BPF_MODE(in->code) == BPF_LEN) {
                a = sizeof *data;
            } else {
                return SECCOMP_RET_KILL_PROCESS;
            }
            break;
        case BPF_LDX:
            if (BPF_MODE(in->code) == BPF_IMM)
                x = in->k;
            else if (BPF_MODE(in->code) == BPF_MEM && in->k < BPF_MEMWORDS)
                x = mem[in->k];
            else if (BPF_MODE(in->code) == BPF_LEN)
                x = sizeof *data;
            else
                return SECCOMP_RET_KILL_PROCESS;
            break;
        case BPF_ST:
        case BPF_STX:
            if (in->k >= BPF_MEMWORDS)
                return SECCOMP_RET_KILL_PROCESS;
            mem[in->k] = BPF_CLASS(in->code) == BPF_ST ? a : x;
            break;
        case BPF_ALU:
            if (!alu(in->code, &a, operand))
                return 0;
            break;
        case BPF_JMP:
            if (BPF_OP(in->code) == BPF_JA)
                pc += in->k;
            else
                pc += jump_taken(in->code, a, operand) ? in->jt : in->jf;
            break;
        case BPF_RET:
            return BPF_RVAL(in->code) == BPF_A ? a : in->k;
        case BPF_MISC:
            if (BPF_MISCOP(in->code) == BPF_TAX)
                x = a;
            else
                a = x;
            break;
        default:
            return SECCOMP_RET_KILL_PROCESS;
        }
    }
    return SECCOMP_RET_KILL_PROCESS; /* ran off the end: the checker refuses that */
}

uint32_t seccomp_bpf_stricter(uint32_t first, uint32_t second)
{
    /* The kernel compares the actions as signed numbers: KILL_PROCESS
     * (0x80000000) is the lowest, ALLOW the highest. */
    return (int32_t)(second & SECCOMP_RET_ACTION_FULL) < (int32_t)(first & SECCOMP_RET_ACTION_FULL) ? second : first;
}

bool seccomp_bpf_lets_run(uint32_t answer)
{
    uint32_t action = answer & SECCOMP_RET_ACTION_FULL;
    return action == SECCOMP_RET_ALLOW || action == SECCOMP_RET_LOG;
}
