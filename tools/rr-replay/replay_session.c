/*
 * replay_session.c — the replay session and its loop. For each recorded
 * event, in order, replay_event finds the task it belongs to, settles what
 * the task still owes from its last event (a vfork's return, a restarted
 * syscall) and replays the event by its kind: syscalls, exec and enter
 * events (replay_syscall.c, replay_exec.c), rdtsc, cpuid and signals
 * (replay_signal.c), exits (replay_exit.c), landmarks (landmark_search.c),
 * a tracer's view of its tracees (nested_tracing.c). Every replay step runs
 * the program to the matching stop and checks the registers against the
 * recording (replay_step.c); any mismatch stops the replay with a report,
 * nothing is passed over. replayer_start sets up the replay process.
 */
#include "replayer.h"
#include "verbose_events.h"

#include <asm/prctl.h>
#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/resource.h>
#include <sys/rseq.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "blob_store.h"
#include "debug_log.h"
#include "progress_line.h"
#include "error.h"
#include "exec_state.h"
#include "gdb_target.h"
#include "tool_traps.h"
#include "trace_store.h"

static enum replay_outcome replay_event(struct replayer *rep, const struct trace_event *event)
{
    rep->cur = replay_tasks_find(rep, event->tid);
    if (!rep->cur)
        return replayer_diverged(event, "no replayed task stands for recorded task %d", event->tid);
    bool vfork_event_stop = event->kind == EVENT_TRACEE_STOP && event->sig_code == TRACEE_AT_EVENT;
    /* Memory written into a parent still in its vfork (a recorded replayer
     * giving it CLONE_PIDFD's descriptor as its child runs) is written as
     * it waits: the vfork returns only once the child has exec'd or exited. */
    bool memory_only = event->kind == EVENT_TRACER_WRITE && event->sig_code == TRACER_WROTE_MEMORY;
    if (rep->cur->vfork_pending && !vfork_event_stop && !memory_only) {
        DEBUG_LOG(LOG_REPLAY, "task %d: its vfork returns first", event->tid);
        if (replay_clone_finish_vfork(rep->cur) < 0)
            return replayer_failed();
    }
    if (rep->cur->restart_pending) {
        if (event->kind == EVENT_SIGNAL && !event->sync)
            rep->cur->restart_pending = false; /* the kernel decides at delivery */
        else if (event->kind == EVENT_TRACEE_STOP || event->kind == EVENT_TRACER_WRITE ||
                 event->kind == EVENT_SHARED_MEMORY)
            ; /* a tracer's stop, or memory written in, comes before the kernel restarts it: later */
        else if (replay_signal_restart_syscall(rep) < 0)
            return replayer_failed();
    }
    bool tracer_between = event->kind == EVENT_TRACEE_STOP || event->kind == EVENT_TRACER_WRITE ||
                          event->kind == EVENT_SHARED_MEMORY;
    if (rep->cur->masked_wait_pending && event->kind != EVENT_SIGNAL && !tracer_between)
        return replayer_diverged(event, "a masked wait was interrupted when recorded, but no signal follows");
    if (!replay_task_alive(rep->cur) && event->kind != EVENT_EXIT)
        return replayer_diverged(event, "the program has already ended (%s %d)",
                                 rep->cur->end == TASK_END_EXITED ? "status" : "signal", rep->cur->end_value);
    switch (event->kind) {
    case EVENT_SYSCALL:
        return event->sig_code == SYSCALL_BUFFERED ? replay_buffered_syscall(rep, event) : replay_syscall(rep, event);
    case EVENT_EXEC: return replay_exec(rep, event);
    case EVENT_RDTSC:
    case EVENT_CPUID: return replay_cpu_trap(rep, event);
    case EVENT_SIGNAL: return replay_signal(rep, event);
    case EVENT_EXIT: return replay_exit(rep, event);
    case EVENT_ENTER: return replay_enter(rep, event);
    case EVENT_LANDMARK: return replay_landmark(rep, event);
    case EVENT_TRACEE_STOP: return replay_tracee_stop(rep, event);
    case EVENT_TRACER_WRITE: return replay_tracer_write(rep, event);
    case EVENT_SHARED_MEMORY: return replay_shared_memory(rep, event);
    }
    return replayer_diverged(event, "this replayer cannot replay %s events", event_kind_name(event->kind));
}

static enum replay_outcome replayer_start(struct replayer *rep, const struct trace_event *first);

/* What the replay showed at this event must be what the recording wrote to
 * our stdout and stderr, in the same order (output_check.h). */
