/*
 * output_fds.h — which of the replayed program's file descriptors were its
 * stdout and stderr, so rr-replay can show what it wrote there. Tracked
 * through the calls that close or copy fds (fd_effects.h).
 */
#ifndef RRDB_OUTPUT_FDS_H
#define RRDB_OUTPUT_FDS_H

#include <stdint.h>

struct syscall_desc;

#define OUTPUT_FDS_MAX 1024

enum output_kind { OUTPUT_NONE = 0, OUTPUT_STDOUT = 1, OUTPUT_STDERR = 2 };

struct output_fds {
    unsigned char kind[OUTPUT_FDS_MAX];
};

void output_fds_init(struct output_fds *fds);
/* Update the table after a successful syscall (`desc`: as the trace describes it). */
void output_fds_after_syscall(struct output_fds *fds, const struct syscall_desc *desc, const uint64_t args[6],
                              int64_t result);
/* Where writes to `fd` go (OUTPUT_NONE for anything else). */
enum output_kind output_fds_kind(const struct output_fds *fds, int64_t fd);

#endif
