/*
 * proc_status.h — signal facts about a task from /proc/PID/status.
 */
#ifndef RRDB_PROC_STATUS_H
#define RRDB_PROC_STATUS_H

#include <stdint.h>
#include <sys/types.h>

struct signal_masks {
    uint64_t blocked, ignored, caught; /* bit N-1 = signal N */
};

int proc_status_signal_masks(pid_t tid, struct signal_masks *masks);

#endif
