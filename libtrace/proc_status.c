/*
 * proc_status.c — reading SigPnd/ShdPnd/SigBlk/SigIgn/SigCgt, Tgid and NSpid from
 * /proc/PID/status, and the state and process group from /proc/PID/stat.
 */
#include "proc_status.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "error.h"

/* /proc/TID/status opened (its path in `path`), or NULL with an error set. */
static FILE *open_status(pid_t tid, char path[64])
{
    snprintf(path, 64, "/proc/%d/status", tid);
    FILE *file = fopen(path, "re");
    if (!file)
        error_set_errno("cannot read %s", path);
    return file;
}

int proc_status_signal_masks(pid_t tid, struct signal_masks *masks)
{
    char path[64], line[256];
    FILE *file = open_status(tid, path);
    if (!file)
        return -1;
    int found = 0;
    uint64_t pending;
    masks->pending = 0;
    while (fgets(line, sizeof line, file)) {
        if (sscanf(line, "SigPnd: %" SCNx64, &pending) == 1 || sscanf(line, "ShdPnd: %" SCNx64, &pending) == 1)
            masks->pending |= pending;
        found += sscanf(line, "SigBlk: %" SCNx64, &masks->blocked) == 1;
        found += sscanf(line, "SigIgn: %" SCNx64, &masks->ignored) == 1;
        found += sscanf(line, "SigCgt: %" SCNx64, &masks->caught) == 1;
    }
    fclose(file);
    if (found != 3) {
        error_set("%s lacks the signal masks", path);
        return -1;
    }
    return 0;
}

pid_t proc_status_tgid(pid_t tid)
{
    char path[64], line[256];
    FILE *file = open_status(tid, path);
    if (!file)
        return -1;
    long tgid = -1;
    while (tgid < 0 && fgets(line, sizeof line, file))
        if (sscanf(line, "Tgid: %ld", &tgid) != 1)
            tgid = -1;
    fclose(file);
    if (tgid <= 0) {
        error_set("%s lacks the Tgid line", path);
        return -1;
    }
    return (pid_t)tgid;
}

int proc_status_nspid(pid_t tid, struct proc_nspid *nspid)
{
    char path[64], line[512];
    FILE *file = open_status(tid, path);
    if (!file)
        return -1;
    nspid->count = 0;
    while (fgets(line, sizeof line, file) && nspid->count == 0) {
        if (strncmp(line, "NSpid:", 6) != 0)
            continue;
        char *at = line + 6, *end;
        for (long id; nspid->count < PROC_NSPID_MAX && (id = strtol(at, &end, 10), end != at); at = end)
            nspid->ids[nspid->count++] = (pid_t)id;
    }
    fclose(file);
    if (nspid->count == 0) {
        error_set("%s lacks the NSpid line", path);
        return -1;
    }
    return 0;
}

int proc_stat_read(pid_t tid, struct proc_stat *stat)
{
    char path[64], text[512];
    snprintf(path, sizeof path, "/proc/%d/stat", tid);
    FILE *file = fopen(path, "re");
    if (!file)
        return 1;
    size_t n = fread(text, 1, sizeof text - 1, file);
    fclose(file);
    if (n == 0)
        return 1; /* it died between the open and the read */
    text[n] = 0;
    /* The command name may hold spaces and parentheses: the fields start
     * after the last ')'. */
    const char *after_name = strrchr(text, ')');
    int ppid = 0, pgrp = 0;
    if (!after_name || sscanf(after_name + 1, " %c %d %d", &stat->state, &ppid, &pgrp) != 3) {
        error_set("cannot parse %s", path);
        return -1;
    }
    stat->ppid = ppid;
    stat->pgrp = pgrp;
    return 0;
}

size_t proc_fd_target(pid_t tid, int fd, char *path, size_t size)
{
    char link[64];
    snprintf(link, sizeof link, "/proc/%d/fd/%d", tid, fd);
    ssize_t n = readlink(link, path, size - 1);
    path[n > 0 ? n : 0] = 0;
    return n > 0 ? (size_t)n : 0;
}
