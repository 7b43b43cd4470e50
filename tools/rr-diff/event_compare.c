/*
 * event_compare.c — one event of A against one event of B (see
 * event_compare.h).
 *
 * What the program did (kind, syscall, arguments, the bytes it handed the
 * kernel, its registers) is always compared. What the kernel or the CPU gave
 * it (a result, the bytes the kernel wrote, rdtsc/cpuid values) is compared
 * unless the event is on the --ignore list. Differing inputs are remembered
 * (carried_values.h) so that a register that merely carries one is explained,
 * or dropped when that input was ignored. Tids and pids are compared through
 * the task matching, never raw.
 *
 * Memory the kernel wrote is compared by the blob store's content hash
 * (hash = content_hash(bytes) is the blob store's invariant); bytes are read
 * only to show where two writes differ, so equal events cost no decompression.
 */
#include "event_compare.h"

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cpu_traps.h"
#include "exec_state.h"
#include "regs_codec.h"
#include "syscall_args.h"
#include "syscall_table.h"

_Static_assert(offsetof(struct exec_state, regs) == 0, "an exec state starts with its registers");

/* struct user_regs_struct order, as regs_name() numbers them. */
enum { REG_R10 = 7, REG_R9 = 8, REG_R8 = 9, REG_RAX = 10, REG_RDX = 12, REG_RSI = 13,
       REG_RDI = 14, REG_ORIG_RAX = 15 };
static const int arg_registers[6] = {REG_RDI, REG_RSI, REG_RDX, REG_R10, REG_R8, REG_R9};

/* Words of differing memory remembered as carried values, per write. */
enum { CARRIED_WORDS_MAX = 8 };

static bool same_id(const struct compare_context *context, uint64_t a, uint64_t b)
{
    return task_matching_same_id(context->tasks, a, b);
}

/* An argument or register pair that differs only by an ignored input. */
static bool ignored_value(const struct compare_context *context, uint64_t a, uint64_t b)
{
    const struct carried_value *carried = carried_values_find(&context->carried, a, b);
    return carried && carried->ignored;
}

static bool args_equivalent(const struct compare_context *context, const struct trace_event *a,
                            const struct trace_event *b, int i)
{
    if (a->args[i] == b->args[i])
        return true;
    if (syscall_args_of(event_source_syscall(context->a, a->sysno)).is_pid[i] && same_id(context, a->args[i], b->args[i]))
        return true;
    return ignored_value(context, a->args[i], b->args[i]);
}

bool event_same_step(const struct compare_context *context, const struct trace_event *a,
                     const struct trace_event *b)
{
    if (a->kind != b->kind)
        return false;
    switch (a->kind) {
    case EVENT_SYSCALL:
        if (a->sysno != b->sysno)
            return false;
        for (int i = 0; i < syscall_args_of(event_source_syscall(context->a, a->sysno)).count; i++)
            if (!args_equivalent(context, a, b, i))
                return false;
        return true;
    case EVENT_SIGNAL:
        return a->signo == b->signo;
    case EVENT_CPUID:
        return a->args[0] == b->args[0] && a->args[1] == b->args[1];
    case EVENT_RDTSC:
    case EVENT_EXEC:
    case EVENT_EXIT:
        return true;
    default:
        /* Kinds this file has no rule for (a landmark, a syscall entry whose
         * completion comes later): the same step when every column that
         * names what the program did agrees. */
        if (a->sysno != b->sysno)
            return false;
        for (int i = 0; i < 6; i++)
            if (a->args[i] != b->args[i] &&
                !(a->sysno >= 0 && i < syscall_args_of(event_source_syscall(context->a, a->sysno)).count &&
                  args_equivalent(context, a, b, i)))
                return false;
        return true;
    }
}

static void annotate(struct difference *diff, const struct carried_value *carried)
{
    if (!carried)
        return;
    diff->carried = true;
    diff->carried_seq = carried->seq_a;
    diff->carried_what = carried->what;
}

static void add_value(struct difference_list *out, enum difference_what what, int index,
                      uint64_t a, uint64_t b)
{
    struct difference *diff = difference_add(out, what);
    if (!diff)
        return;
    diff->index = index;
    diff->a = a;
    diff->b = b;
}

