/*
 * sql_functions.h — SQL functions rr-query adds to its connection, so that
 * facts derived outside SQL (paths, exec arguments) can be filtered and
 * sorted by ordinary SQL like any column:
 *
 *   rrq_open_path(seq)       path of the open-like syscall at seq, or NULL
 *   rrq_open_path_from(seq)  'memory', 'mmap' (how the path is known) or 'not in trace'
 *   rrq_fd_closed(seq)       the event that closed the fd it returned, or NULL
 *   rrq_exec_file(seq)       AT_EXECFN of the exec event at seq
 *   rrq_exec_argv(seq)       its arguments, space-separated
 *
 * They are available to `--sql` queries too. They may only be called from a
 * statement, never from the trace's schema (SQLITE_DIRECTONLY).
 */
#ifndef RRQ_SQL_FUNCTIONS_H
#define RRQ_SQL_FUNCTIONS_H

struct trace_db;

int sql_functions_register(struct trace_db *tdb);

#endif
