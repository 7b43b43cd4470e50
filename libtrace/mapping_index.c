/*
 * mapping_index.c — recorded address spaces in memory (see mapping_index.h).
 *
 * Rows are kept in event order; a lookup finds the last row at or before SEQ
 * by binary search and walks back to the process's last exec. A forked child
 * that has not exec'd has no rows of its own for what it inherited: its
 * address space is its own rows since the fork, then its parent's as of the
 * fork (the task table gives the parent and the fork's seq). Mapping rows are
 * few next to events (one per mmap, a few dozen per exec), so the whole index
 * is read once, through the indexes on event kind and syscall number. Part of
 * the trace store's readers: it uses the store's SQLite handle.
 */
#include "mapping_index.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>

#include "array_grow.h"
#include "error.h"
#include "trace_event.h"
#include "trace_store_internal.h"
#include "trace_syscalls.h"
#include "trace_tasks.h"

struct protect_row {
    int64_t seq;
    int32_t pid;
    uint64_t start, end;
};

struct exec_row {
    int64_t seq;
    int32_t pid;
};

/* A process created by a fork-like clone of another. */
struct lineage_row {
    int32_t pid, parent;
    int64_t fork_seq;
};

/* Part of an address space's history: rows of `pid` with from <= seq <= to. */
struct span {
    int32_t pid;
    int64_t from, to;
};

/* Generations of forks followed back; deeper trees are cut there. */
enum { MAX_SPANS = 64 };

struct mapping_index {
    const struct trace_tasks *tasks;
    struct lineage_row *lineage;
    int lineage_count, lineage_capacity;
    struct mapping_row *rows;
    int count, capacity;
    struct exec_row *execs;
    int exec_count, exec_capacity;
    struct protect_row *protects;
    int protect_count, protect_capacity;
};

static int32_t pid_column(const struct mapping_index *index, sqlite3_stmt *stmt, int column)
{
    return trace_tasks_pid_of(index->tasks, sqlite3_column_int(stmt, column));
}

/* Each adds the statement's current row to the index: 0, or -1 when out of memory. */
static int add_mapping(struct mapping_index *index, sqlite3_stmt *stmt)
{
    struct mapping_row *rows = array_grow(index->rows, &index->capacity, index->count + 1, sizeof *rows, 64);
    if (!rows)
        return -1;
    index->rows = rows;
    const char *path = (const char *)sqlite3_column_text(stmt, 8);
    struct mapping_row *row = &rows[index->count];
    *row = (struct mapping_row){
        .seq = sqlite3_column_int64(stmt, 0),
        .pid = pid_column(index, stmt, 1),
        .by_exec = sqlite3_column_int(stmt, 2) == EVENT_EXEC,
        .start = (uint64_t)sqlite3_column_int64(stmt, 3),
        .end = (uint64_t)sqlite3_column_int64(stmt, 4),
        .offset = (uint64_t)sqlite3_column_int64(stmt, 5),
        .prot = sqlite3_column_int(stmt, 6),
        .flags = sqlite3_column_int(stmt, 7),
        .path = path ? strdup(path) : NULL,
        .blob = sqlite3_column_int64(stmt, 9),
    };
    if (path && !row->path)
        return -1;
    /* last_row_at's binary search relies on the order */
    assert(index->count == 0 || rows[index->count - 1].seq <= row->seq);
    index->count++;
    return 0;
}

static int add_exec(struct mapping_index *index, sqlite3_stmt *stmt)
{
    struct exec_row *execs = array_grow(index->execs, &index->exec_capacity, index->exec_count + 1, sizeof *execs, 64);
    if (!execs)
        return -1;
    index->execs = execs;
    execs[index->exec_count++] = (struct exec_row){sqlite3_column_int64(stmt, 0), pid_column(index, stmt, 1)};
    return 0;
}

