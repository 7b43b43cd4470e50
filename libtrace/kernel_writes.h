/*
 * kernel_writes.h — which tracee memory a syscall's kernel side wrote, from the
 * syscall table's `writes` spec, the arguments, the result, and (for iovecs,
 * message headers and socklen_t results) the tracee's memory after the call.
 */
#ifndef RRDB_KERNEL_WRITES_H
#define RRDB_KERNEL_WRITES_H

#include <stddef.h>
#include <stdint.h>

#include "syscall_table.h"

struct task;

struct mem_range {
    uint64_t addr;
    size_t len;
};

struct mem_ranges {
    struct mem_range *items;
    int count, capacity;
};

/* Checked at syscall entry: can rrdb record this call (syscall supported,
 * ioctl request known, prctl/arch_prctl/fcntl command acceptable)? Returns 0,
 * or -1 with a message naming what is unsupported. */
int kernel_writes_check_supported(const struct syscall_desc *desc, const uint64_t args[6]);

/* At syscall exit: append to `out` the ranges the kernel wrote. Returns 0 or -1. */
int kernel_writes_collect(struct task *task, const struct syscall_desc *desc, const uint64_t args[6],
                          int64_t result, struct mem_ranges *out);

void mem_ranges_clear(struct mem_ranges *ranges);
void mem_ranges_free(struct mem_ranges *ranges);

#endif
