/*
 * gdb_target.c — the replay under gdb's control (see gdb_target.h): the
 * stops gdb is told of (or that a replay of the history passes), what is
 * kept at each event (the auxiliary vector at an exec, whether output was
 * shown), the end of the replay, and starting over. How a task runs under
 * gdb is gdb_run.c's.
 */
#include "gdb_target.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/wait.h>
#include <unistd.h>

#include "error.h"
#include "replayer.h"
#include "trace_store.h"

int gdb_target_init(struct gdb_target *target, int listen_fd, const struct gdb_launch *launch, int64_t goto_seq)
{
    memset(target, 0, sizeof *target);
    target->conn.fd = -1;
    target->listen_fd = listen_fd;
    target->launch = *launch;
    target->output_shown_seq = -1;
    target->found_entry = -1;
    for (int i = 0; i < GDB_OPEN_FILES; i++)
        target->files[i].disk_fd = -1;
    return gdb_history_resume(target, GDB_RUN_GOTO, 0, goto_seq < 0 ? 0 : goto_seq);
}

struct replay_task *gdb_target_thread(struct replayer *rep, int32_t tid)
{
    for (int i = 0; i < rep->task_count; i++) {
        struct replay_task *rt = rep->tasks[i];
        bool seen = rt->group == rep->debugger->debugged_pid || rt->group == rep->debugger->fork_child_pid;
        if (replay_task_alive(rt) && !rt->exiting && !rt->task.vanished && seen && (tid <= 0 || rt->recorded_tid == tid))
            return rt;
    }
    return NULL;
}

/* Close the connection and wait for the gdb rr-replay started, if any. */
static void hang_up(struct gdb_target *target)
{
    if (target->conn.fd >= 0)
        close(target->conn.fd);
    target->conn.fd = -1;
    if (target->gdb_pid > 0)
        while (waitpid(target->gdb_pid, NULL, 0) < 0 && errno == EINTR)
            ;
    target->gdb_pid = 0;
}

_Noreturn void gdb_target_end_session(struct gdb_target *target, int status)
{
    hang_up(target);
    exit(status);
}

bool gdb_target_keeps_code(const struct gdb_target *target, int32_t tid, uint64_t lo, uint64_t hi)
{
    if (!target || target->detached)
        return false;
    if ((target->mode == GDB_RUN_STEP && target->step_tid == tid) || target->counting_tid == tid)
        return true; /* stepped one instruction at a time, the stub's among them */
    for (int i = 0; i < target->armed_count; i++)
        if (target->armed[i].addr >= lo && target->armed[i].addr < hi)
            return true;
    return false;
}

/* The replay unwinds, silently, and starts over (main.c). */
static int start_over(void)
{
    error_set("the replay starts over for gdb");
    error_notes_off();
    return -1;
}

/* The run in progress stopped in thread `tid` with `signo`: on with the
 * history being replayed, or tell gdb and let it work until it resumes (the
 * watchdog does not count that time). */
int gdb_target_report_stop(struct replayer *rep, int32_t tid, int signo, bool at_breakpoint, uint64_t watch)
{
    struct gdb_target *target = rep->debugger;
    if (!gdb_history_stopped(target))
        return target->restart ? start_over() : 0;
    if (!watch)
        watch = target->reverse_watch; /* gone back to it */
    char watched[48] = "", thread[40], forked[48] = "";
    if (watch)
        snprintf(watched, sizeof watched, "%swatch:%llx;", gdb_watch_kind(watch) == GDB_WATCH_ACCESS ? "a" : "",
                 (unsigned long long)gdb_watch_addr(watch));
    gdb_thread_id_text(rep, tid, thread, sizeof thread);
    gdb_fork_stop_text(rep, forked, sizeof forked);
    snprintf(target->stop_reply, sizeof target->stop_reply, "T%02xthread:%s;%s%s%s%s", signo, thread,
             at_breakpoint ? "swbreak:;" : "", watched, forked, target->at_begin ? "replaylog:begin;" : "");
    target->at_begin = false;
    target->reverse_watch = 0;
    target->selected_tid = tid;
    int64_t started = trace_store_now_ms();
    int rc = gdb_server_serve(rep);
    watchdog_pause_ended(rep, trace_store_now_ms() - started);
    if (rc > 0) {
        error_note("gdb ended the replay after event %lld", (long long)target->last_event.seq);
        gdb_target_end_session(target, 3);
    }
    return target->restart ? start_over() : 0;
}

