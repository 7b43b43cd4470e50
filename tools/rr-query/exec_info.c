/*
 * exec_info.c — file name and arguments of an exec (see exec_info.h).
 *
 * At the exec stop rsp points at argc, then argv[] and NULL, envp[] and NULL,
 * then the auxiliary vector of (type, value) pairs up to AT_NULL
 * (System V x86_64 ABI, "Initial process stack"); the registers are in the
 * exec event's exec_state blob.
 */
#include "exec_info.h"

#include <elf.h>
#include <limits.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "exec_state.h"
#include "strbuf.h"
#include "trace_db.h"
#include "trace_memory.h"

enum { MAX_ARGS = 4096, MAX_ENV = 65536 };

struct exec_info {
    struct trace_db *tdb;
    int64_t cached_seq;
    bool cached_valid;
    char *file;
    char *argv;
    sqlite3_stmt *event;
};

struct exec_info *exec_info_new(struct trace_db *tdb)
{
    struct exec_info *info = calloc(1, sizeof *info);
    if (!info) {
        error_set("out of memory");
        return NULL;
    }
    info->tdb = tdb;
    info->cached_seq = -1;
    if (trace_db_prepare(tdb, "SELECT tid, extra FROM event WHERE seq = ?1 AND kind = 5", &info->event) < 0) {
        free(info);
        return NULL;
    }
    return info;
}

void exec_info_free(struct exec_info *info)
{
    if (!info)
        return;
    sqlite3_finalize(info->event);
    free(info->file);
    free(info->argv);
    free(info);
}

static bool read_word(struct trace_memory *memory, int64_t seq, int32_t pid, uint64_t addr, uint64_t *word)
{
    return trace_memory_read_at_exec(memory, seq, pid, addr, word, sizeof *word) == sizeof *word;
}

static bool read_string(struct trace_memory *memory, int64_t seq, int32_t pid, uint64_t addr,
                        char *buf, size_t size)
{
    size_t n = trace_memory_read_at_exec(memory, seq, pid, addr, buf, size);
    return memchr(buf, '\0', n) != NULL;
}

static void add_argument(struct strbuf *sb, const char *arg, bool first)
{
    if (!first)
        strbuf_add(sb, " ");
    if (arg[0] && !strpbrk(arg, " \t\n'\"\\$`")) {
        strbuf_add(sb, "%s", arg);
        return;
    }
    strbuf_add(sb, "'");
    for (const char *c = arg; *c; c++) {
        if (*c == '\'')
            strbuf_add(sb, "'\\''");
        else
            strbuf_add_bytes(sb, c, 1);
    }
    strbuf_add(sb, "'");
}

/* Read argv and AT_EXECFN from the initial stack at `rsp`. */
static void read_stack(struct exec_info *info, struct trace_memory *memory, int64_t seq, int32_t pid, uint64_t rsp)
{
    uint64_t argc, word;
    char text[PATH_MAX];
    if (!read_word(memory, seq, pid, rsp, &argc) || argc > MAX_ARGS)
        return;
    struct strbuf args = {0};
    bool complete = true;
    for (uint64_t i = 0; i < argc && complete; i++)
        complete = read_word(memory, seq, pid, rsp + 8 + 8 * i, &word) &&
                   read_string(memory, seq, pid, word, text, sizeof text);
    for (uint64_t i = 0; i < argc && complete; i++) {
        read_word(memory, seq, pid, rsp + 8 + 8 * i, &word);
        read_string(memory, seq, pid, word, text, sizeof text);
        add_argument(&args, text, i == 0);
    }
    info->argv = complete ? strbuf_take(&args) : NULL;
    strbuf_free(&args);
    /* Skip envp to reach the auxiliary vector. */
    uint64_t at = rsp + 8 + 8 * (argc + 1);
    for (int n = 0; n < MAX_ENV && read_word(memory, seq, pid, at, &word) && word; n++)
        at += 8;
    at += 8;
    uint64_t type, value;
    for (int n = 0; n < 64 && read_word(memory, seq, pid, at, &type) && type != AT_NULL; n++, at += 16)
        if (type == AT_EXECFN && read_word(memory, seq, pid, at + 8, &value) &&
            read_string(memory, seq, pid, value, text, sizeof text))
            info->file = strdup(text);
}

int exec_info_get(struct exec_info *info, int64_t seq, const char **file, const char **argv)
{
    if (!info->cached_valid || info->cached_seq != seq) {
        free(info->file);
        free(info->argv);
        info->file = info->argv = NULL;
        info->cached_valid = false;
        sqlite3_bind_int64(info->event, 1, seq);
        int rc = sqlite3_step(info->event);
        int32_t tid = sqlite3_column_int(info->event, 0);
        int64_t blob = sqlite3_column_int64(info->event, 1);
        sqlite3_reset(info->event);
        if (rc != SQLITE_ROW)
            return -1;
        struct trace_memory *memory = trace_db_memory(info->tdb);
        size_t len;
        const struct exec_state *state =
            memory && blob ? (const void *)trace_memory_blob(memory, blob, &len) : NULL;
        if (state && len >= sizeof *state) {
            uint64_t rsp = state->regs.rsp;
            read_stack(info, memory, seq, trace_db_pid_of(info->tdb, tid), rsp);
        }
        info->cached_seq = seq;
        info->cached_valid = true;
    }
    *file = info->file;
    *argv = info->argv;
    return 0;
}
