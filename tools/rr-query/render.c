/*
 * render.c — decoding result rows into cells (see render.h).
 *
 * Decoders that need more than the trace's rows (memory, fds, symbols) get
 * them through trace_db's helpers; when a helper cannot be built the value is
 * shown undecoded rather than dropped.
 */
#include "render.h"

#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "exec_info.h"
#include "fd_table.h"
#include "kernel_names.h"
#include "replay_protocol.h"
#include "symbolizer.h"
#include "syscall_decode.h"
#include "trace_db.h"
#include "trace_event.h"
#include "trace_memory.h"

/* An event as selected by SUBJECT_EVENT_COLUMNS. */
struct event_row {
    int64_t seq;
    int32_t tid, pid;
    int kind;
    bool has_sysno;
    int64_t sysno;
    uint64_t args[6];
    int64_t result;
    int signo, sig_code, sync;
    bool has_ip;
    uint64_t ip;
    int64_t extra;
};

static void read_event(sqlite3_stmt *stmt, int base, struct event_row *ev)
{
    ev->seq = sqlite3_column_int64(stmt, base);
    ev->tid = sqlite3_column_int(stmt, base + 1);
    ev->pid = sqlite3_column_type(stmt, base + 2) == SQLITE_NULL ? ev->tid : sqlite3_column_int(stmt, base + 2);
    ev->kind = sqlite3_column_int(stmt, base + 3);
    ev->has_sysno = sqlite3_column_type(stmt, base + 4) != SQLITE_NULL;
    ev->sysno = sqlite3_column_int64(stmt, base + 4);
    for (int i = 0; i < 6; i++)
        ev->args[i] = (uint64_t)sqlite3_column_int64(stmt, base + 5 + i);
    ev->result = sqlite3_column_int64(stmt, base + 11);
    ev->signo = sqlite3_column_int(stmt, base + 12);
    ev->sig_code = sqlite3_column_int(stmt, base + 13);
    ev->sync = sqlite3_column_int(stmt, base + 14);
    ev->has_ip = sqlite3_column_type(stmt, base + 15) != SQLITE_NULL;
    ev->ip = (uint64_t)sqlite3_column_int64(stmt, base + 15);
    ev->extra = sqlite3_column_int64(stmt, base + 16);
}

int renderer_init(struct renderer *r, struct trace_db *tdb, const struct compiled_query *query)
{
    r->tdb = tdb;
    r->query = query;
    r->texts = calloc((size_t)query->column_count, sizeof *r->texts);
    if (!r->texts) {
        error_set("out of memory");
        return -1;
    }
    return 0;
}

void renderer_free(struct renderer *r)
{
    for (int i = 0; r->texts && i < r->query->column_count; i++)
        strbuf_free(&r->texts[i]);
    free(r->texts);
    r->texts = NULL;
}

static void set_text(struct cell *cell, struct strbuf *sb)
{
    cell->type = sb->failed ? CELL_NULL : CELL_TEXT;
    cell->text = strbuf_text(sb);
}

void render_sql_value(sqlite3_stmt *stmt, int column, struct strbuf *sb, struct cell *cell)
{
    strbuf_clear(sb);
    switch (sqlite3_column_type(stmt, column)) {
    case SQLITE_INTEGER:
        cell->type = CELL_INT;
        cell->number = sqlite3_column_int64(stmt, column);
        return;
    case SQLITE_FLOAT:
        cell->type = CELL_REAL;
        cell->real = sqlite3_column_double(stmt, column);
        return;
    case SQLITE_TEXT:
        strbuf_add_bytes(sb, (const char *)sqlite3_column_text(stmt, column),
                         (size_t)sqlite3_column_bytes(stmt, column));
        set_text(cell, sb);
        return;
    case SQLITE_BLOB: {
        const unsigned char *bytes = sqlite3_column_blob(stmt, column);
        int len = sqlite3_column_bytes(stmt, column);
        strbuf_add(sb, "x'");
        for (int i = 0; i < len && i < 32; i++)
            strbuf_add(sb, "%02x", bytes[i]);
        if (len > 32)
            strbuf_add(sb, "…' (%d bytes)", len);
        else
            strbuf_add(sb, "'");
        set_text(cell, sb);
        return;
    }
    default:
        cell->type = CELL_NULL;
    }
}

