/*
 * compile.c — syntax tree to SQL with bound parameters (see compile.h).
 *
 * Parameters are numbered (?1, ?2 …) so one value can appear twice (the
 * bounds of `contains`). A syscall name is compiled to its number from the
 * trace's own syscall table, so `name=openat` reads the event_by_sysno index.
 */
#include "compile.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "array_grow.h"
#include "error.h"
#include "kernel_names.h"
#include "strbuf.h"
#include "trace_event.h"
#include "trace_db.h"

struct compiler {
    struct trace_db *tdb;
    const struct subject *subject;
    struct strbuf sql;
    struct sql_param *params;
    int count, capacity;
};

static int add_param(struct compiler *c, struct sql_param param)
{
    struct sql_param *params = array_grow(c->params, &c->capacity, c->count + 1, sizeof *params, 8);
    if (!params) {
        free(param.text);
        return -1;
    }
    c->params = params;
    c->params[c->count++] = param;
    return c->count;
}

static int add_int(struct compiler *c, int64_t number)
{
    return add_param(c, (struct sql_param){false, number, NULL});
}

static int add_text(struct compiler *c, const char *text, bool negative)
{
    size_t len = strlen(text) + 2;
    char *copy = malloc(len);
    if (!copy) {
        error_set("out of memory");
        return -1;
    }
    snprintf(copy, len, "%s%s", negative ? "-" : "", text);
    return add_param(c, (struct sql_param){true, 0, copy});
}

static const char *type_takes(enum field_type type)
{
    switch (type) {
    case FIELD_TEXT: return "text";
    case FIELD_SYSNO:
    case FIELD_SYSCALL_NAME: return "a syscall name or number";
    case FIELD_RESULT: return "a number or an errno name (-ENOENT)";
    case FIELD_ERRNO: return "an errno name or number";
    case FIELD_SIGNAL: return "a signal name or number";
    case FIELD_EVENT_KIND: return "an event kind (syscall, signal, rdtsc, cpuid, exec, exit, landmark, enter)";
    default: return "a number";
    }
}

static int value_error(const struct field *f, const struct value *v, const char *why)
{
    const char *quote = v->kind == VALUE_STRING ? "'" : "";
    if (why)
        error_set("column %d: %s (field %s takes %s)", v->column, why, f->name, type_takes(f->type));
    else
        error_set("column %d: %s%s%s%s does not fit field %s, which takes %s", v->column,
                  v->negative ? "-" : "", quote, v->text, quote, f->name, type_takes(f->type));
    return -1;
}

static int event_kind_number(const char *name)
{
    for (int kind = 1; kind < 32; kind++)
        if (strcasecmp(name, event_kind_name((enum event_kind)kind)) == 0 && strcmp(name, "unknown") != 0)
            return kind;
    return -1;
}

/* The number a value stands for in field f; -1 with error_set when it has none. */
/* A number literal as the trace's 64-bit signed columns hold it: -2^63 up to
 * 2^63-1 in decimal; hex up to 2^64-1 too, as the two's complement an address
 * above 2^63 is stored as (0xffffffffff600000). */
static int literal_number(const struct field *f, const struct value *v, int64_t *number)
{
    bool hex = v->text[0] == '0' && (v->text[1] == 'x' || v->text[1] == 'X');
    if (v->negative) {
        if (v->number > (uint64_t)INT64_MAX + 1)
            return value_error(f, v, "number too small (the least is -9223372036854775808)");
        *number = v->number == (uint64_t)INT64_MAX + 1 ? INT64_MIN : -(int64_t)v->number;
    } else {
        if (v->number > (uint64_t)INT64_MAX && !hex)
            return value_error(f, v, "number too large (the largest is 9223372036854775807; "
                                     "addresses above it are written in hex)");
        *number = (int64_t)v->number; /* hex above 2^63-1: its two's complement */
    }
    return 0;
}

