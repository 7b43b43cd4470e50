/*
 * gdb_run.c — a task of the debugged process running under gdb (see
 * gdb_target.h): replay_step's resume, with gdb's breakpoints in and its
 * single steps.
 *
 * A breakpoint hit is an int3 the task executed (SIGTRAP, si_code
 * SI_KERNEL, rip one past an armed breakpoint over a byte that was not an
 * int3 of the program's): rip is put back on the breakpoint and the hit
 * counted (gdb_history_hit), which may end the run. When the task runs on,
 * it first runs the instruction there alone, single-stepped without
 * breakpoints. A gdb single step is a SYSEMU single step in place of the
 * replay's run: it ends in a step trap (TRAP_TRACE), reported at once, or
 * at a stop the replay wanted (a syscall, an rdtsc, a signal), which is
 * replayed as its event first and reported after it. A task whose steps
 * are counted (going back one instruction: gdb_history.c) runs one step at
 * a time throughout; reaching an armed breakpoint so is a hit as its int3
 * would have been. gdb's watched pieces are in the task's debug registers
 * for every run (gdb_watchpoints.c); their trap, after the instruction, is
 * a hit too.
 */
#include "gdb_target.h"

#include <signal.h>

#include "replayer.h"

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

enum { EFLAGS_TRAP = 0x100 };

/* A `syscall` instruction run by a single step saved the flags with the
 * trap flag (ours, not the program's) into r11: as the program has it. */
static int clear_step_flag_in_r11(struct task *task)
{
    struct user_regs_struct regs;
    if (task_get_regs(task, &regs) < 0)
        return -1;
    if (!(regs.r11 & EFLAGS_TRAP))
        return 0;
    regs.r11 &= ~(unsigned long long)EFLAGS_TRAP;
    return task_set_regs(task, &regs);
}

/* A counted task about to run from where it stands: at an armed breakpoint
 * it has not stopped at yet, that is a hit. 1 when it was one, 0, or -1. */
static int hit_without_int3(struct replayer *rep, struct replay_task *rt, const struct user_regs_struct *regs)
{
    struct gdb_target *target = rep->debugger;
    const struct gdb_breakpoint *bp = gdb_breakpoints_armed_at(target, regs->rip);
    if (!bp)
        return 0;
    target->step_over_tid = rt->recorded_tid;
    target->step_over_addr = regs->rip;
    if (gdb_history_hit(target, bp, rt->recorded_tid) && gdb_target_report_stop(rep, rt->recorded_tid, SIGTRAP, true, 0) < 0)
        return -1;
    return 1;
}

/* A counted step ended (in a step trap when `trapped`, else at a stop the
 * replay wanted): one more, and the run's end when that was the last.
 * 1 when gdb was told, 0, or -1. */
static int count_step(struct replayer *rep, struct replay_task *rt, bool trapped)
{
    struct gdb_target *target = rep->debugger;
    target->steps++;
    if (!target->step_limit || target->steps < target->step_limit)
        return 0;
    if (!trapped) {
        target->limit_reached = true; /* told after the event that stop belongs to */
        return 0;
    }
    return gdb_target_report_stop(rep, rt->recorded_tid, SIGTRAP, false, 0) < 0 ? -1 : 1;
}

int gdb_target_run_to_stop(struct replayer *rep, enum resume_how how, int signo, struct task_stop *stop)
{
    struct gdb_target *target = rep->debugger;
    struct replay_task *rt = rep->cur;
    if (!target || target->detached || rt->group != target->debugged_pid)
        return task_step(&rt->task, how, signo, stop);
    /* The replayer's own single steps (a recorded tracer's) are left alone. */
    bool plain = how == RESUME_SYSEMU;
    int32_t tid = rt->recorded_tid;
    for (;;) {
        bool stepping = plain && target->mode == GDB_RUN_STEP && target->step_tid == tid;
        bool counting = plain && target->counting_tid == tid;
        bool over = false;
        struct user_regs_struct regs;
        if (plain && (target->step_over_tid == tid || counting)) {
            if (task_get_regs(&rt->task, &regs) < 0)
                return -1;
            over = target->step_over_tid == tid && regs.rip == target->step_over_addr &&
                   gdb_breakpoints_armed_at(target, regs.rip);
            if (target->step_over_tid == tid)
                target->step_over_tid = 0;
            int hit = counting && !over ? hit_without_int3(rep, rt, &regs) : 0;
            if (hit < 0)
                return -1;
            if (hit)
                continue;
        }
        bool one_step = stepping || over || counting;
        if ((!one_step && gdb_breakpoints_insert(target, &rt->task) < 0) ||
            gdb_watchpoints_insert(target, &rt->task) < 0)
            return -1;
        bool watching = target->watch_control_saved;
        int rc = task_step(&rt->task, one_step ? RESUME_SYSEMU_SINGLESTEP : how, signo, stop);
        bool died = rc == 0 && (stop->kind == STOP_EXITED || stop->kind == STOP_KILLED);
        int out = gdb_breakpoints_take_out(target, rc < 0 ? &rt->task : memory_owner(rep, rt, stop));
        if (gdb_watchpoints_take_out(target, died || rt->task.vanished ? NULL : &rt->task) < 0 || out < 0 || rc < 0)
            return -1;
        signo = 0;
        if (one_step && stop->kind == STOP_SYSCALL && clear_step_flag_in_r11(&rt->task) < 0)
            return -1;
        bool trap = plain && stop->kind == STOP_SIGNAL && stop->signo == SIGTRAP;
        int code = 0;
        if (trap && trap_details(&rt->task, &code, &regs) < 0)
            return -1;
        /* A watched piece written (or read): the trap comes after the
         * instruction, so a counted step that did it counts first. */
        struct gdb_breakpoint *watch_hit = NULL;
        if (trap && watching && code != SI_KERNEL && (watch_hit = gdb_watchpoints_trapped(target, &rt->task))) {
            gdb_watchpoints_changed(target, &rt->task); /* its bytes now: not a change an event made */
            if (one_step)
                code = TRAP_TRACE;
        }
        uint64_t watch_key = watch_hit ? watch_hit->addr : 0;
        /* A hardware breakpoint's trap (the landmark search's) comes before
         * its instruction: not a step. */
        if (counting && !died && (!trap || code == TRAP_TRACE)) {
            int ended = count_step(rep, rt, trap);
            if (ended < 0)
                return -1;
            if (ended)
                continue;
        }
        if (watch_hit && gdb_history_hit(target, watch_hit, tid)) {
            if (gdb_target_report_stop(rep, tid, SIGTRAP, false, watch_key) < 0)
                return -1;
            continue;
        }
        if (watch_hit && !one_step)
            continue; /* gdb's trap only: on */
        if (!trap)
            return 0;
        if (one_step && code == TRAP_TRACE) {
            if (stepping && gdb_target_report_stop(rep, tid, SIGTRAP, false, watch_key) < 0)
                return -1;
            continue; /* stepped (over a breakpoint, for gdb, counted): on as gdb says */
        }
        const struct gdb_breakpoint *bp = gdb_breakpoints_armed_at(target, regs.rip - 1);
        if (one_step || code != SI_KERNEL || !bp || !bp->was_inserted || bp->saved == 0xcc)
            return 0; /* the program's own trap */
        regs.rip--;
        if (task_set_regs(&rt->task, &regs) < 0)
            return -1;
        target->step_over_tid = tid;
        target->step_over_addr = regs.rip;
        if (gdb_history_hit(target, bp, tid) && gdb_target_report_stop(rep, tid, SIGTRAP, true, 0) < 0)
            return -1;
    }
}
