/*
 * branch_targets.h — is a place safe to overwrite with a jump? The landmark
 * stub's 5-byte patch (landmark_stub.h) may cover several instructions; a
 * branch aimed at one of them after the first would land inside the patch
 * and run its bytes as code. Compiled loops do that: a JIT's rotated loop
 * enters at the second instruction of the block its back edge jumps to.
 */
#ifndef RRDB_BRANCH_TARGETS_H
#define RRDB_BRANCH_TARGETS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Does a direct jump or call in `code` (`len` bytes read at `base`) aim
 * strictly inside (at, at + size), where `at` is an instruction boundary in
 * it? The code after `at` is decoded from there; the code before it from the
 * first offset of the buffer whose decoding falls onto `at` (x86 decoding
 * falls into step within a few instructions; when none does, the answer is
 * yes). Only branches within the buffer are seen: the caller chooses how far
 * around to look. Undecodable code ends a sweep. */
bool branch_targets_inside(const unsigned char *code, size_t len, uint64_t base, uint64_t at, size_t size);

#endif
