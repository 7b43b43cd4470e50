/*
 * task_match.h — which task of A is which task of B. Tids differ from one run
 * to the next, so tasks are matched by creation order and command instead,
 * and the matching doubles as a map under which a tid (or pid) of A and the
 * tid of its matched task in B count as the same value.
 */
#ifndef RRDIFF_TASK_MATCH_H
#define RRDIFF_TASK_MATCH_H

#include <stdbool.h>
#include <stdint.h>

#include "task_stream.h"

struct event_source;

struct task_pair {
    int number;                   /* 1, 2, … in creation order */
    const struct trace_task *a;   /* NULL: the task exists in B only */
    const struct trace_task *b;   /* NULL: in A only */
};

struct task_matching {
    struct trace_task *tasks_a, *tasks_b;
    int count_a, count_b;
    struct task_pair *pairs;
    int pair_count;
    uint64_t (*ids)[2];           /* (A value, B value): tids, pids, the first task's ppid */
    int id_count;
};

/* Read both sources' tasks and match them. 0, or -1 with error_text(). */
int task_match(struct event_source *a, struct event_source *b, struct task_matching *matching);
void task_matching_free(struct task_matching *matching);
/* Whether A's value `a` and B's value `b` name the same task or process. */
bool task_matching_same_id(const struct task_matching *matching, uint64_t a, uint64_t b);

#endif
