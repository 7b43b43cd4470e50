/*
 * mapping_index.c — recorded address spaces in memory (see mapping_index.h).
 *
 * Rows are kept in event order; a lookup finds the last row at or before SEQ
 * by binary search and walks back to the process's last exec. A forked child
 * that has not exec'd has no rows of its own for what it inherited: its
 * address space is its own rows since the fork, then its parent's as of the
 * fork (the task table gives the parent and the fork's seq). Mapping rows are
 * few next to events (one per mmap, a few dozen per exec), so the whole index
 * is read once, through the indexes on event kind and syscall number.
 */
#include "mapping_index.h"

#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "trace_db.h"

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

enum { MAX_SPANS = 64 };

struct mapping_index {
    struct lineage_row *lineage;
    int lineage_count;
    struct mapping_row *rows;
    int count;
    struct exec_row *execs;
    int exec_count;
    struct protect_row *protects;
    int protect_count;
};

static void *grow(void *items, int *capacity, int count, size_t size)
{
    if (count < *capacity)
        return items;
    int wanted = *capacity ? *capacity * 2 : 64;
    void *grown = realloc(items, (size_t)wanted * size);
    if (grown)
        *capacity = wanted;
    return grown;
}

static int load_rows(struct trace_db *tdb, struct mapping_index *index)
{
    sqlite3_stmt *stmt;
    if (trace_db_prepare(tdb,
                         "SELECT m.seq, e.tid, e.kind, m.start, m.end, m.offset, m.prot, m.flags,"
                         " m.path, m.blob FROM mapping m JOIN event e ON e.seq = m.seq"
                         " ORDER BY m.seq, m.rowid", &stmt) < 0)
        return -1;
    int rc, capacity = 0;
    while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
        struct mapping_row *rows = grow(index->rows, &capacity, index->count, sizeof *rows);
        if (!rows)
            break;
        index->rows = rows;
        const char *path = (const char *)sqlite3_column_text(stmt, 8);
        struct mapping_row *row = &rows[index->count];
        *row = (struct mapping_row){
            .seq = sqlite3_column_int64(stmt, 0),
            .pid = trace_db_pid_of(tdb, sqlite3_column_int(stmt, 1)),
            .by_exec = sqlite3_column_int(stmt, 2) == 5,
            .start = (uint64_t)sqlite3_column_int64(stmt, 3),
            .end = (uint64_t)sqlite3_column_int64(stmt, 4),
            .offset = (uint64_t)sqlite3_column_int64(stmt, 5),
            .prot = sqlite3_column_int(stmt, 6),
            .flags = sqlite3_column_int(stmt, 7),
            .path = path ? strdup(path) : NULL,
            .blob = sqlite3_column_int64(stmt, 9),
        };
        if (path && !row->path)
            break;
        index->count++;
    }
    sqlite3_finalize(stmt);
    if (rc == SQLITE_ROW) {
        error_set("out of memory reading the mappings");
        return -1;
    }
    return rc == SQLITE_DONE ? 0 : trace_db_fail(tdb, "reading the mappings");
}

static int load_execs(struct trace_db *tdb, struct mapping_index *index)
{
    sqlite3_stmt *stmt;
    if (trace_db_prepare(tdb, "SELECT seq, tid FROM event WHERE kind = 5 ORDER BY seq", &stmt) < 0)
        return -1;
    int rc, capacity = 0;
    while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
        struct exec_row *execs = grow(index->execs, &capacity, index->exec_count, sizeof *execs);
        if (!execs)
            break;
        index->execs = execs;
        execs[index->exec_count++] = (struct exec_row){
            sqlite3_column_int64(stmt, 0), trace_db_pid_of(tdb, sqlite3_column_int(stmt, 1))};
    }
    sqlite3_finalize(stmt);
    if (rc == SQLITE_ROW) {
        error_set("out of memory reading the exec events");
        return -1;
    }
    return rc == SQLITE_DONE ? 0 : trace_db_fail(tdb, "reading the exec events");
}

/* Successful mprotect/pkey_mprotect calls that included PROT_WRITE (read
 * through event_by_sysno: likely() as in subjects.c). */
