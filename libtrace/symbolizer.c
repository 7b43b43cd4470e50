/*
 * symbolizer.c — code addresses to names (see symbolizer.h).
 *
 * An object is identified by its path and the snapshot blob of its first
 * mapped piece (content-addressed: the same library in two processes, or
 * mapped twice, is loaded once). Loaded objects are kept for the whole run:
 * a report or a query names a few dozen objects at most.
 */
#include "symbolizer.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "array_grow.h"
#include "elf_symbols.h"
#include "error.h"
#include "mapping_index.h"
#include "trace_memory.h"

enum { MAX_PIECES = 32 };

struct loaded_object {
    char *path;
    int64_t first_blob;
    struct elf_symbols *symbols; /* NULL: not an ELF object the trace can read */
};

struct symbolizer {
    const struct mapping_index *index;
    struct trace_memory *memory;
    symbolizer_note_fn *note;
    struct loaded_object *objects;
    int count, capacity;
};

struct symbolizer *symbolizer_new(const struct mapping_index *index, struct trace_memory *memory,
                                  symbolizer_note_fn *note)
{
    struct symbolizer *s = calloc(1, sizeof *s);
    if (!s) {
        error_set("out of memory");
        return NULL;
    }
    *s = (struct symbolizer){.index = index, .memory = memory, .note = note};
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

static struct elf_symbols *load_symbols(struct symbolizer *s, const char *path,
                                        const struct mapping_row *const *rows, int count)
{
    /* Decompress every piece, keeping copies: the blob cache may evict. */
    struct elf_piece pieces[MAX_PIECES];
    void *copies[MAX_PIECES];
    int used = 0;
    for (int i = 0; i < count && used < MAX_PIECES; i++) {
        size_t len;
        const unsigned char *bytes =
            rows[i]->blob ? trace_memory_mapping_blob(s->memory, rows[i]->blob, &len) : NULL;
        if (!bytes || !(copies[used] = malloc(len ? len : 1)))
            continue;
        memcpy(copies[used], bytes, len);
        pieces[used] = (struct elf_piece){rows[i]->offset, copies[used], len, (rows[i]->prot & PROT_WRITE) != 0};
        used++;
    }
    enum elf_disk_use disk;
    struct elf_symbols *symbols = elf_symbols_of_mapped_file(path, pieces, used, &disk);
    for (int i = 0; i < used; i++)
        free(copies[i]);
    if (symbols && disk == ELF_DISK_MISSING && s->note)
        s->note(path, "no longer exists");
    else if (symbols && disk == ELF_DISK_CHANGED && s->note)
        s->note(path, "changed since the recording");
    error_set("%s", ""); /* an object without symbols is not an error */
    return symbols;
}

static struct loaded_object *find_object(struct symbolizer *s, int32_t tid, int64_t seq,
                                         const struct mapping_row *row)
{
    const struct mapping_row *rows[MAX_PIECES];
    int count = mapping_index_object_rows(s->index, tid, seq, row->path, rows, MAX_PIECES);
    int64_t first_blob = count ? rows[0]->blob : row->blob;
    for (int i = 0; i < count; i++)
        if (rows[i]->offset == 0)
            first_blob = rows[i]->blob;
    for (int i = 0; i < s->count; i++)
        if (s->objects[i].first_blob == first_blob && strcmp(s->objects[i].path, row->path) == 0)
            return &s->objects[i];
    struct loaded_object *objects = array_grow(s->objects, &s->capacity, s->count + 1, sizeof *objects, 16);
    if (!objects)
        return NULL;
    s->objects = objects;
    char *path = strdup(row->path);
    if (!path)
        return NULL;
    struct loaded_object *object = &s->objects[s->count++];
    *object = (struct loaded_object){path, first_blob, load_symbols(s, path, rows, count)};
    return object;
}

int symbolizer_name(struct symbolizer *s, int32_t tid, int64_t seq, uint64_t addr, char *out, size_t size)
{
    snprintf(out, size, "%#llx", (unsigned long long)addr);
    const struct mapping_row *row = mapping_index_find(s->index, tid, seq, addr);
    if (!row || !row->path || row->path[0] != '/')
        return 0;
    const char *base = strrchr(row->path, '/') + 1;
    uint64_t file_offset = row->offset + (addr - row->start);
    struct loaded_object *object = find_object(s, tid, seq, row);
    uint64_t vaddr;
    if (!object || !object->symbols ||
        elf_symbols_offset_to_vaddr(object->symbols, file_offset, &vaddr) < 0) {
        snprintf(out, size, "%s+0x%llx", base, (unsigned long long)file_offset);
        return 1;
    }
    uint64_t delta;
    const char *name = elf_symbols_find(object->symbols, vaddr, &delta);
    if (name)
        snprintf(out, size, "%s!%s+0x%llx", base, name, (unsigned long long)delta);
    else
        snprintf(out, size, "%s+0x%llx", base, (unsigned long long)vaddr);
    return 1;
}
