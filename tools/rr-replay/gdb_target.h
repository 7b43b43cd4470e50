/*
 * gdb_target.h — the replay under a debugger's control (issue 15). One
 * struct gdb_target per rr-replay --gdb / --gdb-server run holds gdb's
 * connection and what gdb asked for: its software breakpoints, how it
 * resumed (continue, single-step a thread, go to an event), which thread it
 * looks at. The replay loop calls in at two places only:
 *   - gdb_target_run_to_stop (gdb_run.c), where replay_step resumes a task of the
 *     debugged process: breakpoints are written into the program just for
 *     that run and taken out at the stop that ends it, so the replayer's
 *     own reading of code (landmark stubs, hashes, injected syscalls) never
 *     sees them; a stop that is gdb's (a breakpoint hit, a step) is
 *     reported to gdb and the run goes on, a stop the replay wanted is
 *     handed back unchanged;
 *   - gdb_target_after_event, after each event: a goto's end, a step that
 *     ended in a syscall, a signal the program received.
 * How a task runs under gdb is gdb_run.c's; going back (replaying from
 * the start a history of gdb's resumes) gdb_history.c's. Packets are
 * parsed in gdb_server.c, the trace's files served in gdb_files.c,
 * registers in gdb_registers.c, gdb started in gdb_launch.c.
 */
#ifndef RRDB_GDB_TARGET_H
#define RRDB_GDB_TARGET_H

#include <limits.h>
#include <sched.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "gdb_packet.h"
#include "task.h"
#include "trace_event.h"

struct replayer;
struct replay_task;

struct gdb_breakpoint {
    uint64_t addr;              /* or a watched piece's key (gdb_watch_key) */
    unsigned char saved;        /* the program's byte, while the int3 is in */
    bool inserted;
    bool was_inserted;          /* in the program during the last run */
    bool own;                   /* set by gdb for this run: a hit may end it */
    bool collect;               /* going back: its hits are collected */
    int slot;                   /* a watched piece: its debug register while the task runs (0: none) */
    bool value_known;           /* …and its bytes after the last event */
    unsigned char value[8];
};

/* A watched piece among gdb's breakpoints (gdb_watchpoints.c): `len` (1, 2,
 * 4 or 8) bytes at `addr`, aligned, written (GDB_WATCH_WRITE) or accessed
 * (GDB_WATCH_ACCESS: the debug register's kinds), kept above any user address. */
enum { GDB_WATCH_WRITE = 1, GDB_WATCH_ACCESS = 3 };
#define GDB_WATCH_ADDR_LIMIT (1ull << 48)
static inline uint64_t gdb_watch_key(uint64_t addr, unsigned len, unsigned kind)
{
    return addr | (uint64_t)len << 48 | (uint64_t)kind << 56;
}
static inline bool gdb_watch_is(uint64_t key) { return key >= GDB_WATCH_ADDR_LIMIT; }
static inline uint64_t gdb_watch_addr(uint64_t key) { return key & (GDB_WATCH_ADDR_LIMIT - 1); }
static inline unsigned gdb_watch_len(uint64_t key) { return (unsigned)(key >> 48) & 0xff; }
static inline unsigned gdb_watch_kind(uint64_t key) { return (unsigned)(key >> 56); }

enum gdb_run_mode {
    GDB_RUN_CONTINUE,           /* to the next breakpoint, signal or the end */
    GDB_RUN_STEP,               /* one instruction of step_tid */
    GDB_RUN_GOTO,               /* to the end of event goto_seq, breakpoints ignored */
};

/* One resume gdb asked for, and where it ended: the `hits`-th hit of its
 * own breakpoints, or what ends its mode (a step, an event). Replaying the
 * history from the start reaches every stop gdb saw again (gdb_history.c). */
struct gdb_history_entry {
    enum gdb_run_mode mode;
    int32_t step_tid;
    int64_t goto_seq;
    uint64_t *own;              /* the breakpoints set for it */
    int own_count;
    int hits;
    int32_t count_tid;          /* a task run one counted step at a time (0: none)… */
    int64_t count_from_seq;     /* …from the end of this event on (-1: from the start)… */
    int64_t step_limit;         /* …to the end of this many steps (0: no limit) */
    int64_t end_seq;            /* gdb interrupted it (^C), or a fork stopped it: it ended after this event (-1: not) */
    int32_t debugged_pid;       /* the process gdb debugged in it (0: the first to exec) */
};