static int value_number(struct compiler *c, const struct field *f, const struct value *v, int64_t *number)
{
    int64_t magnitude;
    if (v->kind == VALUE_NUMBER) {
        return literal_number(f, v, number);
    } else if (v->kind == VALUE_STRING && f->type != FIELD_SYSCALL_NAME && f->type != FIELD_SYSNO &&
               f->type != FIELD_EVENT_KIND) {
        return value_error(f, v, NULL);
    } else {
        long found = -1;
        char why[160];
        switch (f->type) {
        case FIELD_SYSNO:
        case FIELD_SYSCALL_NAME:
            found = trace_db_syscall_number(c->tdb, v->text);
            snprintf(why, sizeof why, "unknown syscall name '%s'", v->text);
            break;
        case FIELD_RESULT:
        case FIELD_ERRNO:
            found = errno_from_name(v->text);
            snprintf(why, sizeof why, "unknown errno name '%s'", v->text);
            break;
        case FIELD_SIGNAL:
            found = signal_from_name(v->text);
            snprintf(why, sizeof why, "unknown signal name '%s'", v->text);
            break;
        case FIELD_EVENT_KIND:
            found = event_kind_number(v->text);
            snprintf(why, sizeof why, "unknown event kind '%s'", v->text);
            break;
        default:
            return value_error(f, v, NULL);
        }
        if (found < 0)
            return value_error(f, v, why);
        magnitude = found;
    }
    *number = v->negative ? -magnitude : magnitude;
    return 0;
}

/* Add the parameter for value v of field f; returns its number or -1. */
static int value_param(struct compiler *c, const struct field *f, const struct value *v)
{
    if (f->type == FIELD_TEXT) {
        if (v->negative && v->kind == VALUE_NAME)
            return value_error(f, v, "a name cannot be negative");
        return add_text(c, v->text, v->negative);
    }
    int64_t number = 0;
    if (value_number(c, f, v, &number) < 0)
        return -1;
    return add_int(c, number);
}

static const struct field *lookup_field(struct compiler *c, const char *name, int column)
{
    const struct field *f = subject_field(c->subject, name);
    if (!f) {
        char fields[1024];
        error_set("column %d: unknown field '%s' for %s; fields: %s", column, name, c->subject->name,
                  subject_field_list(c->subject, fields, sizeof fields));
    }
    return f;
}

/* A syscall-name field compared as text (ordering, between) goes through its name. */
static void add_name_of(struct compiler *c, const struct field *f)
{
    strbuf_add(&c->sql, "(SELECT s.name FROM syscall_info s WHERE s.nr = %s)", f->sql);
}

static bool is_name_value(const struct value *v)
{
    return v->kind != VALUE_NUMBER;
}

static int compile_compare(struct compiler *c, const struct node *n, const struct field *f)
{
    const struct value *v = &n->values[0];
    if (f->type == FIELD_SYSCALL_NAME && n->op != OP_EQ && n->op != OP_NE && is_name_value(v)) {
        int p = add_text(c, v->text, false);
        if (p < 0)
            return -1;
        strbuf_add(&c->sql, "(");
        add_name_of(c, f);
        strbuf_add(&c->sql, " %s ?%d)", compare_op_text(n->op), p);
        return 0;
    }
    int p = value_param(c, f, v);
    if (p < 0)
        return -1;
    strbuf_add(&c->sql, "(%s %s ?%d)", f->sql, compare_op_text(n->op), p);
    return 0;
}

static int compile_in(struct compiler *c, const struct node *n, const struct field *f)
{
    strbuf_add(&c->sql, "(%s %sIN (", f->sql, n->negated ? "NOT " : "");
    for (int i = 0; i < n->value_count; i++) {
        int p = value_param(c, f, &n->values[i]);
        if (p < 0)
            return -1;
        strbuf_add(&c->sql, "%s?%d", i ? ", " : "", p);
    }
    strbuf_add(&c->sql, "))");
    return 0;
}

