/*
 * named_constants.c — looking names up in schema/constants.tsv's rows (see
 * named_constants.h). A few hundred rows: a linear search is fast enough for
 * the views that decode one event at a time.
 */
#include "named_constants.h"

#include <stdio.h>
#include <string.h>

const char *named_constant(const char *set, long long value)
{
    for (size_t i = 0; i < named_constant_count; i++)
        if (named_constant_rows[i].value == value && strcmp(named_constant_rows[i].set, set) == 0)
            return named_constant_rows[i].name;
    return NULL;
}

bool named_constant_set_exists(const char *set)
{
    for (size_t i = 0; i < named_constant_count; i++)
        if (strcmp(named_constant_rows[i].set, set) == 0)
            return true;
    return false;
}

void named_constant_bits(const char *set, uint64_t value, char *out, size_t size)
{
    size_t len = 0;
    if (size)
        out[0] = '\0';
    for (size_t i = 0; i < named_constant_count && value; i++) {
        uint64_t bits = (uint64_t)named_constant_rows[i].value;
        if (bits == 0 || (value & bits) != bits || strcmp(named_constant_rows[i].set, set) != 0)
            continue;
        int n = snprintf(out + len, size - len, "%s%s", len ? "|" : "", named_constant_rows[i].name);
        len = n > 0 && (size_t)n < size - len ? len + (size_t)n : len;
        value &= ~bits;
    }
    if (value || len == 0)
        snprintf(out + len, size - len, len ? "|%#llx" : value ? "%#llx" : "0", (unsigned long long)value);
}
