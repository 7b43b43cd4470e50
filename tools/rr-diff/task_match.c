/*
 * task_match.c — matching A's tasks with B's (see task_match.h).
 *
 * Both lists are in creation order. First, anchors: each task of A takes the
 * first task of B not yet taken whose command is compatible. Then, between
 * two anchors, the tasks left over on each side are paired in creation order
 * all the same (their comparison shows how they differ); what is left after
 * that exists on one side only.
 *
 * Commands are compatible when equal, when either is unknown, or when their
 * programs (first words) have the same file name: a recording's task table
 * holds the program as it was run (./prog or /path/to/prog), a replay
 * stream's the command line, a forked child's "child of PID".
 */
#include "task_match.h"

#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "event_source.h"

/* The file name of a command's first word: "/usr/bin/ls -l" -> "ls" (length in *len). */
static const char *program_name(const char *command, size_t *len)
{
    size_t word = strcspn(command, " ");
    const char *name = command;
    for (size_t i = 0; i < word; i++)
        if (command[i] == '/')
            name = command + i + 1;
    *len = (size_t)(command + word - name);
    return name;
}

static bool commands_compatible(const char *x, const char *y)
{
    if (!x[0] || !y[0] || strcmp(x, y) == 0)
        return true;
    size_t lx, ly;
    const char *nx = program_name(x, &lx), *ny = program_name(y, &ly);
    return lx == ly && memcmp(nx, ny, lx) == 0;
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
    /* anchor[i]: the B task A's task i is matched with by command, or -1 */
    int *anchor = malloc(((size_t)m->count_a + 1) * sizeof *anchor);
    if (!anchor) {
        task_matching_free(m);
        error_set("out of memory");
        return -1;
    }
    int next_b = 0;
    for (int i = 0; i < m->count_a; i++) {
        anchor[i] = -1;
        for (int j = next_b; j < m->count_b && anchor[i] < 0; j++)
            if (commands_compatible(m->tasks_a[i].command, m->tasks_b[j].command))
                anchor[i] = j;
        if (anchor[i] >= 0)
            next_b = anchor[i] + 1;
    }
    /* Walk the anchors; pair the leftovers between two of them in order. */
    int ia = 0, ib = 0;
    while (ia < m->count_a || ib < m->count_b) {
        int next_anchor = ia;
        while (next_anchor < m->count_a && anchor[next_anchor] < 0)
            next_anchor++;
        int b_stop = next_anchor < m->count_a ? anchor[next_anchor] : m->count_b;
        while (ia < next_anchor && ib < b_stop)
            add_pair(m, &m->tasks_a[ia++], &m->tasks_b[ib++]);
        while (ia < next_anchor)
            add_pair(m, &m->tasks_a[ia++], NULL);
        while (ib < b_stop)
            add_pair(m, NULL, &m->tasks_b[ib++]);
        if (next_anchor < m->count_a)
            add_pair(m, &m->tasks_a[ia++], &m->tasks_b[ib++]);
    }
    free(anchor);
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
