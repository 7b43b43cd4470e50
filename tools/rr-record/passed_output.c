/*
 * passed_output.c — copy_file_range and sendfile (the calls with the passes
 * effect in the syscall table) move bytes from a file to another descriptor
 * inside the kernel, never through the program's memory.
 * When the destination is the recorder's own stdout or stderr (`cat FILE`
 * does this), the bytes are read back from the source file and stored, so
 * that rr-replay can show the program's output as it was.
 */
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "error.h"
#include "event_log.h"
#include "recorder.h"
#include "syscall_table.h"

/* The source file's position after the call: *offset_ptr when given, else
 * the descriptor's own position from /proc/TID/fdinfo. */
static int source_end(struct rec_task *t, int fd, uint64_t offset_ptr, int64_t *end)
{
    if (offset_ptr) {
        return task_read_mem(&t->task, offset_ptr, end, sizeof *end) == sizeof *end ? 0 : -1;
    }
    char path[64], line[128];
    snprintf(path, sizeof path, "/proc/%d/fdinfo/%d", t->task.tid, fd);
    FILE *info = fopen(path, "re");
    if (!info)
        return -1;
    int found = 0;
    while (!found && fgets(line, sizeof line, info))
        found = sscanf(line, "pos: %" SCNd64, end) == 1;
    fclose(info);
    return found ? 0 : -1;
}

int passed_output_capture(struct recorder *rec, struct rec_task *t, const struct trace_event *event)
{
    const struct syscall_desc *desc = syscall_lookup(event->sysno);
    if (event->result <= 0 || !desc || desc->effects.passes_to_arg == SYSCALL_NO_ARG)
        return 0;
    int in_fd = (int)event->args[desc->effects.passes_from_arg];
    uint64_t in_offset_ptr = event->args[desc->effects.passes_offset_ptr_arg];
    if (t->output.target == OUTPUT_STREAM_NONE)
        return 0; /* not our stdout or stderr (output_order.c) */
    int64_t end;
    char path[64];
    snprintf(path, sizeof path, "/proc/%d/fd/%d", t->task.tid, in_fd);
    int source = open(path, O_RDONLY | O_CLOEXEC);
    if (source < 0 || source_end(t, in_fd, in_offset_ptr, &end) < 0) {
        if (source >= 0)
            close(source);
        error_set("cannot read back what %s passed to the output (fd %d)",
                  syscall_name(event->sysno), in_fd);
        return -1;
    }
    int rc = 0;
    for (int64_t done = 0; rc == 0 && done < event->result;) {
        size_t piece = (size_t)(event->result - done) < MEM_WRITE_CHUNK
                           ? (size_t)(event->result - done) : MEM_WRITE_CHUNK;
        unsigned char *chunk = malloc(piece);
        ssize_t n = chunk ? pread(source, chunk, piece, end - event->result + done) : -1;
        if (n <= 0) {
            error_set_errno("cannot read back what was passed to the output (fd %d)", in_fd);
            rc = -1;
        }
        else
            rc = event_log_add_passed_output(rec->store, event->seq, chunk, (size_t)n);
        if (rc == 0)
            output_order_add_bytes(rec, t, chunk, (size_t)n);
        free(chunk);
        done += n > 0 ? n : 0;
    }
    close(source);
    return rc;
}
