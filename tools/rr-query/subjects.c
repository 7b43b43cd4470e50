/*
 * subjects.c — the catalog of subjects, fields and columns (see subjects.h).
 *
 * Every SQL fragment a query can produce comes from this file; user input
 * reaches SQL only as bound parameters (compile.c). Fields that decide which
 * rows are read (tid, name, sysno, kind, seq) map onto indexed columns of the
 * `event` table, so `where tid=…` and `where name=…` use event_by_tid and
 * event_by_sysno: the files subject, for instance, is written against `event`
 * rather than through the `syscalls` view.
 *
 * A trace has no ANALYZE statistics (and rr-query may not write any), so
 * SQLite rates `kind = 1` as selective as `tid = ?` and would read syscalls
 * through event_by_kind. Most events are syscalls: `likely(e.kind = 1)` says
 * so, and the planner then takes event_by_tid or event_by_sysno (a partial
 * index on kind = 1, which likely() does not hide). Rare kinds (signals,
 * exec) keep the plain test, so event_by_kind serves them.
 */
#include "subjects.h"

#include <assert.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "error.h"
#include "syscall_table.h"
#include "trace_syscalls.h"
#include "trace_event.h"

#define ERRNO_SQL "CASE WHEN e.result BETWEEN -4095 AND -1 THEN -e.result END"

#define EVENT_ID_FIELDS                                                  \
    {"seq", "e.seq", FIELD_INT, NULL, "event sequence number"},          \
    {"tid", "e.tid", FIELD_INT, NULL, "thread id"},                      \
    {"pid", "t.pid", FIELD_INT, NULL, "process id (thread group)"}
#define EVENT_TIME_FIELD \
    {"time", "e.at_ms", FIELD_INT, NULL, "ms since the recording started (when the event was written)"}


#define ARG_FIELDS                                                       \
    {"arg0", "e.arg0", FIELD_INT, NULL, "raw argument 0"},               \
    {"arg1", "e.arg1", FIELD_INT, NULL, "raw argument 1"},               \
    {"arg2", "e.arg2", FIELD_INT, NULL, "raw argument 2"},               \
    {"arg3", "e.arg3", FIELD_INT, NULL, "raw argument 3"},               \
    {"arg4", "e.arg4", FIELD_INT, NULL, "raw argument 4"},               \
    {"arg5", "e.arg5", FIELD_INT, NULL, "raw argument 5"}

#define COUNT(array) (int)(sizeof array / sizeof array[0])

static const struct field syscall_fields[] = {
    EVENT_ID_FIELDS,
    {"name", "e.sysno", FIELD_SYSCALL_NAME, NULL, "syscall name (openat)"},
    {"sysno", "e.sysno", FIELD_SYSNO, NULL, "syscall number"},
    ARG_FIELDS,
    {"ret", "e.result", FIELD_RESULT, NULL, "result; errno names allowed (ret=-ENOENT)"},
    {"result", "e.result", FIELD_RESULT, NULL, "same as ret"},
    {"errno", ERRNO_SQL, FIELD_ERRNO, NULL, "errno of a failed call (errno=ENOENT)"},
    {"ip", "e.ip", FIELD_ADDR, NULL, "instruction pointer after the syscall instruction"},
    {"duration", DURATION_SQL, FIELD_INT, NULL,
     "ms in the call, from its entry when other tasks ran meanwhile, else at most since the event before"},
    EVENT_TIME_FIELD,
};
static const struct out_column syscall_columns[] = {
    {"seq", "e.seq", RENDER_VALUE, NULL},
    {"time", "e.at_ms", RENDER_VALUE, NULL},
    {"tid", "e.tid", RENDER_VALUE, NULL},
    {"name", "e.sysno", RENDER_SYSCALL_NAME, NULL},
    {"args", "NULL", RENDER_SYSCALL_ARGS, NULL},
    {"ret", "e.result", RENDER_SYSCALL_RET, NULL},
    {"ms", DURATION_SQL, RENDER_VALUE, NULL},
    {"ip", "e.ip", RENDER_SYMBOL, NULL},
};
static const struct out_column syscall_raw_columns[] = {
    {"seq", "e.seq", RENDER_VALUE, NULL}, {"tid", "e.tid", RENDER_VALUE, NULL},
    {"sysno", "e.sysno", RENDER_VALUE, NULL},
    {"name", "(SELECT s.name FROM syscall_info s WHERE s.nr = e.sysno)", RENDER_VALUE, NULL},
    {"arg0", "e.arg0", RENDER_VALUE, NULL}, {"arg1", "e.arg1", RENDER_VALUE, NULL},
    {"arg2", "e.arg2", RENDER_VALUE, NULL}, {"arg3", "e.arg3", RENDER_VALUE, NULL},
    {"arg4", "e.arg4", RENDER_VALUE, NULL}, {"arg5", "e.arg5", RENDER_VALUE, NULL},
    {"result", "e.result", RENDER_VALUE, NULL}, {"ip", "e.ip", RENDER_VALUE, NULL},
};

