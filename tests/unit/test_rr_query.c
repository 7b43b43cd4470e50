/*
 * test_rr_query.c — unit tests of rr-query's query language, linked with the
 * tool's own modules (build/lib/librr-query.a): the lexer (token kinds,
 * columns, numbers, quoting, errors), the parser (precedence, each predicate
 * form, order by / limit, errors naming the column) and the compiler (values
 * become bound parameters, names resolve through the trace's syscall table,
 * unknown names are refused), then whole queries run on a small trace this
 * test writes with libtrace, whose rows are known.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>

#include "compile.h"
#include "error.h"
#include "event_log.h"
#include "lexer.h"
#include "parser.h"
#include "query_run.h"
#include "syscall_table.h"
#include "trace_db.h"
#include "trace_store.h"
#include "unit_check.h"

/* The kinds of the tokens of `query`, as letters (W word, N number, S string,
 * = != < <= > >= ( ) , - +, $ end), or NULL when it does not tokenize. */
static char *token_kinds(const char *query, struct token_list *tokens)
{
    static const char *const letters[] = {
        [TOKEN_END] = "$",  [TOKEN_WORD] = "W", [TOKEN_NUMBER] = "N", [TOKEN_STRING] = "S",
        [TOKEN_EQ] = "=",   [TOKEN_NE] = "!",   [TOKEN_LT] = "<",     [TOKEN_LE] = "l",
        [TOKEN_GT] = ">",   [TOKEN_GE] = "g",   [TOKEN_LPAREN] = "(", [TOKEN_RPAREN] = ")",
        [TOKEN_COMMA] = ",", [TOKEN_MINUS] = "-", [TOKEN_PLUS] = "+",
    };
    static char kinds[64];
    if (lexer_tokenize(query, tokens) < 0)
        return NULL;
    kinds[0] = '\0';
    for (int i = 0; i < tokens->count && strlen(kinds) < sizeof kinds - 1; i++)
        strcat(kinds, letters[tokens->items[i].kind]);
    return kinds;
}

static void test_lexer(void)
{
    struct token_list t;
    const char *q = "syscalls where name=openat and ret<0";
    char *kinds = token_kinds(q, &t);
    check(kinds && strcmp(kinds, "WWW=WWW<N$") == 0, "lexer: words, operators, a number, the end");
    check(kinds && strcmp(t.items[6].text, "ret") == 0 && t.items[6].column == (int)(strstr(q, "ret") - q) + 1,
          "lexer: a token knows its 1-based column");
    lexer_free(&t);

    kinds = token_kinds("a == 0x1F and b <> 12 or c<=3 or d>=4", &t);
    check(kinds && strcmp(kinds, "W=NWW!NWWlNWWgN$") == 0 && t.items[2].number == 31 &&
              t.items[6].number == 12,
          "lexer: == and <> are = and !=, hex and decimal numbers");
    lexer_free(&t);

    kinds = token_kinds("path = 'it''s' or path = \"a \"\"b\"\"\"", &t);
    check(kinds && strcmp(kinds, "W=SWW=S$") == 0 && strcmp(t.items[2].text, "it's") == 0 &&
              strcmp(t.items[6].text, "a \"b\"") == 0,
          "lexer: single and double quotes, a doubled quote is one");
    lexer_free(&t);

    kinds = token_kinds("ret in (-ENOENT, SIGRTMIN+3)", &t);
    check(kinds && strcmp(kinds, "WW(-W,W+N)$") == 0, "lexer: minus, comma, parentheses, SIGRTMIN+3");
    lexer_free(&t);

    check(token_kinds("files where path='x", &t) == NULL &&
              strstr(error_text(), "column 18: unterminated string"),
          "lexer: an unterminated string, with its column");
    check(token_kinds("tid=12abc", &t) == NULL && strstr(error_text(), "column 5: bad number '12abc'"),
          "lexer: a bad number, with its column");
    check(token_kinds("tid=1; drop", &t) == NULL && strstr(error_text(), "unexpected character ';'"),
          "lexer: an unexpected character");
    check(token_kinds("seq = 0x", &t) == NULL && strstr(error_text(), "bad hex number"),
          "lexer: 0x without digits");
    check(token_kinds("seq = 99999999999999999999", &t) == NULL && strstr(error_text(), "too large"),
          "lexer: a number beyond 64 bits");
}