/* --- syscall decoding: the memory and fds the trace knows at the event ----- */

struct decode_context {
    struct trace_db *tdb;
    const struct event_row *ev;
};

static size_t decode_read(void *context, uint64_t addr, void *buf, size_t max)
{
    struct decode_context *dc = context;
    struct trace_memory *memory = trace_db_memory(dc->tdb);
    return memory ? trace_memory_read(memory, dc->ev->pid, dc->ev->seq, addr, buf, max) : 0;
}

static const char *decode_fd_path(void *context, int fd)
{
    struct decode_context *dc = context;
    struct fd_table *fds = trace_db_fds(dc->tdb);
    return fds ? fd_table_path(fds, dc->ev->pid, fd, dc->ev->seq) : NULL;
}

static const char *syscall_name_or_number(struct trace_db *tdb, int64_t sysno, char *buf, size_t size)
{
    const char *name = trace_db_syscall_name(tdb, sysno);
    if (name)
        return name;
    snprintf(buf, size, "syscall_%lld", (long long)sysno);
    return buf;
}

static void add_syscall_args(struct renderer *r, struct strbuf *sb, const struct event_row *ev)
{
    char args[8192];
    struct decode_context dc = {r->tdb, ev};
    struct decode_memory memory = {&dc, decode_read, decode_fd_path};
    syscall_decode_args(trace_db_syscall_name(r->tdb, ev->sysno), trace_db_syscall_args(r->tdb, ev->sysno),
                        ev->args, ev->result, &memory, args, sizeof args);
    strbuf_add(sb, "%s", args);
}

/* What strace adds after the result (poll's ready descriptors), or "". */
static void add_result_note(struct renderer *r, const struct event_row *ev, char *note, size_t size)
{
    struct decode_context dc = {r->tdb, ev};
    struct decode_memory memory = {&dc, decode_read, decode_fd_path};
    syscall_decode_result_note(trace_db_syscall_args(r->tdb, ev->sysno), ev->args, ev->result, &memory, note,
                               size);
}

/* --- signals ------------------------------------------------------------------ */

static int32_t siginfo_int(const unsigned char *info, size_t offset)
{
    int32_t v;
    memcpy(&v, info + offset, sizeof v);
    return v;
}

static uint64_t siginfo_word(const unsigned char *info, size_t offset)
{
    uint64_t v;
    memcpy(&v, info + offset, sizeof v);
    return v;
}

/* The fields of siginfo that matter for this signal and code (x86_64
 * layout: si_signo, si_errno, si_code, padding, then the union at 16). */
static void add_siginfo(struct renderer *r, struct strbuf *sb, int64_t blob, int signo)
{
    struct trace_memory *memory = trace_db_memory(r->tdb);
    size_t len;
    const unsigned char *info = memory && blob ? trace_memory_blob(memory, blob, &len) : NULL;
    if (!info || len < 32)
        return;
    int code = siginfo_int(info, 8);
    bool fault = signo == SIGSEGV || signo == SIGBUS || signo == SIGILL || signo == SIGFPE || signo == SIGTRAP;
    if (code > 0 && code < 0x80 && fault)
        strbuf_add(sb, "si_addr=0x%llx", (unsigned long long)siginfo_word(info, 16));
    else if (code > 0 && code < 0x80 && signo == SIGCHLD)
        strbuf_add(sb, "si_pid=%d si_uid=%d si_status=%d", siginfo_int(info, 16), siginfo_int(info, 20),
                   siginfo_int(info, 24));
    else if (code > 0 && code < 0x80 && signo == SIGIO)
        strbuf_add(sb, "si_band=%lld si_fd=%d", (long long)siginfo_word(info, 16), siginfo_int(info, 24));
    else if (code > 0 && code < 0x80 && signo == SIGSYS)
        strbuf_add(sb, "si_call_addr=%#llx si_syscall=%d", (unsigned long long)siginfo_word(info, 16),
                   siginfo_int(info, 24));
    else if (code == -2) /* SI_TIMER */
        strbuf_add(sb, "si_timerid=%d si_overrun=%d", siginfo_int(info, 16), siginfo_int(info, 20));
    else if (code <= 0)
        strbuf_add(sb, "si_pid=%d si_uid=%d", siginfo_int(info, 16), siginfo_int(info, 20));
}

