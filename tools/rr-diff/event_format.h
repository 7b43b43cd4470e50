/*
 * event_format.h — one line per event, strace-like, for reports:
 * "write(1, 0x7fffffffe3a0, 6) = 6", "rdtsc = 0x62359ea5154",
 * "--- SIGSEGV (code 1, raised by the program) ---", "exit: status 0";
 * and where it happened: "libc.so.6+0x10f6e0" or the address in hex.
 */
#ifndef RRDIFF_EVENT_FORMAT_H
#define RRDIFF_EVENT_FORMAT_H

#include <stddef.h>

#include "event_source.h"

/* `source` (may be NULL) names an exec's program from its mappings. */
void event_format(struct event_source *source, const struct trace_event *event, char *text,
                  size_t size);
/* The event's code address, symbolized through `source` where it can be. */
void event_format_where(struct event_source *source, const struct trace_event *event, char *text,
                        size_t size);
/* The code address of an event: rip when it has registers, else its ip. */
uint64_t event_code_address(const struct trace_event *event);

#endif