static enum replay_outcome check_output(struct replayer *rep, const struct trace_event *event)
{
    char why[256];
    int rc = output_check_event(&rep->output, rep->store, event->seq, why, sizeof why);
    if (rc < 0)
        return replayer_failed();
    return rc ? replayer_diverged(event, "%s", why) : REPLAY_MATCHED;
}

/* At the end of the trace: no output the replay never reached. */
static enum replay_outcome check_output_end(struct replayer *rep)
{
    char why[256];
    int rc = output_check_end(&rep->output, rep->store, why, sizeof why);
    if (rc < 0)
        return replayer_failed();
    if (rc)
        error_note("divergence at the end of the trace: %s", why);
    return rc ? REPLAY_DIVERGED : REPLAY_MATCHED;
}

static enum replay_outcome replay_events(struct replayer *rep)
{
    struct trace_event event;
    int rc;
    bool started = false;
    if (!output_check_start(&rep->output, rep->store, rep->quiet))
        error_note("note: trace %s is of format version %d, from before rr-record kept a tally of the"
                   " program's output: what the replay shows is not checked against it",
                   trace_store_path(rep->store), trace_store_format_version(rep->store));
    if (rep->events_out && (rep->recorded_task_count = task_stream_tasks(rep->store, &rep->recorded_tasks)) < 0)
        return replayer_failed();
    while ((rc = event_log_next(rep->store, &event)) == 1) {
        if (!started) {
            enum replay_outcome start = replayer_start(rep, &event);
            if (start != REPLAY_MATCHED)
                return start;
            started = true;
        }
        rep->has_observed = false;
        watchdog_arm(rep, &event);
        if (rep->verbose || (debug_log_areas & LOG_REPLAY)) {
            char what[768];
            verbose_describe_event(rep, &event, what, sizeof what);
            progress_line_erase();
            if (rep->verbose)
                fprintf(stderr, "rr-replay: event %lld, task %d: %s\n", (long long)event.seq, event.tid, what);
            DEBUG_LOG(LOG_REPLAY, "event %lld, task %d: %s", (long long)event.seq, event.tid, what);
        }
        enum replay_outcome outcome = replay_event(rep, &event);
        if (outcome == REPLAY_MATCHED)
            outcome = replay_buffered_check(rep, &event);
        if (outcome == REPLAY_MATCHED)
            outcome = check_output(rep, &event);
        if (rep->events_out && replay_events_out_write(rep, &event) < 0)
            return replayer_failed();
        if (outcome != REPLAY_MATCHED)
            return rep->watchdog.fired ? REPLAY_DIVERGED : outcome;
        rep->events_replayed++;
        if (rep->debugger && gdb_target_after_event(rep, &event) < 0)
            return replayer_failed();
        progress_line_update(rep->events_replayed);
        watchdog_event_done(rep, &event);
    }
    /* The batches past the last event, rows after the last batch and the
     * seal are checked before the end of the output is: a cut tail is
     * reported as such, not as missing output. */
    if (rc < 0 || trace_verify_end(rep->store, &rep->trace_end) < 0)
        return replayer_failed();
    return check_output_end(rep);
}

/* On a terminal, a progress line while the events are replayed (not with -q,
 * nor under gdb). */
enum replay_outcome replayer_run(struct replayer *rep)
{
    progress_line_start("events", event_log_count(rep->store), !rep->quiet && !rep->debugger);
    enum replay_outcome outcome = replay_events(rep);
    progress_line_end();
    return outcome;
}

/* The replay process: a child of the replayer that stops at once; its
 * address space is then replaced by the recorded one (address_space.c). The
 * child (on the replayer's CPU, the recorded one) sets up what must be set
 * from inside: rdtsc trapping, the trampoline page, the signal state that survives execve. */
