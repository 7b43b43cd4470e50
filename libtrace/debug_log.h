/*
 * debug_log.h — RRDB_LOG, a debug log of the record and replay loops.
 *
 * RRDB_LOG=record,replay (or all) in the environment makes rr-record and
 * rr-replay print each stop and each decision of their loops on stderr, one
 * line each, prefixed with the tool's name and the area. Off by default, and
 * then a log point costs a load and a branch: the arguments are not even
 * evaluated. This is libtrace's one module that prints, and only when asked.
 */
#ifndef RRDB_DEBUG_LOG_H
#define RRDB_DEBUG_LOG_H

enum debug_log_area {
    LOG_RECORD = 1u << 0, /* rr-record's loop: stops, scheduling, syscalls, signals */
    LOG_REPLAY = 1u << 1, /* rr-replay's loop: events, stops reached, how each is replayed */
};

/* The areas turned on (read from RRDB_LOG by debug_log_init). */
extern unsigned debug_log_areas;

/* Read RRDB_LOG for tool `program`: 0, or -1 (error set) when it names an
 * area that does not exist. */
int debug_log_init(const char *program);
/* Print one line of area `area` (printf format, no newline). */
void debug_log_print(enum debug_log_area area, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#define DEBUG_LOG(area, ...)                                                                        \
    do {                                                                                            \
        if (__builtin_expect((debug_log_areas & (area)) != 0, 0))                                   \
            debug_log_print((area), __VA_ARGS__);                                                   \
    } while (0)

#endif
