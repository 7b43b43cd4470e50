/*
 * output.c — result formats (see output.h).
 */
#include "output.h"

#include <math.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "error.h"
#include "timeline_output.h"

/* The table is sized on its first TABLE_SAMPLE_ROWS rows. On a terminal,
 * only on those that came within TABLE_SAMPLE_MS of the first when rows
 * come slowly (a sparse match over a large trace), so that a person sees the
 * first rows at once; written to a file or pipe, the layout never depends
 * on timing (a script gets the same table every time). */
enum { TABLE_SAMPLE_ROWS = 200, TABLE_SAMPLE_MS = 50, MAX_WIDTH = 120 };

struct output {
    enum output_format format;
    struct timeline_output *timeline; /* FORMAT_HTML, FORMAT_CHROME_TRACE */
    FILE *stream;
    int count;
    char **names;
    int64_t rows;
    /* table: the first rows, kept to size the columns */
    char **sample;          /* TABLE_SAMPLE_ROWS * count cells, malloc'd text or NULL */
    bool *sample_numeric;
    int sampled;
    int *width;
    bool *right; /* numbers only in the sample: right-aligned */
    bool sized;
    bool interactive;        /* the stream is a terminal: sizing may stop early */
    struct timespec started; /* when the first row came */
};

static int64_t ms_since(const struct timespec *start)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (int64_t)(now.tv_sec - start->tv_sec) * 1000 + (now.tv_nsec - start->tv_nsec) / 1000000;
}

int output_format_parse(const char *name, enum output_format *format)
{
    static const struct {
        const char *name;
        enum output_format format;
    } formats[] = {{"table", FORMAT_TABLE}, {"csv", FORMAT_CSV}, {"tsv", FORMAT_TSV}, {"json", FORMAT_JSON},
                   {"html", FORMAT_HTML}, {"chrome-trace", FORMAT_CHROME_TRACE}};
    for (size_t i = 0; i < sizeof formats / sizeof formats[0]; i++)
        if (strcasecmp(name, formats[i].name) == 0) {
            *format = formats[i].format;
            return 0;
        }
    return -1;
}

/* A cell as text for table, CSV and TSV ("" for NULL); malloc'd. */
static char *cell_text(const struct cell *cell)
{
    char buf[64];
    switch (cell->type) {
    case CELL_INT: snprintf(buf, sizeof buf, "%lld", (long long)cell->number); return strdup(buf);
    case CELL_REAL: snprintf(buf, sizeof buf, "%.17g", cell->real); return strdup(buf);
    case CELL_TEXT: return strdup(cell->text ? cell->text : "");
    default: return strdup("");
    }
}

/* Display width: UTF-8 continuation bytes take no column. */
static int text_width(const char *text)
{
    int width = 0;
    for (const unsigned char *c = (const unsigned char *)text; *c; c++)
        width += (*c & 0xc0) != 0x80;
    return width;
}

static void put_padded(struct output *out, const char *text, int width, bool right, bool last)
{
    int pad = width - text_width(text);
    if (pad < 0)
        pad = 0;
    if (right)
        fprintf(out->stream, "%*s%s", pad, "", text);
    else if (last)
        fputs(text, out->stream);
    else
        fprintf(out->stream, "%s%*s", text, pad, "");
}

static void table_line(struct output *out, char *const *cells, bool header)
{
    for (int i = 0; i < out->count; i++) {
        if (i)
            fputs("  ", out->stream);
        put_padded(out, cells[i] ? cells[i] : "", out->width[i], !header && out->right[i], i == out->count - 1);
    }
    fputc('\n', out->stream);
}

