/*
 * stats.c — per-syscall and per-task summaries (see stats.h).
 *
 * Which syscalls return a byte count is read from the trace's syscall table
 * (its `result` column). Times are the events' at_ms: a syscall's `ms` as
 * the `duration` field counts it (subjects.h), a task's wall time from its
 * first event to its last.
 */
#include "stats.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "error.h"
#include "query_run.h"
#include "render.h"
#include "strbuf.h"
#include "subjects.h"
#include "trace_db.h"
#include "trace_event.h"
#include "trace_syscalls.h"

static bool returns_bytes(const struct trace_db *tdb, int nr)
{
    const struct syscall_desc *desc = trace_syscalls_lookup(tdb->syscalls, nr);
    return desc && desc->result == RESULT_BYTES;
}

/* "e.sysno IN (0, 1, 17, …)" for the byte-count syscalls. */
static void add_bytes_condition(const struct trace_db *tdb, struct strbuf *sql)
{
    strbuf_add(sql, "e.sysno IN (");
    bool first = true;
    for (int nr = 0; nr < trace_syscalls_size(tdb->syscalls); nr++)
        if (returns_bytes(tdb, nr)) {
            strbuf_add(sql, "%s%d", first ? "" : ", ", nr);
            first = false;
        }
    strbuf_add(sql, "%s)", first ? "NULL" : "");
}

static int run_part(struct trace_db *tdb, bool syscalls, enum output_format format, FILE *out)
{
    struct strbuf sql = {0};
    if (syscalls) {
        /* A last row sums every syscall (name 'total'). */
        strbuf_add(&sql, "WITH per AS (SELECT e.sysno, count(*) AS calls,"
                         " sum(e.result BETWEEN -4095 AND -1) AS errors, sum(" DURATION_SQL ") AS ms,"
                         " sum(CASE WHEN e.result > 0 AND ");
        add_bytes_condition(tdb, &sql);
        strbuf_add(&sql, " THEN e.result ELSE 0 END) AS bytes FROM event e WHERE e.kind = " SQL_EVENT_SYSCALL " GROUP BY e.sysno)"
                         " SELECT name, calls, errors, bytes, ms FROM ("
                         " SELECT 0 AS o, coalesce(s.name, 'syscall_' || per.sysno) AS name, calls, errors, bytes, ms"
                         " FROM per LEFT JOIN syscall_info s ON s.nr = per.sysno"
                         " UNION ALL SELECT 1, 'total', coalesce(sum(calls), 0), coalesce(sum(errors), 0),"
                         " coalesce(sum(bytes), 0), coalesce(sum(ms), 0) FROM per)"
                         " ORDER BY o, calls DESC, name");
    } else {
        strbuf_add(&sql, "SELECT t.tid, t.pid, " TASK_COMMAND_SQL " AS command, count(e.seq) AS events,"
                         " coalesce(sum(e.kind = " SQL_EVENT_SYSCALL "), 0) AS syscalls,"
                         " coalesce(sum(e.kind = " SQL_EVENT_SYSCALL " AND e.result BETWEEN -4095 AND -1), 0) AS errors,"
                         " coalesce(sum(e.kind = " SQL_EVENT_SIGNAL "), 0) AS signals,"
                         " coalesce(sum(CASE WHEN e.kind = " SQL_EVENT_SYSCALL " AND e.result > 0 AND ");
        add_bytes_condition(tdb, &sql);
        strbuf_add(&sql, " THEN e.result ELSE 0 END), 0) AS bytes,"
                         " coalesce(max(e.at_ms) - min(e.at_ms), 0) AS wall_ms"
                         " FROM task t LEFT JOIN event e ON e.tid = t.tid GROUP BY t.tid ORDER BY t.tid");
    }
    int rc;
    if (sql.failed) {
        error_set("out of memory");
        rc = -1;
    } else {
        rc = query_run_sql(tdb, strbuf_text(&sql), format, out);
    }
    strbuf_free(&sql);
    return rc;
}

int stats_print(struct trace_db *tdb, const char *part, enum output_format format, FILE *out)
{
    if (part && strcmp(part, "syscalls") != 0 && strcmp(part, "tasks") != 0) {
        error_set("unknown stats part '%s'; parts: syscalls, tasks", part);
        return -1;
    }
    if (part)
        return run_part(tdb, strcmp(part, "syscalls") == 0, format, out);
    if (format == FORMAT_JSON)
        fputs("{\"syscalls\": ", out);
    if (run_part(tdb, true, format, out) < 0)
        return -1;
    fputs(format == FORMAT_JSON ? ", \"tasks\": " : "\n", out);
    if (run_part(tdb, false, format, out) < 0)
        return -1;
    if (format == FORMAT_JSON)
        fputs("}\n", out);
    return fflush(out) == 0 ? 0 : -1;
}
