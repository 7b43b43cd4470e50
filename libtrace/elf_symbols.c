/*
 * elf_symbols.c — function symbols from ELF pieces or files (see elf_symbols.h).
 *
 * Symbols are kept sorted by address; when several names share an address
 * (write, __write, __libc_write) the one a user would type is preferred: no
 * leading underscore, global before local, then the shortest.
 */
#include "elf_symbols.h"

#include <fcntl.h>
#include <gelf.h>
#include <libelf.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "array_grow.h"
#include "error.h"

struct elf_symbol {
    uint64_t value, size;
    int rank; /* lower is preferred among names at one address */
    char *name;
};

struct elf_segment {
    uint64_t offset, vaddr, filesz;
};

struct elf_symbols {
    struct elf_symbol *items;
    int count, capacity;
    struct elf_segment *segments;
    int segment_count;
    bool sorted;
};

static bool libelf_ready(void)
{
    static int state; /* 0 unknown, 1 ready, -1 unusable */
    if (state == 0)
        state = elf_version(EV_CURRENT) == EV_NONE ? -1 : 1;
    if (state < 0)
        error_set("libelf: %s", elf_errmsg(-1));
    return state > 0;
}

static struct elf_symbols *symbols_new(void)
{
    struct elf_symbols *s = calloc(1, sizeof *s);
    if (!s)
        error_set("out of memory");
    return s;
}

void elf_symbols_free(struct elf_symbols *s)
{
    if (!s)
        return;
    for (int i = 0; i < s->count; i++)
        free(s->items[i].name);
    free(s->items);
    free(s->segments);
    free(s);
}

static int symbol_rank(const char *name, int binding)
{
    int rank = 0;
    while (name[rank] == '_')
        rank++;
    rank *= 2;
    if (binding == STB_LOCAL)
        rank++;
    return rank;
}

static int add_symbol(struct elf_symbols *s, uint64_t value, uint64_t size, int binding, const char *name)
{
    if (!name || !name[0] || value == 0)
        return 0;
    struct elf_symbol *items = array_grow(s->items, &s->capacity, s->count + 1, sizeof *items, 256);
    if (!items) {
        return -1;
    }
    s->items = items;
    char *copy = strdup(name);
    if (!copy) {
        error_set("out of memory");
        return -1;
    }
    s->items[s->count++] = (struct elf_symbol){value, size, symbol_rank(name, binding), copy};
    s->sorted = false;
    return 0;
}

static bool is_function(const GElf_Sym *sym)
{
    int type = GELF_ST_TYPE(sym->st_info);
    return (type == STT_FUNC || type == STT_GNU_IFUNC) && sym->st_shndx != SHN_UNDEF;
}

static int read_segments(struct elf_symbols *s, Elf *elf)
{
    size_t count;
    if (elf_getphdrnum(elf, &count) != 0) {
        error_set("ELF program headers: %s", elf_errmsg(-1));
        return -1;
    }
    s->segments = calloc(count ? count : 1, sizeof *s->segments);
    if (!s->segments) {
        error_set("out of memory");
        return -1;
    }
    for (size_t i = 0; i < count; i++) {
        GElf_Phdr phdr;
        if (!gelf_getphdr(elf, (int)i, &phdr)) {
            error_set("ELF program header %zu: %s", i, elf_errmsg(-1));
            return -1;
        }
        if (phdr.p_type == PT_LOAD)
            s->segments[s->segment_count++] = (struct elf_segment){phdr.p_offset, phdr.p_vaddr, phdr.p_filesz};
    }
    return 0;
}

static int segment_vaddr_to_offset(const struct elf_symbols *s, uint64_t vaddr, uint64_t *offset)
{
    for (int i = 0; i < s->segment_count; i++) {
        const struct elf_segment *seg = &s->segments[i];
        if (vaddr >= seg->vaddr && vaddr - seg->vaddr < seg->filesz) {
            *offset = seg->offset + (vaddr - seg->vaddr);
            return 0;
        }
    }
    return -1;
}

int elf_symbols_offset_to_vaddr(const struct elf_symbols *s, uint64_t offset, uint64_t *vaddr)
{
    for (int i = 0; i < s->segment_count; i++) {
        const struct elf_segment *seg = &s->segments[i];
        if (offset >= seg->offset && offset - seg->offset < seg->filesz) {
            *vaddr = seg->vaddr + (offset - seg->offset);
            return 0;
        }
    }
    return -1;
}

/* --- from pieces of a file ------------------------------------------------ */

