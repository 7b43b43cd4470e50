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

int mapping_lookup(struct trace_store *store, int32_t tid, int64_t seq, uint64_t addr,
                   struct trace_mapping *mapping)
{
    sqlite3_stmt *stmt = NULL;
    /* The exec bound keeps the previous program's mappings out; mapping rows
     * carry no tid, so the bound is this task's exec (a process's threads
     * share one address space, and only its exec replaces it). */
    if (sqlite3_prepare_v2(store->db,
                           "SELECT start, end, prot, flags, offset, path, blob FROM mapping"
                           " WHERE start <= ?1 AND end > ?1 AND seq <= ?2"
                           "   AND seq >= (SELECT coalesce(max(seq), 0) FROM event"
                           "               WHERE kind = 5 AND tid = ?3 AND seq <= ?2)"
                           " ORDER BY seq DESC, rowid DESC LIMIT 1", -1, &stmt, NULL) != SQLITE_OK)
        return trace_store_fail(store, "reading mappings");
    sqlite3_bind_int64(stmt, 1, (int64_t)addr);
    sqlite3_bind_int64(stmt, 2, seq);
    sqlite3_bind_int64(stmt, 3, tid);
    int rc = sqlite3_step(stmt);
    if (rc == SQLITE_ROW) {
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
    sqlite3_finalize(stmt);
    if (rc == SQLITE_ROW)
        return 1;
    return rc == SQLITE_DONE ? 0 : trace_store_fail(store, "reading mappings");
}
