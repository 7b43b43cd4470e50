/*
 * syscall_args.c — argument counts and pid arguments of a syscall, parsed
 * from its table row's `args` text, and whether its result is a pid (its
 * `result` column); see syscall_args.h.
 */
#include "syscall_args.h"

#include <string.h>

#include "syscall_table.h"

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

struct syscall_args syscall_args_of(const struct syscall_desc *desc)
{
    struct syscall_args args = {.count = 6};
    if (desc)
        parse(desc->args_text, &args);
    return args;
}

bool syscall_returns_pid(const struct syscall_desc *desc)
{
    return desc && desc->result == RESULT_PID;
}
