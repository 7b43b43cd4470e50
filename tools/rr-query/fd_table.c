/*
 * fd_table.c — file descriptors over the trace (see fd_table.h).
 *
 * One pass over the fd-related events in order keeps each process's open fds;
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

#include "error.h"
#include "trace_db.h"
#include "trace_memory.h"

#define O_CLOEXEC_BIT 02000000
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

/* The syscalls read, by name; numbers come from the trace's own table. */
enum fd_call { CALL_OPEN, CALL_OPENAT, CALL_CREAT, CALL_OPENAT2, CALL_CLOSE, CALL_DUP, CALL_DUP2,
               CALL_DUP3, CALL_FCNTL, CALL_CLOSE_RANGE, CALL_MMAP, CALL_CLONE, CALL_FORK, CALL_VFORK,
               CALL_CLONE3, CALL_COUNT };
static const char *const call_names[CALL_COUNT] = {
    "open", "openat", "creat", "openat2", "close", "dup", "dup2", "dup3", "fcntl", "close_range", "mmap",
    "clone", "fork", "vfork", "clone3",
};

static struct fd_entry *add_entry(struct fd_table *table, struct fd_entry entry)
{
    if (table->count == table->capacity) {
        int capacity = table->capacity ? table->capacity * 2 : 64;
        struct fd_entry *entries = realloc(table->entries, (size_t)capacity * sizeof *entries);
        if (!entries) {
            free(entry.path);
            error_set("out of memory");
            return NULL;
        }
        table->entries = entries;
        table->capacity = capacity;
    }
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
    int64_t a[3];
    int64_t result;
};

static int apply_open(struct fd_table *table, struct trace_db *tdb, const struct event_args *ev,
                      int call)
{
    uint64_t path_addr = (uint64_t)(call == CALL_OPENAT || call == CALL_OPENAT2 ? ev->a[1] : ev->a[0]);
    int64_t flags = call == CALL_OPEN ? ev->a[1] : call == CALL_OPENAT ? ev->a[2] : 0;
    struct fd_entry entry = {ev->pid, -1, ev->seq, ev->seq, NEVER, (flags & O_CLOEXEC_BIT) != 0, NULL, NULL};
    char path[PATH_MAX];
    struct trace_memory *memory = trace_db_memory(tdb);
    if (memory && trace_memory_string(memory, ev->seq, ev->pid, path_addr, path, sizeof path)) {
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
static int apply_mmap(struct fd_table *table, struct trace_db *tdb, const struct event_args *ev)
{
    struct fd_entry *e = open_entry(table, ev->pid, (int)ev->a[1]);
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

static int apply_event(struct fd_table *table, struct trace_db *tdb, const struct event_args *ev,
                       const long numbers[CALL_COUNT])
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
    int call = 0;
    while (call < CALL_COUNT && numbers[call] != ev->sysno)
        call++;
    bool ok = ev->result >= 0;
    switch (call) {
    case CALL_OPEN:
    case CALL_OPENAT:
    case CALL_CREAT:
    case CALL_OPENAT2:
        return apply_open(table, tdb, ev, call);
    case CALL_CLOSE:
        if (ok)
            close_fd(table, ev->pid, (int)ev->a[0], ev->seq);
        return 0;
    case CALL_DUP:
        return ok ? copy_fd(table, ev->pid, (int)ev->a[0], (int)ev->result, ev->seq, false) : 0;
    case CALL_DUP2:
    case CALL_DUP3:
        if (!ok || ev->a[0] == ev->a[1])
            return 0;
        return copy_fd(table, ev->pid, (int)ev->a[0], (int)ev->a[1], ev->seq,
                       call == CALL_DUP3 && (ev->a[2] & O_CLOEXEC_BIT));
    case CALL_FCNTL:
        if (ok && (ev->a[1] == 0 /* F_DUPFD */ || ev->a[1] == 1030 /* F_DUPFD_CLOEXEC */))
            return copy_fd(table, ev->pid, (int)ev->a[0], (int)ev->result, ev->seq, ev->a[1] == 1030);
        if (ok && ev->a[1] == 2 /* F_SETFD */) {
            struct fd_entry *e = open_entry(table, ev->pid, (int)ev->a[0]);
            if (e)
                e->cloexec = ev->a[2] & 1;
        }
        return 0;
    case CALL_CLOSE_RANGE:
        if (ok) {
            uint64_t first = (uint32_t)ev->a[0], last = (uint32_t)ev->a[1];
            for (int i = 0; i < table->count; i++) {
                struct fd_entry *e = &table->entries[i];
                if (e->pid == ev->pid && e->close_seq == NEVER && e->fd >= 0 &&
                    (uint64_t)e->fd >= first && (uint64_t)e->fd <= last) {
                    if (ev->a[2] & 4 /* CLOSE_RANGE_CLOEXEC */)
                        e->cloexec = true;
                    else
                        e->close_seq = ev->seq;
                }
            }
        }
        return 0;
    case CALL_MMAP:
        return ok ? apply_mmap(table, tdb, ev) : 0;
    case CALL_CLONE:
    case CALL_FORK:
    case CALL_VFORK:
    case CALL_CLONE3:
        return ev->result > 0 ? apply_fork(table, tdb, ev) : 0;
    default:
        return 0;
    }
}

struct fd_table *fd_table_build(struct trace_db *tdb)
{
    struct fd_table *table = calloc(1, sizeof *table);
    if (!table) {
        error_set("out of memory");
        return NULL;
    }
    long numbers[CALL_COUNT];
    char list[256] = "";
    int len = 0;
    for (int i = 0; i < CALL_COUNT; i++) {
        numbers[i] = trace_db_syscall_number(tdb, call_names[i]);
        len += snprintf(list + len, sizeof list - (size_t)len, "%s%ld", i ? ", " : "", numbers[i]);
    }
    /* mmap's fd is argument 4: select it as the second argument column.
     * likely(): read through event_by_sysno, not all syscalls (subjects.c). */
    char sql[1024];
    snprintf(sql, sizeof sql,
             "SELECT seq, tid, kind, sysno, arg0, CASE WHEN sysno = %ld THEN arg4 ELSE arg1 END, arg2, result"
             " FROM event WHERE likely(kind = 1) AND sysno IN (%s)"
             " UNION ALL SELECT seq, tid, kind, NULL, NULL, NULL, NULL, NULL FROM event WHERE kind = 5"
             " ORDER BY 1", numbers[CALL_MMAP], list);
    sqlite3_stmt *stmt;
    if (trace_db_prepare(tdb, sql, &stmt) < 0) {
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
            .a = {sqlite3_column_int64(stmt, 4), sqlite3_column_int64(stmt, 5), sqlite3_column_int64(stmt, 6)},
            .result = sqlite3_column_int64(stmt, 7),
        };
        if (apply_event(table, tdb, &ev, numbers) < 0)
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