/* Fill diff's windows around the first differing byte of x and y. */
static void fill_windows(struct difference *diff, const unsigned char *x, size_t len_x,
                         const unsigned char *y, size_t len_y)
{
    size_t shorter = len_x < len_y ? len_x : len_y, offset = 0;
    while (offset < shorter && x[offset] == y[offset])
        offset++;
    diff->offset = offset;
    diff->len_a = len_x;
    diff->len_b = len_y;
    size_t start = offset & ~(size_t)15;
    start = start >= 16 ? start - 16 : 0;
    diff->window_offset = start;
    diff->window_len_a = start < len_x ? (int)(len_x - start < DIFF_WINDOW ? len_x - start : DIFF_WINDOW) : 0;
    diff->window_len_b = start < len_y ? (int)(len_y - start < DIFF_WINDOW ? len_y - start : DIFF_WINDOW) : 0;
    memcpy(diff->window_a, x + start, (size_t)diff->window_len_a);
    memcpy(diff->window_b, y + start, (size_t)diff->window_len_b);
}

/* Remember the differing 8-byte words of two equally long byte ranges. */
static void carry_words(struct compare_context *context, const unsigned char *x,
                        const unsigned char *y, size_t len, int64_t seq, const char *what,
                        bool ignored)
{
    int kept = 0;
    for (size_t at = 0; at + 8 <= len && kept < CARRIED_WORDS_MAX; at += 8) {
        uint64_t wa, wb;
        memcpy(&wa, x + at, 8);
        memcpy(&wb, y + at, 8);
        if (wa == wb)
            continue;
        carried_values_add(&context->carried, wa, wb, seq, what, ignored);
        carried_values_add(&context->carried, wa & 0xffffffff, wb & 0xffffffff, seq, what, ignored);
        kept++;
    }
}

static int read_both(struct compare_context *context, int64_t blob_a, int64_t blob_b,
                     void **x, size_t *len_x, void **y, size_t *len_y)
{
    *x = *y = NULL;
    if (context->a->ops->read_blob(context->a, blob_a, x, len_x) < 0)
        return -1;
    if (context->b->ops->read_blob(context->b, blob_b, y, len_y) < 0) {
        free(*x);
        *x = NULL;
        return -1;
    }
    return 0;
}

static const char *event_what(const struct event_source *source, const struct trace_event *event,
                              char *buffer, size_t size)
{
    char number[32];
    if (event->kind == EVENT_SYSCALL)
        snprintf(buffer, size, "%s", event_source_syscall_name(source, event->sysno, number, sizeof number));
    else
        snprintf(buffer, size, "%s", event_kind_name(event->kind));
    return buffer;
}

/* Carried-value descriptions must outlive the event: keep them interned. */
static const char *intern_what(const struct compare_context *context, const struct trace_event *event,
                               const char *suffix)
{
    static char names[64][48];
    static int used;
    char name[32], text[48];
    snprintf(text, sizeof text, "%s %s", event_what(context->a, event, name, sizeof name), suffix);
    for (int i = 0; i < used; i++)
        if (strcmp(names[i], text) == 0)
            return names[i];
    if (used == 64)
        return suffix;
    snprintf(names[used], sizeof names[used], "%s", text);
    return names[used++];
}

