/*
 * array_grow.c — room for one more element in a growing array (array_grow.h).
 */
#include "array_grow.h"

#include <assert.h>
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>

#include "error.h"

void *array_grow(void *items, int *capacity, int wanted, size_t item_size, int first)
{
    assert(wanted >= 0 && first > 0 && item_size > 0);
    if (wanted <= *capacity)
        return items;
    int grown = *capacity > 0 ? *capacity : first;
    while (grown < wanted) {
        if (grown > INT_MAX / 2) {
            error_set("out of memory");
            return NULL;
        }
        grown *= 2;
    }
    if ((size_t)grown > SIZE_MAX / item_size) {
        error_set("out of memory");
        return NULL;
    }
    void *bigger = realloc(items, (size_t)grown * item_size);
    if (!bigger) {
        error_set("out of memory");
        return NULL;
    }
    *capacity = grown;
    return bigger;
}
