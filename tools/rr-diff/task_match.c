/*
 * task_match.c — matching A's tasks with B's (see task_match.h).
 *
 * Both lists are in creation order. Each task of A takes the first task of B
 * not yet taken whose command is compatible; the B tasks it passes over exist
 * in B only. Commands are compatible when equal, when either is unknown, or
 * when one is a command line whose program is the other (a recording's task
 * table holds the program, a replay stream's holds the command line).
 */
#include "task_match.h"

#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "event_source.h"

static bool commands_compatible(const char *x, const char *y)
{
    if (!x[0] || !y[0] || strcmp(x, y) == 0)
        return true;
    size_t lx = strcspn(x, " "), ly = strcspn(y, " ");
    return lx == ly && memcmp(x, y, lx) == 0;
}

static int add_pair(struct task_matching *m, const struct trace_task *a, const struct trace_task *b)
{
    /* count_a + count_b pairs at most: allocated up front */
    struct task_pair *pair = &m->pairs[m->pair_count++];
    pair->number = m->pair_count;
    pair->a = a;
    pair->b = b;
    if (!a || !b)
        return 0;
    m->ids[m->id_count][0] = (uint64_t)a->tid;
    m->ids[m->id_count++][1] = (uint64_t)b->tid;
    if (a->pid != a->tid || b->pid != b->tid) {
        m->ids[m->id_count][0] = (uint64_t)a->pid;
        m->ids[m->id_count++][1] = (uint64_t)b->pid;
    }
    /* The first task's parent is the recorder (or replayer): a getppid there
     * returns its pid, which differs as tids do. */
    if (pair->number == 1 && a->ppid && b->ppid) {
        m->ids[m->id_count][0] = (uint64_t)a->ppid;
        m->ids[m->id_count++][1] = (uint64_t)b->ppid;
    }
    return 0;
}

int task_match(struct event_source *a, struct event_source *b, struct task_matching *m)
{
    memset(m, 0, sizeof *m);
    if ((m->count_a = a->ops->tasks(a, &m->tasks_a)) < 0 ||
        (m->count_b = b->ops->tasks(b, &m->tasks_b)) < 0) {
        task_matching_free(m);
        return -1;
    }
    size_t most = (size_t)m->count_a + (size_t)m->count_b + 1;
    m->pairs = calloc(most, sizeof *m->pairs);
    m->ids = calloc(3 * most, sizeof *m->ids);
    if (!m->pairs || !m->ids) {
        task_matching_free(m);
        error_set("out of memory");
        return -1;
    }
    int next_b = 0;
    for (int i = 0; i < m->count_a; i++) {
        const struct trace_task *task = &m->tasks_a[i];
        int found = -1;
        for (int j = next_b; j < m->count_b && found < 0; j++)
            if (commands_compatible(task->command, m->tasks_b[j].command))
                found = j;
        if (found < 0) {
            add_pair(m, task, NULL);
            continue;
        }
        while (next_b < found)
            add_pair(m, NULL, &m->tasks_b[next_b++]);
        add_pair(m, task, &m->tasks_b[next_b++]);
    }
    while (next_b < m->count_b)
        add_pair(m, NULL, &m->tasks_b[next_b++]);
    return 0;
}

void task_matching_free(struct task_matching *m)
{
    free(m->tasks_a);
    free(m->tasks_b);
    free(m->pairs);
    free(m->ids);
    memset(m, 0, sizeof *m);
}

bool task_matching_same_id(const struct task_matching *m, uint64_t a, uint64_t b)
{
    if (a == b)
        return true;
    for (int i = 0; i < m->id_count; i++)
        if (m->ids[i][0] == a && m->ids[i][1] == b)
            return true;
    return false;
}
