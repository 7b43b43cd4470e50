/*
 * gdb_server.c — the GDB remote protocol's commands, as gdb uses them,
 * answered for a stopped replay (see gdb_target.h for when it stops).
 * gdb_server_serve reads packets and answers them until one resumes the
 * program (vCont, c, s), detaches or kills it. Registers and memory are
 * the live replay task's; memory and register writes change only the
 * replay's own copy of the program (a replay changed so will usually
 * diverge, and says so). Thread ids are the recorded tids. Not announced,
 * so gdb does not ask: multiprocess, non-stop, hardware breakpoints and
 * watchpoints. Reverse execution (bc, bs) is gdb_history.c's.
 */
#include "gdb_target.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "gdb_files.h"
#include "gdb_registers.h"
#include "replayer.h"

enum serve_result { SERVE_ON, SERVE_RESUMED, SERVE_DETACHED, SERVE_GONE };

static char reply[2 * GDB_PACKET_MAX];

static int send_reply(struct replayer *rep, size_t len)
{
    return gdb_packet_send(&rep->debugger->conn, reply, len);
}

static size_t put(const char *text)
{
    size_t len = strlen(text);
    memcpy(reply, text, len + 1);
    return len;
}

static struct task *thread_task(struct replayer *rep)
{
    struct replay_task *rt = gdb_target_thread(rep, rep->debugger->selected_tid);
    if (!rt)
        rt = gdb_target_thread(rep, 0);
    return rt ? &rt->task : NULL;
}

/* g, p, G, P */
static size_t registers_command(struct replayer *rep, const char *packet)
{
    struct task *task = thread_task(rep);
    struct gdb_register_file file;
    unsigned char bytes[GDB_REGISTER_MAX_BYTES];
    if (!task || gdb_registers_fetch(task, &file) < 0)
        return put("E01");
    const char *p = packet + 1;
    uint64_t regno;
    if (packet[0] == 'g') {
        size_t n = 0;
        for (int i = 0; i < gdb_registers_count(); i++) {
            size_t len = gdb_register_get(&file, i, bytes);
            gdb_hex_encode(bytes, len, reply + n);
            n += 2 * len;
        }
        return n;
    }
    if (packet[0] == 'p') {
        size_t len;
        if (!gdb_hex_number(&p, &regno) || !(len = gdb_register_get(&file, (int)regno, bytes)))
            return put("E01");
        gdb_hex_encode(bytes, len, reply);
        return 2 * len;
    }
    if (packet[0] == 'G') {
        for (int i = 0; i < gdb_registers_count(); i++) {
            size_t len = gdb_register_get(&file, i, bytes);
            if (strlen(p) < 2 * len || gdb_hex_decode(p, bytes, len) < 0)
                return put("E01");
            gdb_register_set(&file, i, bytes);
            p += 2 * len;
        }
    } else { /* P n=value */
        size_t len;
        if (!gdb_hex_number(&p, &regno) || *p++ != '=' || !(len = gdb_register_get(&file, (int)regno, bytes)) ||
            strlen(p) < 2 * len || gdb_hex_decode(p, bytes, len) < 0)
            return put("E01");
        gdb_register_set(&file, (int)regno, bytes);
    }
    return put(gdb_registers_store(task, &file) < 0 ? "E01" : "OK");
}

