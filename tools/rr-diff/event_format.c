/*
 * event_format.c — strace-like lines for events (see event_format.h).
 * Syscalls are decoded by libtrace/syscall_decode (flags by name, strings
 * where the trace knows the bytes: see libtrace/trace_memory.h); other
 * pointers stay addresses.
 */
#include "event_format.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kernel_names.h"
#include "syscall_decode.h"
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
    char name[32];
    put(line, "%s", signal_name(signo, name, sizeof name));
}

/* The trace's known bytes, for syscall_decode's strings. */
struct memory_context {
    struct event_source *source;
    const struct trace_event *event;
};

static size_t read_known(void *context, uint64_t addr, void *buf, size_t max)
{
    struct memory_context *memory = context;
    if (!memory->source || !memory->source->ops->read_memory)
        return 0;
    return memory->source->ops->read_memory(memory->source, memory->event->tid, memory->event->seq,
                                            addr, buf, max);
}

/* "name(args) = result" (without " = result" for a syscall not yet completed),
 * decoded by libtrace/syscall_decode like rr-query shows syscalls. */
static void put_syscall(struct line *line, struct event_source *source,
                        const struct trace_event *event, bool completed)
{
    char number[32];
    const char *name = event_source_syscall_name(source, event->sysno, number, sizeof number);
    const struct syscall_desc *desc = event_source_syscall(source, event->sysno);
    struct memory_context context = {source, event};
    struct decode_memory memory = {&context, read_known, NULL};
    char args[400], result[96];
    syscall_decode_args(name, desc ? desc->args_text : NULL, event->args, completed ? event->result : -1,
                        &memory, args, sizeof args);
    put(line, "%s(%s)", name, args);
    if (completed) {
        syscall_decode_result(desc, event->result, result, sizeof result);
        put(line, " = %s", result);
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
    case EVENT_SYSCALL:
        put_syscall(&line, source, event, true);
        break;
    case EVENT_SIGNAL:
        put(&line, "--- ");
        put_signal(&line, event->signo);
        const char *code = signal_code_name(event->signo, event->sig_code);
        if (code)
            put(&line, " {%s}", code);
        else
            put(&line, " {code %d}", event->sig_code);
        put(&line, " (%s) ---", event->sync ? "raised by the program" : "delivered");
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
            put(&line, " ");
            put_syscall(&line, source, event, false);
            put(&line, " ...");
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
