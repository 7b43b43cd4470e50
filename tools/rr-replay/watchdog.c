/*
 * watchdog.c — the replay's watchdog (see watchdog.h).
 *
 * Each event gets a deadline: the patience (10 s, or --patience) plus
 * WATCHDOG_FACTOR times the time the event took when recorded. The deadline
 * is counted in time the replay could run, not in wall-clock time: a replay
 * that shares a loaded machine runs slower, not wrongly. Past the deadline on
 * the wall clock, the watchdog fires when the replay (the replayer and the
 * program's process) has also used that much CPU time, or when it used almost
 * none and its task is not runnable (a program blocked where the recording
 * was not: waiting longer will not help; a runnable one that got almost no
 * CPU is starved by the load, and waits on), or at WATCHDOG_WALL_LIMIT times
 * the deadline whatever the load. A 1 s timer
 * (SIGALRM) only marks a check as due; the check runs wherever the replay
 * is when it comes: if the tick interrupts the wait for a stop, from task.h's
 * wait hook, and otherwise after the program's next stop (watchdog_poll,
 * called from the loop that runs the program). A search stopping the
 * program thousands of times a second is almost never blocked in a wait
 * when the tick comes, so the hook alone would let it run forever.
 *
 * Past the deadline the watchdog prints one line — the event, what the
 * replay was doing (running the program to it, or searching for a landmark:
 * where, how, after how many passes), for how long — kills the task, and
 * silences what follows from that death; the replay ends with status 1.
 */
#include "replayer.h"

#include <signal.h>
#include <stdio.h>
#include <sys/time.h>
#include <time.h>

#include "error.h"
#include "proc_status.h"
#include "trace_store.h"

enum {
    WATCHDOG_FACTOR = 20,
    WATCHDOG_TICK_MS = 1000,
    WATCHDOG_BLOCKED_SHARE = 50, /* under 1/50 of the wall-clock time on a CPU: blocked */
    WATCHDOG_WALL_LIMIT = 10,
};

static int64_t cpu_clock_ms(clockid_t clock)
{
    struct timespec now;
    if (clock_gettime(clock, &now) < 0)
        return -1;
    return (int64_t)now.tv_sec * 1000 + now.tv_nsec / 1000000;
}

/* CPU time of the replayer and of process `process` (all of its threads);
 * the replayer's alone when the program's process is gone. */
static int64_t replay_cpu_ms(int process)
{
    clockid_t clock;
    int64_t own = cpu_clock_ms(CLOCK_PROCESS_CPUTIME_ID), program = -1;
    if (process > 0 && clock_getcpuclockid(process, &clock) == 0)
        program = cpu_clock_ms(clock);
    return (own > 0 ? own : 0) + (program > 0 ? program : 0);
}

static volatile sig_atomic_t check_due;

static void on_tick(int signo)
{
    (void)signo; /* interrupts the replayer's wait, if it waits */
    check_due = 1;
}

/* What the replay was doing, in words. */
static void describe_activity(struct replayer *rep, char *text, size_t size)
{
    const struct replay_watchdog *w = &rep->watchdog;
    uint64_t passes;
    switch (w->activity) {
    case WATCHDOG_STUB_SEARCH:
        if (task_read_mem(&rep->cur->task, w->stub_passes_addr, &passes, sizeof passes) == sizeof passes)
            snprintf(text, size, "searching for the landmark at ip 0x%llx after %llu passes (stub in the program)",
                     (unsigned long long)w->search_ip, (unsigned long long)passes);
        else
            snprintf(text, size, "searching for the landmark at ip 0x%llx (stub in the program)",
                     (unsigned long long)w->search_ip);
        break;
    case WATCHDOG_BREAKPOINT_SEARCH:
        snprintf(text, size, "searching for the landmark at ip 0x%llx after %ld passes (breakpoint)",
                 (unsigned long long)w->search_ip, w->breakpoint_passes);
        break;
    default:
        snprintf(text, size, "running the program to it");
        break;
    }
}

