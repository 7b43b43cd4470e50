/*
 * event_window.c — bounded look-ahead over one task's events (see
 * event_window.h). The ring's events keep their write buffers from one use
 * to the next, so a long walk allocates nothing per event.
 */
#include "event_window.h"

#include <assert.h>
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

int event_window_peek(struct event_window *window, size_t i, const struct source_event **event)
{
    assert(i < window->capacity);
    while (window->count <= i) {
        if (window->ended)
            return 0;
        struct source_event *slot = &window->items[(window->head + window->count) % window->capacity];
        int rc = window->source->ops->next(window->cursor, slot);
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
    free(window->items);
    memset(window, 0, sizeof *window);
}