static int compile_like(struct compiler *c, const struct node *n, const struct field *f)
{
    const struct value *v = &n->values[0];
    if (f->type != FIELD_TEXT && f->type != FIELD_SYSCALL_NAME) {
        error_set("column %d: like compares text; field %s takes %s", n->column, f->name, type_takes(f->type));
        return -1;
    }
    if (v->kind == VALUE_NUMBER || v->negative) {
        error_set("column %d: like takes a 'pattern' with %% and _", v->column);
        return -1;
    }
    int p = add_text(c, v->text, false);
    if (p < 0)
        return -1;
    if (f->type == FIELD_SYSCALL_NAME)
        strbuf_add(&c->sql, "(%s %sIN (SELECT s.nr FROM syscall_info s WHERE s.name LIKE ?%d))", f->sql,
                   n->negated ? "NOT " : "", p);
    else
        strbuf_add(&c->sql, "(%s %sLIKE ?%d)", f->sql, n->negated ? "NOT " : "", p);
    return 0;
}

static int compile_between(struct compiler *c, const struct node *n, const struct field *f)
{
    int low, high;
    bool by_name = f->type == FIELD_SYSCALL_NAME && is_name_value(&n->values[0]) && is_name_value(&n->values[1]);
    if (by_name) {
        low = add_text(c, n->values[0].text, false);
        high = low < 0 ? -1 : add_text(c, n->values[1].text, false);
    } else {
        low = value_param(c, f, &n->values[0]);
        high = low < 0 ? -1 : value_param(c, f, &n->values[1]);
    }
    if (high < 0)
        return -1;
    strbuf_add(&c->sql, "(");
    if (by_name)
        add_name_of(c, f);
    else
        strbuf_add(&c->sql, "%s", f->sql);
    strbuf_add(&c->sql, " %sBETWEEN ?%d AND ?%d)", n->negated ? "NOT " : "", low, high);
    return 0;
}

static int compile_contains(struct compiler *c, const struct node *n, const struct field *f)
{
    if (f->type != FIELD_RANGE) {
        char ranges[256] = "";
        int len = 0;
        for (int i = 0; i < subject_count(); i++) {
            const struct subject *s = subject_at(i);
            for (int j = 0; j < s->field_count; j++)
                if (s->fields[j].type == FIELD_RANGE)
                    len += snprintf(ranges + len, sizeof ranges - (size_t)len, "%s%s %s",
                                    len ? ", " : "", s->name, s->fields[j].name);
        }
        error_set("column %d: contains applies to address ranges (%s); %s is not one", n->column, ranges, f->name);
        return -1;
    }
    int p = value_param(c, f, &n->values[0]);
    if (p < 0)
        return -1;
    strbuf_add(&c->sql, "(%s <= ?%d AND ?%d < %s)", f->sql, p, p, f->end_sql);
    return 0;
}

static int compile_node(struct compiler *c, const struct node *n);

/* `n` as an operand of an operator of kind `parent` (NODE_AND, NODE_NOT):
 * parenthesized only where SQL's precedence (NOT over AND over OR, as in the
 * query language) needs it, so that a long chain of and/or or a nest of
 * parentheses does not become a nest SQLite's parser refuses. */
static int compile_operand(struct compiler *c, const struct node *n, enum node_kind parent)
{
    while (n->kind == NODE_NOT && n->left->kind == NODE_NOT)
        n = n->left->left; /* not not X selects what X selects (SQL's NULL included) */
    bool parens = (n->kind == NODE_OR && parent != NODE_OR) || (n->kind == NODE_AND && parent == NODE_NOT);
    strbuf_add(&c->sql, parens ? "(" : "");
    if (compile_node(c, n) < 0)
        return -1;
    strbuf_add(&c->sql, parens ? ")" : "");
    return 0;
}

