/*
 * parser.c — recursive descent over the tokens of lexer.c, one function per
 * grammar rule of parser.h. Errors name the column and the token found.
 */
#include "parser.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "error.h"
#include "lexer.h"

struct parser {
    struct token_list tokens;
    int at;
    bool failed;
    int nesting; /* open 'not's and '('s around the current token */
};

static struct token *peek(struct parser *p)
{
    return &p->tokens.items[p->at];
}

static struct token *next(struct parser *p)
{
    struct token *token = peek(p);
    if (token->kind != TOKEN_END)
        p->at++;
    return token;
}

static bool is_keyword(const struct token *token, const char *word)
{
    return token->kind == TOKEN_WORD && strcasecmp(token->text, word) == 0;
}

static bool accept_keyword(struct parser *p, const char *word)
{
    if (!is_keyword(peek(p), word))
        return false;
    next(p);
    return true;
}

/* Record a syntax error at the current token (only the first one counts). */
static void *fail_expected(struct parser *p, const char *expected)
{
    if (!p->failed) {
        char found[128];
        struct token *token = peek(p);
        error_set("syntax error at column %d: expected %s, found %s", token->column, expected,
                  token_describe(token, found, sizeof found));
        p->failed = true;
    }
    return NULL;
}

static const char *const reserved_words[] = {
    "where", "order", "by", "asc", "desc", "limit", "and", "or", "not", "in", "like",
    "between", "contains",
};

static bool is_reserved(const struct token *token)
{
    for (size_t i = 0; i < sizeof reserved_words / sizeof reserved_words[0]; i++)
        if (is_keyword(token, reserved_words[i]))
            return true;
    return false;
}

static void free_node(struct node *node)
{
    if (!node)
        return;
    free_node(node->left);
    free_node(node->right);
    free(node->field);
    for (int i = 0; i < node->value_count; i++)
        free(node->values[i].text);
    free(node->values);
    free(node);
}

static struct node *new_node(struct parser *p, enum node_kind kind)
{
    struct node *node = calloc(1, sizeof *node);
    if (!node && !p->failed) {
        error_set("out of memory");
        p->failed = true;
    }
    if (node)
        node->kind = kind;
    return node;
}

static bool add_value(struct parser *p, struct node *node, struct value value)
{
    struct value *values = realloc(node->values, (size_t)(node->value_count + 1) * sizeof *values);
    if (!values) {
        free(value.text);
        error_set("out of memory");
        p->failed = true;
        return false;
    }
    node->values = values;
    node->values[node->value_count++] = value;
    return true;
}

/* value := [-] NUMBER | [-] NAME ['+' NUMBER] | STRING */
static bool parse_value(struct parser *p, struct node *node)
{
    struct value value = {.column = peek(p)->column};
    if (peek(p)->kind == TOKEN_MINUS) {
        next(p);
        value.negative = true;
    }
    struct token *token = peek(p);
    if (token->kind == TOKEN_NUMBER) {
        value.kind = VALUE_NUMBER;
        value.number = token->number;
        value.text = strdup(token->text);
    } else if (token->kind == TOKEN_WORD && !is_reserved(token)) {
        value.kind = VALUE_NAME;
        struct token *after = &p->tokens.items[p->at + 1];
        if (after->kind == TOKEN_PLUS && p->tokens.items[p->at + 2].kind == TOKEN_NUMBER) {
            /* SIGRTMIN+3 */
            size_t len = strlen(token->text) + strlen(p->tokens.items[p->at + 2].text) + 2;
            value.text = malloc(len);
            if (value.text)
                strcat(strcat(strcpy(value.text, token->text), "+"), p->tokens.items[p->at + 2].text);
            next(p);
            next(p);
        } else {
            value.text = strdup(token->text);
        }
    } else if (token->kind == TOKEN_STRING && !value.negative) {
        value.kind = VALUE_STRING;
        value.text = strdup(token->text);
    } else {
        fail_expected(p, value.negative ? "a number or a name after '-'" : "a value (number, name or 'string')");
        return false;
    }
    if (!value.text) {
        error_set("out of memory");
        p->failed = true;
        return false;
    }
    next(p);
    return add_value(p, node, value);
}

