/*
 * strbuf.h — a growing, always NUL-terminated string, for building SQL and
 * output cells. An allocation failure is remembered and reported once by
 * strbuf_failed(), so callers can append freely and check at the end.
 */
#ifndef RRQ_STRBUF_H
#define RRQ_STRBUF_H

#include <stdbool.h>
#include <stddef.h>

struct strbuf {
    char *text; /* "" until something is added */
    size_t len, capacity;
    bool failed;
};

void strbuf_add(struct strbuf *sb, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void strbuf_add_bytes(struct strbuf *sb, const char *bytes, size_t len);
/* The text ("" when empty); valid until the next append. */
const char *strbuf_text(const struct strbuf *sb);
void strbuf_clear(struct strbuf *sb);
/* Give up ownership of the text (malloc'd; NULL when allocation failed). */
char *strbuf_take(struct strbuf *sb);
void strbuf_free(struct strbuf *sb);

#endif