static void become_replay_child(const struct replayer *rep, const struct exec_state *state)
{
    struct rlimit no_core = {0, 0};
    if (ptrace(PTRACE_TRACEME, 0, 0, 0) < 0)
        _exit(REPLAY_CHILD_SETUP_FAILED);
    setrlimit(RLIMIT_CORE, &no_core); /* a replayed crash must not write a core file */
    if (prctl(PR_SET_TSC, PR_TSC_SIGSEGV, 0, 0, 0) < 0)
        _exit(REPLAY_CHILD_SETUP_FAILED);
    if (rep->cpuid_trapped && syscall(SYS_arch_prctl, ARCH_SET_CPUID, 0) < 0)
        _exit(REPLAY_CHILD_NO_CPUID_FAULTING);
    void *page = mmap((void *)TRAMPOLINE_ADDR, TRAMPOLINE_SIZE, PROT_READ | PROT_WRITE,
                      MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
    if (page == (void *)TRAMPOLINE_ADDR) {
        memcpy(page, replay_trampoline_code, TRAMPOLINE_CODE_SIZE);
        mprotect(page, TRAMPOLINE_SIZE, PROT_READ | PROT_EXEC);
    } else if (errno != EEXIST || memcmp((void *)TRAMPOLINE_ADDR, replay_trampoline_code, TRAMPOLINE_CODE_SIZE) != 0) {
        /* (Already there with the same code: the replayer is itself being
         * recorded, and the recorder's trampoline serves both.) */
        _exit(REPLAY_CHILD_SETUP_FAILED);
    }
    sigset_t blocked;
    sigemptyset(&blocked);
    for (int signo = 1; signo <= 64; signo++) {
        if (signo == SIGKILL || signo == SIGSTOP)
            continue;
        signal(signo, state->signals_ignored & (1ull << (signo - 1)) ? SIG_IGN : SIG_DFL);
        if (state->signals_blocked & (1ull << (signo - 1)))
            sigaddset(&blocked, signo);
    }
    syscall(SYS_close_range, 3, ~0u, 0);
    /* glibc registered this thread's rseq area, inside memory the replay
     * unmaps; the kernel would fault writing to it. */
    if (__rseq_size > 0)
        syscall(SYS_rseq, (char *)__builtin_thread_pointer() + __rseq_offset, sizeof(struct rseq),
                RSEQ_FLAG_UNREGISTER, RSEQ_SIG);
    raise(SIGSTOP);
    sigprocmask(SIG_SETMASK, &blocked, NULL); /* not reached: the replayer takes over */
    _exit(REPLAY_CHILD_SETUP_FAILED);
}

static enum replay_outcome replayer_start(struct replayer *rep, const struct trace_event *first)
{
    struct exec_state *state;
    size_t state_size;
    struct task_stop stop;
    if (first->kind != EVENT_EXEC || !first->extra_blob) {
        error_note("trace %s does not start with an exec event", trace_store_path(rep->store));
        return REPLAY_FAILED;
    }
    if (blob_store_get(rep->store, first->extra_blob, (void **)&state, &state_size) < 0)
        return replayer_failed();
    if (state_size < sizeof *state) {
        free(state);
        error_note("trace %s: exec event %lld has a malformed register state", trace_store_path(rep->store),
                   (long long)first->seq);
        return REPLAY_FAILED;
    }
    fflush(NULL);
    /* Like the recorder, share the program's CPU: ptrace stops stay on one CPU. */
    cpu_set_t one_cpu;
    CPU_ZERO(&one_cpu);
    CPU_SET(rep->pinned_cpu, &one_cpu);
    sched_setaffinity(0, sizeof one_cpu, &one_cpu);
    pid_t pid = fork();
    if (pid == 0)
        become_replay_child(rep, state);
    free(state);
    if (pid < 0) {
        error_set_errno("cannot fork");
        return replayer_failed();
    }
    struct task child = {.tid = pid, .mem_fd = -1};
    if (task_wait(&child, &stop) < 0)
        return replayer_failed();
    if (stop.kind == STOP_EXITED) {
        error_note(stop.status == REPLAY_CHILD_NO_CPUID_FAULTING ? "this trace needs CPUID faulting, which this machine lacks"
                                      : "cannot set up the replay process");
        return REPLAY_FAILED;
    }
    if (stop.kind != STOP_SIGNAL || stop.signo != SIGSTOP) {
        kill(pid, SIGKILL);
        error_note("the replay process did not stop as expected");
        return REPLAY_FAILED;
    }
    if (task_set_options(&child, PTRACE_O_TRACESYSGOOD | PTRACE_O_EXITKILL | PTRACE_O_TRACEFORK |
                                     PTRACE_O_TRACECLONE | PTRACE_O_TRACEVFORK |
                                     PTRACE_O_TRACEEXEC) < 0 ||
        !(rep->initial = replay_tasks_add(rep, first->tid, pid,
                                         replay_shared_state(NULL, NULL, sizeof(struct replay_process)),
                                         replay_tasks_initial_files())))
        return replayer_failed();
    rep->initial->task.has_trampoline = true;
    tool_traps_enable(rep->cpuid_trapped); /* see tool_traps.h: ptrace stops get cheaper */
    watchdog_start(rep);
    return REPLAY_MATCHED;
}
