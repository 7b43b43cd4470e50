/*
 * strbuf.c — growing strings (see strbuf.h).
 */
#include "strbuf.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static bool reserve(struct strbuf *sb, size_t extra)
{
    if (sb->failed)
        return false;
    if (sb->len + extra + 1 <= sb->capacity)
        return true;
    size_t capacity = sb->capacity ? sb->capacity : 64;
    while (capacity < sb->len + extra + 1)
        capacity *= 2;
    char *text = realloc(sb->text, capacity);
    if (!text) {
        sb->failed = true;
        return false;
    }
    sb->text = text;
    sb->capacity = capacity;
    return true;
}

void strbuf_add(struct strbuf *sb, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0 || !reserve(sb, (size_t)n))
        return;
    va_start(ap, fmt);
    vsnprintf(sb->text + sb->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    sb->len += (size_t)n;
}

void strbuf_add_bytes(struct strbuf *sb, const char *bytes, size_t len)
{
    if (!reserve(sb, len))
        return;
    memcpy(sb->text + sb->len, bytes, len);
    sb->len += len;
    sb->text[sb->len] = '\0';
}

const char *strbuf_text(const struct strbuf *sb)
{
    return sb->text && !sb->failed ? sb->text : "";
}

void strbuf_clear(struct strbuf *sb)
{
    sb->len = 0;
    if (sb->text)
        sb->text[0] = '\0';
}

char *strbuf_take(struct strbuf *sb)
{
    char *text = sb->failed ? NULL : sb->text ? sb->text : strdup("");
    if (sb->failed)
        free(sb->text);
    sb->text = NULL;
    sb->len = sb->capacity = 0;
    sb->failed = false;
    return text;
}

void strbuf_free(struct strbuf *sb)
{
    free(sb->text);
    sb->text = NULL;
    sb->len = sb->capacity = 0;
    sb->failed = false;
}
