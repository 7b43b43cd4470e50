/*
 * event_window.c — bounded look-ahead over one task's events (see
 * event_window.h). The ring's events keep their write buffers from one use
 * to the next, so a long walk allocates nothing per event.
 */
#include "event_window.h"

#include <assert.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"

int event_window_open(struct event_window *window, struct event_source *source,
                      const struct trace_task *task, size_t capacity)
{
    memset(window, 0, sizeof *window);
    window->source = source;
    window->capacity = capacity;
    window->ended = task == NULL;
    window->items = calloc(capacity, sizeof *window->items);
    if (!window->items) {
        error_set("out of memory");
        return -1;
    }
    if (task && !(window->cursor = source->ops->open_task(source, task))) {
        event_window_close(window);
        return -1;
    }
    return 0;
}

/* The source's next event into `slot`, or the one held back. 1, 0 at the end, -1. */
static int read_one(struct event_window *window, struct source_event *slot)
{
    if (window->has_held) {
        window->has_held = false;
        return source_event_copy(slot, &window->held) < 0 ? -1 : 1;
    }
    int rc = window->source->ops->next(window->cursor, slot);
    if (rc == 1) {
        slot->entered_seq = 0;
        window->read++;
    }
    return rc;
}

/* The completion of enter event `enter`: the task's next event, the same syscall. */
static bool completes(const struct trace_event *enter, const struct trace_event *next)
{
    return next->kind == EVENT_SYSCALL && next->sysno == enter->sysno &&
           memcmp(next->args, enter->args, sizeof next->args) == 0;
}

/* The next logical event into `slot`: an enter is folded into its completion. */
static int fill(struct event_window *window, struct source_event *slot)
{
    int rc = read_one(window, slot);
    if (rc != 1 || slot->event.kind != EVENT_ENTER)
        return rc;
    rc = window->source->ops->next(window->cursor, &window->held);
    if (rc < 0)
        return -1;
    if (rc == 0)
        return 1; /* the task ended inside the syscall */
    window->read++;
    window->held.entered_seq = 0;
    if (!completes(&slot->event, &window->held.event)) {
        window->has_held = true; /* interrupted (a signal…): the enter stays an event */
        return 1;
    }
    int64_t entered = slot->event.seq;
    if (source_event_copy(slot, &window->held) < 0)
        return -1;
    slot->entered_seq = entered;
    return 1;
}

int event_window_peek(struct event_window *window, size_t i, const struct source_event **event)
{
    assert(i < window->capacity);
    while (window->count <= i) {
        if (window->ended)
            return 0;
        struct source_event *slot = &window->items[(window->head + window->count) % window->capacity];
        int rc = fill(window, slot);
        if (rc < 0)
            return -1;
        if (rc == 0) {
            window->ended = true;
            return 0;
        }
        window->count++;
    }
    *event = &window->items[(window->head + i) % window->capacity];
    return 1;
}

int event_window_drop(struct event_window *window, int64_t n)
{
    for (; n > 0; n--) {
        if (window->count == 0) {
            const struct source_event *event;
            int rc = event_window_peek(window, 0, &event);
            if (rc <= 0)
                return rc;
        }
        window->head = (window->head + 1) % window->capacity;
        window->count--;
        window->taken++;
    }
    return 0;
}

int64_t event_window_drain(struct event_window *window)
{
    int64_t before = window->taken;
    const struct source_event *event;
    int rc;
    while ((rc = event_window_peek(window, 0, &event)) == 1)
        event_window_drop(window, 1);
    return rc < 0 ? -1 : window->taken - before;
}

void event_window_close(struct event_window *window)
{
    if (window->cursor)
        window->source->ops->close_task(window->cursor);
    for (size_t i = 0; window->items && i < window->capacity; i++)
        source_event_free(&window->items[i]);
    source_event_free(&window->held);
    free(window->items);
    memset(window, 0, sizeof *window);
}
