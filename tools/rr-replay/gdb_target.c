/*
 * gdb_target.c — the replay under gdb's control (see gdb_target.h): where
 * the replay loop hands gdb the program, and how gdb's breakpoints and
 * steps ride on the replay's own runs without changing them.
 *
 * A breakpoint hit is an int3 the task executed (SIGTRAP, si_code
 * SI_KERNEL, rip one past a breakpoint gdb set over a byte that was not an
 * int3 of the program's): rip is put back on the breakpoint and gdb is told
 * (swbreak). When gdb resumes, that task first runs the instruction there
 * alone, single-stepped without breakpoints. A gdb single step is a
 * SYSEMU single step in place of the replay's run: it ends in a step trap
 * (TRAP_TRACE), reported at once, or at a stop the replay wanted (a
 * syscall, an rdtsc, a signal), which is replayed as its event first and
 * reported after it (gdb_target_after_event).
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

void gdb_target_init(struct gdb_target *target, int listen_fd, pid_t gdb_pid, int64_t goto_seq)
{
    memset(target, 0, sizeof *target);
    target->conn.fd = -1;
    target->listen_fd = listen_fd;
    target->gdb_pid = gdb_pid;
    target->mode = GDB_RUN_GOTO;
    target->goto_seq = goto_seq < 0 ? 0 : goto_seq;
    for (int i = 0; i < GDB_OPEN_FILES; i++)
        target->files[i].disk_fd = -1;
}

struct replay_task *gdb_target_thread(struct replayer *rep, int32_t tid)
{
    for (int i = 0; i < rep->task_count; i++) {
        struct replay_task *rt = rep->tasks[i];
        if (replay_task_alive(rt) && !rt->exiting && !rt->task.vanished && rt->group == rep->debugger->debugged_pid &&
            (tid <= 0 || rt->recorded_tid == tid))
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

bool gdb_target_breakpoint_within(const struct gdb_target *target, uint64_t lo, uint64_t hi)
{
    for (int i = 0; target && !target->detached && i < target->breakpoint_count; i++)
        if (target->breakpoints[i].addr >= lo && target->breakpoints[i].addr < hi)
            return true;
    return false;
}

/* Tell gdb the program stopped in thread `tid` with `signo`, and let it work
 * until it resumes. The watchdog does not count that time. */
static int report_stop(struct replayer *rep, int32_t tid, int signo, bool at_breakpoint)
{
    struct gdb_target *target = rep->debugger;
    snprintf(target->stop_reply, sizeof target->stop_reply, "T%02xthread:%x;%s", signo, (unsigned)tid,
             at_breakpoint ? "swbreak:;" : "");
    target->selected_tid = tid;
    int64_t started = trace_store_now_ms();
    int rc = gdb_server_serve(rep);
    watchdog_pause_ended(rep, trace_store_now_ms() - started);
    if (rc > 0) {
        error_note("gdb ended the replay after event %lld", (long long)target->last_event.seq);
        gdb_target_end_session(target, 3);
    }
    return rc;
}

/* Where the breakpoints go back out after a run of `rt`: its own memory, or,
 * when it died in the run, a thread of its process still alive. */
static struct task *memory_owner(struct replayer *rep, struct replay_task *rt, const struct task_stop *stop)
{
    bool died = stop->kind == STOP_EXITED || stop->kind == STOP_KILLED;
    if (!died && replay_task_alive(rt) && !rt->task.vanished)
        return &rt->task;
    for (int i = 0; i < rep->task_count; i++) {
        struct replay_task *other = rep->tasks[i];
        if (other != rt && other->process == rt->process && replay_task_alive(other) && !other->task.vanished)
            return &other->task;
    }
    return NULL;
}

/* A SIGTRAP stop's si_code and registers. */
static int trap_details(struct task *task, int *code, struct user_regs_struct *regs)
{
    siginfo_t info;
    if (task_get_siginfo(task, &info) < 0 || task_get_regs(task, regs) < 0)
        return -1;
    *code = info.si_code;
    return 0;
}

