/*
 * fd_effects.c — reading a syscall's fd effect (see fd_effects.h). Flag
 * values are the x86_64 ABI's, written out so that a trace reads the same
 * whatever headers this build saw.
 */
#include "fd_effects.h"

#include <string.h>

enum {
    OPEN_CLOEXEC = 02000000,        /* O_CLOEXEC, in flags:open arguments */
    FCNTL_DUPFD = 0,
    FCNTL_SETFD = 2,
    FCNTL_DUPFD_CLOEXEC = 1030,
    FD_CLOEXEC_BIT = 1,
    CLOSE_RANGE_CLOEXEC_BIT = 4,
};

/* The O_CLOEXEC bit of the call's flags:open argument, if it has one. */
static bool cloexec_flag(const struct syscall_desc *desc, const uint64_t args[6])
{
    int flags = syscall_arg_of_kind(desc, "flags:open");
    return flags != SYSCALL_NO_ARG && (args[flags] & OPEN_CLOEXEC);
}

static void fcntl_effect(const uint64_t args[6], int64_t result, struct fd_change *change)
{
    change->fd = (int)args[0];
    if (args[1] == FCNTL_DUPFD || args[1] == FCNTL_DUPFD_CLOEXEC) {
        change->kind = FD_CHANGE_COPY;
        change->source = (int)args[0];
        change->fd = (int)result;
        change->cloexec = args[1] == FCNTL_DUPFD_CLOEXEC;
    } else if (args[1] == FCNTL_SETFD) {
        change->kind = FD_CHANGE_SET_CLOEXEC;
        change->cloexec = args[2] & FD_CLOEXEC_BIT;
    }
}

void fd_effects_of(const struct syscall_desc *desc, const uint64_t args[6], int64_t result,
                   struct fd_change *change)
{
    memset(change, 0, sizeof *change);
    const struct syscall_effects *effects = &desc->effects;
    if (effects->fd == FD_EFFECT_OPEN) {
        int path = syscall_arg_of_kind(desc, "path");
        change->kind = FD_CHANGE_OPEN;
        change->fd = result >= 0 ? (int)result : -1;
        change->path = path != SYSCALL_NO_ARG ? args[path] : 0;
        change->cloexec = cloexec_flag(desc, args);
        return;
    }
    if (result < 0)
        return;
    switch (effects->fd) {
    case FD_EFFECT_CLOSE:
        change->kind = FD_CHANGE_CLOSE;
        change->fd = (int)args[effects->fd_args[0]];
        break;
    case FD_EFFECT_CLOSE_RANGE: {
        /* close_range(first, last, flags): unsigned ints; CLOSE_RANGE_CLOEXEC
         * in the flags marks the fds instead of closing them. */
        int flags = effects->fd_args[1] + 1;
        change->kind = flags < 6 && (args[flags] & CLOSE_RANGE_CLOEXEC_BIT) ? FD_CHANGE_CLOEXEC_RANGE
                                                                             : FD_CHANGE_CLOSE_RANGE;
        change->first = (uint32_t)args[effects->fd_args[0]];
        change->last = (uint32_t)args[effects->fd_args[1]];
        break;
    }
    case FD_EFFECT_DUP:
        /* dup2 of an fd onto itself changes nothing. */
        if ((int64_t)(int)args[effects->fd_args[0]] != result) {
            change->kind = FD_CHANGE_COPY;
            change->source = (int)args[effects->fd_args[0]];
            change->fd = (int)result;
            change->cloexec = cloexec_flag(desc, args);
        }
        break;
    case FD_EFFECT_FCNTL:
        fcntl_effect(args, result, change);
        break;
    default:
        break;
    }
}
