/*
 * replay_tasks.c — the replayer's task table: one live task for each
 * recorded tid, in creation order (a recorded tid may be reused: a lookup
 * finds the latest), and the state tasks share — the address space
 * (replay_process: CLONE_VM) and the descriptor table (replay_files:
 * CLONE_FILES), each counted by its users.
 */
#include "replayer.h"

#include <assert.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "array_grow.h"
#include "error.h"

void replay_tasks_note_death(struct replay_task *rt, const struct task_stop *stop)
{
    assert(stop->kind == STOP_EXITED || stop->kind == STOP_KILLED);
    rt->end = stop->kind == STOP_EXITED ? TASK_END_EXITED : TASK_END_KILLED;
    rt->end_value = stop->kind == STOP_EXITED ? stop->status : stop->signo;
}

struct replay_task *replay_tasks_find(struct replayer *rep, int32_t recorded_tid)
{
    for (int i = rep->task_count - 1; i >= 0; i--)
        if (rep->tasks[i]->recorded_tid == recorded_tid)
            return rep->tasks[i];
    return NULL;
}

/* A state shared between tasks (struct replay_process or replay_files, both
 * beginning with their user count): `share` itself with one more user, or a
 * copy of `copy` (a fork), or a fresh one. */
void *replay_shared_state(void *share, const void *copy, size_t size)
{
    if (share) {
        (*(int *)share)++;
        return share;
    }
    void *state = calloc(1, size);
    if (!state) {
        error_set("out of memory");
        return NULL;
    }
    if (copy)
        memcpy(state, copy, size);
    *(int *)state = 1;
    return state;
}

/* The first task's descriptors: stdout and stderr are the recording's. */
struct replay_files *replay_tasks_initial_files(void)
{
    struct replay_files *files = replay_shared_state(NULL, NULL, sizeof *files);
    if (files)
        output_fds_init(&files->outputs);
    return files;
}

void replay_shared_state_release(void *state)
{
    assert(!state || *(int *)state > 0); /* each user releases it once */
    if (state && --*(int *)state == 0)
        free(state);
}

/* A replay task standing for `recorded_tid`, driven through live task `tid`. */
struct replay_task *replay_tasks_add(struct replayer *rep, int32_t recorded_tid, pid_t tid,
                                           struct replay_process *process, struct replay_files *files)
{
    struct replay_task **grown = array_grow(rep->tasks, &rep->task_capacity, rep->task_count + 1, sizeof *grown, 8);
    if (!grown)
        return NULL;
    rep->tasks = grown;
    struct replay_task *rt = calloc(1, sizeof *rt);
    if (!rt) {
        error_set("out of memory");
        return NULL;
    }
    rt->recorded_tid = recorded_tid;
    rt->group = recorded_tid;
    rt->task.tid = tid;
    rt->task.mem_fd = -1;
    rt->process = process;
    rt->files = files;
    if (!process || !files || task_attach_fd(&rt->task, tid) < 0) {
        free(rt);
        return NULL;
    }
    rep->tasks[rep->task_count++] = rt;
    return rt;
}

void replayer_free(struct replayer *rep)
{
    for (int i = 0; i < rep->task_count; i++) {
        struct replay_task *rt = rep->tasks[i];
        if (replay_task_alive(rt))
            kill(rt->task.tid, SIGKILL);
        task_detach_fd(&rt->task);
        replay_shared_state_release(rt->process);
        replay_shared_state_release(rt->files);
        free(rt);
    }
    free(rep->tasks);
    rep->tasks = NULL;
    free(rep->recorded_tasks);
    rep->recorded_tasks = NULL;
    rep->task_count = 0;
}
