/*
 * record_session.c — the recording session and its loop. rr-record starts
 * the program under ptrace (start_program), then the loop resumes the
 * current task, takes the next stop the scheduler hands it
 * (record_scheduler.c) and handles it: syscalls (record_syscall.c), signals
 * (record_signal.c), exec (exec_capture.c), clone events, deaths
 * (record_tasks.c). A task a recorded process traces shows some of its stops
 * to that tracer first (ptrace_emulation.c). The recorder's timer
 * (recorder_tick) commits the trace while the program blocks and preempts a
 * task that spins.
 */
#include "recorder.h"

#include <assert.h>
#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/personality.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/time.h>
#include <unistd.h>

#include "debug_log.h"
#include "error.h"
#include "event_log.h"
#include "syscall_table.h"
#include "tool_traps.h"
#include "trace_store.h"

enum {
    /* The recorder's timer: commits while the program blocks, and samples the
     * running task for spinning when another task waits to run (two samples
     * a tick apart: a spinning task gives way after at most two ticks). */
    RECORDER_TICK_MS = 50,
};

static void stop_recording(struct recorder *rec, const char *why)
{
    snprintf(rec->stop_reason, sizeof rec->stop_reason, "%s", why);
}

static pid_t spawn_traced(char *const argv[], int cpu)
{
    pid_t pid = fork();
    if (pid != 0)
        return pid;
    /* The child: become traceable, wait for the recorder, then exec with
     * address-space randomization off (record and replay share one layout)
     * and rdtsc trapping on (it survives execve; the loader uses rdtsc). */
    signal(SIGXFSZ, SIG_DFL); /* ignored by the recorder (main.c); an ignored signal stays so across execve */
    if (ptrace(PTRACE_TRACEME, 0, 0, 0) < 0) {
        fprintf(stderr, "rr-record: cannot trace the child: %s\n", strerror(errno));
        _exit(RECORD_CHILD_SETUP_FAILED);
    }
    raise(SIGSTOP);
    cpu_set_t one_cpu;
    CPU_ZERO(&one_cpu);
    CPU_SET(cpu, &one_cpu);
    if (personality(ADDR_NO_RANDOMIZE) < 0 || prctl(PR_SET_TSC, PR_TSC_SIGSEGV, 0, 0, 0) < 0 ||
        sched_setaffinity(0, sizeof one_cpu, &one_cpu) < 0) {
        fprintf(stderr, "rr-record: cannot prepare the child: %s\n", strerror(errno));
        _exit(RECORD_CHILD_SETUP_FAILED);
    }
    execv(argv[0], argv);
    fprintf(stderr, "rr-record: cannot execute %s: %s\n", argv[0], strerror(errno));
    _exit(RECORD_CHILD_SETUP_FAILED);
}

static int start_program(struct recorder *rec, char *const argv[])
{
    struct task_stop stop;
    /* The recorder runs on the program's CPU too: every ptrace stop is then
     * a switch on one CPU instead of a cross-CPU wake-up (an IPI, which costs
     * a VM exit under a hypervisor). Only one of the two runs at a time. */
    cpu_set_t one_cpu;
    CPU_ZERO(&one_cpu);
    CPU_SET(rec->pinned_cpu, &one_cpu);
    sched_setaffinity(0, sizeof one_cpu, &one_cpu);
    pid_t pid = spawn_traced(argv, rec->pinned_cpu);
    if (pid < 0) {
        error_set_errno("cannot fork");
        return -1;
    }
    struct task first = {.tid = pid, .mem_fd = -1};
    if (task_wait(&first, &stop) < 0)
        return -1;
    if (stop.kind != STOP_SIGNAL || stop.signo != SIGSTOP) {
        error_set("the child did not stop for tracing");
        return -1;
    }
    struct rec_task *t = record_tasks_add(rec, pid);
    if (!t)
        return -1;
    rec->initial = t;
    t->pid = pid;
    t->announced = true;
    if (task_set_options(&t->task, RECORD_PTRACE_OPTIONS) < 0 ||
        task_step(&t->task, RESUME_CONT, 0, &stop) < 0)
        return -1;
    if (stop.kind == STOP_EXITED) {
        rec->exit_status = stop.status;
        error_set("%s", ""); /* the child said why */
        return -1;
    }
    if (stop.kind != STOP_EVENT || stop.event != PTRACE_EVENT_EXEC) {
        error_set("the program did not start (unexpected stop)");
        return -1;
    }
    if (event_log_task_started(rec->store, pid, pid, getpid(), rec->next_seq, argv[0]) < 0)
        return -1;
    return exec_capture(rec, t, NULL, false, t->task.tid);
}