struct image {
    unsigned char *bytes;
    size_t size;
    const struct elf_piece *pieces;
    int count;
};

/* Whether the pieces hold every byte of [offset, offset + len). */
static bool image_holds(const struct image *im, uint64_t offset, uint64_t len)
{
    while (len > 0) {
        bool found = false;
        for (int i = 0; i < im->count; i++) {
            const struct elf_piece *p = &im->pieces[i];
            if (offset >= p->offset && offset - p->offset < p->len) {
                uint64_t available = p->len - (offset - p->offset);
                uint64_t used = available < len ? available : len;
                offset += used;
                len -= used;
                found = true;
                break;
            }
        }
        if (!found)
            return false;
    }
    return true;
}

/* The bytes at object address `vaddr`, when the pieces hold `len` of them. */
static const unsigned char *image_at_vaddr(const struct image *im, const struct elf_symbols *s,
                                           uint64_t vaddr, uint64_t len)
{
    uint64_t offset;
    if (segment_vaddr_to_offset(s, vaddr, &offset) < 0 || !image_holds(im, offset, len))
        return NULL;
    return im->bytes + offset;
}

static uint32_t read_u32(const unsigned char *p)
{
    uint32_t v;
    memcpy(&v, p, sizeof v);
    return v;
}

/* Number of dynamic symbols, from DT_HASH (nchain) or by walking DT_GNU_HASH
 * to the last chain's end; 0 when neither is readable. */
static uint64_t dynamic_symbol_count(const struct image *im, const struct elf_symbols *s,
                                     uint64_t hash, uint64_t gnu_hash)
{
    const unsigned char *p;
    if (hash && (p = image_at_vaddr(im, s, hash, 8)))
        return read_u32(p + 4);
    if (!gnu_hash || !(p = image_at_vaddr(im, s, gnu_hash, 16)))
        return 0;
    uint32_t nbuckets = read_u32(p), symoffset = read_u32(p + 4), bloom_size = read_u32(p + 8);
    uint64_t buckets_at = gnu_hash + 16 + (uint64_t)bloom_size * 8;
    const unsigned char *buckets = image_at_vaddr(im, s, buckets_at, (uint64_t)nbuckets * 4);
    if (!buckets)
        return 0;
    uint32_t last = 0;
    for (uint32_t i = 0; i < nbuckets; i++)
        if (read_u32(buckets + 4 * i) > last)
            last = read_u32(buckets + 4 * i);
    if (last < symoffset)
        return symoffset;
    uint64_t chains_at = buckets_at + (uint64_t)nbuckets * 4;
    for (uint32_t limit = 0; limit < (1u << 24); limit++, last++) {
        const unsigned char *chain = image_at_vaddr(im, s, chains_at + 4 * (uint64_t)(last - symoffset), 4);
        if (!chain)
            return 0;
        if (read_u32(chain) & 1)
            return (uint64_t)last + 1;
    }
    return 0;
}

static int read_dynamic_symbols(struct elf_symbols *s, const struct image *im, Elf *elf)
{
    size_t count;
    if (elf_getphdrnum(elf, &count) != 0)
        return 0;
    GElf_Phdr dynamic = {0};
    for (size_t i = 0; i < count; i++) {
        GElf_Phdr phdr;
        if (gelf_getphdr(elf, (int)i, &phdr) && phdr.p_type == PT_DYNAMIC)
            dynamic = phdr;
    }
    if (!dynamic.p_filesz || !image_holds(im, dynamic.p_offset, dynamic.p_filesz))
        return 0; /* no dynamic section in the trace: no symbols, not an error */
    uint64_t symtab = 0, strtab = 0, strsz = 0, syment = sizeof(Elf64_Sym), hash = 0, gnu_hash = 0;
    for (uint64_t at = 0; at + sizeof(Elf64_Dyn) <= dynamic.p_filesz; at += sizeof(Elf64_Dyn)) {
        Elf64_Dyn dyn;
        memcpy(&dyn, im->bytes + dynamic.p_offset + at, sizeof dyn);
        if (dyn.d_tag == DT_NULL)
            break;
        switch (dyn.d_tag) {
        case DT_SYMTAB: symtab = dyn.d_un.d_ptr; break;
        case DT_STRTAB: strtab = dyn.d_un.d_ptr; break;
        case DT_STRSZ: strsz = dyn.d_un.d_val; break;
        case DT_SYMENT: syment = dyn.d_un.d_val; break;
        case DT_HASH: hash = dyn.d_un.d_ptr; break;
        case DT_GNU_HASH: gnu_hash = dyn.d_un.d_ptr; break;
        default: break;
        }
    }
    uint64_t nsyms = dynamic_symbol_count(im, s, hash, gnu_hash);
    if (!symtab || !strtab || !strsz || syment != sizeof(Elf64_Sym) || !nsyms)
        return 0;
    const unsigned char *syms = image_at_vaddr(im, s, symtab, nsyms * syment);
    const unsigned char *strings = image_at_vaddr(im, s, strtab, strsz);
    if (!syms || !strings)
        return 0;
    for (uint64_t i = 0; i < nsyms; i++) {
        Elf64_Sym raw;
        memcpy(&raw, syms + i * syment, sizeof raw);
        GElf_Sym sym = raw; /* GElf_Sym is Elf64_Sym */
        if (!is_function(&sym) || raw.st_name >= strsz)
            continue;
        const char *name = (const char *)strings + raw.st_name;
        if (!memchr(name, '\0', strsz - raw.st_name))
            continue;
        if (add_symbol(s, sym.st_value, sym.st_size, GELF_ST_BIND(sym.st_info), name) < 0)
            return -1;
    }
    return 0;
}

