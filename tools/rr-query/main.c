/*
 * rr-query — ask a trace questions.
 *
 *   rr-query [OPTIONS] TRACE 'SUBJECT [where COND] [order by FIELD [asc|desc]] [limit N]'
 *   rr-query [OPTIONS] TRACE --sql 'SELECT …'
 *   rr-query [OPTIONS] TRACE --schema | stats [syscalls|tasks] | ps
 *
 * Options: --format table|csv|tsv|json, --raw (undecoded columns), --explain
 * (show the SQL and SQLite's plan instead of running), --timeout SECONDS
 * (default 10: a statement still running then is stopped, exit 1), -h/--help.
 * A query may also be given as several arguments (they are joined with spaces).
 * Before the trace, every word starting with "--" is an option; after it, only
 * the options above are, and `--` ends the options wherever it stands, so a
 * query word may start with "--".
 *
 * Exit status: 0 success (also when nothing matched), 1 a bad query, an SQL
 * error, a write refused or the time limit, 2 bad arguments or a trace that
 * cannot be read (also when the damage shows only while a query runs).
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "output.h"
#include "ps.h"
#include "query_run.h"
#include "query_timeout.h"
#include "schema_help.h"
#include "stats.h"
#include "strbuf.h"
#include "subjects.h"
#include "syscall_table.h"
#include "trace_db.h"

#define USAGE                                                                                   \
    "usage: rr-query [--format table|csv|tsv|json] [--raw] [--explain] [--timeout S] [--] TRACE QUERY\n" \
    "       rr-query [--format F] TRACE --sql 'SELECT …' | --schema | stats [syscalls|tasks] | ps"

static void print_help(void)
{
    printf("%s\n\n"
           "QUERY is SUBJECT [where CONDITION] [order by FIELD [asc|desc]] [limit N].\n"
           "Conditions: FIELD = != < <= > >= VALUE, FIELD [not] in (V, …), FIELD [not] like 'pat%%',\n"
           "FIELD [not] between V and V, addr contains 0x…, and, or, not, ( ).\n"
           "Values: numbers (12, -1, 0x7ffd1234), names (openat, ENOENT, -ENOENT, SIGSEGV), 'strings'.\n\n"
           "Subjects and their fields:\n",
           USAGE);
    for (int i = 0; i < subject_count(); i++) {
        const struct subject *s = subject_at(i);
        printf("  %-9s %s\n", s->name, s->help);
        for (int j = 0; j < s->field_count; j++)
            printf("      %-11s %s\n", s->fields[j].name, s->fields[j].help);
    }
    printf("\nExamples:\n"
           "  rr-query TRACE 'syscalls where name=openat and ret=-ENOENT'\n"
           "  rr-query TRACE 'files where path like \"%%.so%%\"'\n"
           "  rr-query TRACE 'writes where addr contains 0x7fffffffe000' --format json\n"
           "  rr-query TRACE --sql 'select name, count(*) from syscalls group by 1'\n");
}

struct options {
    enum output_format format;
    bool raw, explain, schema;
    double timeout;
    const char *sql;
    const char *trace;
    struct strbuf query;
    int query_words;
};

/* An option's value: "--format=json" or "--format json". */
static const char *option_value(int argc, char **argv, int *i, const char *name)
{
    size_t n = strlen(name);
    if (strncmp(argv[*i], name, n) == 0 && argv[*i][n] == '=')
        return argv[*i] + n + 1;
    if (*i + 1 >= argc)
        error_exit(2, "%s needs a value (%s)", name, USAGE);
    return argv[++*i];
}

static bool is_option(const char *arg, const char *name)
{
    size_t n = strlen(name);
    return strncmp(arg, name, n) == 0 && (arg[n] == '\0' || arg[n] == '=');
}

/* An option of rr-query: 1 when `arg` (at argv[*i]) is one and was taken, 0 when not. */
static int take_option(int argc, char **argv, int *i, struct options *o)
{
    const char *arg = argv[*i];
    if (strcmp(arg, "-h") == 0 || strcmp(arg, "--help") == 0) {
        print_help();
        exit(0);
    } else if (is_option(arg, "--format") || strcmp(arg, "-f") == 0) {
        const char *value = option_value(argc, argv, i, arg[1] == 'f' ? "-f" : "--format");
        if (output_format_parse(value, &o->format) < 0)
            error_exit(2, "unknown format '%s' (formats: table, csv, tsv, json)", value);
    } else if (is_option(arg, "--timeout")) {
        if (query_timeout_parse(option_value(argc, argv, i, "--timeout"), &o->timeout) < 0)
            error_exit_last(2);
    } else if (strcmp(arg, "--raw") == 0) {
        o->raw = true;
    } else if (strcmp(arg, "--explain") == 0) {
        o->explain = true;
    } else if (strcmp(arg, "--schema") == 0) {
        o->schema = true;
    } else if (is_option(arg, "--sql")) {
        o->sql = option_value(argc, argv, i, "--sql");
    } else {
        return 0;
    }
    return 1;
}