/* The last event of a task, so far in the replay. */
struct gdb_task_event {
    int32_t tid;
    int64_t seq;
};

enum gdb_rerun {
    GDB_RERUN_NONE,             /* forward, under gdb's control */
    GDB_RERUN_REPLAY,           /* replaying the history to its last stop, silently */
    GDB_RERUN_COLLECT,          /* the same, collecting the hits of gdb's breakpoints on the way */
    GDB_RERUN_COUNT,            /* the same, counting reverse_tid's steps in the last entry */
};

enum { GDB_OPEN_FILES = 16 };

/* A file gdb opened with vFile:open (gdb_files.c). */
struct gdb_open_file {
    bool used;
    int disk_fd;                /* the file on disk, when it holds the trace's bytes; else -1 */
    unsigned char *bytes;       /* else the trace's pieces, zeros between */
    size_t size;
};

/* How gdb comes (gdb_launch.c): started by rr-replay (--gdb) or told where
 * to connect (--gdb-server), once the replay stands at its first stop: a
 * long --goto must not run while gdb waits for its first answer (it gives
 * up after 2 s). */
struct gdb_launch {
    const char *server;         /* --gdb-server's [HOST:]PORT, or NULL: --gdb */
    int port;                   /* where the socket listens */
    char *const *gdb_args;      /* --gdb: gdb's arguments after ours */
    int gdb_arg_count;
    cpu_set_t affinity;         /* rr-replay's CPUs before it pinned itself: gdb's */
    bool done;
};

struct gdb_target {
    struct gdb_conn conn;
    int listen_fd;
    struct gdb_launch launch;
    pid_t gdb_pid;              /* the gdb rr-replay started (--gdb), or 0 */
    bool detached;              /* gdb detached: the replay runs on alone */
    bool waiting_for_stop;      /* gdb resumed the program and waits for a stop reply */
    bool goto_armed;            /* `monitor goto`: the next resume goes to goto_seq */
    bool ended;                 /* the replay has ended: stop_reply says how */
    char stop_reply[96];        /* the last stop, for `?` */

    enum gdb_run_mode mode;     /* of the run in progress: history[entry]'s */
    int32_t step_tid;
    int64_t goto_seq;
    int64_t end_seq;

    int32_t debugged_pid;       /* the recorded process gdb debugs (the first one, or a child it followed) */
    bool multiprocess;          /* gdb's thread ids are pPID.TID (qSupported) */
    bool fork_events;           /* gdb wants to hear of forks (qSupported) */
    int32_t fork_child_pid;     /* at a fork stop: the new process, until gdb detaches a side (0: none) */
    uint64_t *fork_set;         /* gdb's breakpoints at that stop */
    int fork_set_count;
    int32_t selected_tid;       /* gdb's Hg thread (recorded tid) */
    int32_t resume_tid;         /* gdb's Hc thread (0, -1: any, all) */
    uint64_t *set;              /* the breakpoints gdb has set */
    int set_count, set_capacity;
    struct gdb_breakpoint *armed; /* those of the run in progress */
    int armed_count, armed_capacity;

    struct gdb_history_entry *history; /* every resume since the start */
    int history_count, history_capacity;
    int entry;                  /* the one running */
    int own_hits, union_hits;   /* its own breakpoints' hits so far, and all armed ones' */
    enum gdb_rerun rerun;
    bool restart;               /* the replay must start over (main.c) */
    int found_entry, found_hits; /* collecting: the last hit found (found_entry -1: none), */
    uint64_t found_watch;       /* …a watched piece's (its key) or 0, by thread found_tid */
    int32_t found_tid;
    uint64_t reverse_watch;     /* going back to a watchpoint's hit: its key, told with the stop */
    int32_t reverse_watch_tid;  /* …and the thread, to go one instruction back in once there (0: done) */
    int debug_registers;        /* they trap on this machine: 1, they do not: -1, not probed yet: 0 */
    uint64_t watch_control;     /* debug register 7 before gdb's watchpoints went in */
    bool watch_control_saved;   /* they are in: put it back at the stop */
    int32_t reverse_tid;        /* counting: whose steps */
    int32_t counting_tid;       /* the run in progress counts this task's steps (0: none)… */
    int32_t counting_later_tid; /* …or will, from the end of event count_from_seq on… */
    int64_t count_from_seq;
    int64_t step_limit;         /* …and ends after this many (0: no limit) */
    int64_t reverse_from_seq;   /* counting: from where, in the last entry (-1: its start) */
    int64_t entry_start_seq;    /* the last event before the run in progress began */
    struct gdb_task_event *task_events; /* each task's last event so far */
    int task_event_count, task_event_capacity;
    int64_t steps;
    bool limit_reached;         /* the last step was a syscall's, say: told after its event */
    bool at_begin;              /* the stop reached is the start of the history */
    int64_t output_shown_seq;   /* the program's output is shown once: up to this event it was */
    int32_t step_over_tid;      /* reported at a breakpoint: its instruction runs first */
    uint64_t step_over_addr;