static int add_protect(struct mapping_index *index, sqlite3_stmt *stmt)
{
    struct protect_row *protects =
        array_grow(index->protects, &index->protect_capacity, index->protect_count + 1, sizeof *protects, 64);
    if (!protects)
        return -1;
    index->protects = protects;
    uint64_t start = (uint64_t)sqlite3_column_int64(stmt, 2);
    protects[index->protect_count++] = (struct protect_row){
        sqlite3_column_int64(stmt, 0), pid_column(index, stmt, 1), start,
        start + (uint64_t)sqlite3_column_int64(stmt, 3)};
    return 0;
}

/* The task table's processes whose parent the trace recorded. */
static int add_lineage(struct mapping_index *index)
{
    for (int i = 0; i < index->tasks->count; i++) {
        const struct trace_task_row *task = &index->tasks->rows[i];
        if (task->tid != task->pid || !task->ppid || !trace_tasks_find(index->tasks, task->ppid))
            continue; /* a thread, or the first process: its parent was not recorded */
        int32_t parent = trace_tasks_pid_of(index->tasks, task->ppid);
        if (parent == task->pid)
            continue;
        struct lineage_row *lineage =
            array_grow(index->lineage, &index->lineage_capacity, index->lineage_count + 1, sizeof *lineage, 64);
        if (!lineage)
            return -1;
        index->lineage = lineage;
        lineage[index->lineage_count++] = (struct lineage_row){task->pid, parent, task->first_seq};
    }
    return 0;
}

/* Run `sql` (parameters ?1 and ?2 bound to binds[]) and add each row. */
static int load(struct trace_store *store, struct mapping_index *index, const char *sql, const int64_t binds[2],
                int (*add)(struct mapping_index *, sqlite3_stmt *), const char *what)
{
    sqlite3_stmt *stmt = NULL;
    if (sqlite3_prepare_v2(store->db, sql, -1, &stmt, NULL) != SQLITE_OK)
        return trace_store_fail(store, what);
    sqlite3_bind_int64(stmt, 1, binds[0]);
    sqlite3_bind_int64(stmt, 2, binds[1]);
    int rc;
    while ((rc = sqlite3_step(stmt)) == SQLITE_ROW)
        if (add(index, stmt) < 0)
            break;
    sqlite3_finalize(stmt);
    if (rc == SQLITE_ROW) {
        error_set("out of memory %s", what);
        return -1;
    }
    return rc == SQLITE_DONE ? 0 : trace_store_fail(store, what);
}

struct mapping_index *mapping_index_load(struct trace_store *store, const struct trace_tasks *tasks,
                                         const struct trace_syscalls *syscalls)
{
    struct mapping_index *index = calloc(1, sizeof *index);
    if (!index) {
        error_set("out of memory");
        return NULL;
    }
    index->tasks = tasks;
    const int64_t kinds[2] = {EVENT_EXEC, 0};
    /* Successful mprotect/pkey_mprotect calls that included PROT_WRITE (2),
     * read through event_by_sysno (likely(): the planner's hint to use it). */
    const int64_t protects[2] = {trace_syscalls_number(syscalls, "mprotect"),
                                 trace_syscalls_number(syscalls, "pkey_mprotect")};
    if (add_lineage(index) < 0 ||
        load(store, index,
             "SELECT m.seq, e.tid, e.kind, m.start, m.end, m.offset, m.prot, m.flags, m.path, m.blob"
             " FROM mapping m JOIN event e ON e.seq = m.seq ORDER BY m.seq, m.rowid",
             kinds, add_mapping, "reading the mappings") < 0 ||
        load(store, index, "SELECT seq, tid FROM event WHERE kind = ?1 ORDER BY seq", kinds, add_exec,
             "reading the exec events") < 0 ||
        load(store, index,
             "SELECT seq, tid, arg0, arg1 FROM event WHERE likely(kind = " SQL_EVENT_SYSCALL ") AND sysno IN (?1, ?2)"
             " AND result = 0 AND (arg2 & 2) != 0 ORDER BY seq",
             protects, add_protect, "reading mprotect calls") < 0) {
        mapping_index_free(index);
        return NULL;
    }
    return index;
}

void mapping_index_free(struct mapping_index *index)
{
    if (!index)
        return;
    for (int i = 0; i < index->count; i++)
        free(index->rows[i].path);
    free(index->rows);
    free(index->lineage);
    free(index->execs);
    free(index->protects);
    free(index);
}

