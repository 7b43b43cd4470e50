/*
 * rr-replay — re-execute a recorded program from its trace.
 *
 *   rr-replay [-q] [-v] [--events OUT] [--patience SECONDS] [TRACE]
 *                                                   (no TRACE: the latest recording)
 *   rr-replay --gdb [--goto SEQ] [TRACE] [-- GDB-ARGS…]
 *   rr-replay --gdb-server [HOST:]PORT [--goto SEQ] [TRACE]
 *
 * --gdb starts gdb connected to the replay (gdb_target.h), --gdb-server
 * waits for one to connect; the program stops after its first event (the
 * exec), or after event SEQ.
 *
 * --events OUT writes the event stream the replay observed into a new file
 * OUT, in the trace schema (meta.kind = replay-events), for rr-diff.
 * --patience SECONDS: how long the watchdog (watchdog.c) lets any event
 * take, beyond 20 times what it took when recorded (default 10).
 *
 * Exit status: 0 when the replay matched the recording to its end, 1 on a
 * divergence (reported on stderr), 2 when the trace is unusable, damaged (its
 * checksums, trace_verify.h, name the batch), cut short or stopped early
 * ("trace ends here"), or on bad arguments; 3 when gdb ended the replay
 * before its end (killed the program or went away).
 */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "debug_log.h"
#include "error.h"
#include "event_log.h"
#include "gdb_target.h"
#include "replayer.h"
#include "trace_dir.h"
#include "trace_reader.h"
#include "trace_store.h"

#define USAGE_LINE "rr-replay [-q] [-v] [--events OUT] [--patience SECONDS] [--gdb | --gdb-server [HOST:]PORT] [--goto SEQ] [TRACE] [-- GDB-ARGS]"

static void usage_exit(int status)
{
    fprintf(status ? stderr : stdout,
            "usage: " USAGE_LINE "\n"
            "  -q, --quiet       do not show what the program wrote to stdout/stderr\n"
            "  -v, --verbose     print each event on stderr as it is replayed\n"
            "  --events OUT      write the event stream the replay observed to OUT (for rr-diff)\n"
            "  --patience SECONDS\n"
            "                    let an event take this long (beyond 20 times its recorded time)\n"
            "                    before the replay is declared stuck (default 10)\n"
            "  --gdb             debug the replay in gdb (started with GDB-ARGS after --)\n"
            "  --gdb-server [HOST:]PORT\n"
            "                    wait for gdb at HOST:PORT (default host 127.0.0.1; port 0: any)\n"
            "  --goto SEQ        under gdb, stop first after event SEQ\n"
            "  --test-corrupt-result SEQ\n"
            "                    testing only: give the program a wrong result (one more) for the\n"
            "                    emulated syscall at event SEQ, without reporting it (a replayer\n"
            "                    bug for rr-diff --nested to find)\n");
    exit(status);
}

static int meta_int(struct trace_store *store, const char *key, int fallback)
{
    char *value = trace_store_get_meta(store, key);
    int number = value ? atoi(value) : fallback;
    free(value);
    return number;
}

static bool meta_is(struct trace_store *store, const char *key, const char *expected)
{
    char *value = trace_store_get_meta(store, key);
    bool same = value && strcmp(value, expected) == 0;
    free(value);
    return same;
}

/* How the recording ended: from its seal, or for a trace of a format
 * without one, from meta.end alone. Meaningful once replayed to its end. */
static enum trace_end how_it_ended(struct replayer *rep)
{
    if (rep->trace_end != TRACE_END_UNVERIFIED)
        return rep->trace_end;
    if (meta_is(rep->store, "end", "complete"))
        return TRACE_END_COMPLETE;
    char *reason = trace_store_get_meta(rep->store, "stop_reason");
    enum trace_end end = reason ? TRACE_END_STOPPED : TRACE_END_CUT_SHORT;
    free(reason);
    return end;
}

/* The trace, its reader and what the replay takes from its meta table. */
static void open_trace(struct replayer *rep, const char *path)
{
    rep->store = trace_store_open(path);
    if (!rep->store)
        error_exit_last(2);
    rep->reader = trace_reader_new(rep->store, rep->store, NULL);
    if (!rep->reader || !(rep->syscalls = trace_reader_syscalls(rep->reader)))
        error_exit_last(2);
    rep->pinned_cpu = meta_int(rep->store, "cpu", 0);
    rep->cpuid_trapped = meta_is(rep->store, "cpuid", "trapped");
    rep->rdtsc_patched = meta_is(rep->store, "rdtsc", "patched");
    rep->syscall_buffer = meta_is(rep->store, "syscall_buffer", "on");
    if (trace_verify_start(rep->store) > 0)
        error_note("%s", error_text());
    rep->command = trace_store_get_meta(rep->store, "command");
}

