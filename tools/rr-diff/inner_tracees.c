/*
 * inner_tracees.c — questions about a recording's traced tasks (see
 * inner_tracees.h), asked in SQL over a read-only connection of its own: the
 * trace store keeps its SQLite handle to libtrace, and these two queries are
 * rr-diff's alone.
 */
#include "inner_tracees.h"

#include <signal.h>
#include <sqlite3.h>
#include <stdlib.h>

#include "error.h"
#include "trace_event.h"

struct inner_tracees {
    sqlite3 *db;
    sqlite3_stmt *is_tracee;
    sqlite3_stmt *other_ran;
};

static const char is_tracee_sql[] = "SELECT 1 FROM event WHERE kind = ?1 AND tid = ?2 LIMIT 1";

/* Over the span's rows (a rowid range): a program stop of another traced
 * task, or its end. */
static const char other_ran_sql[] =
    "SELECT 1 FROM event e WHERE e.seq > ?2 AND e.seq < ?3 AND e.tid <> ?4 AND ("
    "  (e.kind = ?1 AND ((e.sig_code = ?5 AND e.sync = 1) OR (e.sig_code = ?6 AND e.signo <> ?7)))"
    "  OR (e.kind = ?8 AND EXISTS (SELECT 1 FROM event t WHERE t.tid = e.tid AND t.kind = ?1)))"
    " LIMIT 1";

static int fail(struct inner_tracees *tracees, const char *what)
{
    error_set("cannot read %s: %s", what, sqlite3_errmsg(tracees->db));
    return -1;
}

struct inner_tracees *inner_tracees_open(const char *path)
{
    struct inner_tracees *tracees = calloc(1, sizeof *tracees);
    if (!tracees) {
        error_set("out of memory");
        return NULL;
    }
    int rc = sqlite3_open_v2(path, &tracees->db, SQLITE_OPEN_READONLY, NULL);
    if (rc != SQLITE_OK) {
        error_set("cannot open trace %s: %s", path,
                  tracees->db ? sqlite3_errmsg(tracees->db) : sqlite3_errstr(rc));
        inner_tracees_close(tracees);
        return NULL;
    }
    if (sqlite3_prepare_v2(tracees->db, is_tracee_sql, -1, &tracees->is_tracee, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(tracees->db, other_ran_sql, -1, &tracees->other_ran, NULL) != SQLITE_OK) {
        fail(tracees, "the traced tasks");
        inner_tracees_close(tracees);
        return NULL;
    }
    return tracees;
}

void inner_tracees_close(struct inner_tracees *tracees)
{
    if (!tracees)
        return;
    sqlite3_finalize(tracees->is_tracee);
    sqlite3_finalize(tracees->other_ran);
    sqlite3_close(tracees->db);
    free(tracees);
}

/* Step a one-row question: 1 a row, 0 none, -1 error. */
static int answer(struct inner_tracees *tracees, sqlite3_stmt *stmt, const char *what)
{
    int rc = sqlite3_step(stmt);
    sqlite3_reset(stmt);
    if (rc == SQLITE_ROW)
        return 1;
    return rc == SQLITE_DONE ? 0 : fail(tracees, what);
}

int inner_tracees_is_tracee(struct inner_tracees *tracees, int32_t tid)
{
    sqlite3_bind_int(tracees->is_tracee, 1, EVENT_TRACEE_STOP);
    sqlite3_bind_int64(tracees->is_tracee, 2, tid);
    return answer(tracees, tracees->is_tracee, "the traced tasks");
}

int inner_tracees_other_ran(struct inner_tracees *tracees, int32_t tid, int64_t after, int64_t before)
{
    sqlite3_stmt *stmt = tracees->other_ran;
    sqlite3_bind_int(stmt, 1, EVENT_TRACEE_STOP);
    sqlite3_bind_int64(stmt, 2, after);
    sqlite3_bind_int64(stmt, 3, before);
    sqlite3_bind_int64(stmt, 4, tid);
    sqlite3_bind_int(stmt, 5, TRACEE_AT_SYSCALL_ENTRY);
    sqlite3_bind_int(stmt, 6, TRACEE_AT_SIGNAL);
    sqlite3_bind_int(stmt, 7, SIGSTOP);
    sqlite3_bind_int(stmt, 8, EVENT_EXIT);
    return answer(tracees, stmt, "the traced tasks' stops");
}
