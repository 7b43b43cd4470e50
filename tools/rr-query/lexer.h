/*
 * lexer.h — splits a query (`syscalls where name=openat and ret<0`) into
 * tokens for the parser. Words are identifiers and keywords alike (the parser
 * decides which, case-insensitively); numbers are decimal or 0x-hex; strings
 * are in single or double quotes, with the quote doubled to include it.
 */
#ifndef RRQ_LEXER_H
#define RRQ_LEXER_H

#include <stdint.h>

enum token_kind {
    TOKEN_END,
    TOKEN_WORD,     /* [A-Za-z_][A-Za-z0-9_]* (also SIGRTMIN+N is lexed as WORD "+" NUMBER) */
    TOKEN_NUMBER,   /* 123, 0x7ffd1234 */
    TOKEN_STRING,   /* 'text' or "text" */
    TOKEN_EQ,       /* = or == */
    TOKEN_NE,       /* != or <> */
    TOKEN_LT,
    TOKEN_LE,
    TOKEN_GT,
    TOKEN_GE,
    TOKEN_LPAREN,
    TOKEN_RPAREN,
    TOKEN_COMMA,
    TOKEN_MINUS,
    TOKEN_PLUS,
};

struct token {
    enum token_kind kind;
    int column;       /* 1-based position in the query, for error messages */
    char *text;       /* malloc'd: the word, the string's contents, or the number as written */
    uint64_t number;  /* TOKEN_NUMBER */
};

struct token_list {
    struct token *items;
    int count;
};

/* Tokenize `query`. Returns 0, or -1 with error_set naming the column. */
int lexer_tokenize(const char *query, struct token_list *tokens);
void lexer_free(struct token_list *tokens);
/* "end of query", "'where'", "number 12", "string 'x'" — for messages. */
const char *token_describe(const struct token *token, char *buf, int size);

#endif