static bool parse_in_list(struct parser *p, struct node *node)
{
    if (peek(p)->kind != TOKEN_LPAREN) {
        fail_expected(p, "'(' after in");
        return false;
    }
    next(p);
    do {
        if (!parse_value(p, node))
            return false;
    } while (peek(p)->kind == TOKEN_COMMA && next(p));
    if (peek(p)->kind != TOKEN_RPAREN) {
        fail_expected(p, "',' or ')' in the in (…) list");
        return false;
    }
    next(p);
    return true;
}

static struct node *parse_predicate(struct parser *p)
{
    struct token *field = peek(p);
    if (field->kind != TOKEN_WORD || is_reserved(field))
        return fail_expected(p, "a field name, 'not' or '('");
    next(p);
    struct node *node = new_node(p, NODE_COMPARE);
    if (!node || !(node->field = strdup(field->text))) {
        free_node(node);
        return NULL;
    }
    node->column = field->column;
    static const struct {
        enum token_kind token;
        enum compare_op op;
    } comparisons[] = {
        {TOKEN_EQ, OP_EQ}, {TOKEN_NE, OP_NE}, {TOKEN_LT, OP_LT},
        {TOKEN_LE, OP_LE}, {TOKEN_GT, OP_GT}, {TOKEN_GE, OP_GE},
    };
    for (size_t i = 0; i < sizeof comparisons / sizeof comparisons[0]; i++)
        if (peek(p)->kind == comparisons[i].token) {
            next(p);
            node->op = comparisons[i].op;
            if (!parse_value(p, node)) {
                free_node(node);
                return NULL;
            }
            return node;
        }
    if (accept_keyword(p, "contains")) {
        node->kind = NODE_CONTAINS;
        if (!parse_value(p, node)) {
            free_node(node);
            return NULL;
        }
        return node;
    }
    node->negated = accept_keyword(p, "not");
    bool ok;
    if (accept_keyword(p, "in")) {
        node->kind = NODE_IN;
        ok = parse_in_list(p, node);
    } else if (accept_keyword(p, "like")) {
        node->kind = NODE_LIKE;
        ok = parse_value(p, node);
    } else if (accept_keyword(p, "between")) {
        node->kind = NODE_BETWEEN;
        ok = parse_value(p, node) &&
             (accept_keyword(p, "and") || fail_expected(p, "'and' in between … and …")) &&
             parse_value(p, node);
    } else {
        fail_expected(p, node->negated ? "in, like or between after not"
                                       : "an operator (= != < <= > >= in like between contains)");
        ok = false;
    }
    if (!ok) {
        free_node(node);
        return NULL;
    }
    return node;
}

/* Whether a tree `height` levels deep, or `nesting` levels of not and '(',
 * stay within QUERY_MAX_DEPTH; else the error, at the current token. The
 * parser, the compiler and the tree's free all recurse that deep, and SQLite
 * refuses expressions deeper than 1000. */
static bool within_depth(struct parser *p, int depth)
{
    if (depth <= QUERY_MAX_DEPTH)
        return true;
    if (!p->failed) {
        error_set("query nested too deeply at column %d (at most %d levels of not, parentheses, and, or)",
                  peek(p)->column, QUERY_MAX_DEPTH);
        p->failed = true;
    }
    return false;
}

static int max_int(int a, int b)
{
    return a > b ? a : b;
}

static struct node *parse_or(struct parser *p);