static int compare_writes(struct compare_context *context, const struct source_event *a,
                          const struct source_event *b, bool ignored, struct difference_list *out)
{
    size_t common = a->write_count < b->write_count ? a->write_count : b->write_count;
    bool layout_differs = a->write_count != b->write_count;
    for (size_t i = 0; i < common; i++)
        if (a->writes[i].addr != b->writes[i].addr || a->writes[i].len != b->writes[i].len)
            layout_differs = true;
    if (layout_differs && !ignored) {
        struct difference *diff = difference_add(out, DIFF_WRITES);
        if (diff) {
            const struct task_write *wa = a->write_count ? &a->writes[0] : NULL;
            const struct task_write *wb = b->write_count ? &b->writes[0] : NULL;
            diff->a = a->write_count;
            diff->b = b->write_count;
            diff->addr_a = wa ? wa->addr : 0;
            diff->addr_b = wb ? wb->addr : 0;
            diff->len_a = wa ? wa->len : 0;
            diff->len_b = wb ? wb->len : 0;
        }
    }
    for (size_t i = 0; i < common; i++) {
        const struct task_write *wa = &a->writes[i], *wb = &b->writes[i];
        if (wa->addr != wb->addr || wa->len != wb->len || wa->hash == wb->hash)
            continue;
        void *x, *y;
        size_t len_x, len_y;
        if (read_both(context, wa->blob, wb->blob, &x, &len_x, &y, &len_y) < 0)
            return -1;
        if (len_x == len_y && memcmp(x, y, len_x) == 0) { /* same bytes, as the hashes should have said */
            free(x);
            free(y);
            continue;
        }
        carry_words(context, x, y, len_x < len_y ? len_x : len_y, a->event.seq,
                    intern_what(context, &a->event, "memory"), ignored);
        if (!ignored) {
            struct difference *diff = difference_add(out, DIFF_MEMORY);
            if (diff) {
                diff->index = (int)i;
                diff->addr_a = wa->addr;
                diff->addr_b = wb->addr;
                fill_windows(diff, x, len_x, y, len_y);
            }
        }
        free(x);
        free(y);
    }
    return 0;
}

/* The extra blob: a signal's siginfo, an exec's register and XSAVE state. */
static int compare_extra(struct compare_context *context, const struct trace_event *a,
                         const struct trace_event *b, struct difference_list *out)
{
    if (!a->extra_blob || !b->extra_blob)
        return 0; /* a replay stream keeps none */
    void *x, *y;
    size_t len_x, len_y;
    if (read_both(context, a->extra_blob, b->extra_blob, &x, &len_x, &y, &len_y) < 0)
        return -1;
    size_t regs_size = sizeof ((struct exec_state *)0)->regs;
    size_t skip = 0; /* bytes already compared register by register */
    if (a->kind == EVENT_EXEC && len_x >= regs_size && len_y >= regs_size) {
        /* the registers the program starts with come first (exec_state.h) */
        uint64_t wa[REGS_COUNT], wb[REGS_COUNT];
        memcpy(wa, x, sizeof wa);
        memcpy(wb, y, sizeof wb);
        for (size_t i = 0; i < REGS_COUNT; i++) {
            if (wa[i] == wb[i])
                continue;
            struct difference *diff = difference_add(out, DIFF_REGISTER);
            if (diff) {
                diff->index = (int)i;
                diff->a = wa[i];
                diff->b = wb[i];
                snprintf(diff->detail, sizeof diff->detail, "after exec");
            }
        }
        skip = regs_size;
    }
    if (len_x != len_y || memcmp((char *)x + skip, (char *)y + skip, len_x - skip) != 0) {
        struct difference *diff = difference_add(out, DIFF_EXTRA);
        if (diff) {
            fill_windows(diff, x, len_x, y, len_y);
            snprintf(diff->detail, sizeof diff->detail, "%s",
                     a->kind == EVENT_EXEC ? "the state after exec (signal masks, XSAVE area)"
                                           : "the siginfo");
        }
    }
    free(x);
    free(y);
    return 0;
}

static bool makes_mappings(const struct event_source *source, const struct trace_event *event)
{
    if (event->kind == EVENT_EXEC)
        return true;
    if (event->kind != EVENT_SYSCALL)
        return false;
    const struct syscall_desc *desc = event_source_syscall(source, event->sysno);
    return desc && (desc->replay == REPLAY_MMAP || desc->replay == REPLAY_MREMAP ||
                    desc->replay == REPLAY_BRK);
}

static void mapping_text(const struct trace_mapping *m, char *text, size_t size)
{
    snprintf(text, size, "%.70s 0x%llx-0x%llx %c%c%c +0x%llx", m->path[0] ? m->path : "[anon]",
             (unsigned long long)m->start, (unsigned long long)m->end, m->prot & 1 ? 'r' : '-',
             m->prot & 2 ? 'w' : '-', m->prot & 4 ? 'x' : '-', (unsigned long long)m->offset);
}

