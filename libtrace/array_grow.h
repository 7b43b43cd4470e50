/*
 * array_grow.h — room for one more element in a growing array, the one
 * doubling rule every table of tasks, rows or ranges in rrdb uses.
 */
#ifndef RRDB_ARRAY_GROW_H
#define RRDB_ARRAY_GROW_H

#include <stddef.h>

/* `items` holds *capacity elements of `item_size` bytes. Returns an array
 * (maybe moved) with room for at least `wanted`, doubling from `first`, and
 * updates *capacity; NULL with "out of memory" set, `items` left as it was. */
void *array_grow(void *items, int *capacity, int wanted, size_t item_size, int first);

#endif
