/*
 * outgoing_data.h — the bytes a program hands to the kernel in write-like
 * syscalls (those whose table row has the effect sends or sends_iov: write,
 * pwrite64, writev, pwritev, pwritev2, sendto). The recorder
 * stores their hash with the event, and the replayer compares: a replay that
 * computes different output is caught at the write, never shown silently.
 * The replayer also shows these bytes when they go to stdout/stderr.
 */
#ifndef RRDB_OUTGOING_DATA_H
#define RRDB_OUTGOING_DATA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct task;
struct syscall_desc;

/* Does the syscall `desc` describes (NULL: unknown) hand data to the kernel
 * that outgoing_data_read reads? The recorder asks its own table, a reader
 * the trace's. */
bool outgoing_data_applies(const struct syscall_desc *desc);
/* Read the `result` bytes the syscall consumed into a malloc'd *data.
 * Returns 0 (with *len possibly 0), or -1. */
int outgoing_data_read(struct task *task, const struct syscall_desc *desc, const uint64_t args[6], int64_t result,
                       unsigned char **data, size_t *len);

#endif