/* The recorder itself was continued (the shell's fg after ^Z stops the whole
 * job, recorder and program): the program goes on too. */
static volatile sig_atomic_t recorder_continued;

static void on_recorder_sigcont(int signo)
{
    (void)signo;
    recorder_continued = 1;
}

/* The recorder was asked to stop: SIGTERM, SIGHUP, or a SIGINT sent to it
 * by a process (kill, timeout). A SIGINT from the terminal (^C) goes to the
 * whole job and is the program's to handle: the recorder records what the
 * program makes of it. The loop notices at its next turn (the handler
 * interrupts its wait: no SA_RESTART), kills the program and returns; the
 * trace is then sealed as stopped by that signal. */
static volatile sig_atomic_t recorder_stop_signal;

static void on_recorder_stop_signal(int signo, siginfo_t *info, void *context)
{
    (void)context;
    if (signo == SIGINT && info->si_code == SI_KERNEL)
        return;
    if (!recorder_stop_signal)
        recorder_stop_signal = signo;
}

static void catch_stop_signals(void)
{
    struct sigaction on_stop = {.sa_sigaction = on_recorder_stop_signal, .sa_flags = SA_SIGINFO};
    sigaction(SIGTERM, &on_stop, NULL);
    sigaction(SIGHUP, &on_stop, NULL);
    sigaction(SIGINT, &on_stop, NULL);
}

int recorder_check_stop_signal(struct recorder *rec)
{
    int signo = recorder_stop_signal;
    if (!signo)
        return 0;
    error_set("stopped by signal %d (SIG%s)", signo, sigabbrev_np(signo));
    rec->stopped_by_signal = signo;
    return -1;
}

static int handle_stop_as_recorder(struct recorder *rec, struct rec_task *t, const struct task_stop *stop)
{
    if (t->life == TASK_GROUP_EXITING && stop->kind != STOP_EXITED && stop->kind != STOP_KILLED) {
        /* A stop left over from before its thread group's exit_group (a
         * syscall that completed meanwhile): the task never runs again,
         * and replay ends it at the exit_group, so nothing is recorded. */
        t->in_syscall = true; /* resumed into the kernel, where it dies */
        return 0;
    }
    switch (stop->kind) {
    case STOP_SYSCALL:
        return t->in_syscall ? record_syscall_exit(rec, t) : recorder_syscall_entry(rec, t);
    case STOP_SIGNAL:
        if (t->at_initial_stop && stop->signo == SIGSTOP) {
            t->at_initial_stop = false; /* the SIGSTOP a new child starts with */
            struct user_regs_struct regs;
            if (t->untraced_cleared && task_get_regs(&t->task, &regs) < 0)
                return -1;
            return clone_untraced_restore(t, &regs);
        }
        return record_signal_stop(rec, t, stop->signo);
    case STOP_EVENT:
        if (stop->event == PTRACE_EVENT_EXEC) {
            unsigned long former_tid;
            if (ptrace(PTRACE_GETEVENTMSG, t->task.tid, 0, &former_tid) == 0 && (pid_t)former_tid != t->task.tid)
                return exec_capture_from_thread(rec, t, (pid_t)former_tid);
            if (task_reopen_mem(&t->task) < 0)
                return -1;
            return exec_capture(rec, t, &t->entry_regs, true, t->task.tid);
        }
        if (stop->event == PTRACE_EVENT_FORK || stop->event == PTRACE_EVENT_VFORK ||
            stop->event == PTRACE_EVENT_CLONE)
            return record_syscall_clone_event(rec, t, stop->event);
        return 0;
    case STOP_GROUP:
        return 0;
    case STOP_EXITED:
    case STOP_KILLED:
        return record_tasks_exit(rec, t, stop);
    }
    return 0;
}

/* Handle one stop of task t (which is now the one scheduled). A task a
 * recorded process traces shows some of its stops to that tracer. */
