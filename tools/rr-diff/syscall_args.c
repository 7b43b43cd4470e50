/*
 * syscall_args.c — argument kinds per syscall, parsed from the syscall
 * table's `args` text the first time a syscall is asked about.
 */
#include "syscall_args.h"

#include <stdbool.h>
#include <string.h>

#include "syscall_table.h"

enum { CACHED_MAX = 512 };

static struct syscall_args cache[CACHED_MAX];
static bool cached[CACHED_MAX];
static const struct syscall_args unknown = {6, {ARG_HEX, ARG_HEX, ARG_HEX, ARG_HEX, ARG_HEX, ARG_HEX}};

static enum arg_kind kind_of(const char *word, size_t len)
{
    static const char *const signed_words[] = {"int", "fd", "sig"};
    static const char *const unsigned_words[] = {"uint", "size", "off"};
    for (size_t i = 0; i < 3; i++) {
        if (strlen(signed_words[i]) == len && memcmp(word, signed_words[i], len) == 0)
            return ARG_SIGNED;
        if (strlen(unsigned_words[i]) == len && memcmp(word, unsigned_words[i], len) == 0)
            return ARG_UNSIGNED;
    }
    if (len == 3 && memcmp(word, "pid", 3) == 0)
        return ARG_PID;
    if ((len == 3 && (memcmp(word, "ptr", 3) == 0 || memcmp(word, "str", 3) == 0)) ||
        (len == 4 && memcmp(word, "path", 4) == 0))
        return ARG_POINTER;
    return ARG_HEX; /* hex, flags:NAME */
}

static void parse(const char *text, struct syscall_args *args)
{
    args->count = 0;
    if (!text || strcmp(text, "-") == 0)
        return;
    const char *word = text;
    while (args->count < 6) {
        size_t len = strcspn(word, ",");
        args->kinds[args->count++] = kind_of(word, len);
        if (!word[len])
            break;
        word += len + 1;
    }
}

const struct syscall_args *syscall_args_of(int64_t nr)
{
    if (nr < 0 || nr >= CACHED_MAX)
        return &unknown;
    if (!cached[nr]) {
        const struct syscall_desc *desc = syscall_lookup((long)nr);
        if (desc)
            parse(desc->args_text, &cache[nr]);
        else
            cache[nr] = unknown;
        cached[nr] = true;
    }
    return &cache[nr];
}

/* Not in the syscall table (it describes arguments only): the syscalls whose
 * result is a process or thread id. */
int syscall_returns_pid(int64_t nr)
{
    static const char *const names[] = {"getpid", "getppid", "gettid", "set_tid_address",
                                        "fork", "vfork", "clone", "clone3", "wait4"};
    const char *name = syscall_name((long)nr);
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (strcmp(name, names[i]) == 0)
            return 1;
    return 0;
}

int syscall_returns_address(int64_t nr)
{
    static const char *const names[] = {"mmap", "mremap", "brk", "shmat"};
    const char *name = syscall_name((long)nr);
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (strcmp(name, names[i]) == 0)
            return 1;
    return 0;
}
