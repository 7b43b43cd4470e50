/*
 * regs_codec.h — the compact form of a register set stored with each event:
 * only the registers that differ from the same task's previous event, after a
 * 32-bit mask saying which ones. A task's first event stores them all.
 */
#ifndef RRDB_REGS_CODEC_H
#define RRDB_REGS_CODEC_H

#include <stddef.h>
#include <stdint.h>
#include <sys/user.h>

#define REGS_COUNT (sizeof(struct user_regs_struct) / sizeof(unsigned long long))
#define REGS_ENCODED_MAX (4 + 8 * REGS_COUNT)

/* Encode `regs` against `baseline` into `out` (REGS_ENCODED_MAX bytes); returns length. */
size_t regs_encode(const struct user_regs_struct *baseline, const struct user_regs_struct *regs,
                   unsigned char *out);
/* Decode into `regs`, starting from `baseline`. Returns 0, or -1 if malformed. */
int regs_decode(const struct user_regs_struct *baseline, const unsigned char *in, size_t len,
                struct user_regs_struct *regs);
/* The name of register number `index` in struct user_regs_struct order. */
const char *regs_name(size_t index);
/* Register `index` of `regs`. */
uint64_t regs_get(const struct user_regs_struct *regs, size_t index);

#endif