int recorder_handle_stop(struct recorder *rec, struct rec_task *t, const struct task_stop *stop_seen)
{
    char text[128];
    struct task_stop local = *stop_seen, *stop = &local;
    DEBUG_LOG(LOG_RECORD, "task %d: %s", t->task.tid, task_stop_text(stop, text, sizeof text));
    if (t->ran_user_code && syscall_buffer_leave_library(rec, t, stop) < 0)
        return -1;
    if (stop->kind == STOP_SYSCALL && !t->in_syscall)
        t->sb.entered_by_filter = false; /* an entry stop: the filter's stop follows */
    if (stop->kind == STOP_EVENT && stop->event == PTRACE_EVENT_SECCOMP && !syscall_buffer_seccomp_stop(t, stop))
        return 0;
    if (t->ran_user_code) {
        t->ran_user_code = false;
        if (stop->kind != STOP_EXITED && stop->kind != STOP_KILLED &&
            (syscall_buffer_fold(rec, t) < 0 || shared_memory_after_user_code(rec, t) < 0))
            return -1;
    }
    int tracers = rec->nested->before_stop(rec, t, stop);
    if (tracers != 0) {
        DEBUG_LOG(LOG_RECORD, "task %d: the stop is its tracer's", t->task.tid);
        return tracers < 0 ? -1 : 0;
    }
    bool was_in_syscall = t->in_syscall;
    if (handle_stop_as_recorder(rec, t, stop) < 0)
        return -1;
    return rec->nested->after_stop(rec, t, stop, was_in_syscall);
}

static void kill_all(struct recorder *rec)
{
    for (int i = 0; i < rec->task_count; i++)
        if (rec->tasks[i]->life != TASK_DEAD)
            kill(rec->tasks[i]->task.tid, SIGKILL);
    pid_t tid;
    struct task_stop ignored;
    while (rec->live_tasks > 0 && task_wait_any(&tid, &ignored) == 0) {
        struct rec_task *t = record_tasks_find_live(rec, tid);
        if (t && (ignored.kind == STOP_EXITED || ignored.kind == STOP_KILLED)) {
            t->life = TASK_DEAD;
            rec->live_tasks--;
        }
    }
}

/* Called on every tick of the recorder's timer (RECORDER_TICK_MS) while
 * it waits: commit what is recorded, and ask the task running user code to
 * stop if another task is waiting to run or a signal is held for it, so that
 * a task spinning on another's progress cannot hold the others up forever. */
static bool recorder_tick(void *context)
{
    struct recorder *rec = context;
    int64_t now = trace_store_now_ms();
    if (now - rec->committed_at_ms >= RECORDER_TICK_MS) {
        rec->committed_at_ms = now; /* (chaos ticks come faster than commits are worth it) */
        if (trace_store_commit_pending(rec->store) < 0)
            error_note("%s", error_text());
    }
    if (rec->chaos.on)
        record_scheduler_chaos_tick(rec);
    if (recorder_continued) {
        recorder_continued = 0;
        for (int i = 0; i < rec->task_count; i++)
            if (rec->tasks[i]->life != TASK_DEAD)
                record_signal_continue_task(rec, rec->tasks[i]);
    }
    if (recorder_stop_signal)
        return true; /* back to the loop, which stops */
    rec->nested->tick(rec);
    bool ready = record_scheduler_pick_ready(rec) != NULL;
    if (rec->current)
        preemption_tick(rec, ready);
    /* With no task in user code, a task made ready here (continued, or a
     * tracer whose wait a signal ended) is resumed now, not at the next stop. */
    return !rec->current && ready;
}

/* Handling a stop of t failed because t is gone (task.vanished): killed
 * while the recorder held it stopped, by a SIGKILL or by another thread's
 * exit_group or execve. Nothing it did after its last event was observable;
 * its death, which wait reports next, is recorded then. False when the
 * failure was another one. */
static bool forget_vanished(struct recorder *rec, struct rec_task *t)
{
    if (!t->task.vanished)
        return false;
    t->task.vanished = false;
    t->in_syscall = true; /* not to be resumed: it is in the kernel, dying */
    t->deliver_signo = 0;
    if (rec->current == t)
        rec->current = NULL;
    return true;
}

