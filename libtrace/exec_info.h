/*
 * exec_info.h — what an exec event ran: the file name execve was given
 * (AT_EXECFN) and the argument list, read from the initial stack in the
 * address-space snapshot the recorder stores at every exec (through
 * trace_memory). The snapshot is taken before the new program runs an
 * instruction, so these are exactly what the kernel put there.
 */
#ifndef RRDB_EXEC_INFO_H
#define RRDB_EXEC_INFO_H

#include <stdint.h>

struct trace_store;
struct trace_memory;
struct exec_info;

/* Over the recording in `store` and its known-memory reader (which must
 * hold its mappings); both must outlive it. NULL with error_set. */
struct exec_info *exec_info_new(struct trace_store *store, struct trace_memory *memory);
void exec_info_free(struct exec_info *info);

/* For exec event `seq`: the file and the space-separated argv (arguments
 * with spaces or quotes are single-quoted), valid until the next call; NULL
 * when the trace does not hold them. Returns 0, or -1 when `seq` is not an
 * exec event. */
int exec_info_get(struct exec_info *info, int64_t seq, const char **file, const char **argv);

#endif
