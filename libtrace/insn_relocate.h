/*
 * insn_relocate.h — moving the first instructions of a basic block to another
 * address, where they must do exactly what they did in place: rip-relative
 * operands and relative jumps are re-encoded to reach the same targets. The
 * replayer's landmark stub (landmark_stub.h) runs them in place of the bytes
 * a jump to the stub overwrites.
 */
#ifndef RRDB_INSN_RELOCATE_H
#define RRDB_INSN_RELOCATE_H

#include <stddef.h>
#include <stdint.h>

enum {
    INSN_RELOCATE_MAX = 96, /* bytes of relocated code at most */
};

struct insn_relocation {
    size_t displaced;                       /* bytes taken from the original place */
    size_t size;                            /* bytes of relocated code */
    unsigned char code[INSN_RELOCATE_MAX];
};

/* Relocate whole instructions from the start of `code` (`len` bytes read at
 * address `from`), at least `min_size` bytes of them, to run at address `to`.
 * They must lie in one basic block: a jump or return may only be the last of
 * them. Returns 0, or -1 with the reason in error_text() when that is not
 * possible: the block is shorter, an instruction cannot be decoded or moved
 * (a call pushes its own address; a syscall or trapped instruction must run
 * at its recorded place), or a target is out of reach of a 32-bit offset. */
int insn_relocate(const unsigned char *code, size_t len, uint64_t from, size_t min_size, uint64_t to,
                  struct insn_relocation *out);

#endif
