/*
 * report_text.c — the report for people (see report.h): for each divergence
 * the task, the event number on each side, the two events strace-like with
 * where they happened, what differs (values side by side, a hex dump around
 * the first differing byte), then the matched events before it.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "event_format.h"
#include "regs_codec.h"
#include "report.h"
#include "syscall_table.h"

enum { WHERE_COLUMN = 64 };

static const char *kind_name(uint64_t kind)
{
    return event_kind_name((enum event_kind)kind);
}

void report_text_begin(struct report *report, struct event_source *a, struct event_source *b,
                       const struct task_matching *tasks)
{
    fprintf(report->out, "A: %s (%s; %d task%s)\n", a->path, a->description, tasks->count_a,
            tasks->count_a == 1 ? "" : "s");
    fprintf(report->out, "B: %s (%s; %d task%s)\n", b->path, b->description, tasks->count_b,
            tasks->count_b == 1 ? "" : "s");
}

static void print_task(struct report *report, const struct task_pair *pair)
{
    const struct trace_task *task = pair->a ? pair->a : pair->b;
    fprintf(report->out, "task %d", pair->number);
    const char *command = pair->a && pair->a->command[0] ? pair->a->command : pair->b ? pair->b->command : "";
    if (pair->a && pair->b && pair->a->command[0] && pair->b->command[0] &&
        strcmp(pair->a->command, pair->b->command) != 0)
        fprintf(report->out, " `%s` in A, `%s` in B", pair->a->command, pair->b->command);
    else if (command[0]) /* (unknown on one side: the first task of a nested replay) */
        fprintf(report->out, " `%s`", command);
    if (pair->a && pair->b && pair->a->tid == pair->b->tid)
        fprintf(report->out, " (tid %d)", pair->a->tid);
    else if (pair->a && pair->b)
        fprintf(report->out, " (tid %d in A, %d in B)", pair->a->tid, pair->b->tid);
    else
        fprintf(report->out, " (tid %d, only in %s)", task->tid, pair->a ? "A" : "B");
}

/* "  A 37  getrandom(…) = 8          libc.so.6+0x3b5a0" */
static void print_event(struct report *report, struct event_source *source, const char *label,
                        const struct trace_event *event)
{
    char text[512], where[300];
    event_format(source, event, text, sizeof text);
    event_format_where(source, event, where, sizeof where);
    int width = fprintf(report->out, "%s%-6lld %s", label, (long long)event->seq, text);
    if (where[0])
        fprintf(report->out, "%*s  %s", width < WHERE_COLUMN ? WHERE_COLUMN - width : 0, "", where);
    fputc('\n', report->out);
}

static void print_hex_row(struct report *report, const char *label, uint64_t addr,
                          const unsigned char *bytes, int len)
{
    fprintf(report->out, "      %s 0x%012" PRIx64 " ", label, addr);
    for (int i = 0; i < 16; i++) {
        if (i == 8)
            fputc(' ', report->out);
        if (i < len)
            fprintf(report->out, " %02x", bytes[i]);
        else
            fputs("   ", report->out);
    }
    fputs("  |", report->out);
    for (int i = 0; i < len; i++)
        fputc(bytes[i] >= 0x20 && bytes[i] < 0x7f ? bytes[i] : '.', report->out);
    fputs("|\n", report->out);
}

/* Both sides' windows, row by row, with ^^ under the bytes that differ. */
static void print_hex_dump(struct report *report, const struct difference *diff)
{
    int longest = diff->window_len_a > diff->window_len_b ? diff->window_len_a : diff->window_len_b;
    for (int row = 0; row < longest; row += 16) {
        int len_a = diff->window_len_a - row, len_b = diff->window_len_b - row;
        len_a = len_a < 0 ? 0 : len_a > 16 ? 16 : len_a;
        len_b = len_b < 0 ? 0 : len_b > 16 ? 16 : len_b;
        uint64_t offset = diff->window_offset + (uint64_t)row;
        print_hex_row(report, "A", diff->addr_a + offset, diff->window_a + row, len_a);
        print_hex_row(report, "B", diff->addr_b + offset, diff->window_b + row, len_b);
        char marks[64];
        int used = 0, any = 0;
        for (int i = 0; i < 16; i++) {
            if (i == 8)
                marks[used++] = ' ';
            bool differs = (i < len_a) != (i < len_b) ||
                           (i < len_a && diff->window_a[row + i] != diff->window_b[row + i]);
            any |= differs;
            marks[used++] = ' ';
            marks[used++] = differs ? '^' : ' ';
            marks[used++] = differs ? '^' : ' ';
        }
        while (used > 0 && marks[used - 1] == ' ')
            used--;
        marks[used] = '\0';
        if (any)
            fprintf(report->out, "      %*s %s\n", 16, "", marks);
    }
}

