/*
 * event_format.c — strace-like lines for events (see event_format.h).
 * Pointer arguments stay addresses: a trace holds the memory the kernel
 * wrote, not the strings the program passed.
 */
#include "event_format.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "syscall_args.h"
#include "syscall_table.h"

/* Appends to a fixed buffer, truncating quietly. */
struct line {
    char *text;
    size_t size, used;
};

static void put(struct line *line, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void put(struct line *line, const char *fmt, ...)
{
    if (line->used + 1 >= line->size)
        return;
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(line->text + line->used, line->size - line->used, fmt, ap);
    va_end(ap);
    if (n > 0)
        line->used += (size_t)n < line->size - line->used ? (size_t)n : line->size - line->used - 1;
}

static void put_signal(struct line *line, int signo)
{
    const char *abbrev = signo > 0 ? sigabbrev_np(signo) : NULL;
    if (abbrev)
        put(line, "SIG%s", abbrev);
    else
        put(line, "signal %d", signo);
}

static void put_arg(struct line *line, enum arg_kind kind, uint64_t value)
{
    switch (kind) {
    case ARG_SIGNED:
    case ARG_PID:
        if ((int32_t)value == -100 && kind == ARG_SIGNED)
            put(line, "AT_FDCWD");
        else
            put(line, "%d", (int)(int32_t)value);
        break;
    case ARG_UNSIGNED:
        put(line, "%" PRIu64, value);
        break;
    case ARG_POINTER:
        if (!value) {
            put(line, "NULL");
            break;
        }
        /* fall through */
    case ARG_HEX:
        put(line, "0x%" PRIx64, value);
        break;
    }
}

static void put_result(struct line *line, int64_t nr, int64_t result)
{
    if (result < 0 && result >= -4095) {
        const char *name = strerrorname_np((int)-result);
        put(line, "-1 %s", name ? name : "errno");
        if (!name)
            put(line, " %lld", (long long)-result);
    } else if (syscall_returns_address(nr)) {
        put(line, "0x%" PRIx64, (uint64_t)result);
    } else {
        put(line, "%lld", (long long)result);
    }
}

static void put_exec(struct line *line, struct event_source *source, const struct trace_event *event)
{
    put(line, "exec");
    struct trace_mapping *mappings = NULL;
    int count = source ? source->ops->mappings(source, event->seq, &mappings) : 0;
    for (int i = 0; i < count; i++) {
        if (mappings[i].path[0] == '/') { /* the first file mapped is the program */
            put(line, " %s", mappings[i].path);
            break;
        }
    }
    free(mappings);
}

void event_format(struct event_source *source, const struct trace_event *event, char *text,
                  size_t size)
{
    struct line line = {text, size, 0};
    text[0] = '\0';
    switch (event->kind) {
    case EVENT_SYSCALL: {
        const struct syscall_args *args = syscall_args_of(event->sysno);
        put(&line, "%s(", syscall_name((long)event->sysno));
        for (int i = 0; i < args->count; i++) {
            if (i)
                put(&line, ", ");
            put_arg(&line, args->kinds[i], event->args[i]);
        }
        put(&line, ") = ");
        put_result(&line, event->sysno, event->result);
        break;
    }
    case EVENT_SIGNAL:
        put(&line, "--- ");
        put_signal(&line, event->signo);
        put(&line, " (code %d, %s) ---", event->sig_code,
            event->sync ? "raised by the program" : "delivered");
        break;
    case EVENT_RDTSC:
        if ((int64_t)event->args[0] == -1)
            put(&line, "rdtsc = 0x%" PRIx64, (uint64_t)event->result);
        else
            put(&line, "rdtscp = 0x%" PRIx64 " (aux 0x%" PRIx64 ")", (uint64_t)event->result,
                event->args[0]);
        break;
    case EVENT_CPUID:
        put(&line, "cpuid(0x%" PRIx64 ", 0x%" PRIx64 ") = eax 0x%" PRIx64 ", ebx 0x%" PRIx64
                   ", ecx 0x%" PRIx64 ", edx 0x%" PRIx64,
            event->args[0], event->args[1], event->args[2], event->args[3], event->args[4],
            event->args[5]);
        break;
    case EVENT_EXEC:
        put_exec(&line, source, event);
        break;
    case EVENT_EXIT:
        if (event->signo) {
            put(&line, "exit: killed by ");
            put_signal(&line, event->signo);
        } else {
            put(&line, "exit: status %lld", (long long)event->result);
        }
        break;
    case EVENT_LANDMARK:
        put(&line, "landmark (stack hash 0x%" PRIx64 ")", (uint64_t)event->result);
        break;
    default:
        /* A kind without a rule here, e.g. a syscall entered now and
         * completed at a later event: its name, then the syscall if any. */
        put(&line, "%s", event_kind_name(event->kind));
        if (event->sysno >= 0) {
            const struct syscall_args *args = syscall_args_of(event->sysno);
            put(&line, " %s(", syscall_name((long)event->sysno));
            for (int i = 0; i < args->count; i++) {
                if (i)
                    put(&line, ", ");
                put_arg(&line, args->kinds[i], event->args[i]);
            }
            put(&line, ") ...");
        }
    }
}

uint64_t event_code_address(const struct trace_event *event)
{
    return event->has_regs ? event->regs.rip : event->ip;
}

void event_format_where(struct event_source *source, const struct trace_event *event, char *text,
                        size_t size)
{
    uint64_t addr = event_code_address(event);
    text[0] = '\0';
    if (!addr)
        return;
    if (source && source->ops->locate(source, event->tid, event->seq, addr, text, size) == 1)
        return;
    snprintf(text, size, "0x%" PRIx64, addr);
}
