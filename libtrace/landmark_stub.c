/*
 * landmark_stub.c — building the landmark stub page and the jump to it (see
 * landmark_stub.h), and choosing where the page goes.
 *
 * Layout (offsets) of its two pages: code and data apart, because a store
 * into the page whose code runs costs a self-modifying-code pipeline flush
 * on every pass (measured: 3x slower on a tight loop).
 *   0x0100  the displaced instructions, relocated, then `jmp back`
 *   0x0200  the entry: the comparisons, `int3` on a match
 *   0x1000  saved rcx, saved rax, then the 16 negated expected registers
 */
#include "landmark_stub.h"

#include <assert.h>
#include <stdbool.h>
#include <string.h>

enum {
    SLOT_RCX = 0x1000,
    SLOT_RAX = 0x1008,
    SLOT_EXPECTED = 0x1010,  /* 16 slots of 8 bytes, by register number */
    CODE_MOVED = 0x100,
    CODE_ENTRY = 0x200,
    REG_RAX = 0,
    REG_RCX = 1,
    REG_RSP = 4,
    REG_COUNT = 16,
    PLACE_ALIGN = 4096,
    /* Room left on each side of the stub page, so that it merges with no
     * neighbour. While the stub is mapped the program makes no syscall (any
     * stop but the stub's trap ends the search), so no neighbour grows by
     * brk or mremap meanwhile; only a stack grows by itself, by faults. */
    PLACE_GAP = 4096,
    /* Room left below a stack: its growth, and the kernel's guard gap
     * (stack_guard_gap, 1 MiB by default), which a mapping must not enter
     * for the stack to grow. */
    PLACE_STACK_GAP = 256 << 20,
};

static const uint64_t PLACE_LOWEST = 1ull << 24;
static const uint64_t PLACE_HIGHEST = (1ull << 47) - 2 * LANDMARK_STUB_PAGE;
static const int64_t REACH = INT32_MAX - 2 * LANDMARK_STUB_PAGE;

/* The general registers by their number in x86 encodings. */
static uint64_t reg_by_number(const struct user_regs_struct *regs, int number)
{
    switch (number) {
    case 0: return regs->rax;
    case 1: return regs->rcx;
    case 2: return regs->rdx;
    case 3: return regs->rbx;
    case 4: return regs->rsp;
    case 5: return regs->rbp;
    case 6: return regs->rsi;
    case 7: return regs->rdi;
    case 8: return regs->r8;
    case 9: return regs->r9;
    case 10: return regs->r10;
    case 11: return regs->r11;
    case 12: return regs->r12;
    case 13: return regs->r13;
    case 14: return regs->r14;
    default: return regs->r15;
    }
}

/* Code emitted into the stub page, tracking its own address. */
struct emitter {
    struct landmark_stub *stub;
    uint64_t base;           /* the page's address */
    size_t at;               /* offset of the next byte */
};

static void emit(struct emitter *e, const unsigned char *bytes, size_t size)
{
    memcpy(e->stub->bytes + e->at, bytes, size);
    e->at += size;
}

static void emit_rel32(struct emitter *e, uint64_t target)
{
    int32_t rel = (int32_t)((int64_t)target - (int64_t)(e->base + e->at + 4));
    emit(e, (const unsigned char *)&rel, 4);
}

/* mov REG,[rip+slot] (load) or mov [rip+slot],REG (store), REG rax or rcx. */
static void emit_slot_move(struct emitter *e, bool load, int reg, size_t slot)
{
    unsigned char op[3] = {0x48, load ? 0x8b : 0x89, (unsigned char)(0x05 | reg << 3)};
    emit(e, op, sizeof op);
    emit_rel32(e, e->base + slot);
}

/* lea rcx,[rcx+REG] */
static void emit_add_to_rcx(struct emitter *e, int reg)
{
    unsigned char op[4] = {0x48, 0x8d, 0x0c, 0};
    if (reg == REG_RSP) {
        op[3] = REG_RCX << 3 | REG_RSP; /* rsp cannot be an index: it is the base */
    } else {
        op[0] |= reg >= 8 ? 0x02 : 0;   /* REX.X */
        op[3] = (unsigned char)((reg & 7) << 3 | REG_RCX);
    }
    emit(e, op, sizeof op);
}

/* jrcxz over a jmp rel32 to `mismatch` */
static void emit_unless_zero_jump(struct emitter *e, uint64_t mismatch)
{
    static const unsigned char skip[2] = {0xe3, 0x05}, jmp = 0xe9;
    emit(e, skip, sizeof skip);
    emit(e, &jmp, 1);
    emit_rel32(e, mismatch);
}

bool landmark_stub_fits(const unsigned char *code, size_t len, uint64_t ip)
{
    struct insn_relocation moved;
    /* Relocated in place: whether they can move at all (reach is checked
     * when the stub's page is placed). */
    return len >= LANDMARK_PATCH_SIZE && insn_relocate(code, len, ip, LANDMARK_PATCH_SIZE, ip, &moved) == 0;
}

uint64_t landmark_stub_code_addr(uint64_t stub_addr)
{
    return stub_addr + CODE_MOVED;
}