static void describe_bytes(char *text, size_t size, const char *what, const struct difference *diff)
{
    if (diff->offset >= diff->len_a || diff->offset >= diff->len_b)
        snprintf(text, size, "%s: A has %" PRIu64 " bytes, B %" PRIu64, what, diff->len_a, diff->len_b);
    else
        snprintf(text, size, "%s (%" PRIu64 " byte%s) differ from offset %" PRIu64 " (0x%" PRIx64 ")",
                 what, diff->len_a, diff->len_a == 1 ? "" : "s", diff->offset, diff->addr_a + diff->offset);
}

static void describe_value(char *text, size_t size, const char *name, uint64_t a, uint64_t b, bool hex)
{
    if (hex)
        snprintf(text, size, "%s: A 0x%" PRIx64 ", B 0x%" PRIx64, name, a, b);
    else
        snprintf(text, size, "%s: A %" PRId64 ", B %" PRId64, name, (int64_t)a, (int64_t)b);
}

/* One line saying what differs; `event` is A's event (B's when A has none). */
static void describe_difference(char *text, size_t size, const struct event_source *a,
                                const struct event_source *b, const struct trace_event *event,
                                const struct difference *diff)
{
    char what[96];
    switch (diff->what) {
    case DIFF_KIND:
        snprintf(text, size, "event kind: A %s, B %s", kind_name(diff->a), kind_name(diff->b));
        return;
    case DIFF_SYSNO: {
        char number_a[32], number_b[32];
        snprintf(text, size, "syscall: A %s, B %s",
                 event_source_syscall_name(a, (int64_t)diff->a, number_a, sizeof number_a),
                 event_source_syscall_name(b, (int64_t)diff->b, number_b, sizeof number_b));
        return;
    }
    case DIFF_ARG:
        snprintf(what, sizeof what, "argument %d", diff->index + 1);
        describe_value(text, size, what, diff->a, diff->b, true);
        break;
    case DIFF_RESULT:
        describe_value(text, size, event->kind == EVENT_EXIT ? "exit status" : "result", diff->a,
                       diff->b, event->kind == EVENT_RDTSC || event->kind == EVENT_CPUID);
        return;
    case DIFF_SIGNAL:
        describe_value(text, size, "signal", diff->a, diff->b, false);
        return;
    case DIFF_SIG_CODE:
        describe_value(text, size, "signal code", diff->a, diff->b, false);
        return;
    case DIFF_SYNC:
        snprintf(text, size, "signal: %s in A, %s in B", diff->a ? "raised by the program" : "delivered",
                 diff->b ? "raised by the program" : "delivered");
        return;
    case DIFF_IP:
        describe_value(text, size, "ip", diff->a, diff->b, true);
        return;
    case DIFF_DATA_HASH:
        describe_value(text, size, "the bytes the program wrote differ (data hash)", diff->a, diff->b, true);
        return;
    case DIFF_WRITES:
        snprintf(text, size,
                 "memory the kernel wrote: A %" PRIu64 " piece%s (first %" PRIu64 " bytes at 0x%" PRIx64
                 "), B %" PRIu64 " piece%s (first %" PRIu64 " bytes at 0x%" PRIx64 ")",
                 diff->a, diff->a == 1 ? "" : "s", diff->len_a, diff->addr_a, diff->b,
                 diff->b == 1 ? "" : "s", diff->len_b, diff->addr_b);
        return;
    case DIFF_MEMORY:
        snprintf(what, sizeof what, "the bytes the kernel wrote at 0x%" PRIx64, diff->addr_a);
        describe_bytes(text, size, what, diff);
        return;
    case DIFF_REGISTER:
        snprintf(what, sizeof what, "register %s%s%.40s%s", regs_name((size_t)diff->index),
                 diff->detail[0] ? " (" : "", diff->detail, diff->detail[0] ? ")" : "");
        describe_value(text, size, what, diff->a, diff->b, true);
        break;
    case DIFF_EXTRA:
    case DIFF_MAPPING:
        if (diff->window_len_a || diff->window_len_b)
            describe_bytes(text, size, diff->detail, diff);
        else
            snprintf(text, size, "%s", diff->detail);
        return;
    case DIFF_ENDED:
        snprintf(text, size, "the task has no more events in %s; %s goes on", diff->a ? "B" : "A",
                 diff->a ? "A" : "B");
        return;
    case DIFF_TASK:
        snprintf(text, size, "this task exists only in %s", diff->a ? "A" : "B");
        return;
    case DIFF_SCHEDULE:
        snprintf(text, size, "scheduling: in %s, other tasks ran while this syscall was in the kernel"
                 " (entered at event %lld); in %s it completed at once", diff->a ? "A" : "B",
                 (long long)(diff->a ? diff->a : diff->b), diff->a ? "B" : "A");
        return;
    }
    if (diff->carried) { /* DIFF_ARG, DIFF_REGISTER */
        size_t used = strlen(text);
        snprintf(text + used, size - used, " (carries the differing %s of event %lld)",
                 diff->carried_what, (long long)diff->carried_seq);
    }
}

