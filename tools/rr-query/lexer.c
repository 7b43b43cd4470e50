/*
 * lexer.c — the query tokenizer (see lexer.h). Every token keeps its column
 * so that an error can point at it.
 */
#include "lexer.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "array_grow.h"
#include "error.h"

static int push(struct token_list *tokens, int *capacity, struct token token)
{
    struct token *items = array_grow(tokens->items, capacity, tokens->count + 1, sizeof *items, 16);
    if (!items) {
        free(token.text);
        return -1;
    }
    tokens->items = items;
    tokens->items[tokens->count++] = token;
    return 0;
}

static char *copy_range(const char *start, size_t len)
{
    char *text = malloc(len + 1);
    if (text) {
        memcpy(text, start, len);
        text[len] = '\0';
    }
    return text;
}

/* A quoted string starting at s[0] (the quote); the quote doubled stands for itself. */
static int lex_string(const char *query, const char **at, struct token *token)
{
    const char *s = *at;
    char quote = *s++;
    size_t len = 0;
    char *text = malloc(strlen(s) + 1);
    if (!text) {
        error_set("out of memory");
        return -1;
    }
    for (;;) {
        if (!*s) {
            free(text);
            error_set("syntax error at column %d: unterminated string", (int)(*at - query) + 1);
            return -1;
        }
        if (*s == quote) {
            if (s[1] != quote)
                break;
            s++;
        }
        text[len++] = *s++;
    }
    text[len] = '\0';
    token->kind = TOKEN_STRING;
    token->text = text;
    *at = s + 1;
    return 0;
}

static int lex_number(const char *query, const char **at, struct token *token)
{
    const char *s = *at;
    const char *start = s;
    int base = 10;
    if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
        base = 16;
        s += 2;
        if (!isxdigit((unsigned char)*s)) {
            error_set("syntax error at column %d: bad hex number", (int)(start - query) + 1);
            return -1;
        }
    }
    while (base == 16 ? isxdigit((unsigned char)*s) : isdigit((unsigned char)*s))
        s++;
    if (isalnum((unsigned char)*s) || *s == '_') {
        error_set("syntax error at column %d: bad number '%.*s'", (int)(start - query) + 1,
                  (int)strcspn(start, " \t\n()=,<>!'\""), start);
        return -1;
    }
    errno = 0;
    unsigned long long value = strtoull(base == 16 ? start + 2 : start, NULL, base);
    if (errno == ERANGE) {
        error_set("syntax error at column %d: number too large", (int)(start - query) + 1);
        return -1;
    }
    token->kind = TOKEN_NUMBER;
    token->number = value;
    token->text = copy_range(start, (size_t)(s - start));
    *at = s;
    if (!token->text) {
        error_set("out of memory");
        return -1;
    }
    return 0;
}

static int lex_operator(const char *query, const char **at, struct token *token)
{
    const char *s = *at;
    static const struct {
        const char *text;
        enum token_kind kind;
    } operators[] = {
        {"==", TOKEN_EQ}, {"!=", TOKEN_NE}, {"<>", TOKEN_NE}, {"<=", TOKEN_LE}, {">=", TOKEN_GE},
        {"=", TOKEN_EQ}, {"<", TOKEN_LT}, {">", TOKEN_GT}, {"(", TOKEN_LPAREN},
        {")", TOKEN_RPAREN}, {",", TOKEN_COMMA}, {"-", TOKEN_MINUS}, {"+", TOKEN_PLUS},
    };
    for (size_t i = 0; i < sizeof operators / sizeof operators[0]; i++) {
        size_t n = strlen(operators[i].text);
        if (strncmp(s, operators[i].text, n) == 0) {
            token->kind = operators[i].kind;
            token->text = copy_range(s, n);
            *at = s + n;
            if (!token->text) {
                error_set("out of memory");
                return -1;
            }
            return 0;
        }
    }
    error_set("syntax error at column %d: unexpected character '%c'", (int)(s - query) + 1, *s);
    return -1;
}

int lexer_tokenize(const char *query, struct token_list *tokens)
{
    int capacity = 0;
    tokens->items = NULL;
    tokens->count = 0;
    const char *s = query;
    for (;;) {
        while (isspace((unsigned char)*s))
            s++;
        struct token token = {.column = (int)(s - query) + 1};
        int rc = 0;
        if (!*s) {
            token.kind = TOKEN_END;
            return push(tokens, &capacity, token) < 0 ? (lexer_free(tokens), -1) : 0;
        } else if (*s == '\'' || *s == '"') {
            rc = lex_string(query, &s, &token);
        } else if (isdigit((unsigned char)*s)) {
            rc = lex_number(query, &s, &token);
        } else if (isalpha((unsigned char)*s) || *s == '_') {
            const char *start = s;
            while (isalnum((unsigned char)*s) || *s == '_')
                s++;
            token.kind = TOKEN_WORD;
            token.text = copy_range(start, (size_t)(s - start));
            if (!token.text) {
                error_set("out of memory");
                rc = -1;
            }
        } else {
            rc = lex_operator(query, &s, &token);
        }
        if (rc < 0 || push(tokens, &capacity, token) < 0) {
            lexer_free(tokens);
            return -1;
        }
    }
}

void lexer_free(struct token_list *tokens)
{
    for (int i = 0; i < tokens->count; i++)
        free(tokens->items[i].text);
    free(tokens->items);
    tokens->items = NULL;
    tokens->count = 0;
}

const char *token_describe(const struct token *token, char *buf, int size)
{
    switch (token->kind) {
    case TOKEN_END: snprintf(buf, (size_t)size, "the end of the query"); break;
    case TOKEN_STRING: snprintf(buf, (size_t)size, "string '%s'", token->text); break;
    case TOKEN_NUMBER: snprintf(buf, (size_t)size, "number %s", token->text); break;
    default: snprintf(buf, (size_t)size, "'%s'", token->text); break;
    }
    return buf;
}
