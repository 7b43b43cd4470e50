/*
 * trace_syscalls.h — the syscall table a trace holds (its syscall_info
 * table), read back into the same descriptions the compiled-in table gives
 * (syscall_table.h). A tool that reads a trace asks this, not its own build:
 * the trace was recorded with its own table, which may be older or newer.
 *
 * A trace of format version 1 lacks the result and effects columns; its rows
 * take them from this build's row of the same name (syscall_desc_parse).
 */
#ifndef RRDB_TRACE_SYSCALLS_H
#define RRDB_TRACE_SYSCALLS_H

#include <sqlite3.h>

#include "syscall_table.h"

struct trace_syscalls;

/* Read the table through `db`, a connection to a trace of `format_version`.
 * NULL with error_set when it cannot be read or a row is malformed. */
struct trace_syscalls *trace_syscalls_load(sqlite3 *db, int format_version);
void trace_syscalls_free(struct trace_syscalls *table);

/* The description of syscall `nr` in this trace, or NULL. */
const struct syscall_desc *trace_syscalls_lookup(const struct trace_syscalls *table, long nr);
/* The same, this build's description when the trace's table lacks it (a
 * trace always carries its table; the fallback serves older traces) or when
 * `table` is NULL. */
const struct syscall_desc *trace_syscalls_describe(const struct trace_syscalls *table, long nr);
/* The number of the syscall called `name` (any case) in this trace, or -1. */
long trace_syscalls_number(const struct trace_syscalls *table, const char *name);
/* Highest syscall number + 1. */
int trace_syscalls_size(const struct trace_syscalls *table);

#endif