    struct trace_event last_event;  /* the last event replayed (monitor event) */
    bool has_last_event;
    int64_t exec_seq;           /* the debugged process's last exec event */
    unsigned char *auxv;        /* its auxiliary vector, read at that exec */
    size_t auxv_len;
    struct gdb_open_file files[GDB_OPEN_FILES];
};

/* Set up: listening at `listen_fd` (gdb_launch.c), gdb to come as `launch`
 * says; `goto_seq` (-1: none) is where the first stop is, else just after
 * the first event (the exec). */
int gdb_target_init(struct gdb_target *target, int listen_fd, const struct gdb_launch *launch, int64_t goto_seq);

/* gdb_run.c: replay_step's resume of the current task, under gdb. */
int gdb_target_run_to_stop(struct replayer *rep, enum resume_how how, int signo, struct task_stop *stop);
/* After each replayed event. 0, or -1 (error set). */
int gdb_target_after_event(struct replayer *rep, const struct trace_event *event);
/* The replay ended with `outcome` (enum replay_outcome): tell gdb, serve it
 * until it goes, and wait for it; or return with target->restart when gdb
 * goes back (or collecting hits to go back reached its end here). */
void gdb_target_finish(struct replayer *rep, int outcome);
/* Whether the landmark stub must not move the instructions in [lo, hi)
 * away (landmark_search.c): a breakpoint of gdb's lies there, or gdb runs
 * task `tid` one instruction at a time. */
bool gdb_target_keeps_code(const struct gdb_target *target, int32_t tid, uint64_t lo, uint64_t hi);
/* The run in progress stopped in thread `tid` (gdb_run.c), at a breakpoint
 * or a watched piece's hit (`watch`: its key) or not: on with a history
 * being replayed, or tell gdb. 0, or -1 when the replay starts over. */
int gdb_target_report_stop(struct replayer *rep, int32_t tid, int signo, bool at_breakpoint, uint64_t watch);

/* The replay must start over: the tasks of this one are killed and reaped,
 * and the replayer freed (main.c sets up the next). */
void gdb_target_discard_replay(struct replayer *rep);
void gdb_target_free(struct gdb_target *target);

/* gdb_breakpoints.c: gdb's set, and the armed ones. */
int gdb_breakpoints_add(struct gdb_target *target, uint64_t addr);
void gdb_breakpoints_remove(struct gdb_target *target, uint64_t addr);
bool gdb_breakpoints_is_set(const struct gdb_target *target, uint64_t addr);
const struct gdb_breakpoint *gdb_breakpoints_armed_at(const struct gdb_target *target, uint64_t addr);
/* Arm these for the runs to come (only between runs). */
int gdb_breakpoints_arm(struct gdb_target *target, const uint64_t *own, int own_count, const uint64_t *collect,
                        int collect_count);
/* Write the armed int3s into / take them out of the address space of `task`. */
int gdb_breakpoints_insert(struct gdb_target *target, struct task *task);
int gdb_breakpoints_take_out(struct gdb_target *target, struct task *task);

/* gdb_watchpoints.c: Z2/Z4 (kind GDB_WATCH_WRITE, GDB_WATCH_ACCESS) at
 * [addr, addr+len), set or removed: 0, or -1 (more than the debug
 * registers hold, or not a user address). */