/* Size the columns on the sample, print the header and the sampled rows. */
static void table_flush_sample(struct output *out)
{
    for (int i = 0; i < out->count; i++) {
        out->width[i] = text_width(out->names[i]);
        bool numbers = false, others = false;
        for (int r = 0; r < out->sampled; r++) {
            const char *text = out->sample[r * out->count + i];
            int w = text ? text_width(text) : 0;
            if (w > out->width[i])
                out->width[i] = w < MAX_WIDTH ? w : MAX_WIDTH;
            if (out->sample_numeric[r * out->count + i])
                numbers = true;
            else if (text && text[0])
                others = true;
        }
        out->right[i] = numbers && !others;
    }
    table_line(out, out->names, true);
    for (int i = 0; i < out->count; i++) {
        if (i)
            fputs("  ", out->stream);
        for (int j = 0; j < out->width[i]; j++)
            fputc('-', out->stream);
    }
    fputc('\n', out->stream);
    for (int r = 0; r < out->sampled; r++) {
        table_line(out, &out->sample[r * out->count], false);
        for (int i = 0; i < out->count; i++)
            free(out->sample[r * out->count + i]);
    }
    out->sampled = 0;
    out->sized = true;
    fflush(out->stream);
}

static void csv_field(struct output *out, const char *text)
{
    bool quote = strpbrk(text, ",\"\r\n") != NULL || (text[0] == ' ') ||
                 (text[0] && text[strlen(text) - 1] == ' ');
    if (!quote) {
        fputs(text, out->stream);
        return;
    }
    fputc('"', out->stream);
    for (const char *c = text; *c; c++) {
        if (*c == '"')
            fputc('"', out->stream);
        fputc(*c, out->stream);
    }
    fputc('"', out->stream);
}

static void tsv_field(struct output *out, const char *text)
{
    for (const char *c = text; *c; c++) {
        switch (*c) {
        case '\t': fputs("\\t", out->stream); break;
        case '\n': fputs("\\n", out->stream); break;
        case '\r': fputs("\\r", out->stream); break;
        case '\\': fputs("\\\\", out->stream); break;
        default: fputc(*c, out->stream);
        }
    }
}

/* Length of the valid UTF-8 sequence at s, or 0. */
static int utf8_sequence(const unsigned char *s)
{
    int len = s[0] < 0x80 ? 1 : (s[0] & 0xe0) == 0xc0 ? 2 : (s[0] & 0xf0) == 0xe0 ? 3 : (s[0] & 0xf8) == 0xf0 ? 4 : 0;
    if (len == 2 && s[0] < 0xc2)
        return 0;
    for (int i = 1; i < len; i++)
        if ((s[i] & 0xc0) != 0x80)
            return 0;
    return len;
}

void output_json_string(FILE *stream, const char *text, bool in_html)
{
    fputc('"', stream);
    for (const unsigned char *c = (const unsigned char *)text; *c;) {
        switch (*c) {
        case '"': fputs("\\\"", stream); c++; continue;
        case '\\': fputs("\\\\", stream); c++; continue;
        case '\n': fputs("\\n", stream); c++; continue;
        case '\r': fputs("\\r", stream); c++; continue;
        case '\t': fputs("\\t", stream); c++; continue;
        case '<': fputs(in_html ? "\\u003c" : "<", stream); c++; continue;
        default: break;
        }
        if (*c < 0x20) {
            fprintf(stream, "\\u%04x", *c);
            c++;
            continue;
        }
        int len = utf8_sequence(c);
        if (len == 0) {
            fputs("\\ufffd", stream); /* not UTF-8: JSON text must be */
            c++;
            continue;
        }
        fwrite(c, 1, (size_t)len, stream);
        c += len;
    }
    fputc('"', stream);
}

static void json_row(struct output *out, const struct cell *cells)
{
    fputs(out->rows ? ",\n  {" : "\n  {", out->stream);
    for (int i = 0; i < out->count; i++) {
        if (i)
            fputs(", ", out->stream);
        output_json_string(out->stream, out->names[i], false);
        fputs(": ", out->stream);
        const struct cell *cell = &cells[i];
        if (cell->type == CELL_INT)
            fprintf(out->stream, "%lld", (long long)cell->number);
        else if (cell->type == CELL_REAL && isfinite(cell->real))
            fprintf(out->stream, "%.17g", cell->real);
        else if (cell->type == CELL_TEXT && cell->text)
            output_json_string(out->stream, cell->text, false);
        else
            fputs("null", out->stream);
    }
    fputc('}', out->stream);
}

