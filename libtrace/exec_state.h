/*
 * exec_state.h — the registers and extended (XSAVE) state of a task right
 * after an exec, stored as the blob of an exec event: the recorder writes it,
 * the replayer loads it into the rebuilt process.
 */
#ifndef RRDB_EXEC_STATE_H
#define RRDB_EXEC_STATE_H

#include <sys/user.h>

#define EXEC_STATE_XSTATE_MAX 8192

struct exec_state {
    struct user_regs_struct regs;
    unsigned long long signals_blocked; /* survive execve; bit N-1 = signal N */
    unsigned long long signals_ignored;
    unsigned char xstate[]; /* the rest of the blob */
};

#endif