/* m addr,len; M addr,len:hex; X addr,len:binary */
static size_t memory_command(struct replayer *rep, char *packet, size_t packet_len)
{
    struct task *task = thread_task(rep);
    const char *p = packet + 1;
    uint64_t addr, len;
    if (!task || !gdb_hex_number(&p, &addr) || *p++ != ',' || !gdb_hex_number(&p, &len))
        return put("E01");
    if (packet[0] == 'm') {
        static unsigned char bytes[GDB_PACKET_MAX / 2];
        if (len > sizeof bytes - 1)
            len = sizeof bytes - 1;
        ssize_t n = task_read_mem(task, addr, bytes, len);
        if (n <= 0)
            return put("E01");
        gdb_hex_encode(bytes, (size_t)n, reply);
        return 2 * (size_t)n;
    }
    if (*p++ != ':')
        return put("E01");
    char *data = (char *)p;
    size_t have = packet_len - (size_t)(p - packet);
    if (packet[0] == 'M') {
        if (have < 2 * len || gdb_hex_decode(data, data, len) < 0)
            return put("E01");
    } else if (gdb_binary_unescape(data, have) < len) {
        return put("E01");
    }
    return put(len == 0 || task_write_mem(task, addr, data, len) == 0 ? "OK" : "E01");
}

/* Z0/z0 addr,kind and Z1/z1: breakpoints; Z2/z2, Z4/z4 addr,length: write
 * and access watchpoints. Read watchpoints (Z3) are not offered. */
static size_t breakpoint_command(struct replayer *rep, const char *packet)
{
    const char *p = packet + 3;
    uint64_t addr, len;
    char type = packet[1];
    if ((type != '0' && type != '1' && type != '2' && type != '4') || packet[2] != ',')
        return 0;
    if (!gdb_hex_number(&p, &addr) || *p++ != ',' || !gdb_hex_number(&p, &len))
        return put("E01");
    if (type == '2' || type == '4')
        return put(gdb_watchpoints_command(rep->debugger, packet[0] == 'Z', type == '2' ? GDB_WATCH_WRITE : GDB_WATCH_ACCESS,
                                           addr, len) < 0 ? "E01" : "OK");
    if (packet[0] == 'z') {
        gdb_breakpoints_remove(rep->debugger, addr);
        return put("OK");
    }
    struct task *task = thread_task(rep);
    unsigned char byte;
    if (!task || task_read_mem(task, addr, &byte, 1) != 1)
        return put("E01"); /* not mapped: gdb says it cannot insert it */
    return put(gdb_breakpoints_add(rep->debugger, addr) < 0 ? "E01" : "OK");
}

/* A thread id in a packet (TID, or pPID.TID with multiprocess ids): -1
 * (all) and 0 (any) give 0, and so does a process alone (pPID). */
static int32_t thread_id(const char *text)
{
    uint64_t tid, pid;
    if (text[0] == 'p' && (++text, !gdb_hex_number(&text, &pid) || *text++ != '.'))
        return 0;
    if (text[0] == '-' || !gdb_hex_number(&text, &tid))
        return 0;
    return (int32_t)tid;
}

/* vCont;ACTION[:TID]… (and the old c, s): a step of one thread, or a continue.
 * A signal gdb passes (C, S) is not delivered: the replay delivers the
 * recorded ones. */
static int resume_command(struct replayer *rep, const char *packet)
{
    struct gdb_target *target = rep->debugger;
    if (target->ended)
        return 0; /* nothing runs: the end is told again */
    if (target->fork_child_pid) /* gdb kept both sides of a fork: it debugs the parent */
        gdb_fork_detach(target, target->fork_child_pid);
    int32_t step_tid = 0;
    if (packet[0] == 's' || packet[0] == 'S')
        step_tid = target->selected_tid;
    for (const char *p = strchr(packet, ';'); p && !step_tid; p = strchr(p + 1, ';')) {
        if (p[1] != 's' && p[1] != 'S')
            continue;
        const char *colon = strchr(p, ':');
        const char *next = strchr(p + 1, ';');
        int32_t tid = colon && (!next || colon < next) ? thread_id(colon + 1) : 0;
        step_tid = tid ? tid : target->selected_tid;
    }
    if (step_tid)
        return gdb_history_resume(target, GDB_RUN_STEP, step_tid, 0);
    /* A continue after `monitor goto` goes there (gdb's own single steps,
     * over a breakpoint say, come first as they are). */
    bool to_goto = target->goto_armed;
    target->goto_armed = false;
    if (to_goto && target->goto_seq <= target->last_event.seq)
        return gdb_history_go_to_event(target, target->goto_seq);
    return gdb_history_resume(target, to_goto ? GDB_RUN_GOTO : GDB_RUN_CONTINUE, 0, target->goto_seq);
}