struct output *output_begin(enum output_format format, FILE *stream, int count, const char *const *names)
{
    struct output *out = calloc(1, sizeof *out);
    if (!out || !(out->names = calloc((size_t)count, sizeof *out->names)) ||
        !(out->width = calloc((size_t)count, sizeof *out->width)) ||
        !(out->right = calloc((size_t)count, sizeof *out->right))) {
        if (out) {
            free(out->names);
            free(out->width);
        }
        free(out);
        error_set("out of memory");
        return NULL;
    }
    out->format = format;
    out->stream = stream;
    out->interactive = isatty(fileno(stream));
    out->count = count;
    for (int i = 0; i < count; i++)
        if (!(out->names[i] = strdup(names[i]))) {
            output_end(out);
            error_set("out of memory");
            return NULL;
        }
    if (format == FORMAT_HTML || format == FORMAT_CHROME_TRACE) {
        if (!(out->timeline = timeline_output_begin(stream, format == FORMAT_HTML, count, names))) {
            output_end(out);
            return NULL;
        }
    } else if (format == FORMAT_TABLE) {
        out->sample = calloc((size_t)TABLE_SAMPLE_ROWS * (size_t)count, sizeof *out->sample);
        out->sample_numeric = calloc((size_t)TABLE_SAMPLE_ROWS * (size_t)count, sizeof *out->sample_numeric);
        if (!out->sample || !out->sample_numeric) {
            output_end(out);
            error_set("out of memory");
            return NULL;
        }
    } else if (format == FORMAT_JSON) {
        fputc('[', stream);
    } else {
        for (int i = 0; i < count; i++) {
            if (i)
                fputc(format == FORMAT_CSV ? ',' : '\t', stream);
            if (format == FORMAT_CSV)
                csv_field(out, names[i]);
            else
                tsv_field(out, names[i]);
        }
        fputc('\n', stream);
    }
    return out;
}

int output_row(struct output *out, const struct cell *cells)
{
    switch (out->format) {
    case FORMAT_HTML:
    case FORMAT_CHROME_TRACE:
        timeline_output_row(out->timeline, cells);
        break;
    case FORMAT_TABLE:
        if (out->sized) {
            char *texts[out->count];
            for (int i = 0; i < out->count; i++)
                texts[i] = cell_text(&cells[i]);
            table_line(out, texts, false);
            for (int i = 0; i < out->count; i++)
                free(texts[i]);
        } else {
            if (out->sampled == 0)
                clock_gettime(CLOCK_MONOTONIC, &out->started);
            for (int i = 0; i < out->count; i++) {
                out->sample[out->sampled * out->count + i] = cell_text(&cells[i]);
                out->sample_numeric[out->sampled * out->count + i] =
                    cells[i].type == CELL_INT || cells[i].type == CELL_REAL;
            }
            if (++out->sampled == TABLE_SAMPLE_ROWS ||
                (out->interactive && ms_since(&out->started) >= TABLE_SAMPLE_MS))
                table_flush_sample(out);
        }
        break;
    case FORMAT_JSON:
        json_row(out, cells);
        break;
    default:
        for (int i = 0; i < out->count; i++) {
            if (i)
                fputc(out->format == FORMAT_CSV ? ',' : '\t', out->stream);
            char *text = cell_text(&cells[i]);
            if (text && out->format == FORMAT_CSV)
                csv_field(out, text);
            else if (text)
                tsv_field(out, text);
            free(text);
        }
        fputc('\n', out->stream);
    }
    out->rows++;
    return ferror(out->stream) ? -1 : 0;
}

int output_end(struct output *out)
{
    if (out->format == FORMAT_TABLE && out->sample && !out->sized)
        table_flush_sample(out);
    else if (out->format == FORMAT_JSON)
        fputs(out->rows ? "\n]\n" : "]\n", out->stream);
    else if (out->timeline)
        timeline_output_end(out->timeline);
    int rc = fflush(out->stream) == 0 && !ferror(out->stream) ? 0 : -1;
    for (int i = 0; i < out->count && out->names; i++)
        free(out->names[i]);
    free(out->names);
    free(out->sample);
    free(out->sample_numeric);
    free(out->width);
    free(out->right);
    free(out);
    return rc;
}

int64_t output_rows(const struct output *out)
{
    return out->rows;
}
