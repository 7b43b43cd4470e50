/*
 * trace_template.h — a small real trace for the fuzz targets, written once per
 * process with libtrace's own writers (a task, syscalls with arguments and
 * memory the kernel wrote, a mapping with contents, a signal, an exit), so
 * that what a target reads back has every table filled.
 */
#ifndef RRDB_FUZZ_TRACE_TEMPLATE_H
#define RRDB_FUZZ_TRACE_TEMPLATE_H

/* Write the trace into a new private directory; its path, or NULL (after
 * printing why: a fuzz target cannot run without it). */
const char *trace_template_path(void);

#endif