int landmark_stub_build(uint64_t stub_addr, const struct user_regs_struct *expected,
                        const struct insn_relocation *moved, uint64_t back_to, struct landmark_stub *out)
{
    static const unsigned char jmp = 0xe9, int3 = 0xcc, lea_rcx_rcx_rax[4] = {0x48, 0x8d, 0x0c, 0x01};
    memset(out, 0, sizeof *out);
    struct emitter e = {out, stub_addr, 0};
    for (int reg = 0; reg < REG_COUNT; reg++) {
        uint64_t negated = 0 - reg_by_number(expected, reg);
        memcpy(out->bytes + SLOT_EXPECTED + 8 * reg, &negated, 8);
    }
    int64_t back = (int64_t)back_to - (int64_t)(stub_addr + CODE_MOVED + moved->size + 5);
    if (back < INT32_MIN || back > INT32_MAX)
        return -1;

    e.at = CODE_MOVED;
    emit(&e, moved->code, moved->size);
    emit(&e, &jmp, 1);
    emit_rel32(&e, back_to);
    out->resume_ip = stub_addr + CODE_MOVED;

    /* The comparisons jump to `mismatch`, at a fixed distance after them:
     * 7 bytes of rcx save, 15 x 18 bytes, 39 bytes for rcx, 8 for the match. */
    e.at = CODE_ENTRY;
    uint64_t mismatch = stub_addr + CODE_ENTRY + 7 + 15 * 18 + 39 + 8;
    emit_slot_move(&e, false, REG_RCX, SLOT_RCX);
    for (int reg = 0; reg < REG_COUNT; reg++) {
        if (reg == REG_RCX)
            continue;
        emit_slot_move(&e, true, REG_RCX, SLOT_EXPECTED + 8 * reg);
        emit_add_to_rcx(&e, reg);
        emit_unless_zero_jump(&e, mismatch);
    }
    /* rcx itself, with rax (already known equal) borrowed as the scratch */
    emit_slot_move(&e, false, REG_RAX, SLOT_RAX);
    emit_slot_move(&e, true, REG_RAX, SLOT_EXPECTED + 8 * REG_RCX);
    emit_slot_move(&e, true, REG_RCX, SLOT_RCX);
    emit(&e, lea_rcx_rcx_rax, sizeof lea_rcx_rcx_rax);
    emit_slot_move(&e, true, REG_RAX, SLOT_RAX);
    emit_unless_zero_jump(&e, mismatch);
    /* the match */
    emit_slot_move(&e, true, REG_RCX, SLOT_RCX);
    emit(&e, &int3, 1);
    out->trap_ip = stub_addr + e.at;
    /* the mismatch */
    if (stub_addr + e.at != mismatch)
        return -1;
    emit_slot_move(&e, true, REG_RCX, SLOT_RCX);
    emit(&e, &jmp, 1);
    emit_rel32(&e, out->resume_ip);
    out->size = SLOT_EXPECTED + 8 * REG_COUNT;
    return 0;
}

int landmark_stub_patch(uint64_t from, uint64_t to, unsigned char patch[LANDMARK_PATCH_SIZE])
{
    int64_t rel = (int64_t)to - (int64_t)(from + LANDMARK_PATCH_SIZE);
    if (rel < INT32_MIN || rel > INT32_MAX)
        return -1;
    int32_t rel32 = (int32_t)rel;
    patch[0] = 0xe9;
    memcpy(patch + 1, &rel32, 4);
    return 0;
}

uint64_t landmark_stub_entry(uint64_t stub_addr)
{
    return stub_addr + CODE_ENTRY;
}

static uint64_t distance(uint64_t a, uint64_t b)
{
    return a > b ? a - b : b - a;
}

static bool is_stack(const struct trace_mapping *mapping)
{
    return strcmp(mapping->path, "[stack]") == 0;
}

/* The address nearest to `ip` for a stub page in the hole [lo, hi) (hi:
 * the end of the room, page included), or 0 when the page does not fit. */
static uint64_t nearest_in_hole(uint64_t lo, uint64_t hi, uint64_t ip)
{
    if (lo < PLACE_LOWEST)
        lo = PLACE_LOWEST;
    if (hi > PLACE_HIGHEST + LANDMARK_STUB_PAGE)
        hi = PLACE_HIGHEST + LANDMARK_STUB_PAGE;
    lo = (lo + PLACE_ALIGN - 1) & ~(uint64_t)(PLACE_ALIGN - 1); /* up: never below the hole */
    if (hi < lo + LANDMARK_STUB_PAGE)
        return 0;
    uint64_t last = (hi - LANDMARK_STUB_PAGE) & ~(uint64_t)(PLACE_ALIGN - 1);
    uint64_t candidate = ip & ~(uint64_t)(PLACE_ALIGN - 1);
    candidate = candidate < lo ? lo : candidate > last ? last : candidate;
    assert(candidate >= lo && candidate + LANDMARK_STUB_PAGE <= hi);
    return candidate;
}

uint64_t landmark_stub_place(const struct trace_mapping *mappings, int count, uint64_t ip)
{
    uint64_t best = 0;
    for (int i = 0; i <= count; i++) {
        if (i > 0 && mappings[i - 1].end > PLACE_HIGHEST)
            break; /* past the top of user space ([vsyscall]) */
        uint64_t lo = i == 0 ? 0 : mappings[i - 1].end + PLACE_GAP;
        uint64_t hi = i == count ? UINT64_MAX : mappings[i].start;
        uint64_t gap_above = i < count && is_stack(&mappings[i]) ? PLACE_STACK_GAP : PLACE_GAP;
        if (hi < gap_above)
            continue;
        uint64_t candidate = nearest_in_hole(lo, hi - gap_above, ip);
        if (candidate && distance(candidate, ip) <= (uint64_t)REACH &&
            (!best || distance(candidate, ip) < distance(best, ip)))
            best = candidate;
    }
    return best;
}
