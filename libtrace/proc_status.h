/*
 * proc_status.h — facts about a task from /proc: its signal masks and its
 * pids in nested pid namespaces (/proc/PID/status), its state and process group (/proc/PID/stat), and
 * what its file descriptors name (/proc/PID/fd).
 */
#ifndef RRDB_PROC_STATUS_H
#define RRDB_PROC_STATUS_H

#include <stdint.h>
#include <sys/types.h>

struct signal_masks {
    uint64_t blocked, ignored, caught; /* bit N-1 = signal N */
    uint64_t pending;                  /* the thread's and its process's (SigPnd | ShdPnd) */
};

int proc_status_signal_masks(pid_t tid, struct signal_masks *masks);

/* The process (thread group id) task `tid` belongs to, or -1 with an error. */
pid_t proc_status_tgid(pid_t tid);

/* A task's tid in each pid namespace it is in, from the reader's (ours)
 * down to its own (the NSpid line): ids[0] is the tid we know it by,
 * ids[count - 1] the one it sees itself as. */
enum { PROC_NSPID_MAX = 33 }; /* the kernel nests at most 32 pid namespaces */
struct proc_nspid {
    int count;
    pid_t ids[PROC_NSPID_MAX];
};
int proc_status_nspid(pid_t tid, struct proc_nspid *nspid);

struct proc_stat {
    char state;   /* R, S, D, t, T, Z, X … */
    pid_t ppid;
    pid_t pgrp;
};

/* Read /proc/TID/stat. Returns 0, 1 when the task is gone, or -1. */
int proc_stat_read(pid_t tid, struct proc_stat *stat);

/* What fd `fd` of task `tid` names (the /proc/TID/fd link: a path,
 * "pipe:[N]", "anon_inode:[perf_event]"…), NUL-terminated in path; "" when
 * it cannot be read. Returns the length. */
size_t proc_fd_target(pid_t tid, int fd, char *path, size_t size);

#endif