/* Contents of file mappings only: the stack holds the 16 AT_RANDOM bytes the
 * kernel draws at every exec, and anonymous memory is the program's own. */
static int compare_mapping_contents(struct compare_context *context, int index,
                                    const struct trace_mapping *ma, const struct trace_mapping *mb,
                                    struct difference_list *out)
{
    if (ma->path[0] != '/' || (!ma->blob && !mb->blob))
        return 0;
    void *x = NULL, *y = NULL;
    size_t len_x = 0, len_y = 0;
    if (ma->blob && context->a->ops->read_blob(context->a, ma->blob, &x, &len_x) < 0)
        return -1;
    if (mb->blob && context->b->ops->read_blob(context->b, mb->blob, &y, &len_y) < 0) {
        free(x);
        return -1;
    }
    if (len_x != len_y || (len_x && memcmp(x, y, len_x) != 0)) {
        struct difference *diff = difference_add(out, DIFF_MAPPING);
        if (diff) {
            diff->index = index;
            static const unsigned char none[1];
            fill_windows(diff, x ? x : none, len_x, y ? y : none, len_y);
            diff->addr_a = ma->start;
            diff->addr_b = mb->start;
            snprintf(diff->detail, sizeof diff->detail, "the contents of %.200s differ", ma->path);
        }
    }
    free(x);
    free(y);
    return 0;
}

static int compare_mapping_lists(struct compare_context *context, const struct trace_event *a,
                                 const struct trace_event *b, struct difference_list *out)
{
    struct trace_mapping *ma = NULL, *mb = NULL;
    int na = context->a->ops->mappings(context->a, a->seq, &ma);
    if (na < 0)
        return -1;
    int nb = context->b->ops->mappings(context->b, b->seq, &mb);
    if (nb < 0) {
        free(ma);
        return -1;
    }
    int rc = 0;
    if (na > 0 && nb > 0) { /* a source that keeps no mappings has nothing to compare */
        int common = na < nb ? na : nb;
        for (int i = 0; i < common && rc == 0; i++) {
            const struct trace_mapping *x = &ma[i], *y = &mb[i];
            if (x->start != y->start || x->end != y->end || x->prot != y->prot ||
                x->flags != y->flags || x->offset != y->offset || strcmp(x->path, y->path) != 0) {
                struct difference *diff = difference_add(out, DIFF_MAPPING);
                if (diff) {
                    char text_a[150], text_b[150];
                    mapping_text(x, text_a, sizeof text_a);
                    mapping_text(y, text_b, sizeof text_b);
                    diff->index = i;
                    snprintf(diff->detail, sizeof diff->detail, "mapping %d: A %s, B %s", i + 1, text_a,
                             text_b);
                }
                continue;
            }
            rc = compare_mapping_contents(context, i, x, y, out);
        }
        if (na != nb) {
            struct difference *diff = difference_add(out, DIFF_MAPPING);
            if (diff) {
                diff->index = common;
                snprintf(diff->detail, sizeof diff->detail, "A made %d mappings, B %d", na, nb);
            }
        }
    }
    free(ma);
    free(mb);
    return rc;
}

static void compare_registers(struct compare_context *context, const struct trace_event *a,
                              const struct trace_event *b, bool ignored, const bool *arg_reported,
                              struct difference_list *out)
{
    if (memcmp(&a->regs, &b->regs, sizeof a->regs) == 0)
        return;
    uint64_t words_a[REGS_COUNT], words_b[REGS_COUNT];
    memcpy(words_a, &a->regs, sizeof words_a);
    memcpy(words_b, &b->regs, sizeof words_b);
    for (size_t i = 0; i < REGS_COUNT; i++) {
        uint64_t ra = words_a[i], rb = words_b[i];
        if (ra == rb || same_id(context, ra, rb))
            continue;
        if (a->sysno >= 0) {
            bool explained = i == REG_ORIG_RAX; /* the syscall number, compared as such */
            for (int k = 0; k < 6; k++)
                if ((int)i == arg_registers[k] && arg_reported[k])
                    explained = true;
            if (explained)
                continue;
        }
        const struct carried_value *carried = carried_values_find(&context->carried, ra, rb);
        if (carried && carried->ignored)
            continue;
        if (ignored) {
            carried_values_add(&context->carried, ra, rb, a->seq,
                               intern_what(context, a, "register"), true);
            continue;
        }
        struct difference *diff = difference_add(out, DIFF_REGISTER);
        if (!diff)
            return;
        diff->index = (int)i;
        diff->a = ra;
        diff->b = rb;
        annotate(diff, carried);
    }
}

