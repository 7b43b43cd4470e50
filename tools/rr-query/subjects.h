/*
 * subjects.h — what a query can ask about: each subject (syscalls, files, …)
 * with the SQL it reads, the fields a `where` or `order by` may name (each an
 * SQL expression written here, never text from the user), and the columns it
 * prints, decoded or raw.
 *
 * Subjects over events also select the event's own columns under hidden names
 * (SUBJECT_EVENT_COLUMNS) for the renderers that decode a whole event.
 */
#ifndef RRQ_SUBJECTS_H
#define RRQ_SUBJECTS_H

#include <stdbool.h>

enum field_type {
    FIELD_INT,          /* an integer */
    FIELD_ADDR,         /* an integer address (shown in hex) */
    FIELD_TEXT,         /* text: =, !=, <, like, in … */
    FIELD_SYSNO,        /* a syscall number: syscall names accepted */
    FIELD_SYSCALL_NAME, /* a syscall's name, compiled to its number (index use) */
    FIELD_RESULT,       /* a syscall result: errno names accepted (ret=-ENOENT) */
    FIELD_ERRNO,        /* the errno of a failed syscall: errno names accepted */
    FIELD_SIGNAL,       /* a signal number: signal names accepted */
    FIELD_EVENT_KIND,   /* an event kind: syscall, signal, rdtsc, … accepted */
    FIELD_RANGE,        /* an address range [sql, end_sql): `contains`; compares use its start */
};

struct field {
    const char *name;
    const char *sql;
    enum field_type type;
    const char *end_sql; /* FIELD_RANGE: the exclusive end */
    const char *help;
};

enum render {
    RENDER_VALUE,        /* as SQLite returns it */
    RENDER_HEX,          /* integer as 0x… */
    RENDER_SYSCALL_NAME, /* syscall number -> name */
    RENDER_SYSCALL_ARGS, /* the event's arguments, strace-like */
    RENDER_SYSCALL_RET,  /* the event's result, strace-like */
    RENDER_SYMBOL,       /* code address -> libc.so.6!read+0x12 */
    RENDER_SIGNAL,       /* signal number -> SIGSEGV */
    RENDER_SIGNAL_CODE,  /* si_code (value) of signal (arg) -> SEGV_MAPERR */
    RENDER_SIGNAL_INFO,  /* the siginfo blob (value) of signal (arg): si_addr=…, si_pid=… */
    RENDER_FAULT,        /* sync flag -> fault (the program's own instruction) / delivered */
    RENDER_EVENT_KIND,   /* 1 -> syscall … */
    RENDER_EVENT_DETAIL, /* the whole event in one line */
    RENDER_PROT,         /* PROT_* bits (value) and MAP_* (arg) -> r-xp */
    RENDER_MAP_FLAGS,    /* MAP_* bits -> MAP_PRIVATE|MAP_FIXED */
    RENDER_OPEN_FLAGS,   /* O_* bits -> O_RDONLY|O_CLOEXEC */
    RENDER_MADE_BY,      /* the event that made a mapping: exec, mmap, brk … */
    RENDER_DATA,         /* blob id (value) of `arg` bytes -> "quoted…" */
    RENDER_EXIT,         /* exit kind (value) and value (arg) -> exited 0, killed SIGTERM */
};

struct out_column {
    const char *name;
    const char *sql;
    enum render render;
    const char *arg_sql; /* a second input for some renderers, or NULL */
};

struct subject {
    const char *name;
    const char *help;
    const char *from;       /* FROM clause, aliases: e event, t task, m mapping, w mem_write */
    const char *base_where; /* always applied (may be NULL) */
    const char *order;      /* natural order, also the tie-breaker of `order by` */
    bool event_row;         /* select SUBJECT_EVENT_COLUMNS */
    const struct field *fields;
    int field_count;
    const struct out_column *columns;
    int column_count;
    const struct out_column *raw_columns;
    int raw_column_count;
};

/* The hidden event columns, in this order, after the visible ones. */
#define SUBJECT_EVENT_COLUMNS                                                      \
    "e.seq, e.tid, t.pid, e.kind, e.sysno, e.arg0, e.arg1, e.arg2, e.arg3, e.arg4, " \
    "e.arg5, e.result, e.signo, e.sig_code, e.sync, e.ip, e.extra"
enum { SUBJECT_EVENT_COLUMN_COUNT = 17 };

/* Build the parts that depend on syscall numbers, from the trace's own
 * syscall table (trace_reader_syscalls). Call once, before use. */
struct trace_syscalls;
int subjects_init(const struct trace_syscalls *table); /* -1 (error_set) if it cannot */
const struct subject *subject_find(const char *name);
const struct field *subject_field(const struct subject *subject, const char *name);
/* "syscalls, signals, …" into buf. */
const char *subject_list(char *buf, int size);
/* "seq, tid, …" — the fields of `subject` into buf. */
const char *subject_field_list(const struct subject *subject, char *buf, int size);
int subject_count(void);
const struct subject *subject_at(int index);

/* A syscall's duration in ms: from its `enter` event when other tasks ran
 * while it was in the kernel (a blocking call), else from the event before it
 * in the recording (its entry came after that one: one task runs at a time),
 * so at most the real duration plus the user code before the call. */
#define DURATION_SQL                                                                          \
    "(e.at_ms - coalesce((SELECT CASE WHEN p.kind = " SQL_EVENT_ENTER " THEN p.at_ms END"        \
    " FROM event p WHERE p.tid = e.tid AND p.seq < e.seq ORDER BY p.seq DESC LIMIT 1),"         \
    " (SELECT q.at_ms FROM event q WHERE q.seq < e.seq ORDER BY q.seq DESC LIMIT 1), e.at_ms))"

/* A task's command: the argv of its last exec, or of its parent's last exec
 * before the fork (the task table says only "child of N" then). */
#define TASK_COMMAND_SQL                                                                          \
    "coalesce((SELECT rrq_exec_argv(max(x.seq)) FROM event x WHERE x.tid = t.tid AND x.kind = "      \
    SQL_EVENT_EXEC "), (SELECT rrq_exec_argv(max(x.seq)) FROM event x JOIN task p ON p.tid = x.tid"  \
    " WHERE p.pid = t.ppid AND x.kind = " SQL_EVENT_EXEC " AND x.seq < t.first_seq), t.command)"

#endif