static void print_difference(struct report *report, const struct event_source *a, const struct event_source *b,
                             const struct divergence *divergence, const struct difference *diff)
{
    char text[512];
    describe_difference(text, sizeof text, a, b,
                        divergence->has_a ? &divergence->event_a : &divergence->event_b, diff);
    fprintf(report->out, "    %s\n", text);
    if ((diff->what == DIFF_MEMORY || diff->what == DIFF_EXTRA || diff->what == DIFF_MAPPING) &&
        (diff->window_len_a || diff->window_len_b))
        print_hex_dump(report, diff);
}

static void print_steps(struct report *report, struct event_source *a, struct event_source *b,
                        const struct divergence *divergence)
{
    if (divergence->step_count == 0)
        return;
    fprintf(report->out, "  then, in the same region:\n");
    for (int k = 0; k < divergence->step_count; k++) {
        const struct region_step *step = &divergence->steps[k];
        if (step->skip) {
            long long na = (long long)step->skipped_a, nb = (long long)step->skipped_b;
            if (nb == 0)
                fprintf(report->out, "    A has %lld event%s B does not have:\n", na, na == 1 ? "" : "s");
            else if (na == 0)
                fprintf(report->out, "    B has %lld event%s A does not have:\n", nb, nb == 1 ? "" : "s");
            else
                fprintf(report->out, "    the sides part for %lld event%s in A and %lld in B:\n", na,
                        na == 1 ? "" : "s", nb);
            for (int i = 0; i < step->skipped_a && i < 3; i++)
                print_event(report, a, "      A ", &step->skipped_first_a[i]);
            for (int i = 0; i < step->skipped_b && i < 3; i++)
                print_event(report, b, "      B ", &step->skipped_first_b[i]);
            continue;
        }
        char text[512];
        describe_difference(text, sizeof text, a, b, &step->a, &step->first);
        print_event(report, a, "    A ", &step->a);
        if (step->b.seq != step->a.seq)
            fprintf(report->out, "      (event %lld in B)\n", (long long)step->b.seq);
        fprintf(report->out, "      %s", text);
        if (step->differences > 1)
            fprintf(report->out, " (and %d more)", step->differences - 1);
        fputc('\n', report->out);
    }
    if (divergence->steps_omitted)
        fprintf(report->out, "    … and %d more\n", divergence->steps_omitted);
}

/* The inputs that differed before the divergence, nearest first. */
static void print_causes(struct report *report, struct event_source *a, struct event_source *b,
                         const struct divergence *divergence)
{
    if (divergence->cause_count == 0)
        return;
    long long total = (long long)divergence->causes_total;
    fprintf(report->out, "  likely cause%s, the input%s that differed before it%s:\n", total == 1 ? "" : "s",
            total == 1 ? "" : "s", total > divergence->cause_count ? " (the nearest)" : ", nearest first");
    for (int k = 0; k < divergence->cause_count; k++) {
        const struct region_step *cause = &divergence->causes[k];
        char text[512];
        describe_difference(text, sizeof text, a, b, &cause->a, &cause->first);
        print_event(report, a, "    A ", &cause->a);
        print_event(report, b, "    B ", &cause->b);
        fprintf(report->out, "      %s", text);
        if (cause->differences > 1)
            fprintf(report->out, " (and %d more)", cause->differences - 1);
        fputc('\n', report->out);
    }
    if (total > divergence->cause_count)
        fprintf(report->out, "    … and %lld earlier\n", total - divergence->cause_count);
}

