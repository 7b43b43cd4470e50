/*
 * fd_table.h — which file each file descriptor of each process named, over
 * the whole trace, rebuilt from the syscalls that make, copy and close fds:
 * open, openat, creat, openat2, dup, dup2, dup3, fcntl(F_DUPFD…), close,
 * close_range, fork-like clones (the child gets copies), and exec (which
 * closes O_CLOEXEC fds).
 *
 * The path of an open comes from the program's memory, which the trace holds
 * only in part (trace_memory.h): it is known when the string lay in read-only
 * memory (a literal), or when the program later mapped that fd (the trace
 * records every mapping's file name). Otherwise it is unknown, and stays NULL.
 * fds the program inherited (0, 1, 2) and fds of pipes and sockets have no path.
 */
#ifndef RRQ_FD_TABLE_H
#define RRQ_FD_TABLE_H

#include <stdint.h>

struct trace_db;
struct fd_table;

struct fd_table *fd_table_build(struct trace_db *tdb);
void fd_table_free(struct fd_table *table);

/* The path fd `fd` of process `pid` named at event `seq` (the close of that
 * fd included), or NULL. */
const char *fd_table_path(const struct fd_table *table, int32_t pid, int fd, int64_t seq);

/* For the open-like syscall event `open_seq`: the path it opened (or tried
 * to) or NULL, where it came from ("memory", "mmap", or "not in trace" when
 * the path is NULL), and the event that closed the
 * fd it returned (-1: never closed, or the open failed). 0, or -1 when
 * `open_seq` is not an open. */
int fd_table_open_info(const struct fd_table *table, int64_t open_seq, const char **path,
                       const char **path_from, int64_t *closed_seq);

#endif
