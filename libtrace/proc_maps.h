/*
 * proc_maps.h — a task's address space as /proc/PID/maps lists it.
 */
#ifndef RRDB_PROC_MAPS_H
#define RRDB_PROC_MAPS_H

#include <sys/types.h>

#include "event_log.h"

/* Read the mappings of `tid` into a malloc'd array (prot as PROT_*, flags as
 * MAP_PRIVATE/MAP_SHARED, blob 0). Returns the count, or -1. */
int proc_maps_read(pid_t tid, struct trace_mapping **mappings);

/* Is this one of the kernel's special mappings that cannot be re-created
 * ([vvar], [vsyscall], [vdso] and the like)? */
int proc_maps_is_special(const struct trace_mapping *mapping);

#endif
