/*
 * symbolizer.c — code addresses to names (see symbolizer.h).
 *
 * An object is identified by its path and the snapshot blob of its first
 * mapped piece (content-addressed: the same library in two processes, or
 * mapped twice, is loaded once). Loaded objects are kept for the whole run.
 */
#include "symbolizer.h"

#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "elf_symbols.h"
#include "error.h"
#include "mapping_index.h"
#include "trace_db.h"
#include "trace_memory.h"

enum { MAX_PIECES = 32 };

struct loaded_object {
    char *path;
    int64_t first_blob;
    struct elf_symbols *symbols; /* NULL: not an ELF object the trace can read */
};

struct symbolizer {
    struct trace_db *tdb;
    struct loaded_object *objects;
    int count, capacity;
};

struct symbolizer *symbolizer_new(struct trace_db *tdb)
{
    struct symbolizer *s = calloc(1, sizeof *s);
    if (!s)
        error_set("out of memory");
    else
        s->tdb = tdb;
    return s;
}

void symbolizer_free(struct symbolizer *s)
{
    if (!s)
        return;
    for (int i = 0; i < s->count; i++) {
        free(s->objects[i].path);
        elf_symbols_free(s->objects[i].symbols);
    }
    free(s->objects);
    free(s);
}

/* Whether the file at `path` holds, at each read-only piece's offset, the
 * bytes the trace recorded there (writable pieces are left out: the kernel
 * zeroes the bss part of their last page). */
static bool disk_file_matches(struct trace_memory *memory, const char *path,
                              const struct mapping_row *const *rows, int count)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return false;
    bool same = true;
    int compared = 0;
    unsigned char *disk = NULL;
    for (int i = 0; i < count && same; i++) {
        const struct mapping_row *row = rows[i];
        if (row->prot & PROT_WRITE || !row->blob)
            continue;
        size_t len;
        const unsigned char *bytes = trace_memory_blob(memory, row->blob, &len);
        unsigned char *grown = bytes ? realloc(disk, len ? len : 1) : NULL;
        if (!grown) {
            same = false;
            break;
        }
        disk = grown;
        ssize_t n = pread(fd, disk, len, (off_t)row->offset);
        /* Past the end of the file a mapping reads as zeros. */
        size_t have = n > 0 ? (size_t)n : 0;
        same = memcmp(disk, bytes, have) == 0;
        for (size_t j = have; same && j < len; j++)
            same = bytes[j] == 0;
        compared++;
    }
    free(disk);
    close(fd);
    return same && compared > 0;
}

static void note_once_per_object(const char *path, const char *why)
{
    error_note("note: %s %s; its names come from the trace's snapshot only (exported symbols)", path, why);
}

static struct elf_symbols *load_symbols(struct symbolizer *s, const char *path,
                                        const struct mapping_row *const *rows, int count)
{
    struct trace_memory *memory = trace_db_memory(s->tdb);
    if (!memory)
        return NULL;
    /* Decompress every piece, keeping copies: the blob cache may evict. */
    struct elf_piece pieces[MAX_PIECES];
    void *copies[MAX_PIECES];
    int used = 0;
    for (int i = 0; i < count && used < MAX_PIECES; i++) {
        size_t len;
        const unsigned char *bytes = rows[i]->blob ? trace_memory_blob(memory, rows[i]->blob, &len) : NULL;
        if (!bytes || !(copies[used] = malloc(len ? len : 1)))
            continue;
        memcpy(copies[used], bytes, len);
        pieces[used] = (struct elf_piece){rows[i]->offset, copies[used], len};
        used++;
    }
    struct elf_symbols *symbols = elf_symbols_from_pieces(pieces, used);
    for (int i = 0; i < used; i++)
        free(copies[i]);
    if (!symbols)
        return NULL;
    if (access(path, F_OK) != 0) {
        note_once_per_object(path, "no longer exists");
    } else if (!disk_file_matches(memory, path, rows, count)) {
        note_once_per_object(path, "changed since the recording");
    } else {
        struct elf_symbols *from_disk = elf_symbols_from_file(path);
        if (from_disk) {
            elf_symbols_merge(symbols, from_disk);
            elf_symbols_free(from_disk);
        }
    }
    return symbols;
}

static struct loaded_object *find_object(struct symbolizer *s, int32_t pid, int64_t seq,
                                         const struct mapping_row *row)
{
    const struct mapping_row *rows[MAX_PIECES];
    int count = mapping_index_object_rows(trace_db_maps(s->tdb), pid, seq, row->path, rows, MAX_PIECES);
    int64_t first_blob = count ? rows[0]->blob : row->blob;
    for (int i = 0; i < count; i++)
        if (rows[i]->offset == 0)
            first_blob = rows[i]->blob;
    for (int i = 0; i < s->count; i++)
        if (s->objects[i].first_blob == first_blob && strcmp(s->objects[i].path, row->path) == 0)
            return &s->objects[i];
    if (s->count == s->capacity) {
        int capacity = s->capacity ? s->capacity * 2 : 16;
        struct loaded_object *objects = realloc(s->objects, (size_t)capacity * sizeof *objects);
        if (!objects)
            return NULL;
        s->objects = objects;
        s->capacity = capacity;
    }
    char *path = strdup(row->path);
    if (!path)
        return NULL;
    struct loaded_object *object = &s->objects[s->count++];
    *object = (struct loaded_object){path, first_blob, load_symbols(s, path, rows, count)};
    return object;
}

void symbolizer_name(struct symbolizer *s, int64_t seq, int32_t pid, uint64_t addr, char *out, size_t size)
{
    snprintf(out, size, "%#llx", (unsigned long long)addr);
    struct mapping_index *maps = trace_db_maps(s->tdb);
    const struct mapping_row *row = maps ? mapping_index_find(maps, pid, seq, addr) : NULL;
    if (!row || !row->path || row->path[0] != '/')
        return;
    const char *base = strrchr(row->path, '/') + 1;
    uint64_t file_offset = row->offset + (addr - row->start);
    struct loaded_object *object = find_object(s, pid, seq, row);
    uint64_t vaddr;
    if (!object || !object->symbols ||
        elf_symbols_offset_to_vaddr(object->symbols, file_offset, &vaddr) < 0) {
        snprintf(out, size, "%s+0x%llx", base, (unsigned long long)file_offset);
        return;
    }
    uint64_t delta;
    const char *name = elf_symbols_find(object->symbols, vaddr, &delta);
    if (name)
        snprintf(out, size, "%s!%s+0x%llx", base, name, (unsigned long long)delta);
    else
        snprintf(out, size, "%s+0x%llx", base, (unsigned long long)vaddr);
}
