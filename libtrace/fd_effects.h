/*
 * fd_effects.h — what a syscall did to the program's file descriptor table,
 * from its row's fd effect (fd_open, fd_close, fd_close_range, fd_dup,
 * fd_fcntl in schema/syscalls.tsv). One reading of those effects for every
 * tool that follows fds: rr-replay (which fds are stdout and stderr) and
 * rr-query (the files behind fds).
 */
#ifndef RRDB_FD_EFFECTS_H
#define RRDB_FD_EFFECTS_H

#include <stdbool.h>
#include <stdint.h>

#include "syscall_table.h"

enum fd_change_kind {
    FD_CHANGE_NONE,
    FD_CHANGE_OPEN,           /* fd (-1 when the open failed) opened on the path at `path` */
    FD_CHANGE_CLOSE,          /* fd closed */
    FD_CHANGE_CLOSE_RANGE,    /* fds first to last closed */
    FD_CHANGE_CLOEXEC_RANGE,  /* fds first to last marked close-on-exec, not closed */
    FD_CHANGE_COPY,           /* fd became a copy of source (closing what fd was) */
    FD_CHANGE_SET_CLOEXEC,    /* fd's close-on-exec flag set to `cloexec` */
};

struct fd_change {
    enum fd_change_kind kind;
    int fd;
    int source;
    uint64_t first, last;
    bool cloexec;   /* OPEN, COPY: whether the new fd is close-on-exec */
    uint64_t path;  /* OPEN: the path argument's address (0: none) */
};

/* What the call `desc` with these arguments and result did. Only an open
 * reports a failed call (fd -1, for the path it named); other failed calls
 * changed nothing. */
void fd_effects_of(const struct syscall_desc *desc, const uint64_t args[6], int64_t result,
                   struct fd_change *change);

#endif
