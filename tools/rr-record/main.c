/*
 * rr-record — record a program into an rrdb trace.
 *
 *   rr-record [-o TRACE] PROG [ARGS…]
 *
 * Exits with the program's own status (128+N when signal N killed it), or
 * 125 when recording stopped early (an unsupported syscall, a full disk), or
 * 128+N when the recorder was stopped by signal N (SIGTERM, SIGHUP, a SIGINT
 * sent to it: the program is killed, the trace sealed as stopped), or 127
 * when the program cannot be run. One summary line goes to stderr.
 */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#include "debug_log.h"
#include "cpu_choice.h"
#include "cpu_traps.h"
#include "error.h"
#include "event_log.h"
#include "recorder.h"
#include "task.h"
#include "trace_dir.h"
#include "trace_store.h"

#define RECORD_USAGE "rr-record [-o TRACE] [--cpu N] [--chaos[=SEED]] PROG [ARGS...]"

static void usage_exit(int status)
{
    fprintf(status ? stderr : stdout, "usage: %s\n", RECORD_USAGE);
    exit(status);
}

/* Find PROG as execvp would, so that "cannot be found" is reported before
 * anything is recorded. */
static int resolve_program(const char *program, char *path, size_t size)
{
    if (strchr(program, '/')) {
        snprintf(path, size, "%s", program);
        return access(path, X_OK) == 0 ? 0 : -1;
    }
    const char *search = getenv("PATH");
    if (!search)
        search = "/usr/local/bin:/usr/bin:/bin";
    for (const char *dir = search; *dir;) {
        size_t len = strcspn(dir, ":");
        snprintf(path, size, "%.*s/%s", (int)len, len ? dir : ".", program);
        struct stat st;
        if (stat(path, &st) == 0 && S_ISREG(st.st_mode) && access(path, X_OK) == 0)
            return 0;
        dir += len + (dir[len] == ':');
    }
    return -1;
}

static void store_command_meta(struct trace_store *store, int argc, char **argv, const char *path)
{
    char command[8192] = "", cwd[4096] = "", number[32];
    size_t used = 0;
    for (int i = 0; i < argc && used < sizeof command; i++)
        used += (size_t)snprintf(command + used, sizeof command - used, "%s%s", i ? " " : "", argv[i]);
    struct utsname uts;
    uname(&uts);
    char kernel[400];
    snprintf(kernel, sizeof kernel, "%s %s %s", uts.sysname, uts.release, uts.machine);
    snprintf(number, sizeof number, "%lld", (long long)time(NULL));
    trace_store_set_meta(store, "command", command);
    trace_store_set_meta(store, "program", path);
    trace_store_set_meta(store, "cwd", getcwd(cwd, sizeof cwd) ? cwd : "");
    trace_store_set_meta(store, "kernel", kernel);
    trace_store_set_meta(store, "recorded_at", number);
}

/* How the recording ended, in meta (end, stop_reason, exit_status…). */
static int store_ending(struct trace_store *store, const struct recorder *rec, int rc)
{
    char status[32], cpu[32];
    snprintf(status, sizeof status, "%d", rec->exit_status);
    snprintf(cpu, sizeof cpu, "%d", rec->pinned_cpu);
    if (trace_store_set_meta(store, "exit_status", status) < 0 ||
        trace_store_set_meta(store, "end", rc == 0 ? "complete" : "stopped") < 0 ||
        trace_store_set_meta(store, "cpu", cpu) < 0 ||
        trace_store_set_meta(store, "cpuid", rec->cpuid_native ? "native" : "trapped") < 0)
        return -1;
    return rc < 0 ? trace_store_set_meta(store, "stop_reason", rec->stop_reason) : 0;
}

static void wake_up(int signo)
{
    (void)signo; /* only interrupts waitpid */
}

/* The syscall buffer (syscall_buffer.h) is off unless RRDB_SYSCALLBUF=1
 * asks for it (not the default yet: see docs/syscall-buffer.md);
 * RRDB_NO_SYSCALLBUF=1 keeps it off in any case. */
static bool syscall_buffer_wanted(void)
{
    const char *on = getenv("RRDB_SYSCALLBUF"), *off = getenv("RRDB_NO_SYSCALLBUF");
    return on && strcmp(on, "1") == 0 && !(off && strcmp(off, "1") == 0);
}