int gdb_target_run_to_stop(struct replayer *rep, enum resume_how how, int signo, struct task_stop *stop)
{
    struct gdb_target *target = rep->debugger;
    struct replay_task *rt = rep->cur;
    if (!target || target->detached || rt->group != target->debugged_pid)
        return task_step(&rt->task, how, signo, stop);
    /* The replayer's own single steps (a recorded tracer's) are left alone. */
    bool plain = how == RESUME_SYSEMU;
    for (;;) {
        bool stepping = plain && target->mode == GDB_RUN_STEP && target->step_tid == rt->recorded_tid;
        bool over = false;
        struct user_regs_struct regs;
        if (plain && target->step_over_tid == rt->recorded_tid) {
            if (task_get_regs(&rt->task, &regs) < 0)
                return -1;
            over = regs.rip == target->step_over_addr && gdb_breakpoints_find(target, regs.rip);
        }
        if (plain && target->step_over_tid == rt->recorded_tid)
            target->step_over_tid = 0;
        bool one_step = stepping || over;
        if (!one_step && target->mode != GDB_RUN_GOTO && gdb_breakpoints_insert(target, &rt->task) < 0)
            return -1;
        int rc = task_step(&rt->task, one_step ? RESUME_SYSEMU_SINGLESTEP : how, signo, stop);
        if (gdb_breakpoints_take_out(target, rc < 0 ? &rt->task : memory_owner(rep, rt, stop)) < 0 || rc < 0)
            return -1;
        signo = 0;
        if (!plain || stop->kind != STOP_SIGNAL || stop->signo != SIGTRAP)
            return 0;
        int code;
        if (trap_details(&rt->task, &code, &regs) < 0)
            return -1;
        if (one_step && code == TRAP_TRACE) {
            if (stepping && report_stop(rep, rt->recorded_tid, SIGTRAP, false) < 0)
                return -1;
            continue; /* stepped (over a breakpoint, or for gdb): on as gdb says */
        }
        const struct gdb_breakpoint *bp = gdb_breakpoints_find(target, regs.rip - 1);
        if (one_step || code != SI_KERNEL || !bp || bp->saved == 0xcc)
            return 0; /* the program's own trap */
        regs.rip--;
        if (task_set_regs(&rt->task, &regs) < 0)
            return -1;
        target->step_over_tid = rt->recorded_tid;
        target->step_over_addr = regs.rip;
        if (report_stop(rep, rt->recorded_tid, SIGTRAP, true) < 0)
            return -1;
    }
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
    if (!target || target->detached)
        return 0;
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
    int signo = 0;
    if (target->mode == GDB_RUN_GOTO && event->seq >= target->goto_seq)
        signo = SIGTRAP;
    else if (target->mode == GDB_RUN_STEP && ours && event->tid == target->step_tid)
        signo = SIGTRAP;
    else if (target->mode != GDB_RUN_GOTO && ours && event->kind == EVENT_SIGNAL)
        signo = event->signo;
    if (!signo)
        return 0;
    struct replay_task *shown = ours ? rt : gdb_target_thread(rep, target->selected_tid);
    if (!shown && !(shown = gdb_target_thread(rep, 0)))
        return 0; /* the process has ended: the end of the replay will say how */
    return report_stop(rep, shown->recorded_tid, signo, false);
}

void gdb_target_finish(struct replayer *rep, int outcome)
{
    struct gdb_target *target = rep->debugger;
    if (target->conn.fd >= 0 && !target->detached) {
        const struct replay_task *initial = rep->initial;
        if (outcome != REPLAY_MATCHED || !initial)
            snprintf(target->stop_reply, sizeof target->stop_reply, "X%02x", SIGKILL);
        else
            snprintf(target->stop_reply, sizeof target->stop_reply, "%c%02x",
                     initial->end == TASK_END_KILLED ? 'X' : 'W', initial->end_value & 0xff);
        target->ended = true;
        gdb_server_serve(rep);
    }
    hang_up(target);
    for (int i = 0; i < GDB_OPEN_FILES; i++) {
        if (target->files[i].disk_fd >= 0)
            close(target->files[i].disk_fd);
        free(target->files[i].bytes);
    }
    free(target->breakpoints);
    free(target->auxv);
}