/* The auxiliary vector the exec left on the stack at rsp (argc, argv,
 * envp, then the pairs up to AT_NULL), kept for qXfer:auxv:read. */
static int read_auxv(struct gdb_target *target, struct task *task)
{
    struct user_regs_struct regs;
    if (task_get_regs(task, &regs) < 0)
        return -1;
    uint64_t addr = regs.rsp, word;
    int nulls = 0;
    while (nulls < 2) { /* past argv's and envp's terminating NULLs */
        addr += 8;
        if (task_read_mem(task, addr, &word, 8) != 8)
            return 0;
        nulls += word == 0;
    }
    addr += 8;
    uint64_t pairs[2 * 64];
    ssize_t n = task_read_mem(task, addr, pairs, sizeof pairs);
    size_t len = 0;
    while (len + 16 <= (size_t)(n > 0 ? n : 0)) {
        len += 16;
        if (pairs[len / 8 - 2] == 0)
            break;
    }
    free(target->auxv);
    target->auxv = malloc(len ? len : 1);
    if (!target->auxv)
        return -1;
    memcpy(target->auxv, pairs, len);
    target->auxv_len = len;
    return 0;
}

int gdb_target_after_event(struct replayer *rep, const struct trace_event *event)
{
    struct gdb_target *target = rep->debugger;
    if (!target)
        return 0;
    /* The program's output is shown once: not again when going back replays it. */
    if (event->seq > target->output_shown_seq)
        target->output_shown_seq = event->seq;
    rep->output.quiet = rep->quiet || event->seq + 1 <= target->output_shown_seq;
    if (target->detached)
        return 0;
    if (gdb_history_note_event(target, event) < 0)
        return -1;
    target->last_event = *event;
    target->has_last_event = true;
    struct replay_task *rt = replay_tasks_find(rep, event->tid);
    if (event->kind == EVENT_EXEC && rt && (!target->debugged_pid || rt->group == target->debugged_pid)) {
        target->debugged_pid = rt->group;
        target->exec_seq = event->seq;
        if (read_auxv(target, &rt->task) < 0)
            return -1;
    }
    bool ours = rt && replay_task_alive(rt) && rt->group == target->debugged_pid;
    /* A watched piece the event changed (the kernel wrote it) is hit there. */
    bool watching = gdb_watchpoints_armed(target);
    struct replay_task *any = watching && target->debugged_pid ? gdb_target_thread(rep, 0) : NULL;
    struct gdb_breakpoint *written = watching ? gdb_watchpoints_changed(target, any ? &any->task : NULL) : NULL;
    uint64_t written_key = written ? written->addr : 0;
    int forked = written ? 0 : gdb_fork_after_event(rep, ours ? rt : NULL, event);
    if (forked)
        return forked < 0 ? -1 : 0;
    if (written) {
        int32_t by = ours ? rt->recorded_tid : any->recorded_tid;
        if (gdb_history_hit(target, written, by))
            return gdb_target_report_stop(rep, by, SIGTRAP, false, written_key);
    }
    /* gdb's interrupt (^C) is looked for every 16 events while the program
     * runs for gdb: the run ends after this event, and says so in the history. */
    if (target->rerun == GDB_RERUN_NONE && target->end_seq < 0 && (event->seq & 15) == 0 && target->conn.fd >= 0 &&
        gdb_packet_interrupted(&target->conn))
        target->end_seq = target->history[target->entry].end_seq = event->seq;
    int signo = 0;
    if (target->end_seq >= 0 && event->seq >= target->end_seq)
        signo = target->rerun == GDB_RERUN_NONE ? SIGINT : SIGTRAP;
    else if (target->mode == GDB_RUN_GOTO && event->seq >= target->goto_seq)
        signo = SIGTRAP;
    else if (target->mode == GDB_RUN_STEP && ours && event->tid == target->step_tid)
        signo = SIGTRAP;
    else if (target->limit_reached && event->tid == target->counting_tid)
        signo = SIGTRAP; /* the last counted step was this event's instruction */
    else if (target->mode != GDB_RUN_GOTO && ours && event->kind == EVENT_SIGNAL)
        signo = event->signo;
    target->limit_reached = false;
    if (!signo)
        return 0;
    struct replay_task *shown = ours ? rt : gdb_target_thread(rep, target->selected_tid);
    if (!shown && !(shown = gdb_target_thread(rep, 0)))
        return 0; /* the process has ended: the end of the replay will say how */
    return gdb_target_report_stop(rep, shown->recorded_tid, signo, false, signo == SIGTRAP ? written_key : 0);
}