/* The tree as text: (or L R), (and L R), (not X), field op value. */
static void tree_text(const struct node *n, char *out, size_t size)
{
    char left[256] = "", right[256] = "";
    switch (n->kind) {
    case NODE_OR:
    case NODE_AND:
        tree_text(n->left, left, sizeof left);
        tree_text(n->right, right, sizeof right);
        snprintf(out, size, "(%s %s %s)", n->kind == NODE_OR ? "or" : "and", left, right);
        return;
    case NODE_NOT:
        tree_text(n->left, left, sizeof left);
        snprintf(out, size, "(not %s)", left);
        return;
    case NODE_COMPARE: snprintf(out, size, "%s%s", n->field, compare_op_text(n->op)); return;
    case NODE_IN: snprintf(out, size, "%s%s in/%d", n->field, n->negated ? " not" : "", n->value_count); return;
    case NODE_LIKE: snprintf(out, size, "%s%s like", n->field, n->negated ? " not" : ""); return;
    case NODE_BETWEEN: snprintf(out, size, "%s%s between/%d", n->field, n->negated ? " not" : "", n->value_count); return;
    case NODE_CONTAINS: snprintf(out, size, "%s contains", n->field); return;
    }
    snprintf(out, size, "?");
}

/* Parse `text` and compare its where-tree with `want`. */
static void check_tree(const char *text, const char *want, const char *name)
{
    char got[512] = "(none)";
    struct query *query = parser_parse(text);
    if (query && query->where)
        tree_text(query->where, got, sizeof got);
    if (strcmp(got, want) != 0)
        printf("    %s: got %s, want %s\n", text, got, want);
    check(strcmp(got, want) == 0, name);
    parser_free(query);
}

static void test_parser(void)
{
    check_tree("syscalls where name=getppid or name=write and ret=6", "(or name= (and name= ret=))",
               "parser: and binds tighter than or");
    check_tree("syscalls where not name=getppid and seq<30", "(and (not name=) seq<)",
               "parser: not binds tighter than and");
    check_tree("syscalls where not (a=1 or b=2)", "(not (or a= b=))", "parser: not of a parenthesis");
    check_tree("syscalls where a=1 or b=2 or c=3", "(or (or a= b=) c=)", "parser: or is left-associative");
    check_tree("syscalls where a in (1, 2, 3) and b not in (x) and c between 1 and 2",
               "(and (and a in/3 b not in/1) c between/2)", "parser: in, not in, between takes its own and");
    check_tree("mmaps where path not like '%libc%' or addr contains 0x1000", "(or path not like addr contains)",
               "parser: not like, contains");
    check_tree("SYSCALLS WHERE NAME != WRITE AND SEQ >= 4", "(and NAME!= SEQ>=)", "parser: keywords in capitals");

    struct query *query = parser_parse("syscalls where ret = -ENOENT order by seq desc limit 2");
    const struct value *v = query && query->where ? &query->where->values[0] : NULL;
    check(v && v->kind == VALUE_NAME && v->negative && strcmp(v->text, "ENOENT") == 0,
          "parser: -NAME is a negative name value");
    check(query && strcmp(query->subject, "syscalls") == 0 && query->order_field &&
              strcmp(query->order_field, "seq") == 0 && query->descending && query->has_limit && query->limit == 2,
          "parser: subject, order by desc, limit");
    parser_free(query);
    query = parser_parse("events");
    check(query && !query->where && !query->order_field && !query->has_limit, "parser: a subject alone");
    parser_free(query);

    check(!parser_parse("syscalls where tid=") && strstr(error_text(), "column 20: expected a value"),
          "parser: a missing value, with its column");
    check(!parser_parse("syscalls where (tid=1") && strstr(error_text(), "expected ')'"),
          "parser: an unclosed parenthesis");
    check(!parser_parse("syscalls where 1=1") && strstr(error_text(), "expected a field name"),
          "parser: a value where a field belongs");
    check(!parser_parse("syscalls where tid=1 extra") && strstr(error_text(), "found 'extra'"),
          "parser: trailing words are named");
    check(!parser_parse("syscalls where where=1"), "parser: a keyword is no field name");
    check(!parser_parse("syscalls limit x") && strstr(error_text(), "syntax error"), "parser: limit wants a number");
}