static void compare_syscall(struct compare_context *context, const struct source_event *a,
                            const struct source_event *b, bool ignored, bool *arg_reported,
                            struct difference_list *out)
{
    const struct trace_event *ea = &a->event, *eb = &b->event;
    const struct syscall_desc *desc = event_source_syscall(context->a, ea->sysno);
    struct syscall_args args = syscall_args_of(desc);
    for (int i = 0; i < args.count; i++) {
        if (args_equivalent(context, ea, eb, i))
            continue;
        arg_reported[i] = true;
        struct difference *diff = difference_add(out, DIFF_ARG);
        if (!diff)
            continue;
        diff->index = i;
        diff->a = ea->args[i];
        diff->b = eb->args[i];
        annotate(diff, carried_values_find(&context->carried, ea->args[i], eb->args[i]));
    }
    if (ea->result != eb->result &&
        !(syscall_returns_pid(desc) && same_id(context, (uint64_t)ea->result, (uint64_t)eb->result))) {
        carried_values_add(&context->carried, (uint64_t)ea->result, (uint64_t)eb->result, ea->seq,
                           intern_what(context, ea, "result"), ignored);
        if (!ignored)
            add_value(out, DIFF_RESULT, 0, (uint64_t)ea->result, (uint64_t)eb->result);
    }
    if (ea->has_data_hash && eb->has_data_hash && ea->data_hash != eb->data_hash)
        add_value(out, DIFF_DATA_HASH, 0, ea->data_hash, eb->data_hash);
}