int recorder_run(struct recorder *rec, char *const argv[])
{
    assert(rec->nested);
    if (syscall_table_init() < 0)
        return -1;
    catch_stop_signals();
    if (start_program(rec, argv) < 0) {
        if (rec->exit_status == 0)
            rec->exit_status = 1;
        stop_recording(rec, error_text());
        kill_all(rec);
        return -1;
    }
    tool_traps_enable(true); /* after the fork: the program sets its own */
    if (output_order_start(rec) < 0) {
        stop_recording(rec, error_text());
        kill_all(rec);
        rec->exit_status = 125;
        return -1;
    }
    task_set_wait_interrupted_hook(recorder_tick, rec);
    struct sigaction on_cont = {.sa_handler = on_recorder_sigcont};
    sigaction(SIGCONT, &on_cont, NULL);
    if (rec->commit_timer) {
        /* Armed after the fork: the program must not inherit it. */
        struct itimerval tick = {{0, RECORDER_TICK_MS * 1000}, {0, RECORDER_TICK_MS * 1000}};
        setitimer(ITIMER_REAL, &tick, NULL);
        rec->committed_at_ms = trace_store_now_ms();
        if (rec->chaos.on)
            record_scheduler_chaos_tick(rec); /* its first tick at a random interval too */
    }
    rec->current = rec->initial;
    for (;;) {
        /* Resume the current task: into user code, or into the kernel after
         * a syscall entry or a fork event, where it gives way to others. */
        if (recorder_check_stop_signal(rec) < 0)
            break;
        struct rec_task *t = rec->current;
        if (t && t->held_in_wait)
            t = rec->current = NULL; /* a tracer waits until a tracee stops */
        if (t && t->in_syscall && !output_order_may_enter(rec, t))
            t = rec->current = NULL; /* waits at its entry for its turn at the output */
        if (t && ((!t->in_syscall && record_scheduler_mark_entries(rec, t) < 0) ||
                  shared_memory_before_resume(rec, t) < 0))
            break;
        if (t)
            t->ran_user_code = !t->in_syscall;
        if (t && !t->in_syscall && syscall_buffer_before_user_code(t) < 0)
            break;
        if (t) {
            int signo = t->deliver_signo;
            t->deliver_signo = 0;
            enum resume_how how = syscall_buffer_resume_how(t, rec->nested->resume_how(t));
            DEBUG_LOG(LOG_RECORD, "task %d: resume%s%s, signal %d", t->task.tid, t->in_syscall ? " into the kernel" : "",
                      how == RESUME_SYSCALL || how == RESUME_CONT ? "" : " (as its tracer asked)", signo);
            if (task_resume(&t->task, how, signo) < 0) {
                if (!forget_vanished(rec, t))
                    break;
                continue;
            }
            /* A thread's exit clears its clear-child-tid word and wakes its
             * joiner: let that happen before any other task runs, as replay
             * will, rather than at some moment while another runs. */
            if (t->life == TASK_EXITING &&
                (syscall_buffer_pass_filter_stop(t) < 0 || task_wait_until_exited(&t->task) < 0 ||
                 robust_futex_after_exit(rec, t) < 0))
                break;
            if (t->in_syscall)
                rec->current = NULL;
        }
        struct task_stop stop;
        int rc = record_scheduler_next_stop(rec, &stop);
        if (rc == 1)
            return 0; /* every task has ended */
        if (rc < 0 || recorder_check_stop_signal(rec) < 0)
            break;
        if (recorder_handle_stop(rec, rec->current, &stop) < 0) {
            if (!forget_vanished(rec, rec->current))
                break;
            continue;
        }
        if (rec->current->life == TASK_DEAD) {
            rec->current = NULL;
        } else if (rec->current->job_stopped) {
            DEBUG_LOG(LOG_RECORD, "task %d: parked until continued", rec->current->task.tid);
            rec->current = NULL;
        } else if (rec->current->inner.stopped) {
            DEBUG_LOG(LOG_RECORD, "task %d: parked until its tracer resumes it", rec->current->task.tid);
            rec->current = NULL;
        } else if (rec->current->yield) {
            /* Stopped at a landmark: to the back of the queue, resumed later. */
            DEBUG_LOG(LOG_RECORD, "task %d: gives way to the other tasks", rec->current->task.tid);
            rec->current->yield = false;
            recorder_resume_later(rec, rec->current);
            rec->current = NULL;
        }
    }
    stop_recording(rec, error_text());
    kill_all(rec);
    rec->exit_status = rec->stopped_by_signal ? 128 + rec->stopped_by_signal : 125;
    return -1;
}

void recorder_free(struct recorder *rec)
{
    for (int i = 0; i < rec->task_count; i++) {
        task_detach_fd(&rec->tasks[i]->task);
        seccomp_filters_release(rec->tasks[i]);
        free(rec->tasks[i]);
    }
    free(rec->tasks);
    mem_ranges_free(&rec->ranges);
    shared_memory_free(&rec->shared);
    mapping_cache_free(&rec->mapping_cache);
    tsc_patching_free(rec);
    free(rec->copy_buffer);
}
