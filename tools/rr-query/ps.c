/*
 * ps.c — the process tree of a trace (see ps.h).
 *
 * Processes are the task table grouped by pid; the thread whose tid is the
 * pid (the group leader) gives the parent and exit status. The command is the
 * argv of the process's last exec, or of its parent's when it forked and did
 * not exec (as ps shows it). A process whose parent was not recorded is a root.
 * In the table the command is also indented by its depth in the tree.
 */
#include "ps.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "exec_info.h"
#include "kernel_names.h"
#include "replay_protocol.h"
#include "strbuf.h"
#include "trace_db.h"
#include "trace_event.h"

struct process {
    int32_t pid, ppid;
    int threads;
    int64_t first_seq, last_seq;
    char *command;
    char *exit_kind;
    int exit_value;
    bool has_exit;
    int64_t last_exec;
    bool printed;
};

struct exec_event {
    int64_t seq;
    int32_t pid;
};

struct ps {
    struct process *items;
    int count;
    struct exec_event *execs;
    int exec_count;
};

static char *dup_column(sqlite3_stmt *stmt, int column)
{
    const char *text = (const char *)sqlite3_column_text(stmt, column);
    return text ? strdup(text) : NULL;
}

static struct process *find(struct ps *ps, int32_t pid)
{
    for (int i = 0; i < ps->count; i++)
        if (ps->items[i].pid == pid)
            return &ps->items[i];
    return NULL;
}

static int load(struct trace_db *tdb, struct ps *ps)
{
    sqlite3_stmt *stmt;
    if (trace_db_prepare(tdb, "SELECT tid, pid, ppid, command, first_seq, last_seq, exit_kind, exit_value"
                              " FROM task ORDER BY pid, tid", &stmt) < 0)
        return -1;
    int rc;
    while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
        int32_t tid = sqlite3_column_int(stmt, 0), pid = sqlite3_column_int(stmt, 1);
        struct process *p = find(ps, pid);
        if (!p) {
            struct process *items = realloc(ps->items, (size_t)(ps->count + 1) * sizeof *items);
            if (!items) {
                rc = SQLITE_NOMEM;
                break;
            }
            ps->items = items;
            p = &ps->items[ps->count++];
            *p = (struct process){.pid = pid, .first_seq = sqlite3_column_int64(stmt, 4), .last_exec = -1};
        }
        p->threads++;
        if (sqlite3_column_int64(stmt, 4) < p->first_seq)
            p->first_seq = sqlite3_column_int64(stmt, 4);
        if (sqlite3_column_int64(stmt, 5) > p->last_seq)
            p->last_seq = sqlite3_column_int64(stmt, 5);
        if (tid == pid || !p->command) {
            free(p->command);
            free(p->exit_kind);
            p->ppid = sqlite3_column_int(stmt, 2);
            p->command = dup_column(stmt, 3);
            p->exit_kind = dup_column(stmt, 6);
            p->has_exit = sqlite3_column_type(stmt, 7) != SQLITE_NULL;
            p->exit_value = sqlite3_column_int(stmt, 7);
        }
    }
    sqlite3_finalize(stmt);
    if (rc != SQLITE_DONE) {
        error_set("reading the task table: %s", rc == SQLITE_NOMEM ? "out of memory" : sqlite3_errmsg(tdb->db));
        return -1;
    }
    if (trace_db_prepare(tdb, "SELECT seq, tid FROM event WHERE kind = " SQL_EVENT_EXEC " ORDER BY seq", &stmt) < 0)
        return -1;
    while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
        struct exec_event *execs = realloc(ps->execs, (size_t)(ps->exec_count + 1) * sizeof *execs);
        if (!execs) {
            rc = SQLITE_NOMEM;
            break;
        }
        ps->execs = execs;
        execs[ps->exec_count++] = (struct exec_event){
            sqlite3_column_int64(stmt, 0), trace_db_pid_of(tdb, sqlite3_column_int(stmt, 1))};
    }
    sqlite3_finalize(stmt);
    if (rc != SQLITE_DONE) {
        error_set("reading exec events: %s", rc == SQLITE_NOMEM ? "out of memory" : sqlite3_errmsg(tdb->db));
        return -1;
    }
    /* The program a process runs: its own last exec, or, for a forked child
     * that did not exec, what its parent ran when it forked. */
    for (int i = 0; i < ps->count; i++) {
        struct process *p = &ps->items[i];
        int64_t limit = INT64_MAX;
        for (int depth = 0; p && depth < 64; depth++) {
            int64_t found = -1;
            for (int j = 0; j < ps->exec_count && ps->execs[j].seq <= limit; j++)
                if (ps->execs[j].pid == p->pid)
                    found = ps->execs[j].seq;
            if (found >= 0) {
                ps->items[i].last_exec = found;
                break;
            }
            limit = p->first_seq;
            p = find(ps, trace_db_pid_of(tdb, p->ppid));
        }
    }
    return 0;
}

