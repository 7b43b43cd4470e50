/*
 * syscall_args.h — how many arguments a syscall takes and what each is, from
 * the `args` column of schema/syscalls.tsv (through libtrace's syscall table),
 * so that events are shown strace-like and pid arguments compared as pids.
 */
#ifndef RRDIFF_SYSCALL_ARGS_H
#define RRDIFF_SYSCALL_ARGS_H

#include <stdint.h>

enum arg_kind {
    ARG_SIGNED,   /* int, fd, sig: decimal, as a C int */
    ARG_UNSIGNED, /* uint, size, off: decimal */
    ARG_POINTER,  /* ptr, str, path: hexadecimal, NULL for 0 */
    ARG_HEX,      /* hex, flags: hexadecimal */
    ARG_PID,      /* pid: decimal, compared through the task map */
};

struct syscall_args {
    int count;           /* 6 when the syscall is unknown */
    enum arg_kind kinds[6];
};

/* The arguments of syscall `nr` (parsed once, then cached). */
const struct syscall_args *syscall_args_of(int64_t nr);
/* Whether syscall `nr` returns a pid or tid (getpid, gettid, fork, wait4…). */
int syscall_returns_pid(int64_t nr);
/* Whether syscall `nr` returns an address (mmap, brk, mremap…), shown in hex. */
int syscall_returns_address(int64_t nr);

#endif
