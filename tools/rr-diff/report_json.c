/*
 * report_json.c — the report for tools (see report.h): one JSON document,
 * written as the divergences come so that --all never holds them all:
 *
 *   {"a": SOURCE, "b": SOURCE, "tasks": [TASK…], "divergences": [DIVERGENCE…],
 *    "events": {"a": N, "b": N}, "behaviour_same": BOOL, "identical": BOOL}
 *
 * A DIVERGENCE has the task, the first differing event of each side ("a",
 * "b": seq, kind, strace-like text, ip, where), its "differences", the
 * matching events before it ("context"), with --all the region's later steps
 * ("then"), the inputs that differed before it in the task ("likely_causes",
 * as many as input_causes.h keeps; "inputs_differed" counts them all) and
 * how it ends ("end": rejoined, task-end, no-resync, or not-followed without
 * --all). "behaviour_same" is true when no behaviour differed (the
 * divergences, if any, are then inputs: input_causes.h).
 *
 * Event numbers, offsets, lengths and results are JSON numbers; registers,
 * addresses, arguments and hashes are "0x…" strings (64-bit values do not
 * survive a double); byte windows are hex strings.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "event_format.h"
#include "regs_codec.h"
#include "report.h"
#include "syscall_table.h"

static void put_string(FILE *out, const char *text)
{
    fputc('"', out);
    for (const unsigned char *p = (const unsigned char *)text; *p; p++) {
        if (*p == '"' || *p == '\\')
            fprintf(out, "\\%c", *p);
        else if (*p < 0x20)
            fprintf(out, "\\u%04x", *p);
        else
            fputc(*p, out);
    }
    fputc('"', out);
}

static void put_hex_bytes(FILE *out, const unsigned char *bytes, int len)
{
    fputc('"', out);
    for (int i = 0; i < len; i++)
        fprintf(out, "%02x", bytes[i]);
    fputc('"', out);
}

static void put_source(FILE *out, struct event_source *source, int tasks)
{
    fputs("{\"path\": ", out);
    put_string(out, source->path);
    fputs(", \"description\": ", out);
    put_string(out, source->description);
    fprintf(out, ", \"replay_stream\": %s, \"tasks\": %d}", source->replay_stream ? "true" : "false",
            tasks);
}

static void put_task(FILE *out, const struct task_pair *pair)
{
    const struct trace_task *task = pair->a ? pair->a : pair->b;
    fprintf(out, "{\"number\": %d, \"command\": ", pair->number);
    put_string(out, task->command);
    if (pair->a && pair->b && strcmp(pair->a->command, pair->b->command) != 0) {
        fputs(", \"command_b\": ", out);
        put_string(out, pair->b->command);
    }
    fputs(", \"tid_a\": ", out);
    pair->a ? fprintf(out, "%d", pair->a->tid) : fputs("null", out);
    fputs(", \"tid_b\": ", out);
    pair->b ? fprintf(out, "%d", pair->b->tid) : fputs("null", out);
    fputc('}', out);
}

void report_json_begin(struct report *report, struct event_source *a, struct event_source *b,
                       const struct task_matching *tasks)
{
    FILE *out = report->out;
    fputs("{\"a\": ", out);
    put_source(out, a, tasks->count_a);
    fputs(",\n \"b\": ", out);
    put_source(out, b, tasks->count_b);
    fputs(",\n \"tasks\": [", out);
    for (int i = 0; i < tasks->pair_count; i++) {
        fputs(i ? ", " : "", out);
        put_task(out, &tasks->pairs[i]);
    }
    fputs("],\n \"divergences\": [", out);
}

static void put_event(FILE *out, struct event_source *source, const struct trace_event *event)
{
    char text[512], where[300];
    event_format(source, event, text, sizeof text);
    event_format_where(source, event, where, sizeof where);
    fprintf(out, "{\"seq\": %lld, \"kind\": \"%s\", \"event\": ", (long long)event->seq,
            event_kind_name(event->kind));
    put_string(out, text);
    fprintf(out, ", \"ip\": \"0x%" PRIx64 "\"", event_code_address(event));
    fputs(", \"where\": ", out);
    put_string(out, where);
    fputc('}', out);
}

static const char *what_name(enum difference_what what)
{
    static const char *const names[] = {
        [DIFF_KIND] = "kind", [DIFF_SYSNO] = "syscall", [DIFF_ARG] = "argument",
        [DIFF_RESULT] = "result", [DIFF_SIGNAL] = "signal", [DIFF_SIG_CODE] = "signal_code",
        [DIFF_SYNC] = "signal_sync", [DIFF_IP] = "ip", [DIFF_DATA_HASH] = "data_hash",
        [DIFF_WRITES] = "memory_ranges", [DIFF_MEMORY] = "memory", [DIFF_REGISTER] = "register",
        [DIFF_EXTRA] = "extra", [DIFF_MAPPING] = "mapping", [DIFF_ENDED] = "ended",
        [DIFF_TASK] = "task", [DIFF_SCHEDULE] = "scheduling",
    };
    return names[what];
}

static void put_difference(FILE *out, const struct event_source *a, const struct event_source *b,
                           const struct difference *diff)
{
    char number_a[32], number_b[32];
    fprintf(out, "{\"what\": \"%s\"", what_name(diff->what));
    switch (diff->what) {
    case DIFF_KIND:
        fprintf(out, ", \"a\": \"%s\", \"b\": \"%s\"", event_kind_name((enum event_kind)diff->a),
                event_kind_name((enum event_kind)diff->b));
        break;
    case DIFF_SYSNO:
        fputs(", \"a\": ", out);
        put_string(out, event_source_syscall_name(a, (int64_t)diff->a, number_a, sizeof number_a));
        fputs(", \"b\": ", out);
        put_string(out, event_source_syscall_name(b, (int64_t)diff->b, number_b, sizeof number_b));
        fprintf(out, ", \"a_nr\": %" PRId64 ", \"b_nr\": %" PRId64, (int64_t)diff->a, (int64_t)diff->b);
        break;
    case DIFF_RESULT:
    case DIFF_SIGNAL:
    case DIFF_SIG_CODE:
    case DIFF_SYNC:
        fprintf(out, ", \"a\": %" PRId64 ", \"b\": %" PRId64, (int64_t)diff->a, (int64_t)diff->b);
        break;
    case DIFF_ARG:
    case DIFF_REGISTER:
    case DIFF_IP:
    case DIFF_DATA_HASH:
        if (diff->what == DIFF_ARG)
            fprintf(out, ", \"index\": %d", diff->index);
        if (diff->what == DIFF_REGISTER)
            fprintf(out, ", \"name\": \"%s\"", regs_name((size_t)diff->index));
        if (diff->what == DIFF_REGISTER && diff->detail[0]) {
            fputs(", \"detail\": ", out);
            put_string(out, diff->detail);
        }
        fprintf(out, ", \"a\": \"0x%" PRIx64 "\", \"b\": \"0x%" PRIx64 "\"", diff->a, diff->b);
        if (diff->carried) {
            fprintf(out, ", \"carries\": {\"event\": %lld, \"what\": ", (long long)diff->carried_seq);
            put_string(out, diff->carried_what);
            fputc('}', out);
        }
        break;
    case DIFF_WRITES:
        fprintf(out, ", \"a_pieces\": %" PRIu64 ", \"b_pieces\": %" PRIu64
                     ", \"a_addr\": \"0x%" PRIx64 "\", \"b_addr\": \"0x%" PRIx64 "\""
                     ", \"a_len\": %" PRIu64 ", \"b_len\": %" PRIu64,
                diff->a, diff->b, diff->addr_a, diff->addr_b, diff->len_a, diff->len_b);
        break;
    case DIFF_MEMORY:
    case DIFF_EXTRA:
    case DIFF_MAPPING:
        if (diff->what == DIFF_MAPPING)
            fprintf(out, ", \"index\": %d", diff->index);
        if (diff->detail[0]) {
            fputs(", \"detail\": ", out);
            put_string(out, diff->detail);
        }
        if (diff->what == DIFF_MAPPING && !diff->window_len_a && !diff->window_len_b)
            break;
        fprintf(out, ", \"a_addr\": \"0x%" PRIx64 "\", \"b_addr\": \"0x%" PRIx64 "\""
                     ", \"a_len\": %" PRIu64 ", \"b_len\": %" PRIu64 ", \"offset\": %" PRIu64
                     ", \"window_offset\": %" PRIu64 ", \"a_bytes\": ",
                diff->addr_a, diff->addr_b, diff->len_a, diff->len_b, diff->offset,
                diff->window_offset);
        put_hex_bytes(out, diff->window_a, diff->window_len_a);
        fputs(", \"b_bytes\": ", out);
        put_hex_bytes(out, diff->window_b, diff->window_len_b);
        break;
    case DIFF_SCHEDULE:
        fprintf(out, ", \"a_entered\": %" PRId64 ", \"b_entered\": %" PRId64, (int64_t)diff->a,
                (int64_t)diff->b);
        break;
    case DIFF_ENDED:
    case DIFF_TASK:
        fprintf(out, ", \"in_a\": %s, \"in_b\": %s", diff->a ? "true" : "false",
                diff->b ? "true" : "false");
        break;
    }
    fputc('}', out);
}

static const char *end_name(enum region_end end)
{
    switch (end) {
    case REGION_OPEN: return "not-followed";
    case REGION_REJOINED: return "rejoined";
    case REGION_TASK_END: return "task-end";
    case REGION_NO_RESYNC: return "no-resync";
    }
    return "?";
}

/* A differing pair of a region's steps, or an input cause. */
static void put_pair_step(FILE *out, struct event_source *a, struct event_source *b, const struct region_step *step)
{
    fputs("{\"a\": ", out);
    put_event(out, a, &step->a);
    fputs(", \"b\": ", out);
    put_event(out, b, &step->b);
    fprintf(out, ", \"differences\": %d, \"first\": ", step->differences);
    put_difference(out, a, b, &step->first);
    fputc('}', out);
}