int gdb_watchpoints_command(struct gdb_target *target, bool insert, unsigned kind, uint64_t addr, uint64_t len);
/* The armed watched pieces into the debug registers of `task`, and out (task NULL: it is gone). */
int gdb_watchpoints_insert(struct gdb_target *target, struct task *task);
int gdb_watchpoints_take_out(struct gdb_target *target, struct task *task);
/* At a SIGTRAP stop of `task`: the armed piece its debug registers caught, or NULL. */
struct gdb_breakpoint *gdb_watchpoints_trapped(struct gdb_target *target, struct task *task);
bool gdb_watchpoints_armed(const struct gdb_target *target);
/* The armed pieces' bytes now, in `task`'s memory (NULL: none): the first
 * one that changed since the last look, or NULL. */
struct gdb_breakpoint *gdb_watchpoints_changed(struct gdb_target *target, struct task *task);

/* gdb_fork.c: following a fork. */
/* After each event: a fork of the debugged process is a stop for gdb (when
 * it asked for fork events). 1 when it was one (gdb told), 0, or -1. */
int gdb_fork_after_event(struct replayer *rep, const struct replay_task *rt, const struct trace_event *event);
/* At a fork stop, the stop reply's `fork:ID;` (its length), else nothing (0). */
size_t gdb_fork_stop_text(struct replayer *rep, char *out, size_t size);
/* gdb detaches process `pid` (D;PID): at a fork stop, one side of the fork
 * (true: gdb stays, debugging the other); else false: gdb leaves the replay. */
bool gdb_fork_detach(struct gdb_target *target, int32_t pid);
/* Thread `tid` as gdb names it: TID, or pPID.TID with multiprocess ids. */
size_t gdb_thread_id_text(struct replayer *rep, int32_t tid, char *out, size_t size);

/* gdb_history.c: going back by replaying from the start. */
/* gdb resumes (mode, step_tid, goto_seq) with the breakpoints it has set:
 * a new entry of the history, the one running now. 0 or -1. */
int gdb_history_resume(struct gdb_target *target, enum gdb_run_mode mode, int32_t step_tid, int64_t goto_seq);
/* An armed breakpoint (or watched piece) was hit by thread `tid`: counted;
 * true when that ends the run. */
bool gdb_history_hit(struct gdb_target *target, const struct gdb_breakpoint *bp, int32_t tid);
/* The run in progress ended. True when gdb is to be told; false when a
 * replay of the history goes on with its next entry, or (collecting, at
 * the history's end) restarts (target->restart). */
bool gdb_history_stopped(struct gdb_target *target);
/* reverse-continue (step false) or reverse-stepi of thread `tid`: plan the
 * replay from the start (target->restart). -1 when it cannot be done from here. */
int gdb_history_reverse(struct gdb_target *target, bool step, int32_t tid);
/* `monitor goto` an event behind: the history is just "to the end of
 * event seq", replayed from the start (target->restart). 0 or -1. */
int gdb_history_go_to_event(struct gdb_target *target, int64_t seq);
/* After each event: a task's last event, and counting that starts there. */
int gdb_history_note_event(struct gdb_target *target, const struct trace_event *event);
void gdb_history_free(struct gdb_target *target);

/* gdb_server.c: the program stopped (stop_reply set): tell gdb if it waits,
 * and answer its packets until it resumes. Returns 0 when it resumed (or
 * detached, or asked to go back: target->restart), 1 when gdb killed the
 * program or went away. */
int gdb_server_serve(struct replayer *rep);

/* gdb_monitor.c: `monitor CMD` (qRcmd, CMD in hex): its output is sent,
 * its final answer put in reply (*reply_len bytes). */
void gdb_monitor_command(struct replayer *rep, const char *hex, char *reply, size_t size, size_t *reply_len);

/* gdb_launch.c: a listening socket at "[HOST:]PORT" (HOST by default
 * 127.0.0.1; PORT 0: any free one), its port in *port; -1 with error set. */
int gdb_launch_listen(const char *spec, int *port);
/* At the first stop: start gdb (--gdb; its pid in target->gdb_pid), or say
 * where to connect (--gdb-server); then wait for gdb to connect. The
 * connected socket, or -1 (also when the gdb started ended first). */
int gdb_launch_connect(struct gdb_target *target);

/* The live replay task of the debugged process gdb's commands act on:
 * the selected thread, else any (NULL when none lives). */
struct replay_task *gdb_target_thread(struct replayer *rep, int32_t tid);
/* Close the connection, wait for the gdb started, and exit with `status`. */
_Noreturn void gdb_target_end_session(struct gdb_target *target, int status);

#endif