static void print_context(struct report *report, struct event_source *a, struct event_source *b,
                          const struct divergence *divergence)
{
    if (divergence->context_count == 0)
        return;
    fprintf(report->out, "  before it, the same on both sides:\n");
    for (int k = 0; k < divergence->context_count; k++) {
        const struct trace_event *ea = &divergence->context_a[k], *eb = &divergence->context_b[k];
        char text_a[512], text_b[512];
        event_format(a, ea, text_a, sizeof text_a);
        event_format(b, eb, text_b, sizeof text_b);
        if (strcmp(text_a, text_b) == 0 && ea->seq == eb->seq) {
            print_event(report, a, "    ", ea);
        } else if (strcmp(text_a, text_b) == 0) {
            char label[64];
            snprintf(label, sizeof label, "    A %lld = B ", (long long)ea->seq);
            print_event(report, b, label, eb);
        } else {
            print_event(report, a, "    A ", ea);
            print_event(report, b, "    B ", eb);
        }
    }
}

static void print_end(struct report *report, const struct divergence *divergence)
{
    long long na = (long long)divergence->events_a, nb = (long long)divergence->events_b;
    switch (divergence->end) {
    case REGION_OPEN:
        break;
    case REGION_REJOINED:
        fprintf(report->out, "  they agree again from event %lld in A, %lld in B (the region spans %lld"
                             " event%s in A, %lld in B)\n",
                (long long)divergence->end_seq_a, (long long)divergence->end_seq_b, na,
                na == 1 ? "" : "s", nb);
        break;
    case REGION_TASK_END:
        fprintf(report->out, "  up to the end of the task (%lld event%s in A, %lld in B)\n", na,
                na == 1 ? "" : "s", nb);
        break;
    case REGION_NO_RESYNC:
        fprintf(report->out, "  they do not meet again within %d events: the rest of the task is"
                             " not compared (%lld event%s in A, %lld in B)\n",
                report->resync_window, na, na == 1 ? "" : "s", nb);
        break;
    }
}

int report_text_divergence(void *context, struct event_source *a, struct event_source *b,
                           const struct divergence *divergence)
{
    struct report *report = context;
    report->printed++;
    fputc('\n', report->out);
    if (report->all)
        fprintf(report->out, "divergence %d: ", report->printed);
    else
        fprintf(report->out, "first divergence: ");
    print_task(report, divergence->pair);
    if (divergence->has_a)
        fprintf(report->out, ", event %lld in A", (long long)divergence->event_a.seq);
    if (divergence->has_b)
        fprintf(report->out, ", event %lld in B", (long long)divergence->event_b.seq);
    fputc('\n', report->out);
    print_context(report, a, b, divergence);
    if (divergence->has_a)
        print_event(report, a, "  A ", &divergence->event_a);
    if (divergence->has_b)
        print_event(report, b, "  B ", &divergence->event_b);
    fprintf(report->out, "  what differs:\n");
    for (int i = 0; i < divergence->diffs.count; i++)
        print_difference(report, a, b, divergence, &divergence->diffs.items[i]);
    if (divergence->diffs.omitted)
        fprintf(report->out, "    … and %d more differences\n", divergence->diffs.omitted);
    print_causes(report, a, b, divergence);
    print_steps(report, a, b, divergence);
    print_end(report, divergence);
    return ferror(report->out) ? -1 : 0;
}

void report_text_end(struct report *report, const struct task_matching *tasks,
                     const struct align_totals *totals)
{
    if (totals->divergences == 0) {
        fprintf(report->out, "identical: %lld events in %d task%s\n", (long long)totals->events_a,
                tasks->pair_count, tasks->pair_count == 1 ? "" : "s");
        return;
    }
    fputc('\n', report->out);
    if (totals->behaviour_same)
        fprintf(report->out, "A and B do the same; only inputs differ (syscall results, bytes the kernel wrote, "
                             "rdtsc or cpuid values)\n");
    if (report->all)
        fprintf(report->out, "A and B diverge in %d place%s\n", report->printed,
                report->printed == 1 ? "" : "s");
    else
        fprintf(report->out, "A and B diverge (the first divergence is shown; --all lists every one)\n");
}
