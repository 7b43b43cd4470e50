/*
 * landmark_site.c — whether the landmark stub may patch a place (see
 * landmark_site.h): the displaced instructions must move, and no branch
 * nearby may land among them (a JIT's rotated loop enters the block its back
 * edge jumps to at the block's second instruction: it would run the
 * patch's bytes as code).
 */
#include "landmark_site.h"

#include "branch_targets.h"
#include "error.h"
#include "insn_relocate.h"
#include "landmark_stub.h"

/* Read the code around ip: from ip - LANDMARK_SITE_REACH, or from ip's page
 * when that is not mapped; up to ip + LANDMARK_SITE_REACH or the end of what
 * is mapped. Returns the bytes read (their address in *base), or -1. */
static ssize_t read_around(struct task *task, uint64_t ip, unsigned char *code, uint64_t *base)
{
    *base = ip - LANDMARK_SITE_REACH;
    ssize_t n = task_read_mem(task, *base, code, 2 * LANDMARK_SITE_REACH);
    if (n > LANDMARK_SITE_REACH)
        return n;
    *base = ip & ~(uint64_t)4095;
    n = task_read_mem(task, *base, code, 2 * LANDMARK_SITE_REACH);
    return n > (ssize_t)(ip - *base) ? n : -1;
}

bool landmark_site_patchable(struct task *task, uint64_t ip)
{
    unsigned char code[2 * LANDMARK_SITE_REACH];
    uint64_t base;
    ssize_t n = read_around(task, ip, code, &base);
    struct insn_relocation moved;
    if (n < 0) {
        error_set("cannot read the code at 0x%llx", (unsigned long long)ip);
        return false;
    }
    /* Relocated in place: whether they can move at all (reach is checked
     * when the stub's page is placed). */
    if (insn_relocate(code + (ip - base), (size_t)n - (ip - base), ip, LANDMARK_PATCH_SIZE, ip, &moved) < 0)
        return false;
    if (branch_targets_inside(code, (size_t)n, base, ip, moved.displaced)) {
        error_set("a branch lands inside the landmark stub's jump at 0x%llx", (unsigned long long)ip);
        return false;
    }
    return true;
}