struct elf_symbols *elf_symbols_from_pieces(const struct elf_piece *pieces, int count)
{
    if (!libelf_ready())
        return NULL;
    struct image im = {NULL, 0, pieces, count};
    for (int i = 0; i < count; i++)
        if (pieces[i].offset + pieces[i].len > im.size)
            im.size = pieces[i].offset + pieces[i].len;
    if (!image_holds(&im, 0, sizeof(Elf64_Ehdr))) {
        error_set("the trace does not hold the ELF header");
        return NULL;
    }
    im.bytes = calloc(1, im.size);
    struct elf_symbols *s = symbols_new();
    if (!im.bytes || !s) {
        free(im.bytes);
        free(s);
        error_set("out of memory");
        return NULL;
    }
    for (int i = 0; i < count; i++)
        memcpy(im.bytes + pieces[i].offset, pieces[i].bytes, pieces[i].len);
    Elf64_Ehdr ehdr;
    memcpy(&ehdr, im.bytes, sizeof ehdr);
    bool usable = memcmp(ehdr.e_ident, ELFMAG, SELFMAG) == 0 && ehdr.e_ident[EI_CLASS] == ELFCLASS64 &&
                  image_holds(&im, ehdr.e_phoff, (uint64_t)ehdr.e_phnum * sizeof(Elf64_Phdr));
    Elf *elf = NULL;
    if (usable) {
        /* The section headers are not in the pieces: make libelf ignore them. */
        ehdr.e_shoff = 0;
        ehdr.e_shnum = 0;
        ehdr.e_shstrndx = 0;
        memcpy(im.bytes, &ehdr, sizeof ehdr);
        elf = elf_memory((char *)im.bytes, im.size);
    }
    if (!elf || elf_kind(elf) != ELF_K_ELF || read_segments(s, elf) < 0 ||
        read_dynamic_symbols(s, &im, elf) < 0) {
        if (!usable || !elf || elf_kind(elf) != ELF_K_ELF)
            error_set("not a 64-bit ELF object");
        if (elf)
            elf_end(elf);
        free(im.bytes);
        elf_symbols_free(s);
        return NULL;
    }
    elf_end(elf);
    free(im.bytes);
    return s;
}

/* --- from a file ------------------------------------------------------------ */

static int read_section_symbols(struct elf_symbols *s, Elf *elf)
{
    Elf_Scn *scn = NULL;
    while ((scn = elf_nextscn(elf, scn))) {
        GElf_Shdr shdr;
        if (!gelf_getshdr(scn, &shdr) || (shdr.sh_type != SHT_SYMTAB && shdr.sh_type != SHT_DYNSYM) ||
            !shdr.sh_entsize)
            continue;
        Elf_Data *data = elf_getdata(scn, NULL);
        if (!data)
            continue;
        size_t n = shdr.sh_size / shdr.sh_entsize;
        for (size_t i = 0; i < n; i++) {
            GElf_Sym sym;
            if (!gelf_getsym(data, (int)i, &sym) || !is_function(&sym))
                continue;
            const char *name = elf_strptr(elf, shdr.sh_link, sym.st_name);
            if (add_symbol(s, sym.st_value, sym.st_size, GELF_ST_BIND(sym.st_info), name) < 0)
                return -1;
        }
    }
    return 0;
}

