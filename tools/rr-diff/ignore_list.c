/*
 * ignore_list.c — parsing and asking `--ignore` lists (see ignore_list.h).
 */
#include "ignore_list.h"

#include <stdio.h>
#include <string.h>

#include "error.h"
#include "syscall_table.h"

/* The groups `--ignore` knows: the values two runs of one program are
 * expected to see differently, by the names of the event kinds and syscalls
 * that hand them over. */
static const struct {
    const char *group;
    const char *members;
} groups[] = {
    {"time", "rdtsc,clock_gettime,clock_getres,gettimeofday,time,times,getrusage,sysinfo,nanosleep,"
             "clock_nanosleep,getitimer,timer_gettime,timerfd_gettime"},
    {"random", "getrandom"},
    {"pids", "getpid,getppid,gettid,getpgid,getpgrp,getsid,set_tid_address"},
};

static int parse_names(struct ignore_list *list, const char *text, bool groups_too);

/* One name; a group's members are names, never groups (the syscall `time`
 * is a member of the group `time`). */
static int add_name(struct ignore_list *list, const char *name, bool groups_too)
{
    for (size_t g = 0; groups_too && g < sizeof groups / sizeof groups[0]; g++)
        if (strcmp(name, groups[g].group) == 0)
            return parse_names(list, groups[g].members, false);
    if (strcmp(name, "scheduling") == 0)
        name = event_kind_name(EVENT_ENTER);
    for (int kind = 1; kind < IGNORE_KINDS_MAX; kind++) { /* kinds are named by event_kind_name */
        if (strcmp(name, event_kind_name((enum event_kind)kind)) == 0) {
            list->kinds[kind] = true;
            list->any = true;
            return 0;
        }
    }
    long nr = syscall_number(name);
    if (nr < 0 || nr >= IGNORE_SYSCALLS_MAX) {
        error_set("--ignore: %s is neither an event kind (rdtsc, cpuid, signal, syscall…),"
                  " a group (time, random, pids), scheduling, nor a syscall name", name);
        return -1;
    }
    list->syscalls[nr] = true;
    list->any = true;
    return 0;
}

static int parse_names(struct ignore_list *list, const char *text, bool groups_too)
{
    char name[64];
    while (*text) {
        size_t len = strcspn(text, ",");
        if (len == 0 || len >= sizeof name) {
            error_set("--ignore: bad list \"%s\"", text);
            return -1;
        }
        memcpy(name, text, len);
        name[len] = '\0';
        if (add_name(list, name, groups_too) < 0)
            return -1;
        text += len + (text[len] == ',');
    }
    return 0;
}

int ignore_list_parse(struct ignore_list *list, const char *text)
{
    return parse_names(list, text, true);
}

bool ignore_list_has(const struct ignore_list *list, const struct trace_event *event)
{
    if (!list->any)
        return false;
    if ((int)event->kind > 0 && (int)event->kind < IGNORE_KINDS_MAX && list->kinds[event->kind])
        return true;
    return event->kind == EVENT_SYSCALL && event->sysno >= 0 && event->sysno < IGNORE_SYSCALLS_MAX &&
           list->syscalls[event->sysno];
}

bool ignore_list_scheduling(const struct ignore_list *list)
{
    return list->kinds[EVENT_ENTER];
}
