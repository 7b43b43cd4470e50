/*
 * trace_syscalls.c — reading a trace's own syscall table (see
 * trace_syscalls.h). Each row's texts are copied into one allocation that
 * its description points into.
 */
#include "trace_syscalls.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "error.h"

enum { TEXT_COLUMNS = 6 };

struct trace_syscalls {
    struct syscall_desc *descs; /* by number; nr -1 where the trace has no row */
    char **texts;               /* by number: the copied column texts */
    int size;
};

static int grow(struct trace_syscalls *table, int nr)
{
    if (nr < table->size)
        return 0;
    int size = nr + 1;
    struct syscall_desc *descs = realloc(table->descs, (size_t)size * sizeof *descs);
    if (descs)
        table->descs = descs;
    char **texts = realloc(table->texts, (size_t)size * sizeof *texts);
    if (texts)
        table->texts = texts;
    if (!descs || !texts) {
        error_set("out of memory");
        return -1;
    }
    for (int i = table->size; i < size; i++) {
        table->descs[i].nr = -1;
        table->texts[i] = NULL;
    }
    table->size = size;
    return 0;
}

/* Copy columns 1.. of the current row; a NULL column (absent in format 1) stays NULL. */
static int add_row(struct trace_syscalls *table, sqlite3_stmt *stmt, int columns)
{
    int nr = sqlite3_column_int(stmt, 0);
    if (grow(table, nr) < 0)
        return -1;
    size_t total = 0;
    for (int c = 1; c <= columns; c++)
        total += (size_t)sqlite3_column_bytes(stmt, c) + 1;
    char *copy = malloc(total), *at = copy;
    if (!copy) {
        error_set("out of memory");
        return -1;
    }
    const char *text[TEXT_COLUMNS + 1] = {NULL};
    for (int c = 1; c <= columns; c++) {
        const char *value = (const char *)sqlite3_column_text(stmt, c);
        size_t len = value ? strlen(value) : 0;
        memcpy(at, value ? value : "", len + 1);
        text[c] = value ? at : NULL;
        at += len + 1;
    }
    free(table->texts[nr]);
    table->texts[nr] = copy;
    struct syscall_row row = {nr, text[1], text[2], text[3], text[4], text[5], text[6]};
    if (!row.name || !row.replay || !row.writes || !row.args) {
        error_set("the trace's syscall table has an incomplete row for %d", nr);
        return -1;
    }
    return syscall_desc_parse(&row, &table->descs[nr]);
}

struct trace_syscalls *trace_syscalls_load(sqlite3 *db, int format_version)
{
    struct trace_syscalls *table = calloc(1, sizeof *table);
    if (!table) {
        error_set("out of memory");
        return NULL;
    }
    int columns = format_version >= 2 ? 6 : 4;
    const char *sql = columns == 6
        ? "SELECT nr, name, replay, writes, args, result, effects FROM syscall_info"
          " WHERE nr BETWEEN 0 AND 100000 ORDER BY nr"
        : "SELECT nr, name, replay, writes, args FROM syscall_info WHERE nr BETWEEN 0 AND 100000 ORDER BY nr";
    sqlite3_stmt *stmt;
    if (sqlite3_prepare_v2(db, sql, -1, &stmt, NULL) != SQLITE_OK) {
        error_set("reading the trace's syscall table: %s", sqlite3_errmsg(db));
        free(table);
        return NULL;
    }
    int rc;
    while ((rc = sqlite3_step(stmt)) == SQLITE_ROW)
        if (add_row(table, stmt, columns) < 0)
            break;
    if (rc != SQLITE_DONE && rc != SQLITE_ROW)
        error_set("reading the trace's syscall table: %s", sqlite3_errmsg(db));
    sqlite3_finalize(stmt);
    if (rc != SQLITE_DONE) {
        trace_syscalls_free(table);
        return NULL;
    }
    return table;
}

void trace_syscalls_free(struct trace_syscalls *table)
{
    if (!table)
        return;
    for (int i = 0; i < table->size; i++)
        free(table->texts[i]);
    free(table->texts);
    free(table->descs);
    free(table);
}

const struct syscall_desc *trace_syscalls_lookup(const struct trace_syscalls *table, long nr)
{
    return nr >= 0 && nr < table->size && table->descs[nr].nr >= 0 ? &table->descs[nr] : NULL;
}

const struct syscall_desc *trace_syscalls_describe(const struct trace_syscalls *table, long nr)
{
    const struct syscall_desc *desc = table ? trace_syscalls_lookup(table, nr) : NULL;
    return desc ? desc : syscall_lookup(nr);
}

long trace_syscalls_number(const struct trace_syscalls *table, const char *name)
{
    for (int nr = 0; nr < table->size; nr++)
        if (table->descs[nr].nr >= 0 && strcasecmp(table->descs[nr].name, name) == 0)
            return nr;
    return -1;
}

int trace_syscalls_size(const struct trace_syscalls *table)
{
    return table->size;
}