static int load_protects(struct trace_db *tdb, struct mapping_index *index)
{
    long mprotect_nr = trace_db_syscall_number(tdb, "mprotect");
    long pkey_nr = trace_db_syscall_number(tdb, "pkey_mprotect");
    sqlite3_stmt *stmt;
    if (trace_db_prepare(tdb,
                         "SELECT seq, tid, arg0, arg1 FROM event WHERE likely(kind = 1) AND sysno IN (?1, ?2)"
                         " AND result = 0 AND (arg2 & 2) != 0 ORDER BY seq", &stmt) < 0)
        return -1;
    sqlite3_bind_int64(stmt, 1, mprotect_nr);
    sqlite3_bind_int64(stmt, 2, pkey_nr);
    int rc, capacity = 0;
    while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
        struct protect_row *protects = grow(index->protects, &capacity, index->protect_count, sizeof *protects);
        if (!protects)
            break;
        index->protects = protects;
        uint64_t start = (uint64_t)sqlite3_column_int64(stmt, 2);
        protects[index->protect_count++] = (struct protect_row){
            sqlite3_column_int64(stmt, 0), trace_db_pid_of(tdb, sqlite3_column_int(stmt, 1)), start,
            start + (uint64_t)sqlite3_column_int64(stmt, 3)};
    }
    sqlite3_finalize(stmt);
    if (rc == SQLITE_ROW) {
        error_set("out of memory reading mprotect calls");
        return -1;
    }
    return rc == SQLITE_DONE ? 0 : trace_db_fail(tdb, "reading mprotect calls");
}

static int load_lineage(struct trace_db *tdb, struct mapping_index *index)
{
    sqlite3_stmt *stmt;
    if (trace_db_prepare(tdb, "SELECT pid, ppid, first_seq FROM task WHERE tid = pid AND ppid IS NOT NULL"
                              " ORDER BY pid", &stmt) < 0)
        return -1;
    int rc, capacity = 0;
    while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
        int32_t pid = sqlite3_column_int(stmt, 0);
        int32_t parent = trace_db_pid_of(tdb, sqlite3_column_int(stmt, 1));
        if (parent == pid || !trace_db_has_task(tdb, sqlite3_column_int(stmt, 1)))
            continue; /* the first process: its parent was not recorded */
        struct lineage_row *lineage = grow(index->lineage, &capacity, index->lineage_count, sizeof *lineage);
        if (!lineage)
            break;
        index->lineage = lineage;
        lineage[index->lineage_count++] = (struct lineage_row){pid, parent, sqlite3_column_int64(stmt, 2)};
    }
    sqlite3_finalize(stmt);
    if (rc == SQLITE_ROW) {
        error_set("out of memory reading the task table");
        return -1;
    }
    return rc == SQLITE_DONE ? 0 : trace_db_fail(tdb, "reading the task table");
}

struct mapping_index *mapping_index_load(struct trace_db *tdb)
{
    struct mapping_index *index = calloc(1, sizeof *index);
    if (!index) {
        error_set("out of memory");
        return NULL;
    }
    if (load_lineage(tdb, index) < 0 || load_rows(tdb, index) < 0 || load_execs(tdb, index) < 0 ||
        load_protects(tdb, index) < 0) {
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

int64_t mapping_index_exec_seq(const struct mapping_index *index, int32_t pid, int64_t seq)
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

/* The history of `pid`'s address space as of `seq`, newest part first. */
static int address_space_spans(const struct mapping_index *index, int32_t pid, int64_t seq,
                               struct span *spans)
{
    int count = 0;
    while (count < MAX_SPANS) {
        int64_t exec_seq = mapping_index_exec_seq(index, pid, seq);
        const struct lineage_row *forked = lineage_of(index, pid);
        if (!forked || exec_seq >= forked->fork_seq) {
            spans[count++] = (struct span){pid, exec_seq, seq};
            break;
        }
        spans[count++] = (struct span){pid, forked->fork_seq, seq};
        pid = forked->parent;
        seq = forked->fork_seq;
    }
    return count;
}

const struct mapping_row *mapping_index_find(const struct mapping_index *index, int32_t pid,
                                             int64_t seq, uint64_t addr)
{
    struct span spans[MAX_SPANS];
    int count = address_space_spans(index, pid, seq, spans);
    for (int s = 0; s < count; s++)
        for (int i = last_row_at(index, spans[s].to); i >= 0 && index->rows[i].seq >= spans[s].from; i--) {
            const struct mapping_row *row = &index->rows[i];
            if (row->pid == spans[s].pid && addr >= row->start && addr < row->end)
                return row;
        }
    return NULL;
}

int mapping_index_object_rows(const struct mapping_index *index, int32_t pid, int64_t seq,
                              const char *path, const struct mapping_row **rows, int max)
{
    /* Every row of the file in the address space's history: a later row
     * (ld.so's MAP_FIXED segments) covers part of an earlier one (the
     * whole-file reservation), and a reader laying them out oldest first gets
     * the current bytes. */
    struct span spans[MAX_SPANS];
    int count = 0;
    for (int s = address_space_spans(index, pid, seq, spans) - 1; s >= 0; s--) {
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

bool mapping_index_made_writable(const struct mapping_index *index, int32_t pid, int64_t after,
                                 int64_t before, uint64_t addr)
{
    struct span spans[MAX_SPANS];
    int count = address_space_spans(index, pid, before, spans);
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
