/*
 * error.c — the one-line failure message libtrace functions leave behind,
 * and the helpers tools use to print it. See error.h.
 */
#include "error.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char last_message[1024];
static const char *program_name = "rrdb";
static int notes_off;

void error_set(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(last_message, sizeof last_message, fmt, ap);
    va_end(ap);
}

void error_set_errno(const char *fmt, ...)
{
    int saved = errno;
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(last_message, sizeof last_message, fmt, ap);
    va_end(ap);
    if (n >= 0 && (size_t)n < sizeof last_message)
        snprintf(last_message + n, sizeof last_message - (size_t)n, ": %s", strerror(saved));
    errno = saved;
}

const char *error_text(void)
{
    return last_message;
}

void error_set_program(const char *name)
{
    program_name = name;
}

static void (*before_note)(void);

const char *error_program(void)
{
    return program_name;
}

void error_set_before_note(void (*hook)(void))
{
    before_note = hook;
}

static void print_line(const char *fmt, va_list ap)
{
    if (before_note)
        before_note();
    char line[2048];
    vsnprintf(line, sizeof line, fmt, ap);
    fprintf(stderr, "%s: %s\n", program_name, line);
}

void error_exit(int status, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    print_line(fmt, ap);
    va_end(ap);
    exit(status);
}

void error_exit_last(int status)
{
    error_exit(status, "%s", last_message[0] ? last_message : "unknown failure");
}

void error_notes_off(void)
{
    notes_off = 1;
}

void error_notes_on(void)
{
    notes_off = 0;
}

void error_note(const char *fmt, ...)
{
    if (notes_off)
        return;
    va_list ap;
    va_start(ap, fmt);
    print_line(fmt, ap);
    va_end(ap);
}