static int print_tree(struct trace_db *tdb, struct ps *ps, struct output *out, bool indent,
                      struct process *p, int depth)
{
    p->printed = true;
    const char *file = NULL, *argv = NULL;
    struct exec_info *execs = p->last_exec >= 0 ? trace_db_execs(tdb) : NULL;
    if (execs)
        exec_info_get(execs, p->last_exec, &file, &argv);
    struct strbuf command = {0}, exit_text = {0};
    for (int i = 0; indent && i < depth; i++)
        strbuf_add(&command, "  ");
    strbuf_add(&command, "%s", argv ? argv : p->command ? p->command : "?");
    if (p->has_exit && p->exit_kind) {
        char sig[32];
        if (strcmp(p->exit_kind, task_end_name(TASK_END_KILLED)) == 0)
            strbuf_add(&exit_text, "killed %s", signal_name(p->exit_value, sig, sizeof sig));
        else
            strbuf_add(&exit_text, "%s %d", p->exit_kind, p->exit_value);
    }
    struct cell cells[] = {
        {CELL_INT, p->pid, 0, NULL},
        {CELL_INT, p->ppid, 0, NULL},
        {CELL_INT, depth, 0, NULL},
        {CELL_INT, p->threads, 0, NULL},
        {CELL_INT, p->first_seq, 0, NULL},
        {CELL_INT, p->last_seq, 0, NULL},
        {exit_text.len ? CELL_TEXT : CELL_NULL, 0, 0, strbuf_text(&exit_text)},
        {CELL_TEXT, 0, 0, strbuf_text(&command)},
    };
    int rc = output_row(out, cells) < 0 ? -1 : 0;
    strbuf_free(&command);
    strbuf_free(&exit_text);
    for (int i = 0; i < ps->count && rc == 0; i++)
        if (!ps->items[i].printed && ps->items[i].ppid == p->pid && ps->items[i].pid != p->pid)
            rc = print_tree(tdb, ps, out, indent, &ps->items[i], depth + 1);
    return rc;
}

int ps_print(struct trace_db *tdb, enum output_format format, FILE *stream)
{
    struct ps ps = {0};
    int rc = load(tdb, &ps);
    static const char *const names[] = {"pid", "ppid", "depth", "threads", "first_seq", "last_seq",
                                        "exit", "command"};
    struct output *out = rc == 0 ? output_begin(format, stream, 8, names) : NULL;
    if (rc == 0 && !out)
        rc = -1;
    for (int i = 0; i < ps.count && rc == 0; i++)
        if (!find(&ps, ps.items[i].ppid) && !ps.items[i].printed)
            rc = print_tree(tdb, &ps, out, format == FORMAT_TABLE, &ps.items[i], 0);
    /* A cycle of parents (not possible in a real trace) is still listed. */
    for (int i = 0; i < ps.count && rc == 0; i++)
        if (!ps.items[i].printed)
            rc = print_tree(tdb, &ps, out, format == FORMAT_TABLE, &ps.items[i], 0);
    if (out && output_end(out) < 0 && rc == 0) {
        error_set_errno("writing the result");
        rc = -1;
    }
    for (int i = 0; i < ps.count; i++) {
        free(ps.items[i].command);
        free(ps.items[i].exit_kind);
    }
    free(ps.items);
    free(ps.execs);
    return rc;
}
