/*
 * tsc_sites.h — where a program's code reads the time-stamp counter, so that
 * those reads can be made to trap where the CPU will not trap them.
 *
 * rrdb records every rdtsc and rdtscp a program runs. Where the kernel can
 * (PR_SET_TSC), they fault by themselves; under some hypervisors (a PVM
 * guest) PR_SET_TSC is accepted and has no effect. So the recorder also
 * rewrites the first byte of each rdtsc (0f 31) and rdtscp (0f 01 f9) in the
 * program's code to hlt (f4), which faults in user mode just as a trapped
 * rdtsc does (SIGSEGV, SI_KERNEL, at the instruction); cpu_traps.h reads
 * "f4 31" and "f4 01 f9" as the instructions they stand for. Those writes go
 * into the trace as memory writes of the event that mapped the code, so
 * replay makes the same ones (tools/rr-record/tsc_patching.c).
 *
 * A byte pattern is only an instruction where decoding reaches it: each
 * candidate is checked by decoding (capstone) from a little before it, and
 * only sections the ELF file marks executable are searched, so that data
 * and the middle of other instructions are left alone.
 */
#ifndef RRDB_TSC_SITES_H
#define RRDB_TSC_SITES_H

#include <stddef.h>
#include <stdint.h>

enum { TSC_SITE_MARK = 0xf4 }; /* hlt: what the first byte of a site becomes */

/* The offsets in code[0..len) of rdtsc and rdtscp instructions (also those
 * whose first byte is TSC_SITE_MARK already), into
 * *offsets (malloc'd; NULL when there are none). Returns their count, or -1
 * (out of memory, capstone unusable) with the error set. */
int tsc_sites_find(const unsigned char *code, size_t len, size_t **offsets);

/* A part of a mapping that holds code: [start, end) as offsets from the
 * mapping's start. */
struct code_range {
    uint64_t start, end;
};

/* The parts of a mapping of ELF file `path` (from file offset `offset`,
 * `length` bytes) that its section headers mark executable, into *ranges
 * (malloc'd). Returns their count (0: none), or -1 when the file has no
 * section headers to say (not ELF, unreadable): then the caller decides. */
int tsc_sites_code_ranges(const char *path, uint64_t offset, uint64_t length, struct code_range **ranges);

#endif
