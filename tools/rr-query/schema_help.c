/*
 * schema_help.c — the trace's tables and views, described (see schema_help.h).
 *
 * The list comes from the trace itself (sqlite_master), so a trace of another
 * schema shows what it really has; the descriptions are schema/trace.sql's
 * comments in one line each.
 */
#include "schema_help.h"

#include <string.h>

#include "error.h"
#include "strbuf.h"
#include "trace_db.h"

static const struct {
    const char *name;
    const char *description;
} descriptions[] = {
    {"meta", "key/value facts: format, format_version, command, cwd, kernel, cpu, how the recording ended"},
    {"task", "every thread: tid, pid, ppid, command, first/last event, how it ended"},
    {"blob", "content-addressed, lz4-compressed bytes (memory writes, mapping snapshots, siginfo)"},
    {"event", "the event stream in global order: syscalls, signals, rdtsc, cpuid, exec, exit"},
    {"mem_write", "memory the kernel wrote into a task during an event (addr, len, blob)"},
    {"mem_read", "path strings the program handed the kernel, kept at syscall entry (addr, len, blob)"},
    {"passed_output", "bytes copy_file_range/sendfile moved to the recorder's stdout/stderr"},
    {"output", "after each event that wrote to the recorder's stdout/stderr: bytes so far and their hash"},
    {"mapping", "mappings made by exec (the whole address space), mmap, mremap, brk, with contents"},
    {"syscall_info", "the syscall table the recording used: number, name, replay mode, writes, args"},
    {"batch", "the integrity chain: per committed batch, each table's last rowid and a chained checksum"},
    {"events", "view: event with kind names"},
    {"syscalls", "view: syscall events with names and raw arguments"},
    {"signals", "view: signal events"},
    {"mmaps", "view: mappings with their length"},
    {"tasks", "view: the task table"},
    {"writes", "view: kernel memory writes with the writing thread"},
};

static const char *describe(const char *name)
{
    for (size_t i = 0; i < sizeof descriptions / sizeof descriptions[0]; i++)
        if (strcmp(descriptions[i].name, name) == 0)
            return descriptions[i].description;
    return "";
}

/* The column names of table or view `name`, from a statement that reads
 * no row (the name is quoted as an SQL identifier, %w). */
static int column_list(struct trace_db *tdb, const char *name, struct strbuf *sb)
{
    char *sql = sqlite3_mprintf("SELECT * FROM \"%w\" LIMIT 0", name);
    sqlite3_stmt *stmt;
    if (!sql) {
        error_set("out of memory");
        return -1;
    }
    int rc = trace_db_prepare(tdb, sql, &stmt);
    sqlite3_free(sql);
    if (rc < 0)
        return -1;
    strbuf_clear(sb);
    for (int i = 0; i < sqlite3_column_count(stmt); i++)
        strbuf_add(sb, "%s%s", i ? ", " : "", sqlite3_column_name(stmt, i));
    sqlite3_finalize(stmt);
    return 0;
}

int schema_help_print(struct trace_db *tdb, enum output_format format, FILE *stream)
{
    sqlite3_stmt *stmt;
    if (trace_db_prepare(tdb, "SELECT name, type FROM sqlite_master WHERE type IN ('table', 'view')"
                              " AND name NOT LIKE 'sqlite_%' ORDER BY type = 'view', rowid", &stmt) < 0)
        return -1;
    static const char *const names[] = {"name", "type", "description", "columns"};
    struct output *out = output_begin(format, stream, 4, names);
    struct strbuf columns = {0};
    int rc = out ? SQLITE_ROW : SQLITE_ERROR;
    while (out && (rc = sqlite3_step(stmt)) == SQLITE_ROW) {
        const char *name = (const char *)sqlite3_column_text(stmt, 0);
        if (column_list(tdb, name, &columns) < 0)
            break;
        struct cell cells[4] = {
            {CELL_TEXT, 0, 0, name},
            {CELL_TEXT, 0, 0, (const char *)sqlite3_column_text(stmt, 1)},
            {CELL_TEXT, 0, 0, describe(name)},
            {CELL_TEXT, 0, 0, strbuf_text(&columns)},
        };
        if (output_row(out, cells) < 0)
            break;
    }
    int result = rc == SQLITE_DONE ? 0 : -1;
    if (rc != SQLITE_DONE && rc != SQLITE_ROW && out)
        trace_db_fail(tdb, "reading the schema");
    if (out && output_end(out) < 0 && result == 0) {
        error_set_errno("writing the result");
        result = -1;
    }
    strbuf_free(&columns);
    sqlite3_finalize(stmt);
    return result;
}