/* A trace of one task with six events, written with libtrace:
 *   0 openat -> 3, 1 write(3, ..., 4) -> 4, 2 cpuid, 3 getppid -> 100,
 *   4 openat -> -ENOENT, 5 signal SIGUSR1. */
static int write_small_trace(const char *path)
{
    struct trace_store *store = trace_store_create(path);
    if (!store)
        return -1;
    const struct trace_event events[] = {
        {.seq = 0, .tid = 42, .kind = EVENT_SYSCALL, .sysno = SYS_openat, .result = 3},
        {.seq = 1, .tid = 42, .kind = EVENT_SYSCALL, .sysno = SYS_write, .args = {3, 0x1000, 4}, .result = 4},
        {.seq = 2, .tid = 42, .kind = EVENT_CPUID},
        {.seq = 3, .tid = 42, .kind = EVENT_SYSCALL, .sysno = SYS_getppid, .result = 100},
        {.seq = 4, .tid = 42, .kind = EVENT_SYSCALL, .sysno = SYS_openat, .result = -2},
        {.seq = 5, .tid = 42, .kind = EVENT_SIGNAL, .signo = 10},
    };
    int rc = event_log_task_started(store, 42, 42, 1, 0, "./small");
    for (size_t i = 0; rc == 0 && i < sizeof events / sizeof events[0]; i++)
        rc = event_log_append(store, &events[i]);
    if (rc == 0)
        rc = event_log_task_ended(store, 42, 5, TASK_END_EXITED, 0);
    return trace_store_close(store) < 0 ? -1 : rc;
}

/* Compile `text` on `tdb`: 0, or -1 with error_text(). */
static int compile_text(struct trace_db *tdb, const char *text, struct compiled_query *out)
{
    struct query *query = parser_parse(text);
    if (!query)
        return -1;
    int rc = compile_query(query, tdb, false, out);
    parser_free(query);
    return rc;
}

static void test_compile(struct trace_db *tdb)
{
    struct compiled_query c;
    int rc = compile_text(tdb, "syscalls where name = openat and ret < 0 limit 3", &c);
    check(rc == 0 && c.param_count == 3 && !c.params[0].is_text && c.params[0].number == SYS_openat &&
              c.params[1].number == 0 && c.params[2].number == 3,
          "compile: a syscall name, a number and the limit are bound parameters");
    check(rc == 0 && strstr(c.sql, "?1") && strstr(c.sql, "?3") && !strstr(c.sql, "257"),
          "compile: the SQL holds placeholders, not the values");
    if (rc == 0)
        compiled_query_free(&c);

    rc = compile_text(tdb, "files where path = 'x'' OR 1=1 --'", &c);
    check(rc == 0 && c.param_count == 1 && c.params[0].is_text && strcmp(c.params[0].text, "x' OR 1=1 --") == 0 &&
              !strstr(c.sql, "OR 1=1"),
          "compile: a string with SQL in it stays one text parameter");
    if (rc == 0)
        compiled_query_free(&c);

    rc = compile_text(tdb, "syscalls where ret in (-ENOENT, -ENOSYS)", &c);
    check(rc == 0 && c.param_count == 2 && c.params[0].number == -2 && c.params[1].number == -38,
          "compile: errno names in a list");
    if (rc == 0)
        compiled_query_free(&c);

    rc = compile_text(tdb, "signals where signo = usr1", &c);
    check(rc == 0 && c.param_count == 1 && c.params[0].number == 10, "compile: a signal name without SIG");
    if (rc == 0)
        compiled_query_free(&c);

    check(compile_text(tdb, "sycalls", &c) < 0 && strstr(error_text(), "unknown subject 'sycalls'"),
          "compile: an unknown subject is named");
    check(compile_text(tdb, "syscalls where fd = 3", &c) < 0 && strstr(error_text(), "unknown field 'fd' for syscalls"),
          "compile: an unknown field is named with its subject");
    check(compile_text(tdb, "syscalls where name = opnat", &c) < 0 &&
              strstr(error_text(), "unknown syscall name 'opnat'"),
          "compile: an unknown syscall name");
    check(compile_text(tdb, "syscalls where tid = abc", &c) < 0 && strstr(error_text(), "does not fit field tid"),
          "compile: a name where a number belongs");
    check(compile_text(tdb, "syscalls where tid like 3", &c) < 0 && strstr(error_text(), "like compares text"),
          "compile: like on a number field");
    check(compile_text(tdb, "events order by nope", &c) < 0 && strstr(error_text(), "unknown field 'nope'"),
          "compile: an unknown order by field");
}

