/*
 * syscall_effects.c — parses the `effects` column of the syscall table (see
 * syscall_table.h, grammar in schema/README.md): `;`-separated items
 * NAME or NAME(ARG,…), each ARG `aN` or, for sigmask, `*aN`.
 *
 * The code that acts on an effect asks the parsed struct, never a syscall
 * number: a syscall with a known effect is one table row.
 */
#include "syscall_table.h"

#include <string.h>

enum { MAX_EFFECT_ARGS = 3 };

struct effect_args {
    int count;
    int index[MAX_EFFECT_ARGS];
    bool indirect[MAX_EFFECT_ARGS];
};

/* "(aN,*aM,…)" at s; returns the characters consumed, or -1. */
static int parse_args(const char *s, struct effect_args *args)
{
    const char *p = s;
    args->count = 0;
    if (*p != '(')
        return 0;
    p++;
    for (;;) {
        if (args->count == MAX_EFFECT_ARGS)
            return -1;
        bool indirect = *p == '*';
        p += indirect;
        if (p[0] != 'a' || p[1] < '0' || p[1] > '5')
            return -1;
        args->indirect[args->count] = indirect;
        args->index[args->count++] = p[1] - '0';
        p += 2;
        if (*p == ')')
            return (int)(p + 1 - s);
        if (*p != ',')
            return -1;
        p++;
    }
}

static bool any_indirect(const struct effect_args *args, int from)
{
    for (int i = from; i < args->count; i++)
        if (args->indirect[i])
            return true;
    return false;
}

/* Apply one parsed item; -1 for an unknown name or wrong arguments. */
static int apply_item(const char *name, size_t len, const struct effect_args *args,
                      struct syscall_effects *effects)
{
    static const struct {
        const char *name;
        int arg_count;
        enum fd_effect fd;
    } fd_items[] = {
        {"fd_open", 0, FD_EFFECT_OPEN}, {"fd_close", 1, FD_EFFECT_CLOSE},
        {"fd_close_range", 2, FD_EFFECT_CLOSE_RANGE}, {"fd_dup", 1, FD_EFFECT_DUP},
        {"fd_fcntl", 0, FD_EFFECT_FCNTL},
    };
#define IS(word) (len == strlen(word) && strncmp(name, word, len) == 0)
    if (IS("sigmask")) {
        if (args->count != 1)
            return -1;
        effects->sigmask_arg = args->index[0];
        effects->sigmask_indirect = args->indirect[0];
        return 0;
    }
    if (any_indirect(args, 0))
        return -1;
    if (IS("sends") && args->count == 1) {
        effects->sends_arg = args->index[0];
        return 0;
    }
    if (IS("sends_iov") && args->count == 2) {
        effects->sends_arg = args->index[0];
        effects->sends_iov_count_arg = args->index[1];
        return 0;
    }
    if (IS("at_offset") && args->count == 1) {
        effects->offset_arg = args->index[0];
        return 0;
    }
    if (IS("passes") && args->count == 3) {
        effects->passes_from_arg = args->index[0];
        effects->passes_offset_ptr_arg = args->index[1];
        effects->passes_to_arg = args->index[2];
        return 0;
    }
    if (IS("moves_to") && args->count == 1) {
        effects->moves_to_arg = args->index[0];
        return 0;
    }
    if (IS("changes_shared") && args->count == 0) {
        effects->changes_shared = true;
        return 0;
    }
    if (IS("signals") && args->count == 2) {
        effects->signal_target_arg = args->index[0];
        effects->signal_number_arg = args->index[1];
        return 0;
    }
    for (size_t i = 0; i < sizeof fd_items / sizeof fd_items[0]; i++)
        if (IS(fd_items[i].name) && args->count == fd_items[i].arg_count && effects->fd == FD_EFFECT_NONE) {
            effects->fd = fd_items[i].fd;
            for (int a = 0; a < args->count; a++)
                effects->fd_args[a] = args->index[a];
            return 0;
        }
#undef IS
    return -1;
}

int syscall_parse_effects(const char *text, struct syscall_effects *effects)
{
    *effects = (struct syscall_effects){
        .sends_arg = SYSCALL_NO_ARG, .sends_iov_count_arg = SYSCALL_NO_ARG,
        .offset_arg = SYSCALL_NO_ARG, .passes_from_arg = SYSCALL_NO_ARG,
        .passes_offset_ptr_arg = SYSCALL_NO_ARG, .passes_to_arg = SYSCALL_NO_ARG,
        .moves_to_arg = SYSCALL_NO_ARG,
        .fd = FD_EFFECT_NONE, .fd_args = {SYSCALL_NO_ARG, SYSCALL_NO_ARG},
        .sigmask_arg = SYSCALL_NO_ARG, .signal_target_arg = SYSCALL_NO_ARG,
        .signal_number_arg = SYSCALL_NO_ARG,
    };
    if (strcmp(text, "-") == 0)
        return 0;
    const char *p = text;
    for (;;) {
        size_t len = strspn(p, "abcdefghijklmnopqrstuvwxyz_");
        struct effect_args args;
        int used = len ? parse_args(p + len, &args) : -1;
        if (used < 0 || apply_item(p, len, &args, effects) < 0)
            return -1;
        p += len + (size_t)used;
        if (*p == 0)
            break;
        if (*p != ';')
            return -1;
        p++;
    }
    /* at_offset says where sent data goes: it needs sends. */
    return effects->offset_arg != SYSCALL_NO_ARG && effects->sends_arg == SYSCALL_NO_ARG ? -1 : 0;
}