static const struct field signal_fields[] = {
    EVENT_ID_FIELDS,
    {"signo", "e.signo", FIELD_SIGNAL, NULL, "signal number; names allowed (signo=SIGSEGV)"},
    {"signal", "e.signo", FIELD_SIGNAL, NULL, "same as signo"},
    {"code", "e.sig_code", FIELD_INT, NULL, "siginfo si_code"},
    {"sync", "e.sync", FIELD_INT, NULL, "1: raised by the program's own instruction (a fault)"},
    {"ip", "e.ip", FIELD_ADDR, NULL, "instruction pointer"},
    EVENT_TIME_FIELD,
};
static const struct out_column signal_columns[] = {
    {"seq", "e.seq", RENDER_VALUE, NULL},
    {"tid", "e.tid", RENDER_VALUE, NULL},
    {"signal", "e.signo", RENDER_SIGNAL, NULL},
    {"code", "e.sig_code", RENDER_SIGNAL_CODE, "e.signo"},
    {"origin", "e.sync", RENDER_FAULT, NULL},
    {"info", "e.extra", RENDER_SIGNAL_INFO, "e.signo"},
    {"ip", "e.ip", RENDER_SYMBOL, NULL},
};
static const struct out_column signal_raw_columns[] = {
    {"seq", "e.seq", RENDER_VALUE, NULL}, {"tid", "e.tid", RENDER_VALUE, NULL},
    {"signo", "e.signo", RENDER_VALUE, NULL}, {"sig_code", "e.sig_code", RENDER_VALUE, NULL},
    {"sync", "e.sync", RENDER_VALUE, NULL}, {"ip", "e.ip", RENDER_VALUE, NULL},
};

static const struct field event_fields[] = {
    EVENT_ID_FIELDS,
    {"kind", "e.kind", FIELD_EVENT_KIND, NULL,
     "syscall, signal, rdtsc, cpuid, exec, exit, landmark or enter"},
    {"name", "e.sysno", FIELD_SYSCALL_NAME, NULL, "syscall name"},
    {"sysno", "e.sysno", FIELD_SYSNO, NULL, "syscall number"},
    {"ret", "e.result", FIELD_RESULT, NULL, "result (syscall result, tsc value, exit status)"},
    {"result", "e.result", FIELD_RESULT, NULL, "same as ret"},
    {"errno", "CASE WHEN e.kind = " SQL_EVENT_SYSCALL " AND e.result BETWEEN -4095 AND -1 THEN -e.result END", FIELD_ERRNO, NULL, "errno of a failed syscall"},
    {"signo", "e.signo", FIELD_SIGNAL, NULL, "signal number (signal and exit events)"},
    {"ip", "e.ip", FIELD_ADDR, NULL, "instruction pointer"},
    EVENT_TIME_FIELD,
};
static const struct out_column event_columns[] = {
    {"seq", "e.seq", RENDER_VALUE, NULL},
    {"tid", "e.tid", RENDER_VALUE, NULL},
    {"kind", "e.kind", RENDER_EVENT_KIND, NULL},
    {"detail", "NULL", RENDER_EVENT_DETAIL, NULL},
    {"ip", "e.ip", RENDER_SYMBOL, NULL},
};
static const struct out_column event_raw_columns[] = {
    {"seq", "e.seq", RENDER_VALUE, NULL}, {"tid", "e.tid", RENDER_VALUE, NULL},
    {"kind", "e.kind", RENDER_VALUE, NULL}, {"sysno", "e.sysno", RENDER_VALUE, NULL},
    {"result", "e.result", RENDER_VALUE, NULL}, {"signo", "e.signo", RENDER_VALUE, NULL},
    {"ip", "e.ip", RENDER_VALUE, NULL},
};