/* Run `text` on `tdb` as CSV and return the first column of each row, joined
 * by spaces (static buffer), or "error: ..." . */
static const char *first_column(struct trace_db *tdb, const char *text)
{
    static char result[512];
    char *csv = NULL;
    size_t size = 0;
    FILE *out = open_memstream(&csv, &size);
    if (!out)
        return "error: open_memstream";
    int rc = query_run(tdb, text, false, FORMAT_CSV, out);
    fclose(out);
    if (rc < 0) {
        snprintf(result, sizeof result, "error: %s", error_text());
        free(csv);
        return result;
    }
    result[0] = '\0';
    char *line = strchr(csv, '\n'); /* after the header */
    while (line && line[1]) {
        line++;
        size_t len = strcspn(line, ",\n"), used = strlen(result);
        snprintf(result + used, sizeof result - used, "%s%.*s", used ? " " : "", (int)len, line);
        line = strchr(line, '\n');
    }
    free(csv);
    return result;
}

static void check_rows(struct trace_db *tdb, const char *text, const char *want)
{
    const char *got = first_column(tdb, text);
    char name[300];
    snprintf(name, sizeof name, "query: %s -> [%s]", text, want);
    if (strcmp(got, want) != 0)
        printf("    got [%s]\n", got);
    check(strcmp(got, want) == 0, name);
}

static void test_queries(struct trace_db *tdb)
{
    check_rows(tdb, "syscalls", "0 1 3 4");
    check_rows(tdb, "events", "0 1 2 3 4 5");
    check_rows(tdb, "syscalls where name = openat", "0 4");
    check_rows(tdb, "syscalls where ret = -ENOENT", "4");
    check_rows(tdb, "syscalls where not name = openat order by seq desc", "3 1");
    check_rows(tdb, "syscalls where name = getppid or name = write and ret = 5", "3");
    check_rows(tdb, "syscalls where (name = getppid or name = write) and ret = 4", "1");
    check_rows(tdb, "events where seq between 1 and 3", "1 2 3");
    check_rows(tdb, "events where seq not between 1 and 3", "0 4 5");
    check_rows(tdb, "events where kind = cpuid or kind = signal", "2 5");
    check_rows(tdb, "syscalls where name like 'get%'", "3");
    check_rows(tdb, "syscalls where name in (write, getppid) limit 1", "1");
    check_rows(tdb, "signals where signo = SIGUSR1", "5");
    check_rows(tdb, "syscalls where seq > 0x3", "4");
    check_rows(tdb, "syscalls where seq < 0", "");
}

int main(void)
{
    error_set_program("test_rr_query");
    test_lexer();
    test_parser();

    char path[256];
    if (syscall_table_init() < 0 || unit_scratch_path(path, "query") < 0) {
        check(0, "set-up: the syscall table and a scratch trace");
        return unit_check_summary();
    }
    struct trace_db tdb;
    if (write_small_trace(path) < 0 || trace_db_open(&tdb, path) < 0) {
        printf("    %s\n", error_text());
        check(0, "set-up: a small trace written with libtrace opens in rr-query");
        unit_remove_trace(path);
        return unit_check_summary();
    }
    test_compile(&tdb);
    test_queries(&tdb);
    trace_db_close(&tdb);
    unit_remove_trace(path);
    return unit_check_summary();
}
