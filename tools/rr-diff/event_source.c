/*
 * event_source.c — the parts of an event source that do not depend on where
 * events come from: an event's growable list of memory writes, and syscall
 * names by the source's own table.
 */
#include "event_source.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "trace_syscalls.h"

int source_event_add_write(struct source_event *event, const struct task_write *write)
{
    if (event->write_count == event->write_capacity) {
        size_t capacity = event->write_capacity ? event->write_capacity * 2 : 4;
        struct task_write *grown = realloc(event->writes, capacity * sizeof *grown);
        if (!grown) {
            error_set("out of memory");
            return -1;
        }
        event->writes = grown;
        event->write_capacity = capacity;
    }
    event->writes[event->write_count++] = *write;
    return 0;
}

int source_event_copy(struct source_event *to, const struct source_event *from)
{
    to->event = from->event;
    to->entered_seq = from->entered_seq;
    to->result_unknown = from->result_unknown;
    to->write_count = 0;
    for (size_t i = 0; i < from->write_count; i++)
        if (source_event_add_write(to, &from->writes[i]) < 0)
            return -1;
    return 0;
}

void source_event_free(struct source_event *event)
{
    free(event->writes);
    memset(event, 0, sizeof *event);
}

void event_source_close(struct event_source *source)
{
    if (source)
        source->ops->close(source);
}

const struct syscall_desc *event_source_syscall(const struct event_source *source, int64_t nr)
{
    return trace_syscalls_describe(source ? source->syscalls : NULL, (long)nr);
}

const char *event_source_syscall_name(const struct event_source *source, int64_t nr, char *buf, size_t size)
{
    const struct syscall_desc *desc = event_source_syscall(source, nr);
    if (desc)
        return desc->name;
    snprintf(buf, size, "syscall_%lld", (long long)nr);
    return buf;
}