/* qXfer:OBJECT:read:ANNEX:OFFSET,LENGTH */
static size_t xfer_command(struct replayer *rep, char *packet)
{
    char *object = packet + 6, *op = strchr(object, ':');
    if (!op || strncmp(op, ":read:", 6) != 0)
        return 0;
    *op = 0;
    char *annex = op + 6, *range = strchr(annex, ':');
    if (!range)
        return put("E01");
    *range++ = 0;
    const char *p = range;
    uint64_t offset, length;
    if (!gdb_hex_number(&p, &offset) || *p++ != ',' || !gdb_hex_number(&p, &length))
        return put("E01");
    char *data;
    size_t len;
    if (gdb_files_xfer_object(rep, object, annex, &data, &len) < 0)
        return put("E00");
    if (length > GDB_PACKET_MAX - 16)
        length = GDB_PACKET_MAX - 16;
    size_t n = offset < len ? len - offset : 0;
    if (n > length)
        n = length;
    reply[0] = n < length || offset + n >= len ? 'l' : 'm';
    if (n)
        memcpy(reply + 1, data + offset, n);
    free(data);
    return n + 1;
}

static const char supported[] =
    "PacketSize=4000;QStartNoAckMode+;qXfer:features:read+;qXfer:auxv:read+;qXfer:exec-file:read+;"
    "qXfer:threads:read+;swbreak+;vContSupported+;ReverseStep+;ReverseContinue+;multiprocess+;fork-events+";

/* Answer one packet into reply (its length: 0 is the empty reply, "not
 * supported"), or say that it resumes, detaches or ends the session. */
