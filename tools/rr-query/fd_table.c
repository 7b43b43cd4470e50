/*
 * fd_table.c — file descriptors over the trace (see fd_table.h).
 *
 * One pass over the fd-related events in order keeps each process's open fds
 * (what each call did to them is the trace's syscall table's fd effect,
 * read by libtrace/fd_effects, plus forks, exec and file mmaps);
 * every fd's life becomes an entry (pid, fd, opened at, closed at, path). The
 * events are read through the indexes on syscall number and kind, so the pass
 * costs what the trace has of such events, not its length.
 */
#include "fd_table.h"

#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "array_grow.h"
#include "error.h"
#include "fd_effects.h"
#include "strbuf.h"
#include "syscall_table.h"
#include "trace_db.h"
#include "trace_event.h"
#include "trace_memory.h"
#include "trace_syscalls.h"

#define NEVER INT64_MAX

struct fd_entry {
    int32_t pid;
    int fd;              /* -1: a failed open (kept for its path) */
    int64_t open_seq;    /* the event that made this fd */
    int64_t origin_seq;  /* the open this fd descends from (itself, or a dup's source) */
    int64_t close_seq;   /* NEVER while open */
    bool cloexec;
    char *path;
    const char *path_from;
};

struct fd_table {
    struct fd_entry *entries; /* in open_seq order */
    int count, capacity;
    sqlite3_stmt *mapping_path; /* while building */
};

static struct fd_entry *add_entry(struct fd_table *table, struct fd_entry entry)
{
    struct fd_entry *entries = array_grow(table->entries, &table->capacity, table->count + 1, sizeof *entries, 64);
    if (!entries) {
        free(entry.path);
        return NULL;
    }
    table->entries = entries;
    table->entries[table->count] = entry;
    return &table->entries[table->count++];
}

/* The entry of `fd` open in `pid` now (the newest with no close yet). */
static struct fd_entry *open_entry(struct fd_table *table, int32_t pid, int fd)
{
    for (int i = table->count - 1; i >= 0; i--) {
        struct fd_entry *e = &table->entries[i];
        if (e->pid == pid && e->fd == fd && e->close_seq == NEVER)
            return e;
    }
    return NULL;
}

static void close_fd(struct fd_table *table, int32_t pid, int fd, int64_t seq)
{
    struct fd_entry *e = open_entry(table, pid, fd);
    if (e)
        e->close_seq = seq;
}

/* fd `new_fd` becomes a copy of `old_fd` (dup family). */
static int copy_fd(struct fd_table *table, int32_t pid, int old_fd, int new_fd, int64_t seq, bool cloexec)
{
    close_fd(table, pid, new_fd, seq);
    struct fd_entry *old = open_entry(table, pid, old_fd);
    struct fd_entry copy = {pid, new_fd, seq, seq, NEVER, cloexec, NULL, NULL};
    if (old) {
        copy.origin_seq = old->origin_seq;
        copy.path_from = old->path_from;
        if (old->path && !(copy.path = strdup(old->path))) {
            error_set("out of memory");
            return -1;
        }
    }
    return add_entry(table, copy) ? 0 : -1;
}

struct event_args {
    int64_t seq;
    int32_t pid;
    int kind;
    int64_t sysno;
    uint64_t a[6];
    int64_t result;
};

static int apply_open(struct fd_table *table, struct trace_db *tdb, const struct event_args *ev,
                      const struct fd_change *change)
{
    struct fd_entry entry = {ev->pid, -1, ev->seq, ev->seq, NEVER, change->cloexec, NULL, NULL};
    char path[PATH_MAX];
    struct trace_memory *memory = trace_db_memory(tdb);
    if (memory && trace_memory_string(memory, ev->pid, ev->seq, change->path, path, sizeof path)) {
        if (!(entry.path = strdup(path))) {
            error_set("out of memory");
            return -1;
        }
        entry.path_from = "memory";
    }
    if (ev->result >= 0) {
        entry.fd = (int)ev->result;
        close_fd(table, ev->pid, entry.fd, ev->seq);
    }
    return add_entry(table, entry) ? 0 : -1;
}

