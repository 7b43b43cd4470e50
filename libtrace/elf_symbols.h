/*
 * elf_symbols.h — function symbols of an ELF object, to name an address
 * (`read+0x12`), read with libelf either from the pieces of the file that a
 * trace holds (the bytes of its mappings) or from a file on disk.
 *
 * A trace holds what was mapped, and an object's section headers and .symtab
 * are usually past its last mapped byte; so from pieces only the dynamic symbol
 * table is read, found the way the dynamic loader finds it (PT_DYNAMIC:
 * DT_SYMTAB, DT_STRTAB, DT_HASH or DT_GNU_HASH). A file on disk gives .symtab
 * and .dynsym. Offsets in the file are turned into the object's own addresses
 * (what addr2line takes) through its PT_LOAD segments.
 */
#ifndef RRDB_ELF_SYMBOLS_H
#define RRDB_ELF_SYMBOLS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* `len` bytes of the file starting at file offset `offset` (bytes NULL: not
 * known). `writable`: mapped writable, so its last page's tail past the
 * file's data (bss) was zeroed by the kernel and may differ from the file. */
struct elf_piece {
    uint64_t offset;
    const void *bytes;
    size_t len;
    bool writable;
};

struct elf_symbols;

/* Read the program headers and dynamic symbols from pieces of a file. NULL
 * (with error_set) when the pieces do not hold an ELF header and its program
 * headers; an object without a readable dynamic symbol table gives an empty
 * symbol list. */
struct elf_symbols *elf_symbols_from_pieces(const struct elf_piece *pieces, int count);
/* Read the program headers, .symtab and .dynsym of a file on disk. */
struct elf_symbols *elf_symbols_from_file(const char *path);
/* Add the symbols of `from` to `into` (same object, e.g. its file's .symtab). */
int elf_symbols_merge(struct elf_symbols *into, const struct elf_symbols *from);
void elf_symbols_free(struct elf_symbols *symbols);

/* What the file on disk added to a mapped object's symbols. */
enum elf_disk_use {
    ELF_DISK_MERGED,   /* its .symtab, the file still holding the recorded bytes */
    ELF_DISK_MISSING,  /* nothing: no file at the path any more */
    ELF_DISK_CHANGED,  /* nothing: the file's read-only bytes differ from the recording */
};

/* The symbols of an object a trace mapped from `path`: the dynamic symbols
 * of its recorded pieces, and the .symtab of the file at `path` (static
 * functions, a program's main) only while that file still holds the pieces'
 * read-only bytes, so that names never come from a changed binary. *disk
 * says which. NULL (with error_set) when the pieces are not an ELF object. */
struct elf_symbols *elf_symbols_of_mapped_file(const char *path, const struct elf_piece *pieces, int count,
                                               enum elf_disk_use *disk);

/* Whether the file at `path` holds each read-only known piece's bytes at its
 * offset (past the end of the file a mapping reads as zeros): the file the
 * trace mapped, unchanged in what the trace holds of it. */
bool elf_file_holds_pieces(const char *path, const struct elf_piece *pieces, int count);

int elf_symbols_count(const struct elf_symbols *symbols);
/* The object's address for file offset `offset` (through PT_LOAD). 0, or -1
 * when no loadable segment holds that offset. */
int elf_symbols_offset_to_vaddr(const struct elf_symbols *symbols, uint64_t offset, uint64_t *vaddr);
/* The function holding object address `vaddr`, and how far into it vaddr is;
 * NULL when none. */
const char *elf_symbols_find(const struct elf_symbols *symbols, uint64_t vaddr, uint64_t *delta);

#endif
