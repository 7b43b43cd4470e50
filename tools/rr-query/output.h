/*
 * output.h — writes result rows as an aligned table (default), CSV (RFC 4180),
 * TSV (tabs, newlines and backslashes escaped as \t \n \\) or JSON (one array
 * of objects, keys the column names, valid UTF-8).
 *
 * The table is aligned on the widths of its first rows and then streamed, so
 * the first rows of a large result appear at once; a later, wider cell only
 * pushes its own line.
 */
#ifndef RRQ_OUTPUT_H
#define RRQ_OUTPUT_H

#include <stdint.h>
#include <stdio.h>

enum output_format { FORMAT_TABLE, FORMAT_CSV, FORMAT_TSV, FORMAT_JSON };

enum cell_type { CELL_NULL, CELL_INT, CELL_REAL, CELL_TEXT };

struct cell {
    enum cell_type type;
    int64_t number;
    double real;
    const char *text;
};

struct output;

/* "table", "csv", "tsv", "json" -> format; -1 if unknown. */
int output_format_parse(const char *name, enum output_format *format);

/* Start a result with `count` columns named `names` (copied). */
struct output *output_begin(enum output_format format, FILE *stream, int count, const char *const *names);
/* Write one row of `count` cells. Returns 0, or -1 when the stream failed. */
int output_row(struct output *out, const struct cell *cells);
/* Finish (flush the table, close the JSON array) and free. Returns 0 or -1. */
int output_end(struct output *out);
/* The number of rows written so far. */
int64_t output_rows(const struct output *out);

#endif
