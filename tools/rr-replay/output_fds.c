/*
 * output_fds.c — tracking the program's stdout/stderr descriptors (see
 * output_fds.h). A descriptor number can only come to mean something else
 * after it is closed or overwritten by a dup, so those are the only calls
 * that need watching.
 */
#include "output_fds.h"

#include <fcntl.h>
#include <string.h>
#include <sys/syscall.h>

void output_fds_init(struct output_fds *fds)
{
    memset(fds, 0, sizeof *fds);
    fds->kind[1] = OUTPUT_STDOUT;
    fds->kind[2] = OUTPUT_STDERR;
}

enum output_kind output_fds_kind(const struct output_fds *fds, int64_t fd)
{
    return fd >= 0 && fd < OUTPUT_FDS_MAX ? (enum output_kind)fds->kind[fd] : OUTPUT_NONE;
}

static void set_kind(struct output_fds *fds, uint64_t fd, enum output_kind kind)
{
    if (fd < OUTPUT_FDS_MAX)
        fds->kind[fd] = (unsigned char)kind;
}

void output_fds_after_syscall(struct output_fds *fds, long sysno, const uint64_t args[6], int64_t result)
{
    if (result < 0)
        return;
    switch (sysno) {
    case SYS_close:
        set_kind(fds, args[0], OUTPUT_NONE);
        break;
    case SYS_close_range:
        for (uint64_t fd = args[0]; fd <= args[1] && fd < OUTPUT_FDS_MAX; fd++)
            set_kind(fds, fd, OUTPUT_NONE);
        break;
    case SYS_dup:
        set_kind(fds, (uint64_t)result, output_fds_kind(fds, (int64_t)args[0]));
        break;
    case SYS_dup2:
    case SYS_dup3:
        set_kind(fds, args[1], output_fds_kind(fds, (int64_t)args[0]));
        break;
    case SYS_fcntl:
        if (args[1] == F_DUPFD || args[1] == F_DUPFD_CLOEXEC)
            set_kind(fds, (uint64_t)result, output_fds_kind(fds, (int64_t)args[0]));
        break;
    default:
        break;
    }
}
