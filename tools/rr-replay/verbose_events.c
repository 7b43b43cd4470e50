/*
 * verbose_events.c — decoded event lines for `rr-replay -v` (see
 * verbose_events.h), through the trace's own syscall table and the bytes it
 * holds for certain at each event (libtrace/trace_memory.h).
 */
#include "verbose_events.h"

#include <stdio.h>

#include "exec_info.h"
#include "replayer.h"
#include "syscall_decode.h"
#include "trace_memory.h"
#include "trace_reader.h"
#include "trace_syscalls.h"

struct known_at {
    struct trace_memory *memory;
    const struct trace_event *event;
};

static size_t read_known(void *context, uint64_t addr, void *buf, size_t max)
{
    const struct known_at *at = context;
    return at->memory ? trace_memory_read(at->memory, at->event->tid, at->event->seq, addr, buf, max) : 0;
}

void verbose_describe_event(struct replayer *rep, const struct trace_event *event, char *text, size_t size)
{
    const char *file = NULL, *argv = NULL;
    if (event->kind == EVENT_EXEC) {
        struct exec_info *info = trace_reader_exec_info(rep->reader);
        if (info && exec_info_get(info, event->seq, &file, &argv) == 0 && file) {
            snprintf(text, size, "exec %s%s%s%s", file, argv ? " (argv: " : "", argv ? argv : "", argv ? ")" : "");
            return;
        }
    }
    const struct syscall_desc *desc =
        event->kind == EVENT_SYSCALL ? trace_syscalls_describe(rep->syscalls, (long)event->sysno) : NULL;
    if (!desc) {
        replayer_describe_event(event, text, size);
        return;
    }
    struct known_at at = {trace_reader_memory(rep->reader), event};
    struct decode_memory memory = {&at, read_known, NULL};
    char args[512], result[96];
    syscall_decode_args(desc->name, desc->args_text, event->args, event->result, &memory, args, sizeof args);
    syscall_decode_result(desc, event->result, result, sizeof result);
    snprintf(text, size, "syscall %s(%s) = %s", desc->name, args, result);
}
