/*
 * fuzz_query.c — libFuzzer target for rr-query's language: the lexer, the
 * parser and the compiler, and the compiled SQL run on a small real trace
 * (trace_template.h) with every renderer, so what a query selects is decoded too.
 *
 * Input: the first byte picks raw or decoded columns and the output format,
 * the rest is the query text. A query is either refused with an error message,
 * or compiled into SQL that runs; rr-query's own --timeout is not armed (the
 * fuzzer's -timeout catches a statement that runs for ever).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "output.h"
#include "query_run.h"
#include "subjects.h"
#include "syscall_table.h"
#include "trace_db.h"
#include "trace_template.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct trace_db tdb;
static FILE *sink;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    const char *path = trace_template_path();
    sink = fopen("/dev/null", "w");
    if (!path || !sink || syscall_table_init() < 0) {
        fprintf(stderr, "fuzz_query: cannot set up: %s\n", error_text());
        exit(1);
    }
    if (trace_db_open(&tdb, path) < 0) {
        fprintf(stderr, "fuzz_query: cannot open the template trace: %s\n", error_text());
        exit(1);
    }
    if (subjects_init(tdb.syscalls) < 0) {
        fprintf(stderr, "fuzz_query: the template trace's syscall table: %s\n", error_text());
        exit(1);
    }
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    static const enum output_format formats[] = {FORMAT_TABLE, FORMAT_CSV, FORMAT_TSV, FORMAT_JSON};
    bool raw = data[0] & 1;
    enum output_format format = formats[(data[0] >> 1) & 3];
    bool explain = data[0] & 8;
    char *text = malloc(size);
    if (!text)
        return 0;
    memcpy(text, data + 1, size - 1);
    text[size - 1] = '\0';
    error_set("%s", "");
    int rc = explain ? query_explain(&tdb, text, sink) : query_run(&tdb, text, raw, format, sink);
    if (rc < 0 && !error_text()[0]) {
        fprintf(stderr, "fuzz_query: query '%s' failed without a message\n", text);
        abort();
    }
    free(text);
    return 0;
}