static const struct field task_fields[] = {
    {"tid", "t.tid", FIELD_INT, NULL, "thread id"},
    {"pid", "t.pid", FIELD_INT, NULL, "process id"},
    {"ppid", "t.ppid", FIELD_INT, NULL, "the thread that created it (for the first: the recorder)"},
    {"command", "t.command", FIELD_TEXT, NULL, "command name"},
    {"first_seq", "t.first_seq", FIELD_INT, NULL, "first event"},
    {"last_seq", "t.last_seq", FIELD_INT, NULL, "last event"},
    {"exit_kind", "t.exit_kind", FIELD_TEXT, NULL, "exited or killed"},
    {"exit_value", "t.exit_value", FIELD_INT, NULL, "exit status or killing signal"},
};
static const struct out_column task_columns[] = {
    {"tid", "t.tid", RENDER_VALUE, NULL},
    {"pid", "t.pid", RENDER_VALUE, NULL},
    {"ppid", "t.ppid", RENDER_VALUE, NULL},
    {"command", "t.command", RENDER_VALUE, NULL},
    {"first_seq", "t.first_seq", RENDER_VALUE, NULL},
    {"last_seq", "t.last_seq", RENDER_VALUE, NULL},
    {"exit", "t.exit_kind", RENDER_EXIT, "t.exit_value"},
};
static const struct out_column task_raw_columns[] = {
    {"tid", "t.tid", RENDER_VALUE, NULL}, {"pid", "t.pid", RENDER_VALUE, NULL},
    {"ppid", "t.ppid", RENDER_VALUE, NULL}, {"command", "t.command", RENDER_VALUE, NULL},
    {"first_seq", "t.first_seq", RENDER_VALUE, NULL}, {"last_seq", "t.last_seq", RENDER_VALUE, NULL},
    {"exit_kind", "t.exit_kind", RENDER_VALUE, NULL}, {"exit_value", "t.exit_value", RENDER_VALUE, NULL},
};

static const struct field mmap_fields[] = {
    {"seq", "m.seq", FIELD_INT, NULL, "the event that made the mapping"},
    {"tid", "e.tid", FIELD_INT, NULL, "thread id"},
    {"pid", "t.pid", FIELD_INT, NULL, "process id"},
    {"addr", "m.start", FIELD_RANGE, "m.end", "the range: addr contains 0x…"},
    {"start", "m.start", FIELD_ADDR, NULL, "first address"},
    {"end", "m.end", FIELD_ADDR, NULL, "address after the last"},
    {"length", "(m.end - m.start)", FIELD_INT, NULL, "bytes"},
    {"prot", "m.prot", FIELD_INT, NULL, "PROT_* bits"},
    {"flags", "m.flags", FIELD_INT, NULL, "MAP_* bits"},
    {"offset", "m.offset", FIELD_INT, NULL, "file offset"},
    {"path", "m.path", FIELD_TEXT, NULL, "file, [stack], [heap] …"},
    {"name", "e.sysno", FIELD_SYSCALL_NAME, NULL, "the syscall that made it (none for exec)"},
};
static const struct out_column mmap_columns[] = {
    {"seq", "m.seq", RENDER_VALUE, NULL},
    {"tid", "e.tid", RENDER_VALUE, NULL},
    {"start", "m.start", RENDER_HEX, NULL},
    {"end", "m.end", RENDER_HEX, NULL},
    {"length", "m.end - m.start", RENDER_VALUE, NULL},
    {"prot", "m.prot", RENDER_PROT, "m.flags"},
    {"flags", "m.flags", RENDER_MAP_FLAGS, NULL},
    {"offset", "m.offset", RENDER_HEX, NULL},
    {"path", "m.path", RENDER_VALUE, NULL},
    {"made_by", "e.kind", RENDER_MADE_BY, "e.sysno"},
};
static const struct out_column mmap_raw_columns[] = {
    {"seq", "m.seq", RENDER_VALUE, NULL}, {"tid", "e.tid", RENDER_VALUE, NULL},
    {"start", "m.start", RENDER_VALUE, NULL}, {"end", "m.end", RENDER_VALUE, NULL},
    {"length", "m.end - m.start", RENDER_VALUE, NULL}, {"prot", "m.prot", RENDER_VALUE, NULL},
    {"flags", "m.flags", RENDER_VALUE, NULL}, {"offset", "m.offset", RENDER_VALUE, NULL},
    {"path", "m.path", RENDER_VALUE, NULL},
};

