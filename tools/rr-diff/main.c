/*
 * rr-diff — find where two executions part.
 *
 *   rr-diff [-C N] [--all] [--format text|json] [--ignore WHAT,…] [--nested] A B
 *
 * A and B are traces: recordings, or event streams written by
 * `rr-replay --events`. With --nested, A is a recording of rr-replay
 * replaying B, and the events compared on A's side are those of that inner
 * replay (nested_source.c). Tasks are matched by creation order and command,
 * events are aligned within each task, and the first divergence (or, with
 * --all, every divergent region) is reported with the N events before it.
 *
 * Exit status: 0 identical, 1 they diverge, 2 on error (bad arguments, a
 * missing file or one that is not a trace, a trace that cannot be read).
 */
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aligner.h"
#include "error.h"
#include "event_source.h"
#include "inner_view.h"
#include "ignore_list.h"
#include "report.h"
#include "syscall_table.h"
#include "task_match.h"
#include "trace_store.h"

/* The window costs its square in comparisons when the sides never meet again. */
enum { DEFAULT_CONTEXT = 5, DEFAULT_WINDOW = 2000, CONTEXT_MAX = 10000, WINDOW_MAX = 20000 };

static const char usage_line[] = "rr-diff [-q] [-C N] [--all] [--strict] [--format text|json] [--ignore WHAT,…] [--nested] A B";

static void usage_exit(int status)
{
    fprintf(status ? stderr : stdout,
            "usage: %s\n"
            "  A, B               traces: recordings or `rr-replay --events` streams\n"
            "  --nested           A is a recording of `rr-replay B`: compare the replay inside it with B\n"
            "  -C, --context N    show the N matching events before a divergence (default %d)\n"
            "  --all              every divergent region, not only the first\n"
            "  --strict           the first difference of anything; by default the first in\n"
            "                     behaviour (calls, arguments, data written, signals, exit),\n"
            "                     with the inputs that differed before it as likely causes\n"
            "  --format FORMAT    text (default) or json (one JSON document)\n"
            "  --ignore WHAT,…    values expected to differ: event kinds (rdtsc, cpuid, signal…),\n"
            "                     syscall names (getrandom, clock_gettime…), groups (time,\n"
            "                     random, pids), or scheduling (which syscalls let other\n"
            "                     tasks run before completing)\n"
            "  --window N         events looked ahead to resynchronize with --all (default %d)\n"
            "  -q, --quiet        no progress line on a terminal\n"
            "exit status: 0 identical, 1 they diverge, 2 error\n",
            usage_line, DEFAULT_CONTEXT, DEFAULT_WINDOW);
    exit(status);
}

static int parse_count(const char *text, const char *option, int most)
{
    char *end;
    long value = strtol(text, &end, 10);
    if (!text[0] || *end || value < 0 || value > most)
        error_exit(2, "%s wants a number from 0 to %d, not \"%s\"", option, most, text);
    return (int)value;
}

int main(int argc, char **argv)
{
    error_set_program("rr-diff");
    /* One thread reads both traces: without SQLite's per-call mutexes a
     * million-event comparison spends a tenth less time. */
    trace_store_single_threaded();
    opterr = 0; /* one line of our own for a bad option */
    static const struct option options[] = {
        {"context", required_argument, NULL, 'C'}, {"all", no_argument, NULL, 'a'},
        {"format", required_argument, NULL, 'f'},  {"ignore", required_argument, NULL, 'i'},
        {"window", required_argument, NULL, 'w'},  {"help", no_argument, NULL, 'h'},
        {"nested", no_argument, NULL, 'n'},        {"quiet", no_argument, NULL, 'q'},
        {"strict", no_argument, NULL, 's'},
        {0, 0, 0, 0}};
    struct ignore_list ignore = {0};
    struct align_options align = {.context = DEFAULT_CONTEXT, .resync_window = DEFAULT_WINDOW,
                                  .ignore = &ignore, .progress = true};
    bool json = false, nested = false;
    if (syscall_table_init() < 0)
        error_exit_last(2);
    int opt;
    while ((opt = getopt_long(argc, argv, "C:hq", options, NULL)) != -1) {
        switch (opt) {
        case 'C': align.context = parse_count(optarg, "-C", CONTEXT_MAX); break;
        case 'a': align.all = true; break;
        case 'n': nested = true; break;
        case 's': align.strict = true; break;
        case 'q': align.progress = false; break;
        case 'w': align.resync_window = parse_count(optarg, "--window", WINDOW_MAX); break;
        case 'f':
            if (strcmp(optarg, "json") == 0)
                json = true;
            else if (strcmp(optarg, "text") != 0)
                error_exit(2, "--format is text or json, not \"%s\"", optarg);
            break;
        case 'i':
            if (ignore_list_parse(&ignore, optarg) < 0)
                error_exit_last(2);
            break;
        case 'h': usage_exit(0); break;
        default:
            if (optopt == 'C' || optopt == 'f' || optopt == 'i' || optopt == 'w')
                error_exit(2, "%s needs a value (usage: %s)", argv[optind - 1], usage_line);
            error_exit(2, "unknown option %s (usage: %s)", argv[optind - 1], usage_line);
        }
    }
    /* The inner replay follows INNER's order of tasks by construction, and
     * its tracer does not always see where other tasks ran during a syscall
     * (a task whose exit the replayer had already collected shows nothing):
     * where a syscall let others run is not compared. */
    if (nested && ignore_list_parse(&ignore, "scheduling") < 0)
        error_exit_last(2);
    /* A replay hands the program every recorded input back: in a nested
     * comparison any difference at all is the replayer's. */
    if (nested)
        align.strict = true;
    if (align.resync_window < 4)
        align.resync_window = 4;
    if (argc - optind != 2)
        error_exit(2, "%s (usage: %s)", argc - optind < 2 ? "two traces are needed" : "too many arguments",
                   usage_line);

    struct event_source *a = nested ? nested_source_open(argv[optind]) : trace_source_open(argv[optind]);
    if (!a)
        error_exit_last(2);
    struct event_source *b = trace_source_open(argv[optind + 1]);
    if (b && nested)
        b = inner_view_open(b); /* its nested-tracing events as the replay shows them */
    if (!b)
        error_exit_last(2);
    struct task_matching tasks;
    if (task_match(a, b, &tasks) < 0)
        error_exit_last(2);

    struct report report = {.out = stdout, .all = align.all, .resync_window = align.resync_window};
    struct align_totals totals;
    int rc;
    if (json) {
        report_json_begin(&report, a, b, &tasks);
        rc = align_sources(a, b, &tasks, &align, report_json_divergence, &report, &totals);
        if (rc == 0)
            report_json_end(&report, &tasks, &totals);
    } else {
        report_text_begin(&report, a, b, &tasks);
        rc = align_sources(a, b, &tasks, &align, report_text_divergence, &report, &totals);
        if (rc == 0)
            report_text_end(&report, &tasks, &totals);
    }
    if (rc < 0) {
        fflush(stdout);
        error_exit_last(2);
    }
    task_matching_free(&tasks);
    event_source_close(a);
    event_source_close(b);
    if (fflush(stdout) != 0)
        error_exit(2, "cannot write the report");
    return totals.divergences ? 1 : 0;
}