static void add_signal_code(struct strbuf *sb, int signo, int code)
{
    const char *name = signal_code_name(signo, code);
    if (name)
        strbuf_add(sb, "%s", name);
    else
        strbuf_add(sb, "%d", code);
}

/* --- events ------------------------------------------------------------------- */

static const char *event_kind_name_of(int kind)
{
    return event_kind_name((enum event_kind)kind);
}

static void add_exit(struct strbuf *sb, bool killed, int value)
{
    char sig[32];
    if (killed)
        strbuf_add(sb, "killed %s", signal_name(value, sig, sizeof sig));
    else
        strbuf_add(sb, "exited %d", value);
}

static void add_event_detail(struct renderer *r, struct strbuf *sb, const struct event_row *ev)
{
    char buf[160], sig[32];
    switch (ev->kind) {
    case 1:
        strbuf_add(sb, "%s(", syscall_name_or_number(r->tdb, ev->sysno, buf, sizeof buf));
        add_syscall_args(r, sb, ev);
        syscall_decode_result(trace_db_syscall(r->tdb, ev->sysno), ev->result, buf, sizeof buf);
        strbuf_add(sb, ") = %s", buf);
        break;
    case 2:
        strbuf_add(sb, "%s ", signal_name(ev->signo, sig, sizeof sig));
        add_signal_code(sb, ev->signo, ev->sig_code);
        strbuf_add(sb, ev->sync ? " (fault) " : " (delivered) ");
        add_siginfo(r, sb, ev->extra, ev->signo);
        break;
    case 3:
        strbuf_add(sb, "tsc=%llu", (unsigned long long)ev->result);
        if ((int64_t)ev->args[0] != -1)
            strbuf_add(sb, " aux=%llu", (unsigned long long)ev->args[0]);
        break;
    case 4:
        strbuf_add(sb, "leaf=%#llx subleaf=%#llx -> eax=%#llx ebx=%#llx ecx=%#llx edx=%#llx",
                   (unsigned long long)ev->args[0], (unsigned long long)ev->args[1],
                   (unsigned long long)ev->args[2], (unsigned long long)ev->args[3],
                   (unsigned long long)ev->args[4], (unsigned long long)ev->args[5]);
        break;
    case 5: {
        struct exec_info *execs = trace_db_execs(r->tdb);
        const char *file = NULL, *argv = NULL;
        if (execs)
            exec_info_get(execs, ev->seq, &file, &argv);
        strbuf_add(sb, "%s", file ? file : "?");
        if (argv)
            strbuf_add(sb, " [%s]", argv);
        break;
    }
    case 6:
        add_exit(sb, ev->signo > 0, ev->signo > 0 ? ev->signo : (int)ev->result);
        break;
    case 8: {
        /* entered; its result is a later syscall event of this task */
        struct event_row entered = *ev;
        entered.result = -1;
        strbuf_add(sb, "%s(", syscall_name_or_number(r->tdb, ev->sysno, buf, sizeof buf));
        add_syscall_args(r, sb, &entered);
        strbuf_add(sb, ") <unfinished>");
        break;
    }
    default:
        strbuf_add(sb, "%s", event_kind_name_of(ev->kind));
    }
}

/* --- mappings --------------------------------------------------------------------- */

static void add_prot(struct strbuf *sb, int prot, int flags)
{
    strbuf_add(sb, "%c%c%c%c", prot & 1 ? 'r' : '-', prot & 2 ? 'w' : '-', prot & 4 ? 'x' : '-',
               (flags & 3) == 1 ? 's' : 'p');
}

static void add_data(struct renderer *r, struct strbuf *sb, int64_t blob, int64_t len)
{
    struct trace_memory *memory = trace_db_memory(r->tdb);
    size_t size;
    const unsigned char *bytes = memory ? trace_memory_blob(memory, blob, &size) : NULL;
    if (!bytes)
        return;
    char quoted[DECODE_STRING_MAX * 4 + 8];
    decode_quote_bytes(bytes, len >= 0 && (size_t)len < size ? (size_t)len : size, quoted, sizeof quoted);
    strbuf_add(sb, "%s", quoted);
}

/* --- one row ------------------------------------------------------------------------- */