static void close_trace(struct replayer *rep)
{
    free((char *)rep->command);
    replay_buffered_free(rep);
    trace_reader_free(rep->reader);
    trace_store_close(rep->store);
}

/* Under gdb: the end told to gdb; and each time gdb goes back, the replay
 * starts over from the trace (gdb_history.c). */
static enum replay_outcome run_on_under_gdb(struct replayer *rep, const char *path, enum replay_outcome outcome)
{
    for (;;) {
        if (!rep->debugger->restart)
            gdb_target_finish(rep, outcome);
        if (!rep->debugger->restart)
            return outcome;
        error_notes_on();
        gdb_target_discard_replay(rep);
        close_trace(rep);
        struct replayer fresh = {.quiet = rep->quiet, .verbose = rep->verbose, .corrupt_seq = rep->corrupt_seq,
                                 .debugger = rep->debugger};
        fresh.watchdog.patience_ms = rep->watchdog.patience_ms;
        *rep = fresh;
        open_trace(rep, path);
        outcome = replayer_run(rep);
    }
}

/* --gdb, --gdb-server: listen (on the loopback interface unless told
 * otherwise); at the first stop, after event goto_seq (-1: the first), gdb
 * is started or told where to connect (gdb_launch.c). */
static void start_debugger(struct replayer *rep, struct gdb_target *debugger, const char *server, long long goto_seq,
                           char *const *gdb_args, int gdb_arg_count)
{
    long long count = event_log_count(rep->store);
    if (goto_seq >= count)
        error_exit(2, "--goto %lld: trace %s has events 0 to %lld", goto_seq, trace_store_path(rep->store), count - 1);
    int port;
    int fd = gdb_launch_listen(server ? server : "127.0.0.1:0", &port);
    if (fd < 0)
        error_exit_last(2);
    struct gdb_launch launch = {.server = server, .port = port, .gdb_args = gdb_args, .gdb_arg_count = gdb_arg_count};
    if (sched_getaffinity(0, sizeof launch.affinity, &launch.affinity) < 0)
        error_exit(2, "cannot read this process's CPU affinity: %s", strerror(errno));
    if (gdb_target_init(debugger, fd, &launch, goto_seq) < 0)
        error_exit_last(2);
    rep->debugger = debugger;
}

