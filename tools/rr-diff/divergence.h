/*
 * divergence.h — what rr-diff reports: the differences found between two
 * events, and a divergence (a region where the two executions part) with its
 * context. The aligner fills these; the text and JSON reports print them.
 */
#ifndef RRDIFF_DIVERGENCE_H
#define RRDIFF_DIVERGENCE_H

#include <stdbool.h>
#include <stdint.h>

#include "task_match.h"
#include "trace_event.h"

enum difference_what {
    DIFF_KIND,        /* a: A's kind, b: B's */
    DIFF_SYSNO,
    DIFF_ARG,         /* index: argument number */
    DIFF_RESULT,
    DIFF_SIGNAL,      /* signal number (or, at exit, the killing signal) */
    DIFF_SIG_CODE,
    DIFF_SYNC,        /* raised by the program's own instruction, or delivered */
    DIFF_IP,          /* events without registers */
    DIFF_DATA_HASH,   /* hash of the bytes a write-like syscall handed the kernel */
    DIFF_WRITES,      /* memory written: a different number of pieces, address or length */
    DIFF_MEMORY,      /* memory written: same place, different bytes (window below) */
    DIFF_REGISTER,    /* index: register number (regs_name) */
    DIFF_EXTRA,       /* the event's extra blob: siginfo, exec register state (window below) */
    DIFF_MAPPING,     /* a mapping the event made; index: its number; detail says how */
    DIFF_ENDED,       /* the task has no more events on one side (a or b = 1 for the side that has) */
    DIFF_TASK,        /* the task exists on one side only */
    DIFF_SCHEDULE,    /* the same syscall, but on one side other tasks ran while it was in
                         the kernel (a: A's enter seq or 0, b: B's) */
};

enum { DIFF_WINDOW = 48 };

struct difference {
    enum difference_what what;
    int index;
    uint64_t a, b;
    /* DIFF_WRITES, DIFF_MEMORY, DIFF_EXTRA: the byte ranges and where they differ */
    uint64_t addr_a, addr_b;
    uint64_t len_a, len_b;
    uint64_t offset;          /* the first differing byte, from the range's start */
    uint64_t window_offset;   /* the window's first byte, from the range's start */
    unsigned char window_a[DIFF_WINDOW], window_b[DIFF_WINDOW];
    int window_len_a, window_len_b;
    /* DIFF_REGISTER, DIFF_ARG: the value pair is one an earlier input differed by */
    bool carried;
    int64_t carried_seq;
    const char *carried_what;
    char detail[340];         /* DIFF_MAPPING, DIFF_WRITES: a description */
};

struct difference_list {
    struct difference *items;
    int count, capacity;
    int omitted;              /* found beyond capacity */
};

enum region_end {
    REGION_OPEN,       /* not followed: only the first divergence was asked for */
    REGION_REJOINED,   /* both sides agree again from end_seq_a / end_seq_b */
    REGION_TASK_END,   /* the task ended on both sides within the region */
    REGION_NO_RESYNC,  /* the sides did not meet again: the rest of the task was skipped */
};

/* A later step of a region: another differing pair, or events skipped to
 * meet again after the sides parted. */
struct region_step {
    bool skip;                       /* true: skipped_a/skipped_b events passed over */
    int64_t skipped_a, skipped_b;
    struct trace_event skipped_first_a[3], skipped_first_b[3]; /* skip: the first of those */
    struct trace_event a, b;         /* !skip: the pair */
    struct difference first;         /* !skip: its first difference */
    int differences;                 /* !skip: how many it has */
};

enum { REGION_STEPS_MAX = 8, INPUT_CAUSES_MAX = 4 };

struct divergence {
    const struct task_pair *pair;
    bool has_a, has_b;               /* false: that side had no event here */
    struct trace_event event_a, event_b;
    struct difference_list diffs;
    struct trace_event *context_a, *context_b; /* matched events before it, oldest first */
    int context_count;
    enum region_end end;
    int64_t end_seq_a, end_seq_b;    /* REGION_REJOINED: where they agree again */
    int64_t events_a, events_b;      /* events in the region on each side */
    struct region_step steps[REGION_STEPS_MAX]; /* after the first pair, in order */
    int step_count, steps_omitted;
    /* inputs that differed before it in this task, nearest first (input_causes.h) */
    struct region_step causes[INPUT_CAUSES_MAX];
    int cause_count;
    int64_t causes_total;
};

/* Add a difference; returns the slot to fill, or NULL (counted as omitted). */
struct difference *difference_add(struct difference_list *list, enum difference_what what);
void difference_list_free(struct difference_list *list);
/* A copy of `from` (its own arrays) into `to`. 0 or -1. */
int divergence_copy(struct divergence *to, const struct divergence *from);
void divergence_free(struct divergence *divergence);

#endif