static const struct field write_fields[] = {
    {"seq", "w.seq", FIELD_INT, NULL, "the event during which the kernel wrote"},
    {"tid", "e.tid", FIELD_INT, NULL, "thread id"},
    {"pid", "t.pid", FIELD_INT, NULL, "process id"},
    {"addr", "w.addr", FIELD_RANGE, "(w.addr + w.len)", "the range written: addr contains 0x…"},
    {"len", "w.len", FIELD_INT, NULL, "bytes written"},
    {"name", "e.sysno", FIELD_SYSCALL_NAME, NULL, "the syscall"},
    {"sysno", "e.sysno", FIELD_SYSNO, NULL, "the syscall's number"},
};
static const struct out_column write_columns[] = {
    {"seq", "w.seq", RENDER_VALUE, NULL},
    {"tid", "e.tid", RENDER_VALUE, NULL},
    {"name", "e.sysno", RENDER_SYSCALL_NAME, NULL},
    {"addr", "w.addr", RENDER_HEX, NULL},
    {"len", "w.len", RENDER_VALUE, NULL},
    {"data", "w.blob", RENDER_DATA, "w.len"},
};
static const struct out_column write_raw_columns[] = {
    {"seq", "w.seq", RENDER_VALUE, NULL}, {"tid", "e.tid", RENDER_VALUE, NULL},
    {"sysno", "e.sysno", RENDER_VALUE, NULL}, {"addr", "w.addr", RENDER_VALUE, NULL},
    {"len", "w.len", RENDER_VALUE, NULL},
};

/* Filled by subjects_init from the syscall table. */
static char open_calls_where[1024];
static char open_flags_sql[1024];

static const struct field file_fields[] = {
    EVENT_ID_FIELDS,
    {"call", "e.sysno", FIELD_SYSCALL_NAME, NULL, "open, openat, creat or openat2"},
    {"name", "e.sysno", FIELD_SYSCALL_NAME, NULL, "same as call"},
    {"path", "rrq_open_path(e.seq)", FIELD_TEXT, NULL,
     "the path opened, where the trace holds it (see path_from)"},
    {"path_from", "rrq_open_path_from(e.seq)", FIELD_TEXT, NULL,
     "memory (read-only memory held the string), mmap (the fd was mapped), or 'not in trace'"},
    {"fd", "CASE WHEN e.result >= 0 THEN e.result END", FIELD_INT, NULL, "the fd returned"},
    {"ret", "e.result", FIELD_RESULT, NULL, "the result; errno names allowed"},
    {"errno", ERRNO_SQL, FIELD_ERRNO, NULL, "errno of a failed open"},
    {"flags", open_flags_sql, FIELD_INT, NULL, "O_* flags"},
    {"closed", "rrq_fd_closed(e.seq)", FIELD_INT, NULL, "the event that closed the fd (NULL: never)"},
    EVENT_TIME_FIELD,
};
static const struct out_column file_columns[] = {
    {"seq", "e.seq", RENDER_VALUE, NULL},
    {"tid", "e.tid", RENDER_VALUE, NULL},
    {"call", "e.sysno", RENDER_SYSCALL_NAME, NULL},
    {"path", "rrq_open_path(e.seq)", RENDER_VALUE, NULL},
    {"flags", open_flags_sql, RENDER_OPEN_FLAGS, NULL},
    {"fd", "e.result", RENDER_SYSCALL_RET, NULL},
    {"closed", "rrq_fd_closed(e.seq)", RENDER_VALUE, NULL},
    {"path_from", "rrq_open_path_from(e.seq)", RENDER_VALUE, NULL},
};
static const struct out_column file_raw_columns[] = {
    {"seq", "e.seq", RENDER_VALUE, NULL}, {"tid", "e.tid", RENDER_VALUE, NULL},
    {"sysno", "e.sysno", RENDER_VALUE, NULL},
    {"path", "rrq_open_path(e.seq)", RENDER_VALUE, NULL},
    {"flags", open_flags_sql, RENDER_VALUE, NULL}, {"result", "e.result", RENDER_VALUE, NULL},
    {"closed", "rrq_fd_closed(e.seq)", RENDER_VALUE, NULL},
    {"path_from", "rrq_open_path_from(e.seq)", RENDER_VALUE, NULL},
};

