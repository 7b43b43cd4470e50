/*
 * parser.h — the query language's grammar and its syntax tree.
 *
 *   query     := SUBJECT [where expr] [order by FIELD [asc|desc]] [limit N]
 *   expr      := and_expr {or and_expr}
 *   and_expr  := unary {and unary}
 *   unary     := not unary | '(' expr ')' | predicate
 *   predicate := FIELD (= | != | < | <= | > | >=) value
 *              | FIELD [not] in '(' value {',' value} ')'
 *              | FIELD [not] like value
 *              | FIELD [not] between value and value
 *              | FIELD contains value
 *   value     := [-] NUMBER | [-] NAME | 'string'
 *
 * Nesting is limited: at most QUERY_MAX_DEPTH levels of not and parentheses,
 * and a tree at most that high (a chain of N 'and's is N levels).
 * Keywords are case-insensitive. `not` binds tighter than `and`, which binds
 * tighter than `or`. The parser knows nothing about subjects and fields: names
 * and values are checked and typed when the tree is compiled (compile.h).
 */
#ifndef RRQ_PARSER_H
#define RRQ_PARSER_H

#include <stdbool.h>
#include <stdint.h>

#define QUERY_MAX_DEPTH 256

enum value_kind {
    VALUE_NUMBER, /* 12, 0x7ffd1234 */
    VALUE_NAME,   /* a bare word, resolved by the field: openat, ENOENT, SIGSEGV */
    VALUE_STRING, /* 'quoted' */
};

struct value {
    enum value_kind kind;
    bool negative;   /* written with a leading '-' */
    uint64_t number; /* VALUE_NUMBER */
    char *text;      /* VALUE_NAME, VALUE_STRING */
    int column;
};

enum node_kind {
    NODE_OR,
    NODE_AND,
    NODE_NOT,
    NODE_COMPARE,
    NODE_IN,
    NODE_LIKE,
    NODE_BETWEEN,
    NODE_CONTAINS,
};

enum compare_op { OP_EQ, OP_NE, OP_LT, OP_LE, OP_GT, OP_GE };

struct node {
    enum node_kind kind;
    struct node *left, *right; /* OR, AND: both; NOT: left */
    char *field;               /* predicates */
    int column;                /* where the predicate's field is written */
    enum compare_op op;        /* NODE_COMPARE */
    bool negated;              /* not in / not like / not between */
    struct value *values;      /* COMPARE, LIKE, CONTAINS: 1; BETWEEN: 2; IN: 1 or more */
    int value_count;
    int height;                /* operators (and, or, not) on the longest path down: 0 for a predicate */
};

struct query {
    char *subject;
    int subject_column;
    struct node *where;   /* NULL: every row */
    char *order_field;    /* NULL: the subject's natural order */
    int order_column;
    bool descending;
    bool has_limit;
    uint64_t limit;
};

/* Parse `text`. Returns a query to free with parser_free, or NULL with
 * error_set saying what was expected, what was found, and at which column. */
struct query *parser_parse(const char *text);
void parser_free(struct query *query);

const char *compare_op_text(enum compare_op op);

#endif