void renderer_row(struct renderer *r, sqlite3_stmt *stmt, struct cell *cells)
{
    const struct compiled_query *q = r->query;
    struct event_row ev = {0};
    if (q->event_base >= 0)
        read_event(stmt, q->event_base, &ev);
    for (int i = 0; i < q->column_count; i++) {
        const struct out_column *col = &q->columns[i];
        struct strbuf *sb = &r->texts[i];
        struct cell *cell = &cells[i];
        bool is_null = sqlite3_column_type(stmt, i) == SQLITE_NULL;
        int64_t value = sqlite3_column_int64(stmt, i);
        int64_t arg = q->arg_index[i] >= 0 ? sqlite3_column_int64(stmt, q->arg_index[i]) : 0;
        bool arg_null = q->arg_index[i] < 0 || sqlite3_column_type(stmt, q->arg_index[i]) == SQLITE_NULL;
        char buf[256];
        strbuf_clear(sb);
        *cell = (struct cell){CELL_NULL, 0, 0, NULL};
        bool needs_value = col->render != RENDER_VALUE && col->render != RENDER_SYSCALL_ARGS &&
                           col->render != RENDER_EVENT_DETAIL;
        if (needs_value && is_null)
            continue; /* NULL stays NULL whatever the decoding */
        switch (col->render) {
        case RENDER_VALUE:
            render_sql_value(stmt, i, sb, cell);
            continue;
        case RENDER_HEX:
            strbuf_add(sb, "0x%llx", (unsigned long long)value);
            break;
        case RENDER_SYSCALL_NAME:
            strbuf_add(sb, "%s", syscall_name_or_number(r->tdb, value, buf, sizeof buf));
            break;
        case RENDER_SYSCALL_ARGS:
            add_syscall_args(r, sb, &ev);
            break;
        case RENDER_SYSCALL_RET: {
            char note[1024];
            add_result_note(r, &ev, note, sizeof note);
            if (syscall_decode_result(trace_db_syscall(r->tdb, ev.sysno), value, buf, sizeof buf) && !note[0]) {
                cell->type = CELL_INT;
                cell->number = value;
                continue;
            }
            strbuf_add(sb, "%s%s", buf, note);
            break;
        }
        case RENDER_SYMBOL: {
            if (value == 0)
                continue; /* events without an instruction pointer (exit) store 0 */
            struct symbolizer *symbols = trace_db_symbols(r->tdb);
            if (symbols)
                symbolizer_name(symbols, ev.pid, ev.seq, (uint64_t)value, buf, sizeof buf);
            else
                snprintf(buf, sizeof buf, "%#llx", (unsigned long long)value);
            strbuf_add(sb, "%s", buf);
            break;
        }
        case RENDER_SIGNAL:
            strbuf_add(sb, "%s", signal_name((int)value, buf, sizeof buf));
            break;
        case RENDER_SIGNAL_CODE:
            add_signal_code(sb, (int)arg, (int)value);
            break;
        case RENDER_SIGNAL_INFO:
            add_siginfo(r, sb, value, (int)arg);
            break;
        case RENDER_FAULT:
            strbuf_add(sb, "%s", value ? "fault" : "delivered");
            break;
        case RENDER_EVENT_KIND:
            strbuf_add(sb, "%s", event_kind_name_of((int)value));
            break;
        case RENDER_EVENT_DETAIL:
            add_event_detail(r, sb, &ev);
            break;
        case RENDER_PROT:
            add_prot(sb, (int)value, (int)arg);
            break;
        case RENDER_MAP_FLAGS:
            decode_flags("mmap", "mmap", (uint64_t)value, buf, sizeof buf);
            strbuf_add(sb, "%s", buf);
            break;
        case RENDER_OPEN_FLAGS:
            decode_flags("open", "openat", (uint64_t)value, buf, sizeof buf);
            strbuf_add(sb, "%s", buf);
            break;
        case RENDER_MADE_BY:
            strbuf_add(sb, "%s", value == 5 ? "exec" : arg_null ? "?" : syscall_name_or_number(r->tdb, arg, buf, sizeof buf));
            break;
        case RENDER_DATA:
            add_data(r, sb, value, arg);
            break;
        case RENDER_EXIT:
            if (arg_null)
                continue;
            add_exit(sb, strcmp((const char *)sqlite3_column_text(stmt, i), task_end_name(TASK_END_KILLED)) == 0, (int)arg);
            break;
        }
        set_text(cell, sb);
    }
}