int report_json_divergence(void *context, struct event_source *a, struct event_source *b,
                           const struct divergence *divergence)
{
    struct report *report = context;
    FILE *out = report->out;
    fputs(report->printed++ ? ",\n  " : "\n  ", out);
    fputs("{\"task\": ", out);
    put_task(out, divergence->pair);
    fputs(",\n   \"a\": ", out);
    divergence->has_a ? put_event(out, a, &divergence->event_a) : (void)fputs("null", out);
    fputs(",\n   \"b\": ", out);
    divergence->has_b ? put_event(out, b, &divergence->event_b) : (void)fputs("null", out);
    fputs(",\n   \"differences\": [", out);
    for (int i = 0; i < divergence->diffs.count; i++) {
        fputs(i ? ",\n     " : "\n     ", out);
        put_difference(out, a, b, &divergence->diffs.items[i]);
    }
    fprintf(out, "],\n   \"differences_omitted\": %d,\n   \"context\": [", divergence->diffs.omitted);
    for (int k = 0; k < divergence->context_count; k++) {
        fputs(k ? ",\n     " : "\n     ", out);
        fputs("{\"a\": ", out);
        put_event(out, a, &divergence->context_a[k]);
        fputs(", \"b\": ", out);
        put_event(out, b, &divergence->context_b[k]);
        fputc('}', out);
    }
    fputs("],\n   \"then\": [", out);
    for (int k = 0; k < divergence->step_count; k++) {
        const struct region_step *step = &divergence->steps[k];
        fputs(k ? ",\n     " : "\n     ", out);
        if (step->skip) {
            fprintf(out, "{\"skipped_a\": %lld, \"skipped_b\": %lld}", (long long)step->skipped_a,
                    (long long)step->skipped_b);
            continue;
        }
        put_pair_step(out, a, b, step);
    }
    fprintf(out, "],\n   \"then_omitted\": %d,\n   \"likely_causes\": [", divergence->steps_omitted);
    for (int k = 0; k < divergence->cause_count; k++) {
        fputs(k ? ",\n     " : "\n     ", out);
        put_pair_step(out, a, b, &divergence->causes[k]);
    }
    fprintf(out, "],\n   \"inputs_differed\": %lld", (long long)divergence->causes_total);
    fprintf(out, ",\n   \"end\": {\"how\": \"%s\"", end_name(divergence->end));
    if (divergence->end == REGION_REJOINED)
        fprintf(out, ", \"a_seq\": %lld, \"b_seq\": %lld", (long long)divergence->end_seq_a,
                (long long)divergence->end_seq_b);
    if (divergence->end != REGION_OPEN)
        fprintf(out, ", \"events_a\": %lld, \"events_b\": %lld", (long long)divergence->events_a,
                (long long)divergence->events_b);
    fputs("}}", out);
    return ferror(out) ? -1 : 0;
}

void report_json_end(struct report *report, const struct task_matching *tasks,
                     const struct align_totals *totals)
{
    (void)tasks;
    fprintf(report->out,
            "%s],\n \"events\": {\"a\": %lld, \"b\": %lld},\n \"behaviour_same\": %s,\n \"identical\": %s}\n",
            report->printed ? "\n " : "", (long long)totals->events_a, (long long)totals->events_b,
            totals->behaviour_same || !totals->divergences ? "true" : "false", totals->divergences ? "false" : "true");
}
