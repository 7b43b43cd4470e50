/*
 * gdb_registers.h — a replay task's registers as gdb numbers them: one
 * table (general registers, rip, eflags, segments, x87, SSE, orig_rax,
 * fs_base and gs_base, and AVX's upper halves where the CPU has AVX) from which both the target description gdb reads
 * (qXfer:features:read:target.xml) and the `g`/`p`/`G`/`P` packets' byte
 * layout are made, so the two cannot disagree.
 */
#ifndef RRDB_GDB_REGISTERS_H
#define RRDB_GDB_REGISTERS_H

#include <stddef.h>
#include <sys/user.h>

struct task;

/* Everything the table reads: what ptrace GETREGS and GETFPREGS give, and
 * the AVX registers' upper halves from the XSAVE area (where the CPU has them). */
struct gdb_register_file {
    struct user_regs_struct gprs;
    struct user_fpregs_struct fp;
    unsigned char ymm_high[16][16];
};

enum { GDB_REGISTER_MAX_BYTES = 16 };

int gdb_registers_fetch(struct task *task, struct gdb_register_file *file);
int gdb_registers_store(struct task *task, const struct gdb_register_file *file);
/* How many registers the description has (numbered 0..count-1). */
int gdb_registers_count(void);
/* Register `regno`'s bytes in gdb's (little-endian) layout; returns their
 * count, 0 for no such register. */
size_t gdb_register_get(const struct gdb_register_file *file, int regno, unsigned char *out);
/* Set register `regno` from its bytes in that layout. 0, or -1 for no such register. */
int gdb_register_set(struct gdb_register_file *file, int regno, const unsigned char *bytes);
/* The register number of rip (for stop replies that carry the pc). */
int gdb_registers_pc_regno(void);
/* The target description, an XML document. */
const char *gdb_registers_target_xml(void);

#endif
