/*
 * verbose_events.h — what `rr-replay -v` prints for each event: a syscall
 * decoded as rr-query and strace show it (`openat(AT_FDCWD, "/etc/passwd",
 * O_RDONLY) = 3`, strings where the trace holds them), an exec with its file
 * and argv, other events by kind (replayer_describe_event).
 */
#ifndef RRREPLAY_VERBOSE_EVENTS_H
#define RRREPLAY_VERBOSE_EVENTS_H

#include <stddef.h>

struct replayer;
struct trace_event;

void verbose_describe_event(struct replayer *rep, const struct trace_event *event, char *text, size_t size);

#endif
