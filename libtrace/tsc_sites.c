/*
 * tsc_sites.c — finding rdtsc and rdtscp instructions in code (see
 * tsc_sites.h): byte patterns confirmed by decoding, within the sections an
 * ELF file marks executable.
 */
#include "tsc_sites.h"

#include <capstone/capstone.h>
#include <fcntl.h>
#include <gelf.h>
#include <libelf.h>
#include <stdbool.h>
#include <stdlib.h>
#include <unistd.h>

#include "array_grow.h"
#include "error.h"

enum {
    /* How far before a candidate decoding starts when it cannot go on from
     * the previous one: x86 decoding falls into step with the real
     * instruction boundaries within a few instructions. */
    RESYNC_BYTES = 256,
};

/* rdtsc (0f 31) or rdtscp (0f 01 f9), or one a recorder rewrote already
 * (f4 for 0f): a recorded recorder finds its tracee's code patched by the
 * recorder recording it, and patches (and answers) the same sites. */
static bool is_candidate(const unsigned char *code, size_t len, size_t at)
{
    if ((code[at] != 0x0f && code[at] != TSC_SITE_MARK) || at + 1 >= len)
        return false;
    return code[at + 1] == 0x31 || (at + 2 < len && code[at + 1] == 0x01 && code[at + 2] == 0xf9);
}

static int add_offset(size_t **offsets, int *count, int *capacity, size_t at)
{
    size_t *grown = array_grow(*offsets, capacity, *count + 1, sizeof *grown, 8);
    if (!grown)
        return -1;
    *offsets = grown;
    grown[(*count)++] = at;
    return 0;
}

int tsc_sites_find(const unsigned char *code, size_t len, size_t **offsets)
{
    *offsets = NULL;
    csh handle;
    if (cs_open(CS_ARCH_X86, CS_MODE_64, &handle) != CS_ERR_OK) {
        error_set("capstone cannot decode x86_64");
        return -1;
    }
    cs_insn *insn = cs_malloc(handle);
    int count = 0, capacity = 0;
    bool have_cursor = false;
    size_t cursor = 0; /* an instruction boundary decoding reached */
    for (size_t at = 0; insn && at < len; at++) {
        if (!is_candidate(code, len, at))
            continue;
        if (!have_cursor || cursor > at + RESYNC_BYTES || at - cursor > 4 * RESYNC_BYTES)
            cursor = at > RESYNC_BYTES ? at - RESYNC_BYTES : 0;
        have_cursor = true;
        while (cursor < at) {
            const uint8_t *next = code + cursor;
            size_t left = len - cursor;
            uint64_t address = cursor;
            if (code[cursor] == TSC_SITE_MARK && is_candidate(code, len, cursor))
                cursor += code[cursor + 1] == 0x31 ? 2 : 3; /* a rewritten site: the instruction it was */
            else
                cursor += cs_disasm_iter(handle, &next, &left, &address, insn) ? insn->size : 1;
        }
        if (cursor == at && add_offset(offsets, &count, &capacity, at) < 0) {
            count = -1;
            break;
        }
    }
    if (!insn) {
        error_set("capstone: out of memory");
        count = -1;
    }
    if (insn)
        cs_free(insn, 1);
    cs_close(&handle);
    if (count < 0) {
        free(*offsets);
        *offsets = NULL;
    }
    return count;
}

int tsc_sites_code_ranges(const char *path, uint64_t offset, uint64_t length, struct code_range **ranges)
{
    *ranges = NULL;
    if (elf_version(EV_CURRENT) == EV_NONE)
        return -1;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return -1;
    Elf *elf = elf_begin(fd, ELF_C_READ, NULL);
    size_t sections;
    int count = -1, capacity = 0;
    if (elf && elf_kind(elf) == ELF_K_ELF && elf_getshdrnum(elf, &sections) == 0 && sections > 0) {
        count = 0;
        for (Elf_Scn *scn = elf_nextscn(elf, NULL); scn; scn = elf_nextscn(elf, scn)) {
            GElf_Shdr shdr;
            if (!gelf_getshdr(scn, &shdr) || shdr.sh_type != SHT_PROGBITS || !(shdr.sh_flags & SHF_EXECINSTR))
                continue;
            uint64_t start = shdr.sh_offset > offset ? shdr.sh_offset : offset;
            uint64_t end = shdr.sh_offset + shdr.sh_size;
            if (end > offset + length)
                end = offset + length;
            if (start >= end)
                continue;
            struct code_range *grown = array_grow(*ranges, &capacity, count + 1, sizeof *grown, 4);
            if (!grown) {
                count = -1;
                break;
            }
            *ranges = grown;
            grown[count++] = (struct code_range){start - offset, end - offset};
        }
    }
    if (elf)
        elf_end(elf);
    close(fd);
    if (count < 0) {
        free(*ranges);
        *ranges = NULL;
    }
    return count;
}