static struct node *parse_unary(struct parser *p)
{
    bool is_not = is_keyword(peek(p), "not");
    if (!is_not && peek(p)->kind != TOKEN_LPAREN)
        return parse_predicate(p);
    if (!within_depth(p, ++p->nesting))
        return NULL;
    next(p);
    struct node *inner = is_not ? parse_unary(p) : parse_or(p);
    p->nesting--;
    if (is_not) {
        struct node *node = inner && within_depth(p, inner->height + 1) ? new_node(p, NODE_NOT) : NULL;
        if (!node) {
            free_node(inner);
            return NULL;
        }
        node->left = inner;
        node->height = inner->height + 1;
        return node;
    }
    if (!inner)
        return NULL;
    if (peek(p)->kind != TOKEN_RPAREN) {
        free_node(inner);
        return fail_expected(p, "')'");
    }
    next(p);
    return inner;
}

static struct node *parse_binary(struct parser *p, const char *keyword, enum node_kind kind,
                                 struct node *(*operand)(struct parser *))
{
    struct node *left = operand(p);
    while (left && accept_keyword(p, keyword)) {
        struct node *right = operand(p);
        int height = right ? max_int(left->height, right->height) + 1 : 0;
        struct node *node = right && within_depth(p, height) ? new_node(p, kind) : NULL;
        if (!node) {
            free_node(left);
            free_node(right);
            return NULL;
        }
        node->left = left;
        node->right = right;
        node->height = height;
        left = node;
    }
    return left;
}

static struct node *parse_and(struct parser *p)
{
    return parse_binary(p, "and", NODE_AND, parse_unary);
}

static struct node *parse_or(struct parser *p)
{
    return parse_binary(p, "or", NODE_OR, parse_and);
}

static bool parse_tail(struct parser *p, struct query *q)
{
    if (accept_keyword(p, "where") && !(q->where = parse_or(p)))
        return false;
    if (accept_keyword(p, "order")) {
        if (!accept_keyword(p, "by")) {
            fail_expected(p, "'by' after order");
            return false;
        }
        struct token *field = peek(p);
        if (field->kind != TOKEN_WORD || is_reserved(field)) {
            fail_expected(p, "a field name after order by");
            return false;
        }
        if (!(q->order_field = strdup(field->text))) {
            error_set("out of memory");
            return false;
        }
        q->order_column = field->column;
        next(p);
        if (accept_keyword(p, "desc"))
            q->descending = true;
        else
            accept_keyword(p, "asc");
    }
    if (accept_keyword(p, "limit")) {
        if (peek(p)->kind != TOKEN_NUMBER) {
            fail_expected(p, "a number after limit");
            return false;
        }
        q->has_limit = true;
        q->limit = next(p)->number;
    }
    if (peek(p)->kind != TOKEN_END) {
        fail_expected(p, q->where || q->order_field || q->has_limit
                             ? "and, or, order by, limit or the end of the query"
                             : "where, order by, limit or the end of the query");
        return false;
    }
    return true;
}

struct query *parser_parse(const char *text)
{
    struct parser p = {0};
    if (lexer_tokenize(text, &p.tokens) < 0)
        return NULL;
    struct query *q = calloc(1, sizeof *q);
    if (!q) {
        error_set("out of memory");
        lexer_free(&p.tokens);
        return NULL;
    }
    struct token *subject = peek(&p);
    if (subject->kind != TOKEN_WORD || is_reserved(subject)) {
        fail_expected(&p, "a subject (syscalls, signals, events, tasks, mmaps, writes, files, exec)");
    } else {
        q->subject = strdup(subject->text);
        q->subject_column = subject->column;
        next(&p);
        if (!q->subject) {
            error_set("out of memory");
            p.failed = true;
        } else if (!parse_tail(&p, q)) {
            p.failed = true;
        }
    }
    lexer_free(&p.tokens);
    if (p.failed) {
        parser_free(q);
        return NULL;
    }
    return q;
}

void parser_free(struct query *q)
{
    if (!q)
        return;
    free(q->subject);
    free_node(q->where);
    free(q->order_field);
    free(q);
}

const char *compare_op_text(enum compare_op op)
{
    static const char *const text[] = {"=", "!=", "<", "<=", ">", ">="};
    return text[op];
}
