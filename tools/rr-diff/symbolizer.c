/*
 * symbolizer.c — code addresses to names (see symbolizer.h).
 *
 * An object is known by its path and the blob of its piece at offset 0
 * (content-addressed: the same library in two processes is read once), and
 * kept for the whole run; a report names a few dozen addresses at most.
 */
#include "symbolizer.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "blob_store.h"
#include "elf_symbols.h"
#include "error.h"
#include "mapping_lookup.h"

enum { PIECES_MAX = 32 };

struct object {
    char path[256];
    int64_t first_blob;
    struct elf_symbols *symbols; /* NULL: not an ELF object the trace can read */
};

struct symbolizer {
    struct trace_store *store;
    struct object *objects;
    int count, capacity;
};

struct symbolizer *symbolizer_new(struct trace_store *store)
{
    struct symbolizer *symbolizer = calloc(1, sizeof *symbolizer);
    if (!symbolizer)
        error_set("out of memory");
    else
        symbolizer->store = store;
    return symbolizer;
}

void symbolizer_free(struct symbolizer *symbolizer)
{
    if (!symbolizer)
        return;
    for (int i = 0; i < symbolizer->count; i++)
        elf_symbols_free(symbolizer->objects[i].symbols);
    free(symbolizer->objects);
    free(symbolizer);
}

static struct elf_symbols *load_symbols(struct symbolizer *symbolizer, const char *path,
                                        const struct trace_mapping *mappings, int count)
{
    struct elf_piece pieces[PIECES_MAX];
    void *copies[PIECES_MAX];
    for (int i = 0; i < count; i++) {
        size_t len = 0;
        copies[i] = NULL;
        if (mappings[i].blob && blob_store_get(symbolizer->store, mappings[i].blob, &copies[i], &len) < 0)
            copies[i] = NULL;
        pieces[i] = (struct elf_piece){mappings[i].offset, copies[i], copies[i] ? len : 0,
                                       (mappings[i].prot & PROT_WRITE) != 0};
    }
    enum elf_disk_use disk;
    struct elf_symbols *symbols = elf_symbols_of_mapped_file(path, pieces, count, &disk);
    for (int i = 0; i < count; i++)
        free(copies[i]);
    error_set("%s", ""); /* an object without symbols is not an error */
    return symbols;
}

static struct object *find_object(struct symbolizer *symbolizer, int32_t tid, int64_t seq,
                                  const char *path)
{
    struct trace_mapping mappings[PIECES_MAX];
    int count = mapping_lookup_file(symbolizer->store, tid, seq, path, mappings, PIECES_MAX);
    if (count <= 0)
        return NULL;
    int64_t first_blob = mappings[0].blob;
    for (int i = 0; i < symbolizer->count; i++)
        if (symbolizer->objects[i].first_blob == first_blob && strcmp(symbolizer->objects[i].path, path) == 0)
            return &symbolizer->objects[i];
    if (symbolizer->count == symbolizer->capacity) {
        int capacity = symbolizer->capacity ? symbolizer->capacity * 2 : 8;
        struct object *objects = realloc(symbolizer->objects, (size_t)capacity * sizeof *objects);
        if (!objects)
            return NULL;
        symbolizer->objects = objects;
        symbolizer->capacity = capacity;
    }
    struct object *object = &symbolizer->objects[symbolizer->count++];
    snprintf(object->path, sizeof object->path, "%s", path);
    object->first_blob = first_blob;
    object->symbols = load_symbols(symbolizer, path, mappings, count);
    return object;
}

int symbolizer_name(struct symbolizer *symbolizer, int32_t tid, int64_t seq, uint64_t addr,
                    char *text, size_t size)
{
    struct trace_mapping mapping;
    int rc = mapping_lookup(symbolizer->store, tid, seq, addr, &mapping);
    if (rc <= 0)
        return rc;
    const char *slash = strrchr(mapping.path, '/');
    const char *base = slash && slash[1] ? slash + 1 : mapping.path[0] ? mapping.path : "[anon]";
    uint64_t file_offset = mapping.offset + (addr - mapping.start);
    snprintf(text, size, "%s+0x%llx", base, (unsigned long long)file_offset);
    if (mapping.path[0] != '/')
        return 1;
    struct object *object = find_object(symbolizer, tid, seq, mapping.path);
    uint64_t vaddr, delta;
    if (!object || !object->symbols ||
        elf_symbols_offset_to_vaddr(object->symbols, file_offset, &vaddr) < 0)
        return 1;
    const char *name = elf_symbols_find(object->symbols, vaddr, &delta);
    if (name)
        snprintf(text, size, "%s!%s+0x%llx", base, name, (unsigned long long)delta);
    return 1;
}
