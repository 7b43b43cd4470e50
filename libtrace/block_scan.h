/*
 * block_scan.h — what a single-block step (PTRACE_SINGLEBLOCK) may execute:
 * from the task's ip along the fall-through path, up to the first jump,
 * call or return that is always taken. The recorder must not step a task
 * into a syscall that way (the kernel would run it without a syscall-entry
 * stop, unrecorded).
 */
#ifndef RRDB_BLOCK_SCAN_H
#define RRDB_BLOCK_SCAN_H

#include <stddef.h>
#include <stdint.h>

/* 0 if the code at `ip` (`len` bytes of it in `code`) reaches an always-taken
 * branch without a syscall instruction (syscall, sysenter, int) on the way;
 * 1 if it may run one, or the path is longer than `len` bytes or cannot be
 * decoded. *first_size gets the size of the instruction at ip. */
int block_scan_may_syscall(const unsigned char *code, size_t len, uint64_t ip, size_t *first_size);

#endif