static void parse_arguments(int argc, char **argv, struct options *o)
{
    bool options_ended = false;
    for (int i = 1; i < argc; i++) {
        const char *arg = argv[i];
        if (!options_ended && strcmp(arg, "--") == 0) {
            options_ended = true;
        } else if (!options_ended && take_option(argc, argv, &i, o)) {
            continue;
        } else if (!options_ended && !o->trace && strncmp(arg, "--", 2) == 0) {
            error_exit(2, "unknown option %s (%s)", arg, USAGE);
        } else if (!o->trace) {
            o->trace = arg;
        } else {
            /* Query words, "-ENOENT" included: a lone dash is a minus sign,
             * and after the trace an unknown "--word" is a word of the query. */
            strbuf_add(&o->query, "%s%s", o->query_words++ ? " " : "", arg);
        }
    }
}

/* Whether the last failure on `db` was the trace's, not the query's: a
 * damaged file (exit 2, like a trace that cannot be opened). */
static bool trace_damaged(sqlite3 *db)
{
    int code = sqlite3_errcode(db) & 0xff;
    return code == SQLITE_CORRUPT || code == SQLITE_NOTADB || code == SQLITE_IOERR || code == SQLITE_FORMAT;
}

int main(int argc, char **argv)
{
    error_set_program("rr-query");
    struct options o = {.format = FORMAT_TABLE, .timeout = QUERY_TIMEOUT_DEFAULT};
    parse_arguments(argc, argv, &o);
    if (!o.trace)
        error_exit(2, "no trace given (%s)", USAGE);
    int modes = (o.sql != NULL) + o.schema + (o.query_words > 0);
    if (modes == 0)
        error_exit(2, "no query given (%s)", USAGE);
    if (modes > 1)
        error_exit(2, "give one of a query, --sql or --schema (%s)", USAGE);
    if (o.query.failed)
        error_exit(2, "out of memory");
    if (syscall_table_init() < 0)
        error_exit_last(2);

    struct trace_db tdb;
    if (trace_db_open(&tdb, o.trace) < 0)
        error_exit_last(2);
    if (subjects_init(tdb.syscalls) < 0) {
        trace_db_close(&tdb);
        error_exit_last(2);
    }
    if (query_timeout_arm(tdb.db, o.timeout) < 0)
        error_exit_last(2);
    const char *query = strbuf_text(&o.query);
    char first[16] = "";
    sscanf(query, "%15s", first);
    int rc;
    if (o.sql) {
        rc = query_run_sql(&tdb, o.sql, o.format, stdout);
    } else if (o.schema) {
        rc = schema_help_print(&tdb, o.format, stdout);
    } else if (strcmp(first, "stats") == 0) {
        char part[16] = "", extra[16] = "";
        int words = sscanf(query, "%*s %15s %15s", part, extra);
        if (words > 1) {
            error_set("stats takes at most one part (syscalls or tasks)");
            rc = -1;
        } else {
            rc = stats_print(&tdb, part[0] ? part : NULL, o.format, stdout);
        }
    } else if (strcmp(first, "ps") == 0) {
        rc = strcmp(query, "ps") == 0 ? ps_print(&tdb, o.format, stdout) : (error_set("ps takes no arguments"), -1);
    } else if (o.explain) {
        rc = query_explain(&tdb, query, stdout);
    } else {
        rc = query_run(&tdb, query, o.raw, o.format, stdout);
    }
    if (rc < 0) {
        char message[1024];
        snprintf(message, sizeof message, "%s", query_timeout_expired() ? query_timeout_message() : error_text());
        int status = trace_damaged(tdb.db) ? 2 : 1;
        trace_db_close(&tdb);
        strbuf_free(&o.query);
        error_exit(status, "%s", message);
    }
    trace_db_close(&tdb);
    strbuf_free(&o.query);
    return 0;
}