static int compile_node(struct compiler *c, const struct node *n)
{
    switch (n->kind) {
    case NODE_OR:
    case NODE_AND:
        if (compile_operand(c, n->left, n->kind) < 0)
            return -1;
        strbuf_add(&c->sql, n->kind == NODE_OR ? " OR " : " AND ");
        return compile_operand(c, n->right, n->kind);
    case NODE_NOT:
        strbuf_add(&c->sql, "NOT ");
        return compile_operand(c, n->left, NODE_NOT);
    default:
        break;
    }
    const struct field *f = lookup_field(c, n->field, n->column);
    if (!f)
        return -1;
    switch (n->kind) {
    case NODE_COMPARE: return compile_compare(c, n, f);
    case NODE_IN: return compile_in(c, n, f);
    case NODE_LIKE: return compile_like(c, n, f);
    case NODE_BETWEEN: return compile_between(c, n, f);
    case NODE_CONTAINS: return compile_contains(c, n, f);
    default: return -1;
    }
}

static void add_select_list(struct compiler *c, struct compiled_query *out)
{
    strbuf_add(&c->sql, "SELECT ");
    for (int i = 0; i < out->column_count; i++)
        strbuf_add(&c->sql, "%s%s AS \"%s\"", i ? ", " : "", out->columns[i].sql, out->columns[i].name);
    int next = out->column_count;
    for (int i = 0; i < out->column_count; i++) {
        out->arg_index[i] = -1;
        if (out->columns[i].arg_sql) {
            strbuf_add(&c->sql, ", %s", out->columns[i].arg_sql);
            out->arg_index[i] = next++;
        }
    }
    out->event_base = -1;
    if (c->subject->event_row) {
        strbuf_add(&c->sql, ", " SUBJECT_EVENT_COLUMNS);
        out->event_base = next;
    }
}

int compile_query(const struct query *query, struct trace_db *tdb, bool raw, struct compiled_query *out)
{
    memset(out, 0, sizeof *out);
    const struct subject *subject = subject_find(query->subject);
    if (!subject) {
        char subjects[256];
        error_set("unknown subject '%s'; subjects: %s (and the commands stats, ps)", query->subject,
                  subject_list(subjects, sizeof subjects));
        return -1;
    }
    struct compiler c = {.tdb = tdb, .subject = subject};
    out->subject = subject;
    out->columns = raw ? subject->raw_columns : subject->columns;
    out->column_count = raw ? subject->raw_column_count : subject->column_count;
    out->arg_index = calloc((size_t)out->column_count, sizeof *out->arg_index);
    if (!out->arg_index) {
        error_set("out of memory");
        return -1;
    }
    add_select_list(&c, out);
    strbuf_add(&c.sql, " FROM %s", subject->from);
    if (subject->base_where || query->where)
        strbuf_add(&c.sql, " WHERE ");
    if (subject->base_where)
        strbuf_add(&c.sql, "%s%s", subject->base_where, query->where ? " AND " : "");
    strbuf_add(&c.sql, query->where ? "(" : "");
    int rc = query->where ? compile_operand(&c, query->where, NODE_OR) : 0;
    strbuf_add(&c.sql, query->where ? ")" : "");
    if (rc == 0 && query->order_field) {
        const struct field *f = lookup_field(&c, query->order_field, query->order_column);
        if (!f)
            rc = -1;
        else
            strbuf_add(&c.sql, " ORDER BY %s %s, %s", f->sql, query->descending ? "DESC" : "ASC", subject->order);
    } else if (rc == 0) {
        strbuf_add(&c.sql, " ORDER BY %s", subject->order);
    }
    if (rc == 0 && query->has_limit) {
        int p = add_int(&c, query->limit > INT64_MAX ? INT64_MAX : (int64_t)query->limit);
        if (p < 0)
            rc = -1;
        else
            strbuf_add(&c.sql, " LIMIT ?%d", p);
    }
    out->params = c.params;
    out->param_count = c.count;
    out->sql = strbuf_take(&c.sql);
    if (rc == 0 && !out->sql) {
        error_set("out of memory");
        rc = -1;
    }
    if (rc < 0) {
        compiled_query_free(out);
        return -1;
    }
    return 0;
}

void compiled_query_free(struct compiled_query *compiled)
{
    for (int i = 0; i < compiled->param_count; i++)
        free(compiled->params[i].text);
    free(compiled->params);
    free(compiled->sql);
    free(compiled->arg_index);
    memset(compiled, 0, sizeof *compiled);
}
