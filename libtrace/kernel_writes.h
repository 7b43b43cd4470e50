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

/* Checked at syscall entry: can rrdb record this call (its row's replay
 * mode is not `unsupported`)? Returns 0, or -1 with a message naming it. */
int kernel_writes_check_supported(const struct syscall_desc *desc);

/* Checked at syscall entry: must the recorder answer this call instead of
 * the kernel, because what the kernel would write cannot be told (an ioctl
 * request whose row in ioctls.tsv has an answer, or that no row describes
 * and whose number has no direction)? Returns 0 when the kernel answers,
 * else the negative errno to answer (the row's, or ENOTTY as from a device
 * that does not know the request), with `what` naming the request. */
int kernel_writes_answer_instead(const struct syscall_desc *desc, const uint64_t args[6], char *what,
                                 size_t size);

/* At syscall exit: append to `out` the ranges the kernel wrote. Returns 0 or -1. */
int kernel_writes_collect(struct task *task, const struct syscall_desc *desc, const uint64_t args[6],
                          int64_t result, struct mem_ranges *out);

void mem_ranges_clear(struct mem_ranges *ranges);
void mem_ranges_free(struct mem_ranges *ranges);

#endif