struct elf_symbols *elf_symbols_from_file(const char *path)
{
    if (!libelf_ready())
        return NULL;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        error_set_errno("cannot open %s", path);
        return NULL;
    }
    Elf *elf = elf_begin(fd, ELF_C_READ, NULL);
    struct elf_symbols *s = NULL;
    if (!elf || elf_kind(elf) != ELF_K_ELF)
        error_set("%s is not an ELF object", path);
    else if (!(s = symbols_new()))
        ;
    else if (read_segments(s, elf) < 0 || read_section_symbols(s, elf) < 0) {
        elf_symbols_free(s);
        s = NULL;
    }
    if (elf)
        elf_end(elf);
    close(fd);
    return s;
}

int elf_symbols_merge(struct elf_symbols *into, const struct elf_symbols *from)
{
    for (int i = 0; i < from->count; i++) {
        const struct elf_symbol *sym = &from->items[i];
        if (add_symbol(into, sym->value, sym->size, STB_GLOBAL, sym->name) < 0)
            return -1;
        into->items[into->count - 1].rank = sym->rank;
    }
    return 0;
}

int elf_symbols_count(const struct elf_symbols *s)
{
    return s->count;
}

static int compare_symbols(const void *a, const void *b)
{
    const struct elf_symbol *x = a, *y = b;
    if (x->value != y->value)
        return x->value < y->value ? -1 : 1;
    if (x->rank != y->rank)
        return x->rank - y->rank;
    size_t lx = strlen(x->name), ly = strlen(y->name);
    if (lx != ly)
        return lx < ly ? -1 : 1;
    return strcmp(x->name, y->name);
}

const char *elf_symbols_find(const struct elf_symbols *cs, uint64_t vaddr, uint64_t *delta)
{
    struct elf_symbols *s = (struct elf_symbols *)cs; /* sorting is a cache */
    if (!s->sorted) {
        if (s->count)
            qsort(s->items, (size_t)s->count, sizeof *s->items, compare_symbols);
        s->sorted = true;
    }
    int lo = 0, hi = s->count - 1, found = -1;
    while (lo <= hi) {
        int mid = lo + (hi - lo) / 2;
        if (s->items[mid].value <= vaddr) {
            found = mid;
            lo = mid + 1;
        } else {
            hi = mid - 1;
        }
    }
    if (found < 0)
        return NULL;
    while (found > 0 && s->items[found - 1].value == s->items[found].value)
        found--;
    /* Among the names at this address, a sized one that covers vaddr wins. */
    uint64_t value = s->items[found].value;
    for (int i = found; i < s->count && s->items[i].value == value; i++) {
        const struct elf_symbol *sym = &s->items[i];
        /* An unsized name (assembly) counts only for its first page. */
        if (sym->size == 0 ? vaddr - value < 4096 : vaddr - value < sym->size) {
            *delta = vaddr - value;
            return sym->name;
        }
    }
    return NULL;
}

bool elf_file_holds_pieces(const char *path, const struct elf_piece *pieces, int count)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return false;
    bool same = true;
    int compared = 0;
    unsigned char *disk = NULL;
    for (int i = 0; i < count && same; i++) {
        if (pieces[i].writable || !pieces[i].bytes)
            continue;
        unsigned char *grown = realloc(disk, pieces[i].len ? pieces[i].len : 1);
        if (!grown) {
            same = false;
            break;
        }
        disk = grown;
        ssize_t n = pread(fd, disk, pieces[i].len, (off_t)pieces[i].offset);
        size_t have = n > 0 ? (size_t)n : 0;
        const unsigned char *bytes = pieces[i].bytes;
        same = memcmp(disk, bytes, have) == 0;
        for (size_t j = have; same && j < pieces[i].len; j++)
            same = bytes[j] == 0;
        compared++;
    }
    free(disk);
    close(fd);
    return same && compared > 0;
}

struct elf_symbols *elf_symbols_of_mapped_file(const char *path, const struct elf_piece *pieces, int count,
                                               enum elf_disk_use *disk)
{
    struct elf_symbols *symbols = elf_symbols_from_pieces(pieces, count);
    if (!symbols)
        return NULL;
    if (access(path, F_OK) != 0) {
        *disk = ELF_DISK_MISSING;
    } else if (!elf_file_holds_pieces(path, pieces, count)) {
        *disk = ELF_DISK_CHANGED;
    } else {
        *disk = ELF_DISK_MERGED;
        struct elf_symbols *from_disk = elf_symbols_from_file(path);
        if (from_disk) {
            elf_symbols_merge(symbols, from_disk);
            elf_symbols_free(from_disk);
        }
    }
    return symbols;
}
