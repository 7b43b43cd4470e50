/*
 * timeline_output.c — the timeline as Chrome Trace Event JSON or a page (see
 * timeline_output.h). Rows are streamed: each becomes one trace event, with a
 * thread_name (and process_name) metadata event before a task's first one.
 */
#include "timeline_output.h"

#include <stdlib.h>
#include <string.h>

#include "error.h"

extern const char timeline_page[];

#define PAGE_MARK "/*TRACE_EVENTS*/"

enum { COL_SEQ, COL_TIME, COL_MS, COL_PID, COL_TID, COL_TASK, COL_KIND, COL_DETAIL, COL_COUNT };
static const char *const column_names[COL_COUNT] = {"seq", "time", "ms", "pid", "tid", "task", "kind", "detail"};

struct timeline_output {
    FILE *stream;
    bool html;
    int column[COL_COUNT];
    bool first;
    long long *named;       /* tids and pids (as -pid - 1) already named */
    size_t named_count, named_capacity;
};

struct timeline_output *timeline_output_begin(FILE *stream, bool html, int count, const char *const *names)
{
    struct timeline_output *timeline = calloc(1, sizeof *timeline);
    if (!timeline) {
        error_set("out of memory");
        return NULL;
    }
    *timeline = (struct timeline_output){.stream = stream, .html = html, .first = true};
    for (int c = 0; c < COL_COUNT; c++) {
        timeline->column[c] = -1;
        for (int i = 0; i < count; i++)
            if (strcmp(names[i], column_names[c]) == 0)
                timeline->column[c] = i;
        if (timeline->column[c] < 0) {
            free(timeline);
            error_set("format %s draws the timeline: rr-query --format %s TRACE timeline", html ? "html" : "chrome-trace",
                      html ? "html" : "chrome-trace");
            return NULL;
        }
    }
    if (html) {
        const char *mark = strstr(timeline_page, PAGE_MARK);
        fwrite(timeline_page, 1, mark ? (size_t)(mark - timeline_page) : strlen(timeline_page), stream);
    }
    fputs("{\"traceEvents\": [", stream);
    return timeline;
}

static long long cell_number(const struct cell *cell, long long otherwise)
{
    return cell->type == CELL_INT ? (long long)cell->number : otherwise;
}

static const char *cell_text(const struct cell *cell)
{
    return cell->type == CELL_TEXT && cell->text ? cell->text : "";
}

static void start_event(struct timeline_output *timeline)
{
    fputs(timeline->first ? "\n  " : ",\n  ", timeline->stream);
    timeline->first = false;
}

/* Whether `id` was named before; remembers it. */
static bool already_named(struct timeline_output *timeline, long long id)
{
    for (size_t i = 0; i < timeline->named_count; i++)
        if (timeline->named[i] == id)
            return true;
    if (timeline->named_count == timeline->named_capacity) {
        size_t capacity = timeline->named_capacity ? 2 * timeline->named_capacity : 64;
        long long *grown = realloc(timeline->named, capacity * sizeof *grown);
        if (!grown)
            return true; /* unnamed lanes are still drawn */
        timeline->named = grown;
        timeline->named_capacity = capacity;
    }
    timeline->named[timeline->named_count++] = id;
    return false;
}

static void name_lane(struct timeline_output *timeline, const char *what, long long pid, long long tid,
                      const char *task)
{
    char name[600];
    snprintf(name, sizeof name, "%lld %s", strcmp(what, "thread_name") == 0 ? tid : pid, task);
    start_event(timeline);
    fprintf(timeline->stream, "{\"ph\": \"M\", \"name\": \"%s\", \"pid\": %lld, \"tid\": %lld, \"args\": {\"name\": ",
            what, pid, tid);
    output_json_string(timeline->stream, name, timeline->html);
    fputs("}}", timeline->stream);
}

/* The event's name: a syscall's own ("openat" of "openat(…) = 3"), else its kind;
 * its category: the kind, or "fork" for a syscall that made a task. */
static void event_name(const char *kind, const char *detail, char *name, size_t size, const char **category)
{
    *category = kind;
    if (strcmp(kind, "syscall") != 0) {
        snprintf(name, size, "%s", kind);
        return;
    }
    size_t len = strcspn(detail, "(");
    snprintf(name, size, "%.*s", (int)(len < size ? len : size - 1), detail);
    if (strcmp(name, "fork") == 0 || strcmp(name, "vfork") == 0 || strncmp(name, "clone", 5) == 0)
        *category = "fork";
}

void timeline_output_row(struct timeline_output *timeline, const struct cell *cells)
{
    const struct cell *c[COL_COUNT];
    for (int i = 0; i < COL_COUNT; i++)
        c[i] = &cells[timeline->column[i]];
    long long tid = cell_number(c[COL_TID], 0), pid = cell_number(c[COL_PID], tid);
    long long time_ms = cell_number(c[COL_TIME], 0), duration_ms = cell_number(c[COL_MS], -1);
    const char *kind = cell_text(c[COL_KIND]), *detail = cell_text(c[COL_DETAIL]);
    if (strcmp(kind, "enter") == 0)
        return; /* the syscall's span, at its completion, covers it */
    if (!already_named(timeline, -pid - 1))
        name_lane(timeline, "process_name", pid, tid, cell_text(c[COL_TASK]));
    if (!already_named(timeline, tid))
        name_lane(timeline, "thread_name", pid, tid, cell_text(c[COL_TASK]));
    char name[64];
    const char *category;
    event_name(kind, detail, name, sizeof name, &category);
    start_event(timeline);
    if (duration_ms >= 0)
        fprintf(timeline->stream, "{\"ph\": \"X\", \"ts\": %lld, \"dur\": %lld", (time_ms - duration_ms) * 1000,
                duration_ms * 1000);
    else
        fprintf(timeline->stream, "{\"ph\": \"i\", \"s\": \"t\", \"ts\": %lld", time_ms * 1000);
    fprintf(timeline->stream, ", \"pid\": %lld, \"tid\": %lld, \"name\": ", pid, tid);
    output_json_string(timeline->stream, name, timeline->html);
    fputs(", \"cat\": ", timeline->stream);
    output_json_string(timeline->stream, category, timeline->html);
    fprintf(timeline->stream, ", \"args\": {\"seq\": %lld, \"event\": ", cell_number(c[COL_SEQ], -1));
    output_json_string(timeline->stream, detail, timeline->html);
    fputs("}}", timeline->stream);
}

void timeline_output_end(struct timeline_output *timeline)
{
    fputs("\n], \"displayTimeUnit\": \"ms\"}", timeline->stream);
    if (timeline->html) {
        const char *mark = strstr(timeline_page, PAGE_MARK);
        fputs(mark ? mark + strlen(PAGE_MARK) : "", timeline->stream);
    } else {
        fputc('\n', timeline->stream);
    }
    free(timeline->named);
    free(timeline);
}
