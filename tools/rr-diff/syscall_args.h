/*
 * syscall_args.h — how many arguments a syscall takes and which are pids,
 * from the `args` column of schema/syscalls.tsv (as the trace's own table
 * holds it), and which syscalls return pids: what the comparison needs to
 * compare arguments and results through the task matching rather than raw.
 * (Showing syscalls is libtrace/syscall_decode's job.)
 */
#ifndef RRDIFF_SYSCALL_ARGS_H
#define RRDIFF_SYSCALL_ARGS_H

#include <stdbool.h>
#include <stdint.h>

struct syscall_args {
    int count;           /* 6 when the syscall is unknown */
    bool is_pid[6];
};

struct syscall_desc;

/* The arguments of the syscall `desc` describes (NULL: an unknown one, six
 * plain arguments). */
struct syscall_args syscall_args_of(const struct syscall_desc *desc);
/* Whether it returns a pid or tid (getpid, gettid, fork, wait4…). */
bool syscall_returns_pid(const struct syscall_desc *desc);

#endif
