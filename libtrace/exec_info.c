/*
 * exec_info.c — file name and arguments of an exec (see exec_info.h).
 *
 * At the exec stop rsp points at argc, then argv[] and NULL, envp[] and NULL,
 * then the auxiliary vector of (type, value) pairs up to AT_NULL
 * (System V x86_64 ABI, "Initial process stack"); the registers are in the
 * exec event's exec_state blob. Part of the trace store's readers: it uses
 * the store's SQLite handle.
 */
#include "exec_info.h"

#include <elf.h>
#include <limits.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "exec_state.h"
#include "trace_event.h"
#include "trace_memory.h"
#include "trace_store_internal.h"

enum { MAX_ARGS = 4096, MAX_ENV = 65536 };

/* A growing string; `failed` once an allocation failed. */
struct text {
    char *bytes;
    size_t len, capacity;
    bool failed;
};

struct exec_info {
    struct trace_memory *memory;
    int64_t cached_seq;
    bool cached_valid;
    char *file;
    char *argv;
    sqlite3_stmt *event;
};

struct exec_info *exec_info_new(struct trace_store *store, struct trace_memory *memory)
{
    struct exec_info *info = calloc(1, sizeof *info);
    if (!info) {
        error_set("out of memory");
        return NULL;
    }
    info->memory = memory;
    info->cached_seq = -1;
    if (sqlite3_prepare_v2(store->db, "SELECT tid, extra FROM event WHERE seq = ?1 AND kind = ?2", -1, &info->event,
                           NULL) != SQLITE_OK) {
        trace_store_fail(store, "reading exec events");
        free(info);
        return NULL;
    }
    sqlite3_bind_int(info->event, 2, EVENT_EXEC);
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

static bool read_word(struct trace_memory *memory, int64_t seq, int32_t tid, uint64_t addr, uint64_t *word)
{
    return trace_memory_read_at_exec(memory, tid, seq, addr, word, sizeof *word) == sizeof *word;
}

static bool read_string(struct trace_memory *memory, int64_t seq, int32_t tid, uint64_t addr,
                        char *buf, size_t size)
{
    size_t n = trace_memory_read_at_exec(memory, tid, seq, addr, buf, size);
    return memchr(buf, '\0', n) != NULL;
}

static void add_text(struct text *text, const char *bytes, size_t len)
{
    if (text->failed)
        return;
    if (text->len + len + 1 > text->capacity) {
        size_t capacity = (text->len + len + 1) * 2;
        char *grown = realloc(text->bytes, capacity);
        if (!grown) {
            text->failed = true;
            return;
        }
        text->bytes = grown;
        text->capacity = capacity;
    }
    memcpy(text->bytes + text->len, bytes, len);
    text->len += len;
    text->bytes[text->len] = '\0';
}

/* An argument as a shell would take it back: quoted when it needs to be. */
static void add_argument(struct text *text, const char *arg, bool first)
{
    if (!first)
        add_text(text, " ", 1);
    if (arg[0] && !strpbrk(arg, " \t\n'\"\\$`")) {
        add_text(text, arg, strlen(arg));
        return;
    }
    add_text(text, "'", 1);
    for (const char *c = arg; *c; c++) {
        if (*c == '\'')
            add_text(text, "'\\''", 4);
        else
            add_text(text, c, 1);
    }
    add_text(text, "'", 1);
}

/* Read argv and AT_EXECFN from the initial stack at `rsp`. */
static void read_stack(struct exec_info *info, struct trace_memory *memory, int64_t seq, int32_t tid, uint64_t rsp)
{
    uint64_t argc, word;
    char text[PATH_MAX];
    if (!read_word(memory, seq, tid, rsp, &argc) || argc > MAX_ARGS)
        return;
    struct text args = {0};
    bool complete = true;
    for (uint64_t i = 0; i < argc && complete; i++)
        complete = read_word(memory, seq, tid, rsp + 8 + 8 * i, &word) &&
                   read_string(memory, seq, tid, word, text, sizeof text);
    for (uint64_t i = 0; i < argc && complete; i++) {
        read_word(memory, seq, tid, rsp + 8 + 8 * i, &word);
        read_string(memory, seq, tid, word, text, sizeof text);
        add_argument(&args, text, i == 0);
    }
    if (complete && !args.failed)
        info->argv = args.bytes ? args.bytes : strdup("");
    else
        free(args.bytes);
    /* Skip envp to reach the auxiliary vector. */
    uint64_t at = rsp + 8 + 8 * (argc + 1);
    for (int n = 0; n < MAX_ENV && read_word(memory, seq, tid, at, &word) && word; n++)
        at += 8;
    at += 8;
    uint64_t type, value;
    for (int n = 0; n < 64 && read_word(memory, seq, tid, at, &type) && type != AT_NULL; n++, at += 16)
        if (type == AT_EXECFN && read_word(memory, seq, tid, at + 8, &value) &&
            read_string(memory, seq, tid, value, text, sizeof text))
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
        size_t len;
        const struct exec_state *state = blob ? (const void *)trace_memory_blob(info->memory, blob, &len) : NULL;
        if (state && len >= sizeof *state) {
            uint64_t rsp = state->regs.rsp;
            read_stack(info, info->memory, seq, tid, rsp);
        }
        info->cached_seq = seq;
        info->cached_valid = true;
    }
    *file = info->file;
    *argv = info->argv;
    return 0;
}
