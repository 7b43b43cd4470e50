/*
 * tracee_stops.c — questions about a recording's traced tasks (see
 * tracee_stops.h), two prepared statements over the trace store's
 * connection. Part of the trace store's readers.
 */
#include "tracee_stops.h"

#include <signal.h>
#include <stdlib.h>

#include "error.h"
#include "trace_event.h"
#include "trace_store_internal.h"

struct tracee_stops {
    struct trace_store *store;
    sqlite3_stmt *is_tracee;
    sqlite3_stmt *other_ran;
};

static const char is_tracee_sql[] = "SELECT 1 FROM event WHERE kind = ?1 AND tid = ?2 LIMIT 1";

/* A program stop of another traced task in the span, or its end. */
static const char other_ran_sql[] =
    "SELECT 1 FROM event e WHERE e.seq > ?2 AND e.seq < ?3 AND e.tid <> ?4 AND ("
    "  (e.kind = ?1 AND ((e.sig_code = ?5 AND e.sync = 1) OR (e.sig_code = ?6 AND e.signo <> ?7)))"
    "  OR (e.kind = ?8 AND EXISTS (SELECT 1 FROM event t WHERE t.tid = e.tid AND t.kind = ?1)))"
    " LIMIT 1";

struct tracee_stops *tracee_stops_new(struct trace_store *store)
{
    struct tracee_stops *stops = calloc(1, sizeof *stops);
    if (!stops) {
        error_set("out of memory");
        return NULL;
    }
    stops->store = store;
    if (sqlite3_prepare_v2(store->db, is_tracee_sql, -1, &stops->is_tracee, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(store->db, other_ran_sql, -1, &stops->other_ran, NULL) != SQLITE_OK) {
        trace_store_fail(store, "reading the traced tasks");
        tracee_stops_free(stops);
        return NULL;
    }
    return stops;
}

void tracee_stops_free(struct tracee_stops *stops)
{
    if (!stops)
        return;
    sqlite3_finalize(stops->is_tracee);
    sqlite3_finalize(stops->other_ran);
    free(stops);
}

/* Step a one-row question: 1 a row, 0 none, -1 error. */
static int answer(struct tracee_stops *stops, sqlite3_stmt *stmt, const char *what)
{
    int rc = sqlite3_step(stmt);
    sqlite3_reset(stmt);
    if (rc == SQLITE_ROW)
        return 1;
    return rc == SQLITE_DONE ? 0 : trace_store_fail(stops->store, what);
}

int tracee_stops_is_tracee(struct tracee_stops *stops, int32_t tid)
{
    sqlite3_bind_int(stops->is_tracee, 1, EVENT_TRACEE_STOP);
    sqlite3_bind_int64(stops->is_tracee, 2, tid);
    return answer(stops, stops->is_tracee, "reading the traced tasks");
}

int tracee_stops_other_ran(struct tracee_stops *stops, int32_t tid, int64_t after, int64_t before)
{
    sqlite3_stmt *stmt = stops->other_ran;
    sqlite3_bind_int(stmt, 1, EVENT_TRACEE_STOP);
    sqlite3_bind_int64(stmt, 2, after);
    sqlite3_bind_int64(stmt, 3, before);
    sqlite3_bind_int64(stmt, 4, tid);
    sqlite3_bind_int(stmt, 5, TRACEE_AT_SYSCALL_ENTRY);
    sqlite3_bind_int(stmt, 6, TRACEE_AT_SIGNAL);
    sqlite3_bind_int(stmt, 7, SIGSTOP);
    sqlite3_bind_int(stmt, 8, EVENT_EXIT);
    return answer(stops, stmt, "reading the traced tasks' stops");
}
