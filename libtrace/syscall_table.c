/*
 * syscall_table.c — parses the compiled-in rows of schema/syscalls.tsv and
 * schema/ioctls.tsv (build/gen/syscall_table_data.c) into lookup tables, and
 * parses the rows a trace stores the same way (syscall_desc_parse). The
 * `writes` grammar is documented in schema/README.md.
 */
#include "syscall_table.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"

/* Generated from schema/syscalls.tsv and ioctls.tsv by the Makefile. */
extern const struct syscall_row syscall_rows[];
extern const size_t syscall_row_count;
extern const struct ioctl_desc ioctl_rows[];
extern const size_t ioctl_row_count;

static struct syscall_desc *table;
static int table_size;

static const struct {
    const char *text;
    enum replay_mode mode;
} replay_modes[] = {
    {"emulate", REPLAY_EMULATE}, {"execute", REPLAY_EXECUTE}, {"mmap", REPLAY_MMAP},
    {"mremap", REPLAY_MREMAP}, {"brk", REPLAY_BRK}, {"execve", REPLAY_EXECVE},
    {"arch_prctl", REPLAY_ARCH_PRCTL}, {"clone", REPLAY_CLONE}, {"enosys", REPLAY_ENOSYS},
    {"unsupported", REPLAY_UNSUPPORTED},
};

/* "aN" -> N (0..5); returns the characters consumed, or 0. */
static int parse_arg_ref(const char *s, int *arg)
{
    if (s[0] != 'a' || s[1] < '0' || s[1] > '5')
        return 0;
    *arg = s[1] - '0';
    return 2;
}

/* Parse an optional "*K" factor at s; returns characters consumed. */
static int parse_factor(const char *s, uint64_t *factor)
{
    *factor = 1;
    if (*s != '*')
        return 0;
    char *end;
    unsigned long long value = strtoull(s + 1, &end, 10);
    if (end == s + 1 || value == 0)
        return -1;
    *factor = value;
    return (int)(end - s);
}

/* Parse "NAME(aM)" forms; returns characters consumed or 0. */
static int parse_function(const char *s, const char *name, int *arg)
{
    size_t n = strlen(name);
    if (strncmp(s, name, n) != 0 || s[n] != '(')
        return 0;
    int used = parse_arg_ref(s + n + 1, arg);
    if (!used || s[n + 1 + used] != ')')
        return 0;
    return (int)n + used + 2;
}

static int parse_size(const char *s, struct write_item *item)
{
    static const struct {
        const char *word;
        enum write_size_kind kind;
    } words[] = {
        {"msghdr", WRITE_MSGHDR}, {"ioctl", WRITE_IOCTL}, {"fcntl", WRITE_FCNTL},
        {"prctl", WRITE_PRCTL}, {"arch_prctl", WRITE_ARCH_PRCTL}, {"futex", WRITE_FUTEX},
        {"ptrace", WRITE_PTRACE}, {"semctl", WRITE_SEMCTL}, {"msgrcv", WRITE_MSGRCV}, {"keyctl", WRITE_KEYCTL},
        {"madvise", WRITE_MADVISE}, {"pidfd", WRITE_PIDFD},
    };
    for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
        if (strcmp(s, words[i].word) == 0) {
            item->kind = words[i].kind;
            return 0;
        }
    int used;
    if ((used = parse_function(s, "iov", &item->size_arg)) && !s[used]) {
        item->kind = WRITE_IOV;
        return 0;
    }
    if ((used = parse_function(s, "fdset", &item->size_arg)) && !s[used]) {
        item->kind = WRITE_FDSET;
        return 0;
    }
    if ((used = parse_function(s, "mmsghdr", &item->size_arg)) && !s[used]) {
        item->kind = WRITE_MMSGHDR;
        return 0;
    }
    if (s[0] == '*') {
        used = parse_arg_ref(s + 1, &item->size_arg);
        item->kind = WRITE_DEREF_ARG;
        return used && !s[1 + used] ? 0 : -1;
    }
    if (strncmp(s, "ret", 3) == 0) {
        item->kind = WRITE_RET;
        used = parse_factor(s + 3, &item->amount);
        return used >= 0 && !s[3 + used] ? 0 : -1;
    }
    if ((used = parse_arg_ref(s, &item->size_arg))) {
        item->kind = WRITE_ARG;
        int factor_used = parse_factor(s + used, &item->amount);
        return factor_used >= 0 && !s[used + factor_used] ? 0 : -1;
    }
    char *end;
    unsigned long long bytes = strtoull(s, &end, 10);
    if (end == s || *end)
        return -1;
    item->kind = WRITE_FIXED;
    item->amount = bytes;
    return 0;
}

int syscall_parse_writes(const char *text, struct write_item *items, int *count)
{
    *count = 0;
    if (strcmp(text, "-") == 0)
        return 0;
    char buffer[256];
    if (strlen(text) >= sizeof buffer)
        return -1;
    strcpy(buffer, text);
    char *saveptr = NULL;
    for (char *part = strtok_r(buffer, ";", &saveptr); part; part = strtok_r(NULL, ";", &saveptr)) {
        if (*count == SYSCALL_MAX_WRITES)
            return -1;
        struct write_item *item = &items[*count];
        memset(item, 0, sizeof *item);
        int used = parse_arg_ref(part, &item->ptr_arg);
        if (!used || part[used] != ':' || parse_size(part + used + 1, item) < 0)
            return -1;
        (*count)++;
    }
    return 0;
}

