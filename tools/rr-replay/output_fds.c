/*
 * output_fds.c — tracking the program's stdout/stderr descriptors (see
 * output_fds.h). A descriptor number can only come to mean something else
 * after it is closed or overwritten by a dup, so those are the only calls
 * that need watching: the fd effects of the syscall table (fd_effects.h).
 */
#include "output_fds.h"

#include <string.h>

#include "fd_effects.h"

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

void output_fds_after_syscall(struct output_fds *fds, const struct syscall_desc *desc, const uint64_t args[6],
                              int64_t result)
{
    struct fd_change change;
    if (!desc || result < 0)
        return;
    fd_effects_of(desc, args, result, &change);
    switch (change.kind) {
    case FD_CHANGE_OPEN:
    case FD_CHANGE_CLOSE:
        set_kind(fds, (uint64_t)change.fd, OUTPUT_NONE);
        break;
    case FD_CHANGE_CLOSE_RANGE:
        for (uint64_t fd = change.first; fd <= change.last && fd < OUTPUT_FDS_MAX; fd++)
            set_kind(fds, fd, OUTPUT_NONE);
        break;
    case FD_CHANGE_COPY:
        set_kind(fds, (uint64_t)change.fd, output_fds_kind(fds, change.source));
        break;
    default: /* close-on-exec marks do not change where a write goes */
        break;
    }
}
