/*
 * regs_codec.c — delta encoding of register sets (see regs_codec.h).
 * Registers are treated as the array of 64-bit words that
 * struct user_regs_struct is on x86_64.
 */
#include "regs_codec.h"

#include <string.h>

_Static_assert(REGS_COUNT == 27, "x86_64 user_regs_struct has 27 registers");

static const char *const register_names[REGS_COUNT] = {
    "r15", "r14", "r13", "r12", "rbp", "rbx", "r11", "r10", "r9", "r8", "rax", "rcx", "rdx",
    "rsi", "rdi", "orig_rax", "rip", "cs", "eflags", "rsp", "ss", "fs_base", "gs_base",
    "ds", "es", "fs", "gs",
};

const char *regs_name(size_t index)
{
    return index < REGS_COUNT ? register_names[index] : "?";
}

uint64_t regs_get(const struct user_regs_struct *regs, size_t index)
{
    uint64_t words[REGS_COUNT];
    memcpy(words, regs, sizeof words);
    return index < REGS_COUNT ? words[index] : 0;
}

size_t regs_encode(const struct user_regs_struct *baseline, const struct user_regs_struct *regs,
                   unsigned char *out)
{
    uint64_t old_words[REGS_COUNT], new_words[REGS_COUNT];
    memcpy(old_words, baseline, sizeof old_words);
    memcpy(new_words, regs, sizeof new_words);
    uint32_t mask = 0;
    size_t length = 4;
    for (size_t i = 0; i < REGS_COUNT; i++) {
        if (old_words[i] == new_words[i])
            continue;
        mask |= 1u << i;
        memcpy(out + length, &new_words[i], 8);
        length += 8;
    }
    memcpy(out, &mask, 4);
    return length;
}

int regs_decode(const struct user_regs_struct *baseline, const unsigned char *in, size_t len,
                struct user_regs_struct *regs)
{
    uint64_t words[REGS_COUNT];
    uint32_t mask;
    if (len < 4)
        return -1;
    memcpy(words, baseline, sizeof words);
    memcpy(&mask, in, 4);
    size_t offset = 4;
    for (size_t i = 0; i < REGS_COUNT; i++) {
        if (!(mask & (1u << i)))
            continue;
        if (offset + 8 > len)
            return -1;
        memcpy(&words[i], in + offset, 8);
        offset += 8;
    }
    if (offset != len || (mask >> REGS_COUNT) != 0)
        return -1;
    memcpy(regs, words, sizeof words);
    return 0;
}