int syscall_parse_result(const char *text, enum result_kind *kind)
{
    static const char *const words[] = {
        [RESULT_INT] = "int", [RESULT_BYTES] = "bytes", [RESULT_PID] = "pid",
        [RESULT_FD] = "fd", [RESULT_ADDR] = "addr",
    };
    for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
        if (strcmp(text, words[i]) == 0) {
            *kind = (enum result_kind)i;
            return 0;
        }
    return -1;
}

static int parse_replay(const char *text, enum replay_mode *mode)
{
    for (size_t i = 0; i < sizeof replay_modes / sizeof replay_modes[0]; i++)
        if (strcmp(text, replay_modes[i].text) == 0) {
            *mode = replay_modes[i].mode;
            return 0;
        }
    return -1;
}

/* This build's row called `name`, or NULL. */
static const struct syscall_row *own_row(const char *name)
{
    for (size_t i = 0; i < syscall_row_count; i++)
        if (strcmp(syscall_rows[i].name, name) == 0)
            return &syscall_rows[i];
    return NULL;
}

int syscall_desc_parse(const struct syscall_row *row, struct syscall_desc *desc)
{
    memset(desc, 0, sizeof *desc);
    desc->nr = row->nr;
    desc->name = row->name;
    desc->replay_text = row->replay;
    desc->writes_text = row->writes;
    desc->args_text = row->args;
    desc->result_text = row->result;
    desc->effects_text = row->effects;
    if (!row->result || !row->effects) {
        /* A format-1 trace: these facts were not stored, and were this build's. */
        const struct syscall_row *own = own_row(row->name);
        desc->result_text = own ? own->result : "int";
        desc->effects_text = own ? own->effects : "-";
    }
    if (parse_replay(row->replay, &desc->replay) < 0 ||
        syscall_parse_writes(row->writes, desc->writes, &desc->write_count) < 0 ||
        syscall_parse_result(desc->result_text, &desc->result) < 0 ||
        syscall_parse_effects(desc->effects_text, &desc->effects) < 0) {
        error_set("syscall table: malformed row for %s (%d)", row->name, row->nr);
        return -1;
    }
    return 0;
}

int syscall_table_init(void)
{
    if (table)
        return 0;
    int size = 0;
    for (size_t i = 0; i < syscall_row_count; i++)
        if (syscall_rows[i].nr >= size)
            size = syscall_rows[i].nr + 1;
    struct syscall_desc *parsed = calloc((size_t)size, sizeof *parsed);
    if (!parsed) {
        error_set("out of memory");
        return -1;
    }
    for (int nr = 0; nr < size; nr++)
        parsed[nr].nr = -1;
    for (size_t i = 0; i < syscall_row_count; i++)
        if (syscall_desc_parse(&syscall_rows[i], &parsed[syscall_rows[i].nr]) < 0) {
            free(parsed);
            return -1;
        }
    table = parsed;
    table_size = size;
    return 0;
}

const struct syscall_desc *syscall_lookup(long nr)
{
    if (syscall_table_init() < 0 || nr < 0 || nr >= table_size || table[nr].nr < 0)
        return NULL;
    return &table[nr];
}

const char *syscall_name(long nr)
{
    static char unknown[32];
    const struct syscall_desc *desc = syscall_lookup(nr);
    if (desc)
        return desc->name;
    snprintf(unknown, sizeof unknown, "syscall_%ld", nr);
    return unknown;
}

long syscall_number(const char *name)
{
    const struct syscall_row *row = own_row(name);
    return row ? row->nr : -1;
}

int syscall_table_size(void)
{
    return syscall_table_init() < 0 ? 0 : table_size;
}

const struct ioctl_desc *ioctl_lookup(unsigned long request)
{
    for (size_t i = 0; i < ioctl_row_count; i++)
        if (ioctl_rows[i].request == request && ioctl_rows[i].last == request)
            return &ioctl_rows[i];
    for (size_t i = 0; i < ioctl_row_count; i++)
        if (ioctl_rows[i].request <= request && request <= ioctl_rows[i].last)
            return &ioctl_rows[i];
    return NULL;
}

bool syscall_arg_kind(const struct syscall_desc *desc, int index, char *kind, size_t size)
{
    const char *text = desc->args_text;
    for (int i = 0; text && i < index; i++) {
        text = strchr(text, ',');
        if (text)
            text++;
    }
    if (!text || !*text || size == 0)
        return false;
    size_t len = strcspn(text, ",");
    if (len >= size)
        return false;
    memcpy(kind, text, len);
    kind[len] = '\0';
    return true;
}

/* Is argument `index`'s kind in the `args` column exactly `kind`? */
static bool arg_has_kind(const struct syscall_desc *desc, int index, const char *kind)
{
    char actual[64];
    return syscall_arg_kind(desc, index, actual, sizeof actual) && strcmp(actual, kind) == 0;
}

bool syscall_arg_is_path(const struct syscall_desc *desc, int index)
{
    return arg_has_kind(desc, index, "path");
}

int syscall_arg_of_kind(const struct syscall_desc *desc, const char *kind)
{
    for (int i = 0; i < 6; i++)
        if (arg_has_kind(desc, i, kind))
            return i;
    return SYSCALL_NO_ARG;
}