int main(int argc, char **argv)
{
    const char *output = NULL;
    int opt;
    opterr = 0; /* one line of our own for a bad option */
    error_set_program("rr-record");
    /* A trace that outgrows RLIMIT_FSIZE is a full disk (EFBIG), not a
     * reason to die; the program gets the default back (spawn_traced). */
    signal(SIGXFSZ, SIG_IGN);
    if (debug_log_init("rr-record") < 0)
        error_exit_last(2);
    static const struct option options[] = {
        {"output", required_argument, NULL, 'o'}, {"cpu", required_argument, NULL, 'c'},
        {"chaos", optional_argument, NULL, 'C'}, {"help", no_argument, NULL, 'h'}, {0, 0, 0, 0}};
    int cpu = -1;
    struct chaos chaos = {0};
    while ((opt = getopt_long(argc, argv, "+:o:h", options, NULL)) != -1) {
        switch (opt) {
        case 'o': output = optarg; break;
        case 'c':
            if (cpu_choice_parse(optarg, &cpu) < 0)
                error_exit_last(2);
            break;
        case 'C':
            if (chaos_start(&chaos, optarg) < 0)
                error_exit_last(2);
            break;
        case 'h': usage_exit(0); break;
        case ':':
            error_exit(2, "option %s needs a value (usage: %s)", argv[optind - 1], RECORD_USAGE);
        default:
            if (optopt)
                error_exit(2, "unknown option -%c (usage: %s)", optopt, RECORD_USAGE);
            error_exit(2, "unknown option %s (usage: %s)", argv[optind - 1], RECORD_USAGE);
        }
    }
    if (optind >= argc)
        error_exit(2, "no program given (usage: %s)", RECORD_USAGE);
    char program[PATH_MAX];
    if (resolve_program(argv[optind], program, sizeof program) < 0)
        error_exit(127, "cannot find program %s", argv[optind]);

    char trace_path[PATH_MAX];
    if (output)
        snprintf(trace_path, sizeof trace_path, "%s", output);
    else if (trace_dir_new_trace(program, trace_path, sizeof trace_path) < 0)
        error_exit_last(2);
    struct trace_store *store = trace_store_create(trace_path);
    if (!store)
        error_exit_last(errno == ENOSPC ? 125 : 2);
    store_command_meta(store, argc - optind, argv + optind, program);
    if (cpu < 0)
        cpu = cpu_choice_least_busy();
    char cpu_text[16];
    snprintf(cpu_text, sizeof cpu_text, "%d", cpu);
    trace_store_set_meta(store, "cpu", cpu_text); /* now: a trace cut short replays on it too */
    bool patch_rdtsc = tsc_patching_wanted();
    trace_store_set_meta(store, "rdtsc", patch_rdtsc ? "patched" : "trapped"); /* tsc_patching.c */
    char chaos_seed[32] = "";
    if (chaos.on) {
        snprintf(chaos_seed, sizeof chaos_seed, "%llu", (unsigned long long)chaos.seed);
        trace_store_set_meta(store, "chaos_seed", chaos_seed);
    }
    if (!output && trace_dir_set_latest(trace_path) < 0)
        error_note("%s", error_text());

    /* Keyboard signals go to the program (same process group); the recorder
     * keeps recording so that the program's reaction is in the trace (^C
     * too: recorder_run stops only for a SIGINT sent to the recorder
     * itself, and for SIGTERM and SIGHUP). */
    signal(SIGQUIT, SIG_IGN);

    /* A timer wakes the recorder's wait: what was recorded reaches the disk
     * while the program blocks, and a spinning task gives way (record_session.c). */
    struct sigaction on_timer = {.sa_handler = wake_up};
    sigaction(SIGALRM, &on_timer, NULL);
    struct recorder rec = {
        .store = store, .nested = &ptrace_emulation_hooks, .commit_timer = true, .pinned_cpu = cpu,
        .tsc_patches = {.on = patch_rdtsc}, .chaos = chaos, .syscall_buffer = syscall_buffer_wanted()};
    trace_store_set_meta(store, "syscall_buffer", rec.syscall_buffer ? "on" : "off");
    char *program_argv0 = argv[optind];
    argv[optind] = program;
    int rc = recorder_run(&rec, argv + optind);
    argv[optind] = program_argv0;
    int64_t events = rec.next_seq;
    /* The last batch is committed on its own first. When the disk is full,
     * what was pending is dropped and the end written in a transaction small
     * enough to fit (the WAL reuses the space of the one that failed). */
    bool ended = !trace_store_out_of_space(store) && store_ending(store, &rec, rc) == 0 &&
                 trace_store_commit(store) == 0;
    if (!ended) {
        if (!trace_store_out_of_space(store))
            error_exit_last(2);
        /* meta.exit_status keeps the program's status when it had ended */
        char reason[sizeof rec.stop_reason + 64];
        if (rc < 0)
            snprintf(reason, sizeof reason, "disk full: %s", rec.stop_reason);
        else
            snprintf(reason, sizeof reason, "disk full: %s (the program had ended, status %d)", error_text(),
                     rec.exit_status);
        snprintf(rec.stop_reason, sizeof rec.stop_reason, "%.*s", (int)sizeof rec.stop_reason - 1, reason);
        if (rc < 0)
            rec.exit_status = 125;
        trace_store_discard_batch(store);
        store_ending(store, &rec, -1);
        rc = -1;
        rec.exit_status = 125;
    }
    bool out_of_space = trace_store_out_of_space(store);
    if (trace_store_close(store) < 0) {
        /* Full again while sealing: the trace keeps its committed batches
         * (and may keep its -wal file), and reads as cut short. */
        if (out_of_space)
            error_exit(125, "%s; the trace %s keeps what was committed before", rec.stop_reason, trace_path);
        error_exit_last(2);
    }
    recorder_free(&rec);
    struct stat st;
    long long size = stat(trace_path, &st) == 0 ? (long long)st.st_size : 0;
    if (rc < 0 && rec.stop_reason[0])
        error_note("%s; recording stopped after %lld events, trace %s keeps them",
                   rec.stop_reason, (long long)events, trace_path);
    else if (rc == 0)
        error_note("recorded %lld events, %lld KiB, in %s%s%s", (long long)events, size / 1024, trace_path,
                   chaos.on ? ", chaos seed " : "", chaos_seed);
    /* On a terminal only, like the hint below: the tests and scripts that
     * read rr-record's stderr expect its summary lines alone. */
    if (rec.cpuid_native && cpu_traps_offers_random() && isatty(STDERR_FILENO))
        error_note("warning: this CPU offers rdrand/rdseed and cannot hide them (no CPUID faulting);"
                   " their results are not recorded, so a program that uses them will not replay");
    char warning[1024];
    substitute_summary(&rec.substitutes, warning, sizeof warning);
    if (warning[0])
        error_note("%s", warning);
    /* For a person at a terminal: what to do with the trace (scripts read the
     * lines above, which stay as they were). */
    if (events > 0 && isatty(STDERR_FILENO))
        error_note("replay it with 'rr-replay %s', look into it with 'rr-query %s stats'", trace_path, trace_path);
    return rec.exit_status;
}