static const struct field exec_fields[] = {
    EVENT_ID_FIELDS,
    {"file", "rrq_exec_file(e.seq)", FIELD_TEXT, NULL, "the file executed, as execve named it (AT_EXECFN)"},
    {"argv", "rrq_exec_argv(e.seq)", FIELD_TEXT, NULL, "the arguments, space-separated"},
    EVENT_TIME_FIELD,
};
static const struct out_column exec_columns[] = {
    {"seq", "e.seq", RENDER_VALUE, NULL},
    {"tid", "e.tid", RENDER_VALUE, NULL},
    {"pid", "t.pid", RENDER_VALUE, NULL},
    {"file", "rrq_exec_file(e.seq)", RENDER_VALUE, NULL},
    {"argv", "rrq_exec_argv(e.seq)", RENDER_VALUE, NULL},
};

/* The timeline (rr-query --format html|chrome-trace TRACE timeline draws it,
 * timeline_output.c): every event with its time, a syscall's duration, and
 * the task's command. */
static const struct out_column timeline_columns[] = {
    {"seq", "e.seq", RENDER_VALUE, NULL},
    {"time", "e.at_ms", RENDER_VALUE, NULL},
    {"ms", "CASE WHEN e.kind = " SQL_EVENT_SYSCALL " THEN " DURATION_SQL " END", RENDER_VALUE, NULL},
    {"pid", "t.pid", RENDER_VALUE, NULL},
    {"tid", "e.tid", RENDER_VALUE, NULL},
    {"task", TASK_COMMAND_SQL, RENDER_VALUE, NULL},
    {"kind", "e.kind", RENDER_EVENT_KIND, NULL},
    {"detail", "NULL", RENDER_EVENT_DETAIL, NULL},
};

static const struct subject subjects[] = {
    {"syscalls", "syscalls with decoded arguments and results",
     "event e LEFT JOIN task t ON t.tid = e.tid", "likely(e.kind = " SQL_EVENT_SYSCALL ")", "e.seq", true,
     syscall_fields, COUNT(syscall_fields), syscall_columns, COUNT(syscall_columns),
     syscall_raw_columns, COUNT(syscall_raw_columns)},
    {"signals", "signals delivered or raised by faults",
     "event e LEFT JOIN task t ON t.tid = e.tid", "e.kind = " SQL_EVENT_SIGNAL, "e.seq", true,
     signal_fields, COUNT(signal_fields), signal_columns, COUNT(signal_columns),
     signal_raw_columns, COUNT(signal_raw_columns)},
    {"events", "every event in order",
     "event e LEFT JOIN task t ON t.tid = e.tid", NULL, "e.seq", true,
     event_fields, COUNT(event_fields), event_columns, COUNT(event_columns),
     event_raw_columns, COUNT(event_raw_columns)},
    {"tasks", "every thread the recording saw", "task t", NULL, "t.tid", false,
     task_fields, COUNT(task_fields), task_columns, COUNT(task_columns),
     task_raw_columns, COUNT(task_raw_columns)},
    {"mmaps", "mappings made by exec, mmap, mremap, brk",
     "mapping m JOIN event e ON e.seq = m.seq LEFT JOIN task t ON t.tid = e.tid", NULL,
     "m.seq, m.start", false, mmap_fields, COUNT(mmap_fields), mmap_columns,
     COUNT(mmap_columns), mmap_raw_columns, COUNT(mmap_raw_columns)},
    {"writes", "memory the kernel wrote into the program",
     "mem_write w JOIN event e ON e.seq = w.seq LEFT JOIN task t ON t.tid = e.tid", NULL,
     "w.seq, w.addr", false, write_fields, COUNT(write_fields), write_columns,
     COUNT(write_columns), write_raw_columns, COUNT(write_raw_columns)},
    {"files", "files opened (open, openat, creat, openat2) and their fds",
     "event e LEFT JOIN task t ON t.tid = e.tid", open_calls_where, "e.seq", true,
     file_fields, COUNT(file_fields), file_columns, COUNT(file_columns),
     file_raw_columns, COUNT(file_raw_columns)},
    {"exec", "programs executed: the first one and every successful execve",
     "event e LEFT JOIN task t ON t.tid = e.tid", "e.kind = " SQL_EVENT_EXEC, "e.seq", true,
     exec_fields, COUNT(exec_fields), exec_columns, COUNT(exec_columns),
     exec_columns, COUNT(exec_columns)},
    {"timeline", "every event with its time, a syscall's duration and its task's command (to draw)",
     "event e LEFT JOIN task t ON t.tid = e.tid", NULL, "e.seq", true,
     event_fields, COUNT(event_fields), timeline_columns, COUNT(timeline_columns),
     timeline_columns, COUNT(timeline_columns)},
};

