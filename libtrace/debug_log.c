/*
 * debug_log.c — RRDB_LOG (see debug_log.h).
 */
#include "debug_log.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"

unsigned debug_log_areas;
static const char *log_program = "rrdb";

static const struct {
    const char *name;
    unsigned areas;
} area_names[] = {
    {"record", LOG_RECORD},
    {"replay", LOG_REPLAY},
    {"all", LOG_RECORD | LOG_REPLAY},
};

int debug_log_init(const char *program)
{
    const char *value = getenv("RRDB_LOG");
    log_program = program;
    debug_log_areas = 0;
    if (!value)
        return 0;
    for (const char *word = value; *word;) {
        size_t len = strcspn(word, ",");
        bool known = len == 0;
        for (size_t i = 0; i < sizeof area_names / sizeof area_names[0]; i++) {
            if (strlen(area_names[i].name) == len && strncmp(word, area_names[i].name, len) == 0) {
                debug_log_areas |= area_names[i].areas;
                known = true;
            }
        }
        if (!known) {
            error_set("RRDB_LOG names no area '%.*s' (record, replay, all)", (int)len, word);
            debug_log_areas = 0;
            return -1;
        }
        word += len + (word[len] == ',');
    }
    return 0;
}

void debug_log_print(enum debug_log_area area, const char *fmt, ...)
{
    char line[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    fprintf(stderr, "%s[%s]: %s\n", log_program, area == LOG_RECORD ? "record" : "replay", line);
}
