/*
 * gdb_files.c — files and qXfer objects for gdb (see gdb_files.h).
 *
 * A file gdb opens is looked up among the debugged process's mappings at
 * the current event (mapping_index: the rows of that path), under its own
 * name or, for the names the dynamic loader uses (/lib64/ld-linux…, /lib/…
 * where /lib is a link to /usr/lib), under the name this machine resolves
 * it to. Its pieces (the mapped ranges' snapshots) are served as one file
 * with zeros between them, the section headers cut (they lie past the last
 * mapped byte, so gdb finds the dynamic symbols and unwind tables through
 * the program headers). When the file at that path on this machine still
 * holds exactly the trace's bytes, that file is served instead: the same
 * bytes and its full symbol table and debug information.
 */
#include "gdb_files.h"

#include <errno.h>
#include <elf.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "elf_symbols.h"
#include "error.h"
#include "gdb_packet.h"
#include "gdb_registers.h"
#include "gdb_target.h"
#include "mapping_index.h"
#include "replayer.h"
#include "task_stream.h"
#include "trace_memory.h"
#include "trace_reader.h"

enum { MAX_PIECES = 64 };

/* The trace's rows of the file at `path` in the debugged process now. */
static int object_rows(struct replayer *rep, const char *path, const struct mapping_row **rows)
{
    struct replay_task *rt = gdb_target_thread(rep, 0);
    if (!rt)
        return 0;
    return mapping_index_object_rows(trace_reader_index(rep->reader), rt->recorded_tid,
                                     rep->debugger->last_event.seq, path, rows, MAX_PIECES);
}

/* The pieces as one file; read-only pieces last, as they hold the file's
 * bytes for certain. Section headers cut: they are not in the trace. */
static int assemble(struct replayer *rep, const struct mapping_row **rows, int count, struct gdb_open_file *file)
{
    size_t size = 0;
    for (int i = 0; i < count; i++)
        if (rows[i]->offset + (rows[i]->end - rows[i]->start) > size)
            size = rows[i]->offset + (rows[i]->end - rows[i]->start);
    if (!(file->bytes = calloc(1, size ? size : 1)))
        return -1;
    file->size = size;
    for (int pass = 0; pass < 2; pass++) {
        for (int i = 0; i < count; i++) {
            if (!rows[i]->blob || ((rows[i]->prot & PROT_WRITE) != 0) != (pass == 0))
                continue;
            size_t len;
            const unsigned char *bytes = trace_memory_mapping_blob(trace_reader_memory(rep->reader), rows[i]->blob, &len);
            if (!bytes)
                return -1;
            if (len > size - rows[i]->offset)
                len = size - rows[i]->offset;
            memcpy(file->bytes + rows[i]->offset, bytes, len);
        }
    }
    if (size >= 64 && memcmp(file->bytes, "\177ELF", 4) == 0)
        memset(file->bytes + 0x28, 0, 8), memset(file->bytes + 0x3c, 0, 4); /* e_shoff, e_shnum, e_shstrndx */
    return 0;
}

/* Does the file on disk hold the bytes of these pieces? */
static bool disk_holds(struct replayer *rep, const char *path, const struct mapping_row **rows, int count)
{
    struct elf_piece pieces[MAX_PIECES];
    void *copies[MAX_PIECES];
    int used = 0;
    bool same = true;
    for (int i = 0; i < count && same; i++) {
        size_t len;
        const unsigned char *bytes =
            rows[i]->blob ? trace_memory_mapping_blob(trace_reader_memory(rep->reader), rows[i]->blob, &len) : NULL;
        if (!bytes)
            continue;
        if (!(copies[used] = malloc(len ? len : 1))) {
            same = false;
            break;
        }
        memcpy(copies[used], bytes, len);
        pieces[used] = (struct elf_piece){rows[i]->offset, copies[used], len, (rows[i]->prot & PROT_WRITE) != 0};
        used++;
    }
    same = same && elf_file_holds_pieces(path, pieces, used);
    for (int i = 0; i < used; i++)
        free(copies[i]);
    return same;
}