int main(int argc, char **argv)
{
    struct replayer rep = {0};
    int opt;
    opterr = 0; /* one line of our own for a bad option */
    error_set_program("rr-replay");
    if (debug_log_init("rr-replay") < 0)
        error_exit_last(2);
    static const struct option options[] = {
        {"quiet", no_argument, NULL, 'q'}, {"help", no_argument, NULL, 'h'},
        {"events", required_argument, NULL, 'e'}, {"verbose", no_argument, NULL, 'v'},
        {"test-corrupt-result", required_argument, NULL, 'c'}, {"patience", required_argument, NULL, 'p'},
        {"gdb", no_argument, NULL, 'g'}, {"gdb-server", required_argument, NULL, 'G'},
        {"goto", required_argument, NULL, 'o'}, {0, 0, 0, 0}};
    bool gdb = false;
    const char *gdb_server = NULL;
    long long goto_seq = -1;
    const char *events_path = NULL;
    while ((opt = getopt_long(argc, argv, "+qvh", options, NULL)) != -1) {
        switch (opt) {
        case 'q': rep.quiet = true; break;
        case 'e': events_path = optarg; break;
        case 'v': rep.verbose = true; break;
        case 'c': {
            char *end;
            rep.corrupt_seq = strtoll(optarg, &end, 10);
            if (*optarg == 0 || *end != 0 || rep.corrupt_seq < 0)
                error_exit(2, "--test-corrupt-result wants an event number, not '%s'", optarg);
            break;
        }
        case 'p': {
            char *end;
            double seconds = strtod(optarg, &end);
            if (*optarg == 0 || *end != 0 || !(seconds > 0 && seconds <= 1e6))
                error_exit(2, "--patience wants a number of seconds, not '%s'", optarg);
            rep.watchdog.patience_ms = (int64_t)(seconds * 1000);
            break;
        }
        case 'g': gdb = true; break;
        case 'G': gdb_server = optarg; break;
        case 'o': {
            char *end;
            goto_seq = strtoll(optarg, &end, 10);
            if (*optarg == 0 || *end != 0 || goto_seq < 0)
                error_exit(2, "--goto wants an event number, not '%s'", optarg);
            break;
        }
        case 'h': usage_exit(0); break;
        default:
            error_exit(2, "unknown option %s (usage: %s)", argv[optind - 1], USAGE_LINE);
        }
    }
    /* What follows TRACE and "--" is gdb's. */
    int gdb_args = argc;
    for (int i = optind; i < argc; i++)
        if (strcmp(argv[i], "--") == 0) {
            gdb_args = i + 1;
            break;
        }
    if (gdb_args < argc && !gdb)
        error_exit(2, "arguments after -- are gdb's: only with --gdb (usage: %s)", USAGE_LINE);
    if (gdb && gdb_server)
        error_exit(2, "--gdb and --gdb-server exclude each other (usage: %s)", USAGE_LINE);
    if (goto_seq >= 0 && !gdb && !gdb_server)
        error_exit(2, "--goto is for --gdb or --gdb-server (usage: %s)", USAGE_LINE);
    if ((gdb || gdb_server) && events_path)
        error_exit(2, "--events cannot be written under gdb (usage: %s)", USAGE_LINE);
    int positional = (gdb_args < argc ? gdb_args - 1 : argc) - optind;
    if (positional > 1)
        error_exit(2, "too many arguments (usage: %s)", USAGE_LINE);
    char path[PATH_MAX];
    if (positional == 1)
        snprintf(path, sizeof path, "%s", argv[optind]);
    else if (trace_dir_latest(path, sizeof path) < 0)
        error_exit_last(2);

    open_trace(&rep, path);
    const char *command = rep.command;
    if (events_path) {
        rep.events_out = trace_store_create(events_path);
        if (!rep.events_out || trace_store_set_meta(rep.events_out, "kind", "replay-events") < 0 ||
            trace_store_set_meta(rep.events_out, "source", path) < 0 ||
            trace_store_set_meta(rep.events_out, "command", command ? command : "") < 0)
            error_exit_last(2);
    }
    signal(SIGPIPE, SIG_IGN);
    struct gdb_target debugger;
    if (gdb || gdb_server)
        start_debugger(&rep, &debugger, gdb_server, goto_seq, argv + gdb_args, argc - gdb_args);

    enum replay_outcome outcome = replayer_run(&rep);
    if (rep.debugger)
        outcome = run_on_under_gdb(&rep, path, outcome);
    struct replay_task *initial = rep.initial;
    enum task_end program_end = initial ? initial->end : TASK_END_NONE;
    int end_value = initial ? initial->end_value : 0;
    replayer_free(&rep);
    bool complete = how_it_ended(&rep) == TRACE_END_COMPLETE;
    if (outcome == REPLAY_MATCHED && !complete) {
        char *reason = trace_store_get_meta(rep.store, "stop_reason");
        if (how_it_ended(&rep) == TRACE_END_CUT_SHORT)
            error_note("trace ends here, after event %lld: the recording was cut short (the recorder was killed"
                       " before it sealed the trace)", (long long)rep.events_replayed);
        else
            error_note("trace ends here, after event %lld: the recording stopped early: %s",
                       (long long)rep.events_replayed, reason && reason[0] ? reason : "no reason given");
        free(reason);
        outcome = REPLAY_FAILED;
    } else if (outcome == REPLAY_MATCHED) {
        if (program_end == TASK_END_KILLED)
            error_note("replayed %lld events; program killed by signal %s",
                       (long long)rep.events_replayed, sigabbrev_np(end_value));
        else
            error_note("replayed %lld events; program exited with status %d",
                       (long long)rep.events_replayed, end_value);
    }
    if (rep.events_out) {
        static const char *const ends[] = {"complete", "diverged", "failed"};
        const char *end = outcome == REPLAY_FAILED && complete ? "failed" : ends[outcome];
        if (outcome == REPLAY_FAILED && !complete)
            end = "cut-short";
        if (trace_store_set_meta(rep.events_out, "end", end) < 0 || trace_store_close(rep.events_out) < 0)
            error_exit_last(2);
    }
    if (rep.debugger)
        gdb_target_free(rep.debugger);
    close_trace(&rep);
    return (int)outcome;
}
