/*
 * progress_line.c — the updating progress line on a terminal (see
 * progress_line.h). Its text is written with one write(2), after a carriage
 * return and an erase-line sequence, so it always stands alone on the last line.
 */
#include "progress_line.h"

#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "error.h"

enum { REDRAW_MS = 200 };

static struct {
    bool shown_at_all;      /* a terminal, and wanted */
    bool on_screen;
    const char *unit;
    int64_t total;
    int64_t started_ms, drawn_ms;
} progress;

static int64_t now_ms(void)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (int64_t)now.tv_sec * 1000 + now.tv_nsec / 1000000;
}

static void write_all(const char *text, size_t len)
{
    while (len > 0) {
        ssize_t n = write(STDERR_FILENO, text, len);
        if (n <= 0)
            return; /* a terminal that went away: nothing to show */
        text += n;
        len -= (size_t)n;
    }
}

void progress_line_start(const char *unit, int64_t total, bool wanted)
{
    progress.shown_at_all = wanted && total > 0 && isatty(STDERR_FILENO);
    progress.on_screen = false;
    progress.unit = unit;
    progress.total = total;
    progress.started_ms = now_ms();
    progress.drawn_ms = progress.started_ms;
    error_set_before_note(progress_line_erase);
}

void progress_line_update(int64_t done)
{
    if (!progress.shown_at_all)
        return;
    int64_t now = now_ms();
    if (now - progress.drawn_ms < REDRAW_MS)
        return;
    progress.drawn_ms = now;
    double seconds = (double)(now - progress.started_ms) / 1000.0;
    double rate = seconds > 0 ? (double)done / seconds : 0;
    int percent = (int)(done * 100 / progress.total);
    char line[160];
    int len = snprintf(line, sizeof line, "\r\033[K%s: %lld/%lld %s (%d%%), %.0f/s", error_program(),
                       (long long)done, (long long)progress.total, progress.unit, percent > 100 ? 100 : percent,
                       rate);
    if (rate > 0 && done < progress.total && len > 0 && (size_t)len < sizeof line)
        len += snprintf(line + len, sizeof line - (size_t)len, ", ETA %.0fs",
                        (double)(progress.total - done) / rate);
    if (len > 0)
        write_all(line, (size_t)len < sizeof line ? (size_t)len : sizeof line - 1);
    progress.on_screen = true;
}

void progress_line_erase(void)
{
    if (!progress.on_screen)
        return;
    write_all("\r\033[K", 4);
    progress.on_screen = false;
}

void progress_line_end(void)
{
    progress_line_erase();
    progress.shown_at_all = false;
}