static int open_file(struct replayer *rep, const char *path)
{
    const struct mapping_row *rows[MAX_PIECES];
    char resolved[PATH_MAX];
    int count = object_rows(rep, path, rows);
    if (count == 0 && realpath(path, resolved) && (count = object_rows(rep, resolved, rows)) > 0)
        path = resolved;
    if (count == 0)
        return -ENOENT;
    struct gdb_target *target = rep->debugger;
    for (int fd = 0; fd < GDB_OPEN_FILES; fd++) {
        struct gdb_open_file *file = &target->files[fd];
        if (file->used)
            continue;
        *file = (struct gdb_open_file){.used = true, .disk_fd = -1};
        if (disk_holds(rep, path, rows, count)) {
            file->disk_fd = open(path, O_RDONLY | O_CLOEXEC);
            struct stat st;
            if (file->disk_fd >= 0 && fstat(file->disk_fd, &st) == 0) {
                file->size = (size_t)st.st_size;
                return fd;
            }
            if (file->disk_fd >= 0)
                close(file->disk_fd);
            file->disk_fd = -1;
        }
        if (assemble(rep, rows, count, file) < 0) {
            free(file->bytes);
            *file = (struct gdb_open_file){.disk_fd = -1};
            return -ENOMEM;
        }
        return fd;
    }
    return -EMFILE;
}

static struct gdb_open_file *file_of(struct replayer *rep, uint64_t fd)
{
    return fd < GDB_OPEN_FILES && rep->debugger->files[fd].used ? &rep->debugger->files[fd] : NULL;
}

static void put_be(unsigned char *out, uint64_t value, int bytes)
{
    for (int i = bytes - 1; i >= 0; i--, value >>= 8)
        out[i] = (unsigned char)value;
}

size_t gdb_files_vfile(struct replayer *rep, const char *packet, char *reply, size_t reply_size)
{
    uint64_t fd, count, offset;
    const char *p;
    if (strncmp(packet, "vFile:setfs:", 12) == 0)
        return (size_t)snprintf(reply, reply_size, "F0");
    if (strncmp(packet, "vFile:open:", 11) == 0) {
        char path[PATH_MAX];
        p = strchr(packet + 11, ',');
        size_t hex = p ? (size_t)(p - (packet + 11)) : 0;
        if (!p || hex % 2 || hex / 2 >= sizeof path || gdb_hex_decode(packet + 11, path, hex / 2) < 0)
            return (size_t)snprintf(reply, reply_size, "F-1,%x", EINVAL);
        path[hex / 2] = 0;
        int got = open_file(rep, path);
        return (size_t)(got < 0 ? snprintf(reply, reply_size, "F-1,%x", -got) : snprintf(reply, reply_size, "F%x", got));
    }
    p = strchr(packet, ':') ? strchr(packet + 6, ':') + 1 : packet;
    if (strncmp(packet, "vFile:pread:", 12) == 0) {
        struct gdb_open_file *file;
        if (!gdb_hex_number(&p, &fd) || *p++ != ',' || !gdb_hex_number(&p, &count) || *p++ != ',' ||
            !gdb_hex_number(&p, &offset) || !(file = file_of(rep, fd)))
            return (size_t)snprintf(reply, reply_size, "F-1,%x", EBADF);
        if (count > reply_size / 2 - 32)
            count = reply_size / 2 - 32;
        size_t head = (size_t)snprintf(reply, reply_size, "F%llx;", 0ull);
        ssize_t n = 0;
        if (file->disk_fd >= 0)
            n = pread(file->disk_fd, reply + 32, count, (off_t)offset);
        else if (offset < file->size)
            memcpy(reply + 32, file->bytes + offset, n = (ssize_t)(count < file->size - offset ? count : file->size - offset));
        if (n < 0)
            return (size_t)snprintf(reply, reply_size, "F-1,%x", EIO);
        head = (size_t)snprintf(reply, 32, "F%llx;", (unsigned long long)n);
        memmove(reply + head, reply + 32, (size_t)n);
        return head + (size_t)n;
    }
    if (strncmp(packet, "vFile:fstat:", 12) == 0) {
        struct gdb_open_file *file;
        if (!gdb_hex_number(&p, &fd) || !(file = file_of(rep, fd)))
            return (size_t)snprintf(reply, reply_size, "F-1,%x", EBADF);
        unsigned char st[64] = {0};
        put_be(st + 8, S_IFREG | 0444, 4);  /* st_mode */
        put_be(st + 12, 1, 4);               /* st_nlink */
        put_be(st + 28, file->size, 8);      /* st_size */
        put_be(st + 36, 4096, 8);            /* st_blksize */
        put_be(st + 44, (file->size + 511) / 512, 8);
        size_t head = (size_t)snprintf(reply, reply_size, "F%x;", (unsigned)sizeof st);
        memcpy(reply + head, st, sizeof st);
        return head + sizeof st;
    }
    if (strncmp(packet, "vFile:close:", 12) == 0) {
        struct gdb_open_file *file;
        if (!gdb_hex_number(&p, &fd) || !(file = file_of(rep, fd)))
            return (size_t)snprintf(reply, reply_size, "F-1,%x", EBADF);
        if (file->disk_fd >= 0)
            close(file->disk_fd);
        free(file->bytes);
        *file = (struct gdb_open_file){.disk_fd = -1};
        return (size_t)snprintf(reply, reply_size, "F0");
    }
    return 0;
}

