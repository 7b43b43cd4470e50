/*
 * gdb_monitor.c — rr-replay's own commands in gdb, `monitor CMD`:
 *   monitor event      the last event replayed (seq, task, what), as -v shows it
 *   monitor goto SEQ   the next continue replays to the end of event SEQ,
 *                      breakpoints not stopping it (an event behind: from the
 *                      start, gdb_history.c): gdb learns where the program
 *                      then is from that stop (a monitor command cannot tell
 *                      it registers changed)
 *   monitor help
 * Their text goes to gdb as console output (O packets).
 */
#include "gdb_target.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "event_log.h"
#include "replayer.h"
#include "verbose_events.h"

static void say(struct replayer *rep, const char *text)
{
    char hex[2 * 512 + 2] = "O";
    size_t len = strlen(text);
    if (len > 512)
        len = 512;
    gdb_hex_encode(text, len, hex + 1);
    gdb_packet_send_str(&rep->debugger->conn, hex);
}

static void say_event(struct replayer *rep)
{
    const struct trace_event *event = &rep->debugger->last_event;
    char what[384], line[512];
    verbose_describe_event(rep, event, what, sizeof what);
    snprintf(line, sizeof line, "event %lld, task %d: %s\n", (long long)event->seq, event->tid, what);
    say(rep, line);
}

static size_t ok(char *reply, size_t size)
{
    return (size_t)snprintf(reply, size, "OK");
}

void gdb_monitor_command(struct replayer *rep, const char *hex, char *reply, size_t size, size_t *reply_len)
{
    char command[256];
    size_t len = strlen(hex) / 2;
    if (len >= sizeof command || gdb_hex_decode(hex, command, len) < 0) {
        *reply_len = (size_t)snprintf(reply, size, "E01");
        return;
    }
    command[len] = 0;
    *reply_len = ok(reply, size);
    struct gdb_target *target = rep->debugger;
    char *end;
    if (strcmp(command, "event") == 0) {
        say_event(rep);
    } else if (strncmp(command, "goto ", 5) == 0) {
        long long seq = strtoll(command + 5, &end, 10);
        long long count = event_log_count(rep->store);
        char line[256];
        if (*end || end == command + 5 || seq < 0 || seq >= count) {
            snprintf(line, sizeof line, "monitor goto wants an event number from 0 to %lld\n", count - 1);
            say(rep, line);
        } else {
            target->goto_armed = true;
            target->goto_seq = seq;
            snprintf(line, sizeof line, "continue now runs to the end of event %lld (breakpoints do not stop it%s)\n",
                     seq, seq <= target->last_event.seq ? "; back: the replay starts over" : "");
            say(rep, line);
        }
    } else if (strcmp(command, "help") == 0 || command[0] == 0) {
        say(rep, "monitor event      the last event replayed (seq, task, what)\n"
                 "monitor goto SEQ   make the next continue run to the end of event SEQ\n");
    } else {
        say(rep, "unknown monitor command (monitor help lists them)\n");
    }
}