/* A successful mmap of an fd names the file: the trace records its path. */
static int apply_mmap(struct fd_table *table, struct trace_db *tdb, const struct event_args *ev, int fd)
{
    struct fd_entry *e = open_entry(table, ev->pid, fd);
    if (!e || e->path)
        return 0;
    sqlite3_stmt *stmt = table->mapping_path;
    if (!stmt && trace_db_prepare(tdb, "SELECT path FROM mapping WHERE seq = ?1 AND path IS NOT NULL LIMIT 1",
                                  &table->mapping_path) < 0)
        return -1;
    stmt = table->mapping_path;
    sqlite3_bind_int64(stmt, 1, ev->seq);
    if (sqlite3_step(stmt) == SQLITE_ROW) {
        const char *path = (const char *)sqlite3_column_text(stmt, 0);
        /* The path belongs to the open this fd came from, and every copy of it. */
        for (int i = 0; path && i < table->count; i++) {
            struct fd_entry *same = &table->entries[i];
            if (same->origin_seq == e->origin_seq && !same->path) {
                same->path = strdup(path);
                same->path_from = "mmap";
            }
        }
    }
    sqlite3_reset(stmt);
    return 0;
}

/* A new process starts with a copy of its parent's fds (threads share the
 * table, and have the same pid: nothing to do). */
static int apply_fork(struct fd_table *table, struct trace_db *tdb, const struct event_args *ev)
{
    int32_t child = trace_db_pid_of(tdb, (int32_t)ev->result);
    if (child == ev->pid)
        return 0;
    int count = table->count;
    for (int i = 0; i < count; i++) {
        struct fd_entry e = table->entries[i];
        if (e.pid != ev->pid || e.fd < 0 || e.close_seq != NEVER)
            continue;
        struct fd_entry copy = {child, e.fd, ev->seq, e.origin_seq, NEVER, e.cloexec, NULL, e.path_from};
        if (e.path && !(copy.path = strdup(e.path))) {
            error_set("out of memory");
            return -1;
        }
        if (!add_entry(table, copy))
            return -1;
    }
    return 0;
}

/* close_range: fds first to last closed, or (cloexec_only) marked close-on-exec. */
static void apply_range(struct fd_table *table, const struct event_args *ev, const struct fd_change *change,
                        bool cloexec_only)
{
    for (int i = 0; i < table->count; i++) {
        struct fd_entry *e = &table->entries[i];
        if (e->pid == ev->pid && e->close_seq == NEVER && e->fd >= 0 &&
            (uint64_t)e->fd >= change->first && (uint64_t)e->fd <= change->last) {
            if (cloexec_only)
                e->cloexec = true;
            else
                e->close_seq = ev->seq;
        }
    }
}

static int apply_event(struct fd_table *table, struct trace_db *tdb, const struct event_args *ev)
{
    if (ev->kind == 5) {
        /* exec closes the fds marked close-on-exec. */
        for (int i = 0; i < table->count; i++) {
            struct fd_entry *e = &table->entries[i];
            if (e->pid == ev->pid && e->close_seq == NEVER && e->cloexec && e->fd >= 0)
                e->close_seq = ev->seq;
        }
        return 0;
    }
    const struct syscall_desc *desc = trace_db_syscall(tdb, ev->sysno);
    if (!desc)
        return 0;
    if (desc->replay == REPLAY_MMAP) {
        int fd_arg = syscall_arg_of_kind(desc, "fd");
        return ev->result >= 0 && fd_arg != SYSCALL_NO_ARG ? apply_mmap(table, tdb, ev, (int)ev->a[fd_arg]) : 0;
    }
    if (desc->replay == REPLAY_CLONE)
        return ev->result > 0 ? apply_fork(table, tdb, ev) : 0;
    struct fd_change change;
    fd_effects_of(desc, ev->a, ev->result, &change);
    struct fd_entry *e;
    switch (change.kind) {
    case FD_CHANGE_OPEN:
        return apply_open(table, tdb, ev, &change);
    case FD_CHANGE_CLOSE:
        close_fd(table, ev->pid, change.fd, ev->seq);
        return 0;
    case FD_CHANGE_COPY:
        return copy_fd(table, ev->pid, change.source, change.fd, ev->seq, change.cloexec);
    case FD_CHANGE_SET_CLOEXEC:
        if ((e = open_entry(table, ev->pid, change.fd)))
            e->cloexec = change.cloexec;
        return 0;
    case FD_CHANGE_CLOSE_RANGE:
    case FD_CHANGE_CLOEXEC_RANGE:
        apply_range(table, ev, &change, change.kind == FD_CHANGE_CLOEXEC_RANGE);
        return 0;
    default:
        return 0;
    }
}