int event_compare(struct compare_context *context, const struct source_event *a,
                  const struct source_event *b, struct difference_list *out)
{
    const struct trace_event *ea = &a->event, *eb = &b->event;
    int before = out->count + out->omitted;
    if (ea->kind != eb->kind) {
        add_value(out, DIFF_KIND, 0, ea->kind, eb->kind);
        return out->count + out->omitted - before;
    }
    if (ea->kind == EVENT_SYSCALL && ea->sysno != eb->sysno) {
        add_value(out, DIFF_SYSNO, 0, (uint64_t)ea->sysno, (uint64_t)eb->sysno);
        return out->count + out->omitted - before;
    }
    bool ignored = ignore_list_has(context->ignore, ea);
    bool arg_reported[6] = {false};
    if ((a->entered_seq > 0) != (b->entered_seq > 0) && !ignore_list_scheduling(context->ignore))
        add_value(out, DIFF_SCHEDULE, 0, (uint64_t)a->entered_seq, (uint64_t)b->entered_seq);
    switch (ea->kind) {
    case EVENT_SYSCALL:
        compare_syscall(context, a, b, ignored, arg_reported, out);
        break;
    case EVENT_SIGNAL:
        if (ea->signo != eb->signo)
            add_value(out, DIFF_SIGNAL, 0, (uint64_t)ea->signo, (uint64_t)eb->signo);
        if (ea->sig_code != eb->sig_code)
            add_value(out, DIFF_SIG_CODE, 0, (uint64_t)(int64_t)ea->sig_code,
                      (uint64_t)(int64_t)eb->sig_code);
        if (ea->sync != eb->sync)
            add_value(out, DIFF_SYNC, 0, (uint64_t)ea->sync, (uint64_t)eb->sync);
        break;
    case EVENT_RDTSC:
    case EVENT_CPUID: {
        const char *what = intern_what(context, ea, "result");
        int first = ea->kind == EVENT_CPUID ? 2 : 0; /* cpuid: leaf and subleaf are its "arguments" */
        for (int i = 0; i < first; i++)
            if (ea->args[i] != eb->args[i])
                add_value(out, DIFF_ARG, i, ea->args[i], eb->args[i]);
        for (int i = first; i < (ea->kind == EVENT_CPUID ? 6 : 1); i++) {
            if (ea->args[i] == eb->args[i])
                continue;
            /* The CPU a run was placed on is not where two runs part: such a
             * value is carried as an ignored one. */
            bool placement = ea->kind == EVENT_CPUID && ea->args[0] == eb->args[0] &&
                             ((ea->args[i] ^ eb->args[i]) &
                              ~(uint64_t)cpu_traps_cpuid_placement_bits((uint32_t)ea->args[0], i - 2)) == 0;
            carried_values_add(&context->carried, ea->args[i], eb->args[i], ea->seq, what, ignored || placement);
            if (!ignored && !placement)
                add_value(out, DIFF_ARG, i, ea->args[i], eb->args[i]);
        }
        if (ea->result != eb->result) {
            uint64_t ra = (uint64_t)ea->result, rb = (uint64_t)eb->result;
            /* rdtsc hands its value over in edx:eax: the halves travel alone */
            carried_values_add(&context->carried, ra, rb, ea->seq, what, ignored);
            carried_values_add(&context->carried, ra & 0xffffffff, rb & 0xffffffff, ea->seq, what, ignored);
            carried_values_add(&context->carried, ra >> 32, rb >> 32, ea->seq, what, ignored);
            if (!ignored)
                add_value(out, DIFF_RESULT, 0, ra, rb);
        }
        break;
    }
    case EVENT_EXIT:
        if (ea->result != eb->result)
            add_value(out, DIFF_RESULT, 0, (uint64_t)ea->result, (uint64_t)eb->result);
        if (ea->signo != eb->signo)
            add_value(out, DIFF_SIGNAL, 0, (uint64_t)ea->signo, (uint64_t)eb->signo);
        break;
    case EVENT_EXEC:
        break;
    default:
        /* No rule for this kind: every column it stores must agree. */
        if (ea->sysno != eb->sysno) {
            add_value(out, DIFF_SYSNO, 0, (uint64_t)ea->sysno, (uint64_t)eb->sysno);
            break;
        }
        for (int i = 0; i < 6; i++) {
            if (ea->args[i] == eb->args[i] ||
                (ea->sysno >= 0 && i < syscall_args_of(event_source_syscall(context->a, ea->sysno)).count &&
                 args_equivalent(context, ea, eb, i)))
                continue;
            arg_reported[i] = true;
            add_value(out, DIFF_ARG, i, ea->args[i], eb->args[i]);
        }
        if (ea->result != eb->result && !ignored && !a->result_unknown && !b->result_unknown)
            add_value(out, DIFF_RESULT, 0, (uint64_t)ea->result, (uint64_t)eb->result);
        if (ea->signo != eb->signo)
            add_value(out, DIFF_SIGNAL, 0, (uint64_t)ea->signo, (uint64_t)eb->signo);
        break;
    }
    /* The memory writes of an event that maps code are the rdtsc sites the
     * recorder made trap (tools/rr-record/tsc_patching.c): they follow from
     * the code mapped, which the mappings' comparison covers, and a replay
     * inside a recording writes them as part of the address space it
     * rebuilds. Other events' writes are compared. */
    if (!makes_mappings(context->a, ea) && compare_writes(context, a, b, ignored, out) < 0)
        return -1;
    if (!ignored && ea->kind != EVENT_SYSCALL && compare_extra(context, ea, eb, out) < 0)
        return -1;
    if (!ignored && makes_mappings(context->a, ea) && compare_mapping_lists(context, ea, eb, out) < 0)
        return -1;
    if (ea->has_regs && eb->has_regs)
        compare_registers(context, ea, eb, ignored, arg_reported, out);
    else if (ea->ip && eb->ip && ea->ip != eb->ip)
        add_value(out, DIFF_IP, 0, ea->ip, eb->ip);
    return out->count + out->omitted - before;
}