/* The executable's path: the mapping that holds the entry point (AT_ENTRY). */
static const char *executable_path(struct replayer *rep)
{
    struct gdb_target *target = rep->debugger;
    struct replay_task *rt = gdb_target_thread(rep, 0);
    for (size_t i = 0; rt && i + 16 <= target->auxv_len; i += 16) {
        uint64_t pair[2];
        memcpy(pair, target->auxv + i, 16);
        if (pair[0] != AT_ENTRY)
            continue;
        const struct mapping_row *row =
            mapping_index_find(trace_reader_index(rep->reader), rt->recorded_tid, target->last_event.seq, pair[1]);
        return row && row->path ? row->path : NULL;
    }
    return NULL;
}

/* <threads>: each live thread of the debugged process, named after its
 * process's command (a thread's name as set by prctl is not replayed). */
static char *thread_list(struct replayer *rep, size_t *len)
{
    struct trace_task *tasks = NULL;
    int count = task_stream_tasks(rep->store, &tasks);
    size_t size = 64 + (size_t)rep->task_count * 96, n = 0;
    char *xml = malloc(size);
    if (!xml) {
        free(tasks);
        return NULL;
    }
    n += (size_t)snprintf(xml, size, "<?xml version=\"1.0\"?><threads>");
    for (int i = 0; i < rep->task_count; i++) {
        struct replay_task *rt = rep->tasks[i];
        if (gdb_target_thread(rep, rt->recorded_tid) != rt)
            continue;
        char name[16] = "";
        for (int j = 0; j < count; j++) {
            if (tasks[j].tid != rt->group)
                continue;
            const char *word = tasks[j].command;
            size_t end = strcspn(word, " ");
            const char *base = memrchr(word, '/', end);
            base = base ? base + 1 : word;
            snprintf(name, sizeof name, "%.*s", (int)(word + end - base), base);
        }
        char id[40];
        gdb_thread_id_text(rep, rt->recorded_tid, id, sizeof id);
        n += (size_t)snprintf(xml + n, size - n, "<thread id=\"%s\" name=\"%s\"/>", id, name);
    }
    snprintf(xml + n, size - n, "</threads>");
    *len = strlen(xml);
    free(tasks);
    return xml;
}

int gdb_files_xfer_object(struct replayer *rep, const char *object, const char *annex, char **data, size_t *len)
{
    const char *text = NULL;
    if (strcmp(object, "features") == 0 && strcmp(annex, "target.xml") == 0)
        text = gdb_registers_target_xml();
    else if (strcmp(object, "exec-file") == 0)
        text = executable_path(rep);
    else if (strcmp(object, "threads") == 0)
        return (*data = thread_list(rep, len)) ? 0 : -1;
    if (strcmp(object, "auxv") == 0) {
        *len = rep->debugger->auxv_len;
        if (!(*data = malloc(*len ? *len : 1)))
            return -1;
        memcpy(*data, rep->debugger->auxv, *len);
        return 0;
    }
    if (!text)
        return -1;
    *len = strlen(text);
    return (*data = strdup(text)) ? 0 : -1;
}