static enum serve_result answer(struct replayer *rep, char *packet, size_t len, size_t *reply_len)
{
    struct gdb_target *target = rep->debugger;
    *reply_len = 0;
    switch (packet[0]) {
    case '?': *reply_len = put(target->stop_reply); return SERVE_ON;
    case 'g': case 'G': case 'p': case 'P': *reply_len = registers_command(rep, packet); return SERVE_ON;
    case 'm': case 'M': case 'X': *reply_len = memory_command(rep, packet, len); return SERVE_ON;
    case 'Z': case 'z': *reply_len = breakpoint_command(rep, packet); return SERVE_ON;
    case '!': *reply_len = put("OK"); return SERVE_ON;
    case 'H': {
        int32_t tid = thread_id(packet + 2);
        if (packet[1] == 'g' && tid && gdb_target_thread(rep, tid))
            target->selected_tid = tid;
        if (packet[1] == 'c')
            target->resume_tid = tid;
        *reply_len = put(tid == 0 || gdb_target_thread(rep, tid) ? "OK" : "E01");
        return SERVE_ON;
    }
    case 'T': *reply_len = put(gdb_target_thread(rep, thread_id(packet + 1)) ? "OK" : "E01"); return SERVE_ON;
    case 'c': case 's': case 'C': case 'S': return resume_command(rep, packet) < 0 ? SERVE_GONE : SERVE_RESUMED;
    case 'D': {
        uint64_t pid = 0;
        const char *p = packet + 2;
        bool one_side = packet[1] == ';' && gdb_hex_number(&p, &pid) && gdb_fork_detach(target, (int32_t)pid);
        *reply_len = put("OK");
        return one_side ? SERVE_ON : SERVE_DETACHED;
    }
    case 'k': return SERVE_GONE;
    }
    if (strncmp(packet, "vCont?", 6) == 0) {
        *reply_len = put("vCont;c;C;s;S");
    } else if (strncmp(packet, "vCont;", 6) == 0) {
        return resume_command(rep, packet) < 0 ? SERVE_GONE : SERVE_RESUMED;
    } else if (strcmp(packet, "bc") == 0 || strcmp(packet, "bs") == 0) {
        if (gdb_history_reverse(target, packet[1] == 's', target->resume_tid > 0 ? target->resume_tid : target->selected_tid) == 0)
            return SERVE_RESUMED;
        *reply_len = put("E01");
    } else if (strncmp(packet, "vKill", 5) == 0) {
        *reply_len = put("OK");
        return SERVE_GONE;
    } else if (strncmp(packet, "vFile:", 6) == 0) {
        *reply_len = gdb_files_vfile(rep, packet, reply, sizeof reply);
    } else if (strncmp(packet, "qSupported", 10) == 0) {
        target->multiprocess = strstr(packet, "multiprocess+") != NULL;
        target->fork_events = strstr(packet, "fork-events+") != NULL;
        *reply_len = put(supported);
    } else if (strcmp(packet, "QStartNoAckMode") == 0) {
        *reply_len = put("OK");
    } else if (strcmp(packet, "qC") == 0) {
        *reply_len = put("QC");
        *reply_len += gdb_thread_id_text(rep, target->selected_tid, reply + 2, sizeof reply - 2);
    } else if (strcmp(packet, "qfThreadInfo") == 0) {
        size_t n = put("m");
        for (int i = 0; i < rep->task_count; i++) {
            if (gdb_target_thread(rep, rep->tasks[i]->recorded_tid) != rep->tasks[i])
                continue;
            if (n > 1)
                reply[n++] = ',';
            n += gdb_thread_id_text(rep, rep->tasks[i]->recorded_tid, reply + n, sizeof reply - n);
        }
        *reply_len = n > 1 ? n : put("l");
    } else if (strcmp(packet, "qsThreadInfo") == 0) {
        *reply_len = put("l");
    } else if (strncmp(packet, "qAttached", 9) == 0) {
        *reply_len = put("1"); /* gdb detaches when it quits: the replay runs on to its end */
    } else if (strncmp(packet, "qSymbol", 7) == 0) {
        *reply_len = put("OK");
    } else if (strncmp(packet, "qXfer:", 6) == 0) {
        *reply_len = xfer_command(rep, packet);
    } else if (strncmp(packet, "qRcmd,", 6) == 0) {
        gdb_monitor_command(rep, packet + 6, reply, sizeof reply, reply_len);
    }
    return SERVE_ON;
}

int gdb_server_serve(struct replayer *rep)
{
    struct gdb_target *target = rep->debugger;
    static char packet[GDB_PACKET_MAX + 64];
    if (target->conn.fd < 0 && (target->conn.fd = gdb_launch_connect(target)) < 0)
        return 1;
    if (target->waiting_for_stop && gdb_packet_send_str(&target->conn, target->stop_reply) < 0) {
        return 1;
    }
    target->waiting_for_stop = false;
    for (;;) {
        int len = gdb_packet_read(&target->conn, packet, sizeof packet);
        if (len < 0)
            return 1;
        size_t reply_len;
        enum serve_result result = answer(rep, packet, (size_t)len, &reply_len);
        if (result == SERVE_GONE) {
            if (reply_len)
                send_reply(rep, reply_len);
            return 1;
        }
        if (result == SERVE_RESUMED && target->ended && !target->restart) {
            /* Nothing left to run: the end again. */
            if (gdb_packet_send_str(&target->conn, target->stop_reply) < 0)
                return 1;
            continue;
        }
        if (result == SERVE_RESUMED) {
            target->waiting_for_stop = true;
            return 0;
        }
        if (send_reply(rep, reply_len) < 0)
            return 1;
        if (strcmp(packet, "QStartNoAckMode") == 0)
            target->conn.no_ack = true;
        if (result == SERVE_DETACHED) {
            target->detached = true;
            return 0;
        }
    }
}
