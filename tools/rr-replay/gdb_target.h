/*
 * gdb_target.h — the replay under a debugger's control (issue 15). One
 * struct gdb_target per rr-replay --gdb / --gdb-server run holds gdb's
 * connection and what gdb asked for: its software breakpoints, how it
 * resumed (continue, single-step a thread, go to an event), which thread it
 * looks at. The replay loop calls in at two places only:
 *   - gdb_target_run_to_stop, where replay_step resumes a task of the
 *     debugged process: breakpoints are written into the program just for
 *     that run and taken out at the stop that ends it, so the replayer's
 *     own reading of code (landmark stubs, hashes, injected syscalls) never
 *     sees them; a stop that is gdb's (a breakpoint hit, a step) is
 *     reported to gdb and the run goes on, a stop the replay wanted is
 *     handed back unchanged;
 *   - gdb_target_after_event, after each event: a goto's end, a step that
 *     ended in a syscall, a signal the program received.
 * Packets are parsed in gdb_server.c, the trace's files served in
 * gdb_files.c, registers in gdb_registers.c, gdb started in gdb_launch.c.
 */
#ifndef RRDB_GDB_TARGET_H
#define RRDB_GDB_TARGET_H

#include <limits.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "gdb_packet.h"
#include "task.h"
#include "trace_event.h"

struct replayer;
struct replay_task;

struct gdb_breakpoint {
    uint64_t addr;
    unsigned char saved;        /* the program's byte, while the int3 is in */
    bool inserted;
};

enum gdb_run_mode {
    GDB_RUN_CONTINUE,           /* to the next breakpoint, signal or the end */
    GDB_RUN_STEP,               /* one instruction of step_tid */
    GDB_RUN_GOTO,               /* to the end of event goto_seq, breakpoints ignored */
};

enum { GDB_OPEN_FILES = 16 };

/* A file gdb opened with vFile:open (gdb_files.c). */
struct gdb_open_file {
    bool used;
    int disk_fd;                /* the file on disk, when it holds the trace's bytes; else -1 */
    unsigned char *bytes;       /* else the trace's pieces, zeros between */
    size_t size;
};

struct gdb_target {
    struct gdb_conn conn;
    int listen_fd;
    pid_t gdb_pid;              /* the gdb rr-replay started (--gdb), or 0 */
    bool detached;              /* gdb detached: the replay runs on alone */
    bool waiting_for_stop;      /* gdb resumed the program and waits for a stop reply */
    bool goto_armed;            /* `monitor goto`: the next resume goes to goto_seq */
    bool ended;                 /* the replay has ended: stop_reply says how */
    char stop_reply[96];        /* the last stop, for `?` */

    enum gdb_run_mode mode;
    int32_t step_tid;
    int64_t goto_seq;

    int32_t debugged_pid;       /* the recorded process gdb debugs (the first one) */
    int32_t selected_tid;       /* gdb's Hg thread (recorded tid) */
    struct gdb_breakpoint *breakpoints;
    int breakpoint_count, breakpoint_capacity;
    int32_t step_over_tid;      /* reported at a breakpoint: its instruction runs first */
    uint64_t step_over_addr;

    struct trace_event last_event;  /* the last event replayed (monitor event) */
    bool has_last_event;
    int64_t exec_seq;           /* the debugged process's last exec event */
    unsigned char *auxv;        /* its auxiliary vector, read at that exec */
    size_t auxv_len;
    struct gdb_open_file files[GDB_OPEN_FILES];
};

/* Set up: listening at `listen_fd` (gdb_launch.c); `goto_seq` (-1: none)
 * is where the first stop is, else just after the first event (the exec). */
void gdb_target_init(struct gdb_target *target, int listen_fd, pid_t gdb_pid, int64_t goto_seq);

/* replay_step.c's resume of the current task, under gdb. */
int gdb_target_run_to_stop(struct replayer *rep, enum resume_how how, int signo, struct task_stop *stop);
/* After each replayed event. 0, or -1 (error set). */
int gdb_target_after_event(struct replayer *rep, const struct trace_event *event);
/* The replay ended with `outcome` (enum replay_outcome): tell gdb, serve it
 * until it goes, and wait for it. */
void gdb_target_finish(struct replayer *rep, int outcome);
/* Whether a breakpoint of gdb's lies in [lo, hi) (the landmark stub must
 * then not move those instructions away: landmark_search.c). */
bool gdb_target_breakpoint_within(const struct gdb_target *target, uint64_t lo, uint64_t hi);

/* gdb_breakpoints.c */
int gdb_breakpoints_add(struct gdb_target *target, uint64_t addr);
void gdb_breakpoints_remove(struct gdb_target *target, uint64_t addr);
const struct gdb_breakpoint *gdb_breakpoints_find(const struct gdb_target *target, uint64_t addr);
/* Write the int3s into / take them out of the address space of `task`. */
int gdb_breakpoints_insert(struct gdb_target *target, struct task *task);
int gdb_breakpoints_take_out(struct gdb_target *target, struct task *task);

/* gdb_server.c: the program stopped (stop_reply set): tell gdb if it waits,
 * and answer its packets until it resumes. Returns 0 when it resumed (or
 * detached); does not return when gdb killed the program or went away. */
int gdb_server_serve(struct replayer *rep);

/* gdb_monitor.c: `monitor CMD` (qRcmd, CMD in hex): its output is sent,
 * its final answer put in reply (*reply_len bytes). */
void gdb_monitor_command(struct replayer *rep, const char *hex, char *reply, size_t size, size_t *reply_len);

/* gdb_launch.c: a listening socket at "[HOST:]PORT" (HOST by default
 * 127.0.0.1; PORT 0: any free one), its port in *port; -1 with error set. */
int gdb_launch_listen(const char *spec, int *port);
/* Start gdb connected to 127.0.0.1:port, with `args` after ours; its pid or -1. */
pid_t gdb_launch_gdb(int port, char *const *args, int count);
/* Wait for gdb to connect; the connected socket, or -1 (also when the gdb
 * started as gdb_pid, if any, ended first). */
int gdb_launch_accept(int listen_fd, pid_t gdb_pid);

/* The live replay task of the debugged process gdb's commands act on:
 * the selected thread, else any (NULL when none lives). */
struct replay_task *gdb_target_thread(struct replayer *rep, int32_t tid);
/* Close the connection, wait for the gdb started, and exit with `status`. */
_Noreturn void gdb_target_end_session(struct gdb_target *target, int status);

#endif