static void fire(struct replayer *rep)
{
    struct replay_watchdog *w = &rep->watchdog;
    char doing[256];
    describe_activity(rep, doing, sizeof doing);
    int64_t gap = w->event->at_ms >= 0 ? w->event->at_ms - w->previous_at_ms : 0;
    error_note("replay stuck at event %lld (task %d): %s, for %lld s (%lld s on a CPU; it came %lld ms after the "
               "event before when recorded; --patience SECONDS waits longer)",
               (long long)w->event->seq, w->event->tid, doing,
               (long long)(trace_store_now_ms() - w->armed_at_ms) / 1000,
               (long long)(replay_cpu_ms(w->tracee_process) - w->armed_cpu_ms) / 1000, (long long)gap);
    error_notes_off();
    w->fired = true;
    kill(rep->cur->task.tid, SIGKILL);
}

bool watchdog_poll(struct replayer *rep)
{
    struct replay_watchdog *w = &rep->watchdog;
    if (w->fired)
        return true;
    if (!check_due)
        return false;
    check_due = 0;
    int64_t now = trace_store_now_ms();
    if (!w->event || !rep->cur || !replay_task_alive(rep->cur))
        return false;
    if (w->tracee != rep->cur->task.tid) {
        /* The first check of this event's task (a tick comes every second):
         * its CPU time counts from here; the second before is not counted. */
        w->tracee = rep->cur->task.tid;
        w->tracee_process = proc_status_tgid(w->tracee);
        if (w->tracee_process < 0)
            w->tracee_process = w->tracee;
        w->armed_cpu_ms = replay_cpu_ms(w->tracee_process);
    }
    if (now < w->deadline_ms)
        return false;
    int64_t budget = w->deadline_ms - w->armed_at_ms, waited = now - w->armed_at_ms;
    int64_t ran = replay_cpu_ms(w->tracee_process) - w->armed_cpu_ms;
    struct proc_stat stat;
    bool runnable = proc_stat_read(w->tracee, &stat) == 0 && stat.state == 'R';
    if (ran < budget && (runnable || ran * WATCHDOG_BLOCKED_SHARE >= waited) && waited < WATCHDOG_WALL_LIMIT * budget)
        return false; /* it runs, only slowly: the machine is busy */
    fire(rep);
    return true;
}

void watchdog_pause_ended(struct replayer *rep, int64_t paused_ms)
{
    rep->watchdog.armed_at_ms += paused_ms;
    rep->watchdog.deadline_ms += paused_ms;
}

/* The tick interrupted the wait for a task's next stop. */
static bool on_interrupted_wait(void *context)
{
    watchdog_poll(context);
    return false; /* a killed task's death is the stop waited for */
}

void watchdog_start(struct replayer *rep)
{
    if (rep->watchdog.patience_ms <= 0)
        rep->watchdog.patience_ms = WATCHDOG_DEFAULT_PATIENCE_MS;
    struct sigaction tick_action = {.sa_handler = on_tick};
    const struct timeval tick = {WATCHDOG_TICK_MS / 1000, WATCHDOG_TICK_MS % 1000 * 1000};
    struct itimerval every = {tick, tick};
    sigaction(SIGALRM, &tick_action, NULL);
    task_set_wait_interrupted_hook(on_interrupted_wait, rep);
    setitimer(ITIMER_REAL, &every, NULL);
}

void watchdog_arm(struct replayer *rep, const struct trace_event *event)
{
    struct replay_watchdog *w = &rep->watchdog;
    int64_t recorded_gap = event->at_ms >= 0 && event->at_ms > w->previous_at_ms ? event->at_ms - w->previous_at_ms : 0;
    /* at_ms comes from the trace: a gap past a week (a damaged value) is
     * taken as a week, so that the deadline cannot overflow. */
    const int64_t week_ms = 7LL * 24 * 3600 * 1000;
    if (recorded_gap > week_ms)
        recorded_gap = week_ms;
    w->event = event;
    w->armed_at_ms = trace_store_now_ms();
    w->tracee = 0; /* the event's task is known once the replay reaches it */
    w->deadline_ms = w->armed_at_ms + w->patience_ms + WATCHDOG_FACTOR * recorded_gap;
    w->activity = WATCHDOG_RUNNING;
}

void watchdog_event_done(struct replayer *rep, const struct trace_event *event)
{
    if (event->at_ms >= 0)
        rep->watchdog.previous_at_ms = event->at_ms;
}
