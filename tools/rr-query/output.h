/*
 * output.h — writes result rows as an aligned table (default), CSV (RFC 4180),
 * TSV (tabs, newlines and backslashes escaped as \t \n \\) or JSON (one array
 * of objects, keys the column names, valid UTF-8); the timeline subject also
 * as a page or Chrome Trace Event JSON (timeline_output.c).
 *
 * The table is aligned on the widths of its first rows and then streamed, so
 * the first rows of a large result appear at once; a later, wider cell only
 * pushes its own line.
 */
#ifndef RRQ_OUTPUT_H
#define RRQ_OUTPUT_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

/* HTML and CHROME_TRACE draw the `timeline` subject (timeline_output.h). */
enum output_format { FORMAT_TABLE, FORMAT_CSV, FORMAT_TSV, FORMAT_JSON, FORMAT_HTML, FORMAT_CHROME_TRACE };

enum cell_type { CELL_NULL, CELL_INT, CELL_REAL, CELL_TEXT };

struct cell {
    enum cell_type type;
    int64_t number;
    double real;
    const char *text;
};

struct output;

/* "table", "csv", "tsv", "json", "html", "chrome-trace" -> format; -1 if unknown. */
int output_format_parse(const char *name, enum output_format *format);

/* Start a result with `count` columns named `names` (copied). */
struct output *output_begin(enum output_format format, FILE *stream, int count, const char *const *names);
/* Write one row of `count` cells. Returns 0, or -1 when the stream failed. */
int output_row(struct output *out, const struct cell *cells);
/* Finish (flush the table, close the JSON array) and free. Returns 0 or -1. */
int output_end(struct output *out);
/* Write `text` as a JSON string (escaped, invalid UTF-8 replaced); with
 * `in_html`, '<' escaped too, so that it can stand inside a <script>. */
void output_json_string(FILE *stream, const char *text, bool in_html);

/* The number of rows written so far. */
int64_t output_rows(const struct output *out);

#endif
