/*
 * mapping_lookup.c — the mapping that held an address (see mapping_lookup.h).
 * Used for the few addresses a report shows, so each lookup prepares its own
 * statement rather than keeping one in the store. Part of the trace store's
 * implementation: it reads the SQLite handle directly, like event_log.c.
 */
#include "mapping_lookup.h"

#include <stdio.h>
#include <string.h>

#include "trace_store_internal.h"

/* The exec bound keeps the previous program's mappings out; mapping rows
 * carry no tid, so the bound is this task's exec (a process's threads share
 * one address space, and only its exec replaces it). A task that never
 * exec'd inherited its parent's mappings, stored before the fork: no bound. */
#define SINCE_EXEC " seq <= ?2 AND seq >= (SELECT coalesce(max(seq), 0) FROM event" \
                   "  WHERE kind = 5 AND tid = ?3 AND seq <= ?2)"

static void read_row(sqlite3_stmt *stmt, struct trace_mapping *mapping)
{
    memset(mapping, 0, sizeof *mapping);
    mapping->start = (uint64_t)sqlite3_column_int64(stmt, 0);
    mapping->end = (uint64_t)sqlite3_column_int64(stmt, 1);
    mapping->prot = sqlite3_column_int(stmt, 2);
    mapping->flags = sqlite3_column_int(stmt, 3);
    mapping->offset = (uint64_t)sqlite3_column_int64(stmt, 4);
    const unsigned char *path = sqlite3_column_text(stmt, 5);
    if (path)
        snprintf(mapping->path, sizeof mapping->path, "%s", (const char *)path);
    mapping->blob = sqlite3_column_int64(stmt, 6);
}

int mapping_lookup(struct trace_store *store, int32_t tid, int64_t seq, uint64_t addr,
                   struct trace_mapping *mapping)
{
    sqlite3_stmt *stmt = NULL;
    if (sqlite3_prepare_v2(store->db,
                           "SELECT start, end, prot, flags, offset, path, blob FROM mapping"
                           " WHERE start <= ?1 AND end > ?1 AND" SINCE_EXEC
                           " ORDER BY seq DESC, rowid DESC LIMIT 1", -1, &stmt, NULL) != SQLITE_OK)
        return trace_store_fail(store, "reading mappings");
    sqlite3_bind_int64(stmt, 1, (int64_t)addr);
    sqlite3_bind_int64(stmt, 2, seq);
    sqlite3_bind_int64(stmt, 3, tid);
    int rc = sqlite3_step(stmt);
    if (rc == SQLITE_ROW)
        read_row(stmt, mapping);
    sqlite3_finalize(stmt);
    if (rc == SQLITE_ROW)
        return 1;
    return rc == SQLITE_DONE ? 0 : trace_store_fail(store, "reading mappings");
}

int mapping_lookup_file(struct trace_store *store, int32_t tid, int64_t seq, const char *path,
                        struct trace_mapping *mappings, int max)
{
    sqlite3_stmt *stmt = NULL;
    /* The latest row for each offset: a file mapped again replaces its piece. */
    if (sqlite3_prepare_v2(store->db,
                           "SELECT start, end, prot, flags, offset, path, blob FROM mapping"
                           " WHERE path = ?1 AND" SINCE_EXEC
                           " ORDER BY offset, seq DESC, rowid DESC", -1, &stmt, NULL) != SQLITE_OK)
        return trace_store_fail(store, "reading mappings");
    sqlite3_bind_text(stmt, 1, path, -1, SQLITE_STATIC);
    sqlite3_bind_int64(stmt, 2, seq);
    sqlite3_bind_int64(stmt, 3, tid);
    int count = 0, rc = SQLITE_DONE;
    while (count < max && (rc = sqlite3_step(stmt)) == SQLITE_ROW) {
        if (count > 0 && (uint64_t)sqlite3_column_int64(stmt, 4) == mappings[count - 1].offset)
            continue;
        read_row(stmt, &mappings[count++]);
    }
    if (count == max)
        rc = SQLITE_DONE;
    sqlite3_finalize(stmt);
    return rc == SQLITE_DONE ? count : trace_store_fail(store, "reading mappings");
}