/* "0, 2, 3, …": the syscalls of the trace's table that change fds, map a
 * file or make a process. */
static void fd_calls_list(struct trace_db *tdb, struct strbuf *list)
{
    bool first = true;
    for (int nr = 0; nr < trace_syscalls_size(tdb->syscalls); nr++) {
        const struct syscall_desc *desc = trace_syscalls_lookup(tdb->syscalls, nr);
        if (desc && (desc->effects.fd != FD_EFFECT_NONE || desc->replay == REPLAY_MMAP ||
                     desc->replay == REPLAY_CLONE)) {
            strbuf_add(list, "%s%d", first ? "" : ", ", nr);
            first = false;
        }
    }
    if (first)
        strbuf_add(list, "NULL");
}

struct fd_table *fd_table_build(struct trace_db *tdb)
{
    struct fd_table *table = calloc(1, sizeof *table);
    struct strbuf sql = {0};
    if (!table) {
        error_set("out of memory");
        return NULL;
    }
    /* likely(): read through event_by_sysno, not all syscalls (subjects.c). */
    strbuf_add(&sql, "SELECT seq, tid, kind, sysno, arg0, arg1, arg2, arg3, arg4, arg5, result"
                     " FROM event WHERE likely(kind = " SQL_EVENT_SYSCALL ") AND sysno IN (");
    fd_calls_list(tdb, &sql);
    strbuf_add(&sql, ") UNION ALL SELECT seq, tid, kind, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL"
                     " FROM event WHERE kind = " SQL_EVENT_EXEC " ORDER BY 1");
    sqlite3_stmt *stmt;
    if (sql.failed) {
        error_set("out of memory");
        strbuf_free(&sql);
        free(table);
        return NULL;
    }
    int prepared = trace_db_prepare(tdb, strbuf_text(&sql), &stmt);
    strbuf_free(&sql);
    if (prepared < 0) {
        free(table);
        return NULL;
    }
    int rc;
    while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
        struct event_args ev = {
            .seq = sqlite3_column_int64(stmt, 0),
            .pid = trace_db_pid_of(tdb, sqlite3_column_int(stmt, 1)),
            .kind = sqlite3_column_int(stmt, 2),
            .sysno = sqlite3_column_int64(stmt, 3),
            .result = sqlite3_column_int64(stmt, 10),
        };
        for (int i = 0; i < 6; i++)
            ev.a[i] = (uint64_t)sqlite3_column_int64(stmt, 4 + i);
        if (apply_event(table, tdb, &ev) < 0)
            break;
    }
    sqlite3_finalize(stmt);
    sqlite3_finalize(table->mapping_path);
    table->mapping_path = NULL;
    if (rc != SQLITE_DONE) {
        if (rc != SQLITE_ROW)
            trace_db_fail(tdb, "reading fd events");
        fd_table_free(table);
        return NULL;
    }
    return table;
}

void fd_table_free(struct fd_table *table)
{
    if (!table)
        return;
    for (int i = 0; i < table->count; i++)
        free(table->entries[i].path);
    free(table->entries);
    free(table);
}

const char *fd_table_path(const struct fd_table *table, int32_t pid, int fd, int64_t seq)
{
    for (int i = table->count - 1; i >= 0; i--) {
        const struct fd_entry *e = &table->entries[i];
        if (e->pid == pid && e->fd == fd && e->open_seq < seq)
            return seq <= e->close_seq ? e->path : NULL;
    }
    return NULL;
}

int fd_table_open_info(const struct fd_table *table, int64_t open_seq, const char **path,
                       const char **path_from, int64_t *closed_seq)
{
    int lo = 0, hi = table->count - 1;
    while (lo <= hi) {
        int mid = lo + (hi - lo) / 2;
        const struct fd_entry *e = &table->entries[mid];
        if (e->open_seq == open_seq && e->origin_seq == open_seq) {
            *path = e->path;
            *path_from = e->path_from ? e->path_from : "not in trace";
            *closed_seq = e->fd >= 0 && e->close_seq != NEVER ? e->close_seq : -1;
            return 0;
        }
        if (e->open_seq < open_seq)
            lo = mid + 1;
        else
            hi = mid - 1;
    }
    return -1;
}
