/*
 * syscall_args.c — argument counts and pid arguments per syscall, parsed
 * from the syscall table's `args` text the first time a syscall is asked
 * about, and whether its result is a pid (its `result` column); see
 * syscall_args.h.
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

bool syscall_returns_pid(int64_t nr)
{
    const struct syscall_desc *desc = syscall_lookup((long)nr);
    return desc && desc->result == RESULT_PID;
}