/* Append to a fixed buffer; false when it does not fit. */
static bool append(char *buf, size_t size, const char *fmt, long a, long b)
{
    size_t len = strlen(buf);
    int n = snprintf(buf + len, size - len, fmt, a, b);
    return n >= 0 && len + (size_t)n < size;
}

/* The files subject: the calls whose row in the trace's table has the
 * fd_open effect, with their flags from the row's flags:open argument. */
int subjects_init(const struct trace_syscalls *table)
{
    snprintf(open_calls_where, sizeof open_calls_where, "likely(e.kind = " SQL_EVENT_SYSCALL ") AND e.sysno IN (");
    snprintf(open_flags_sql, sizeof open_flags_sql, "CASE e.sysno");
    bool first = true, fits = true;
    for (int nr = 0; nr < trace_syscalls_size(table); nr++) {
        const struct syscall_desc *desc = trace_syscalls_describe(table, nr);
        if (!desc || desc->effects.fd != FD_EFFECT_OPEN)
            continue;
        fits &= append(open_calls_where, sizeof open_calls_where, first ? "%ld" : ", %ld", nr, 0);
        first = false;
        int flags_arg = syscall_arg_of_kind(desc, "flags:open");
        if (flags_arg != SYSCALL_NO_ARG)
            fits &= append(open_flags_sql, sizeof open_flags_sql, " WHEN %ld THEN e.arg%ld", nr, flags_arg);
    }
    fits &= append(open_calls_where, sizeof open_calls_where, first ? "-1)" : ")", 0, 0);
    /* creat(path, mode) is open(path, O_CREAT|O_WRONLY|O_TRUNC, mode); openat2's
     * flags are in a struct the trace does not hold. */
    fits &= append(open_flags_sql, sizeof open_flags_sql, " WHEN %ld THEN %ld END",
                   trace_syscalls_number(table, "creat"), 0100 | 01 | 01000);
    if (!fits) {
        error_set("the trace's syscall table names too many calls that open files");
        return -1;
    }
    return 0;
}

const struct subject *subject_find(const char *name)
{
    for (int i = 0; i < COUNT(subjects); i++)
        if (strcasecmp(subjects[i].name, name) == 0)
            return &subjects[i];
    return NULL;
}

const struct field *subject_field(const struct subject *subject, const char *name)
{
    for (int i = 0; i < subject->field_count; i++)
        if (strcasecmp(subject->fields[i].name, name) == 0)
            return &subject->fields[i];
    return NULL;
}

const char *subject_list(char *buf, int size)
{
    int len = 0;
    buf[0] = '\0';
    for (int i = 0; i < COUNT(subjects) && len < size; i++)
        len += snprintf(buf + len, (size_t)(size - len), "%s%s", i ? ", " : "", subjects[i].name);
    return buf;
}

const char *subject_field_list(const struct subject *subject, char *buf, int size)
{
    int len = 0;
    buf[0] = '\0';
    for (int i = 0; i < subject->field_count && len < size; i++)
        len += snprintf(buf + len, (size_t)(size - len), "%s%s", i ? ", " : "", subject->fields[i].name);
    return buf;
}

int subject_count(void)
{
    return COUNT(subjects);
}

const struct subject *subject_at(int index)
{
    return &subjects[index];
}
