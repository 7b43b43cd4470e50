/*
 * syscall_args.c — argument counts and pid arguments per syscall, parsed
 * from the syscall table's `args` text the first time a syscall is asked
 * about (see syscall_args.h).
 */
#include "syscall_args.h"

#include <string.h>

#include "syscall_table.h"

enum { CACHED_MAX = 512 };

static struct syscall_args cache[CACHED_MAX];
static bool cached[CACHED_MAX];
static const struct syscall_args unknown = {.count = 6};

static void parse(const char *text, struct syscall_args *args)
{
    memset(args, 0, sizeof *args);
    if (!text || strcmp(text, "-") == 0)
        return;
    const char *word = text;
    while (args->count < 6) {
        size_t len = strcspn(word, ",");
        args->is_pid[args->count++] = len == 3 && memcmp(word, "pid", 3) == 0;
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
bool syscall_returns_pid(int64_t nr)
{
    static const char *const names[] = {"getpid", "getppid", "gettid", "set_tid_address",
                                        "fork", "vfork", "clone", "clone3", "wait4"};
    const char *name = syscall_name((long)nr);
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (strcmp(name, names[i]) == 0)
            return true;
    return false;
}
