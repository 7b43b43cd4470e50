/*
 * ignore_list.h — the events whose values `--ignore` declares expected to
 * differ: event kinds (rdtsc, cpuid, signal…) and syscalls by name. Such an
 * event must still be there, with the same kind, syscall and arguments; what
 * it returned (result, bytes the kernel wrote, rdtsc/cpuid values, registers
 * at it) is not compared. `scheduling` (or `enter`) ignores where other tasks
 * ran while a syscall was in the kernel. Groups name several: `time` (rdtsc
 * and the clock calls), `random` (getrandom), `pids` (getpid and kin).
 */
#ifndef RRDIFF_IGNORE_LIST_H
#define RRDIFF_IGNORE_LIST_H

#include <stdbool.h>
#include <stdint.h>

#include "trace_event.h"

enum { IGNORE_SYSCALLS_MAX = 1024, IGNORE_KINDS_MAX = 16 };

struct ignore_list {
    bool kinds[IGNORE_KINDS_MAX];
    bool syscalls[IGNORE_SYSCALLS_MAX];
    bool any;
};

/* Add the comma-separated names in `text`. 0, or -1 with error_text() naming
 * an unknown name. */
int ignore_list_parse(struct ignore_list *list, const char *text);
bool ignore_list_has(const struct ignore_list *list, const struct trace_event *event);
/* Whether `--ignore scheduling` (or `enter`) was given: a syscall that let
 * other tasks run on one side only is not a difference. */
bool ignore_list_scheduling(const struct ignore_list *list);

#endif