/* The seq of process `pid`'s last exec at or before `seq`, or -1. */
static int64_t exec_seq(const struct mapping_index *index, int32_t pid, int64_t seq)
{
    int64_t found = -1;
    for (int i = 0; i < index->exec_count && index->execs[i].seq <= seq; i++)
        if (index->execs[i].pid == pid)
            found = index->execs[i].seq;
    return found;
}

/* Index of the last row with row.seq <= seq, or -1. */
static int last_row_at(const struct mapping_index *index, int64_t seq)
{
    int lo = 0, hi = index->count - 1, found = -1;
    while (lo <= hi) {
        int mid = lo + (hi - lo) / 2;
        if (index->rows[mid].seq <= seq) {
            found = mid;
            lo = mid + 1;
        } else {
            hi = mid - 1;
        }
    }
    return found;
}

static const struct lineage_row *lineage_of(const struct mapping_index *index, int32_t pid)
{
    for (int i = 0; i < index->lineage_count; i++)
        if (index->lineage[i].pid == pid)
            return &index->lineage[i];
    return NULL;
}

/* The history of task `tid`'s address space as of `seq`, newest part first. */
static int address_space_spans(const struct mapping_index *index, int32_t tid, int64_t seq,
                               struct span *spans)
{
    int32_t pid = trace_tasks_pid_of(index->tasks, tid);
    int count = 0;
    while (count < MAX_SPANS) {
        int64_t exec = exec_seq(index, pid, seq);
        const struct lineage_row *forked = lineage_of(index, pid);
        if (!forked || exec >= forked->fork_seq) {
            spans[count++] = (struct span){pid, exec, seq};
            break;
        }
        spans[count++] = (struct span){pid, forked->fork_seq, seq};
        pid = forked->parent;
        seq = forked->fork_seq;
    }
    return count;
}

const struct mapping_row *mapping_index_find(const struct mapping_index *index, int32_t tid,
                                             int64_t seq, uint64_t addr)
{
    struct span spans[MAX_SPANS];
    int count = address_space_spans(index, tid, seq, spans);
    for (int s = 0; s < count; s++)
        for (int i = last_row_at(index, spans[s].to); i >= 0 && index->rows[i].seq >= spans[s].from; i--) {
            const struct mapping_row *row = &index->rows[i];
            if (row->pid == spans[s].pid && addr >= row->start && addr < row->end)
                return row;
        }
    return NULL;
}

int mapping_index_object_rows(const struct mapping_index *index, int32_t tid, int64_t seq,
                              const char *path, const struct mapping_row **rows, int max)
{
    /* Every row of the file in the address space's history: a later row
     * (ld.so's MAP_FIXED segments) covers part of an earlier one (the
     * whole-file reservation), and a reader laying them out oldest first gets
     * the current bytes. */
    struct span spans[MAX_SPANS];
    int count = 0;
    for (int s = address_space_spans(index, tid, seq, spans) - 1; s >= 0; s--) {
        int first = 0, last = last_row_at(index, spans[s].to);
        while (first <= last && index->rows[first].seq < spans[s].from)
            first++;
        for (int i = first; i <= last && count < max; i++) {
            const struct mapping_row *row = &index->rows[i];
            if (row->pid == spans[s].pid && row->path && strcmp(row->path, path) == 0)
                rows[count++] = row;
        }
    }
    return count;
}

bool mapping_index_made_writable(const struct mapping_index *index, int32_t tid, int64_t after,
                                 int64_t before, uint64_t addr)
{
    struct span spans[MAX_SPANS];
    int count = address_space_spans(index, tid, before, spans);
    for (int i = 0; i < index->protect_count && index->protects[i].seq < before; i++) {
        const struct protect_row *p = &index->protects[i];
        if (p->seq <= after || addr < p->start || addr >= p->end)
            continue;
        for (int s = 0; s < count; s++)
            if (p->pid == spans[s].pid && p->seq >= spans[s].from && p->seq <= spans[s].to)
                return true;
    }
    return false;
}
