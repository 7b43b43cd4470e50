/*
 * mapping_lookup.h — which recorded mapping held an address at a given event,
 * and the other pieces of the same file, so that reports can name code
 * addresses (FILE+OFFSET, or a symbol read from the pieces).
 */
#ifndef RRDB_MAPPING_LOOKUP_H
#define RRDB_MAPPING_LOOKUP_H

#include <stdint.h>

#include "event_log.h"

struct trace_store;

/* The mapping covering `addr` in the address space of task `tid` as of event
 * `seq`: the latest mapping row stored since that task's last exec (at or
 * before `seq`) that covers `addr`. munmap is not tracked, so an address
 * unmapped since still names the mapping it had. 1 found, 0 none, -1 error. */
int mapping_lookup(struct trace_store *store, int32_t tid, int64_t seq, uint64_t addr,
                   struct trace_mapping *mapping);

/* The pieces of file `path` mapped in the same address space (same bounds as
 * above), one per file offset, by offset: what a symbol reader needs of an
 * object. Fills up to `max` mappings; returns the count, or -1. */
int mapping_lookup_file(struct trace_store *store, int32_t tid, int64_t seq, const char *path,
                        struct trace_mapping *mappings, int max);

#endif