void gdb_target_finish(struct replayer *rep, int outcome)
{
    struct gdb_target *target = rep->debugger;
    if (target->rerun == GDB_RERUN_COLLECT) {
        /* Collecting went on to the end, where gdb is: the last hit found is the way back. */
        target->entry = target->history_count - 1;
        if (!gdb_history_stopped(target))
            return;
    }
    if (target->conn.fd >= 0 && !target->detached) {
        /* The debugged process's end (its leader's): the first one's, or a child's gdb followed. */
        const struct replay_task *leader = target->debugged_pid ? replay_tasks_find(rep, target->debugged_pid) : NULL;
        if (!leader)
            leader = rep->initial;
        char process[24] = "";
        if (target->multiprocess && leader)
            snprintf(process, sizeof process, ";process:%x", (unsigned)leader->group);
        if (outcome != REPLAY_MATCHED || !leader)
            snprintf(target->stop_reply, sizeof target->stop_reply, "X%02x%s", SIGKILL, process);
        else
            snprintf(target->stop_reply, sizeof target->stop_reply, "%c%02x%s",
                     leader->end == TASK_END_KILLED ? 'X' : 'W', leader->end_value & 0xff, process);
        target->ended = true;
        gdb_server_serve(rep);
        if (target->restart)
            return;
    }
    hang_up(target);
}

void gdb_target_free(struct gdb_target *target)
{
    for (int i = 0; i < GDB_OPEN_FILES; i++) {
        if (target->files[i].disk_fd >= 0)
            close(target->files[i].disk_fd);
        free(target->files[i].bytes);
    }
    free(target->set);
    free(target->armed);
    free(target->auxv);
    free(target->fork_set);
    gdb_history_free(target);
}

void gdb_target_discard_replay(struct replayer *rep)
{
    /* Killed, then reaped: threads first, as a leader's death is reported
     * after its threads'. */
    for (int i = 0; i < rep->task_count; i++)
        if (replay_task_alive(rep->tasks[i]))
            kill(rep->tasks[i]->task.tid, SIGKILL);
    for (int leaders = 0; leaders < 2; leaders++) {
        for (int i = 0; i < rep->task_count; i++) {
            struct replay_task *rt = rep->tasks[i];
            if (!replay_task_alive(rt) || (rt->recorded_tid == rt->group) != leaders)
                continue;
            int status;
            while (waitpid(rt->task.tid, &status, __WALL) > 0 && !WIFEXITED(status) && !WIFSIGNALED(status))
                ;
            rt->end = TASK_END_KILLED;
        }
    }
    replayer_free(rep);
    rep->debugger->ended = false;
    rep->debugger->step_over_tid = 0;
    rep->debugger->restart = false;
}
