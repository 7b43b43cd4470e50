/*
 * landmark_stub.c — building the landmark stub page and the jump to it (see
 * landmark_stub.h), and choosing where the page goes.
 *
 * Layout (offsets) of its two pages: code and data apart, because a store
 * into the page whose code runs costs a self-modifying-code pipeline flush
 * on every pass (measured: 3x slower on a tight loop).
 *   0x0100  the displaced instructions, relocated, then `jmp back`
 *   0x0200  the entry: count the pass, compare the registers, then (when
 *           the stub checks the stack) hash the stack window; `int3` on a
 *           match, else on to the displaced instructions
 *   0x1000  data slots: saved registers and flags, the stack window's
 *           address and hash, the hash's constants, the pass count, then
 *           the 16 negated expected registers
 *
 * The register comparisons touch neither flags nor stack (mov, lea, jrcxz).
 * The hash needs mul, xor and add, which change the flags: they are saved
 * without the stack, as `seto al; lahf` (OF, then SF ZF AF PF CF in ah), and
 * put back by `add al,0x7f` (which overflows exactly when al is 1) and
 * `sahf`. Registers the hash uses are saved in slots.
 */
#include "landmark_stub.h"

#include <assert.h>
#include <stdbool.h>
#include <string.h>

#include "content_hash.h"
#include "trace_event.h"

enum {
    SLOT_RCX = 0x1000,
    SLOT_RAX = 0x1008,
    SLOT_RDX = 0x1010,
    SLOT_RSI = 0x1018,
    SLOT_R8 = 0x1020,
    SLOT_R9 = 0x1028,
    SLOT_FLAGS = 0x1030,
    SLOT_WINDOW = 0x1038,    /* the stack window's address: expected rsp - LANDMARK_STACK_BELOW */
    SLOT_HASH = 0x1040,      /* its expected hash */
    SLOT_PRIME_A = 0x1048,
    SLOT_PRIME_B = 0x1050,
    SLOT_PRIME_C = 0x1058,
    SLOT_PASSES = 0x1060,
    SLOT_EXPECTED = 0x1080,  /* 16 slots of 8 bytes, by register number */
    DATA_END = SLOT_EXPECTED + 16 * 8,
    CODE_MOVED = 0x100,
    CODE_ENTRY = 0x200,
    CODE_END = 0x1000,
    REG_RAX = 0,
    REG_RCX = 1,
    REG_RDX = 2,
    REG_RSP = 4,
    REG_RSI = 6,
    REG_R8 = 8,
    REG_R9 = 9,
    REG_COUNT = 16,
    WINDOW_SIZE = LANDMARK_STACK_BELOW + LANDMARK_STACK_ABOVE,
    MAX_MISMATCH_JUMPS = REG_COUNT + 1,
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

_Static_assert(WINDOW_SIZE % 16 == 0, "the stub hashes the stack window 16 bytes a round, with no tail");

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

/* Code emitted into the stub page, tracking its own address, and the jumps
 * to the mismatch path, whose place is known last. */
struct emitter {
    struct landmark_stub *stub;
    uint64_t base;           /* the page's address */
    size_t at;               /* offset of the next byte */
    size_t mismatch_jumps[MAX_MISMATCH_JUMPS]; /* offsets of their rel32 */
    int mismatch_jump_count;
};

static void emit(struct emitter *e, const unsigned char *bytes, size_t size)
{
    assert(e->at + size <= sizeof e->stub->bytes);
    memcpy(e->stub->bytes + e->at, bytes, size);
    e->at += size;
}

static void emit_rel32(struct emitter *e, uint64_t target)
{
    int32_t rel = (int32_t)((int64_t)target - (int64_t)(e->base + e->at + 4));
    emit(e, (const unsigned char *)&rel, 4);
}

/* OPCODE with a 64-bit REG and the memory operand [rip+slot]: a load
 * (0x8b), a store (0x89), add (0x03), sub (0x2b), or mul (0xf7, REG 4). */
static void emit_slot_op(struct emitter *e, unsigned char opcode, int reg, size_t slot)
{
    unsigned char op[3] = {(unsigned char)(0x48 | (reg >= 8 ? 0x04 : 0)), opcode, (unsigned char)(0x05 | (reg & 7) << 3)};
    emit(e, op, sizeof op);
    emit_rel32(e, e->base + slot);
}

static void emit_load(struct emitter *e, int reg, size_t slot)
{
    emit_slot_op(e, 0x8b, reg, slot);
}

static void emit_store(struct emitter *e, int reg, size_t slot)
{
    emit_slot_op(e, 0x89, reg, slot);
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

/* jrcxz over a jmp rel32 to the mismatch path */
static void emit_unless_zero_mismatch(struct emitter *e)
{
    static const unsigned char skip[3] = {0xe3, 0x05, 0xe9};
    emit(e, skip, sizeof skip);
    assert(e->mismatch_jump_count < MAX_MISMATCH_JUMPS);
    e->mismatch_jumps[e->mismatch_jump_count++] = e->at;
    e->at += 4;
}

/* The pass count, one more (for the watchdog's report). rcx is saved. */
static void emit_count_pass(struct emitter *e)
{
    static const unsigned char lea_rcx_plus_1[4] = {0x48, 0x8d, 0x49, 0x01};
    emit_load(e, REG_RCX, SLOT_PASSES);
    emit(e, lea_rcx_plus_1, sizeof lea_rcx_plus_1);
    emit_store(e, REG_RCX, SLOT_PASSES);
}

/* Compare the 16 general registers with the expected ones. rcx is saved. */
static void emit_register_check(struct emitter *e)
{
    static const unsigned char lea_rcx_rcx_rax[4] = {0x48, 0x8d, 0x0c, 0x01};
    for (int reg = 0; reg < REG_COUNT; reg++) {
        if (reg == REG_RCX)
            continue;
        emit_load(e, REG_RCX, SLOT_EXPECTED + 8 * reg);
        emit_add_to_rcx(e, reg);
        emit_unless_zero_mismatch(e);
    }
    /* rcx itself, with rax (already known equal) borrowed as the scratch */
    emit_store(e, REG_RAX, SLOT_RAX);
    emit_load(e, REG_RAX, SLOT_EXPECTED + 8 * REG_RCX);
    emit_load(e, REG_RCX, SLOT_RCX);
    emit(e, lea_rcx_rcx_rax, sizeof lea_rcx_rcx_rax);
    emit_load(e, REG_RAX, SLOT_RAX);
    emit_unless_zero_mismatch(e);
}

/* One lane of content_hash's round: lane = fold(lane ^ [rsi+offset], C) + prime. */
static void emit_hash_lane(struct emitter *e, int lane, unsigned char offset, size_t prime_slot)
{
    const unsigned char load[4] = {0x48, 0x8b, 0x46, offset};                         /* mov rax,[rsi+offset] */
    const unsigned char mix[3] = {0x4c, 0x31, (unsigned char)(0xc0 | (lane & 7) << 3)}; /* xor rax,LANE */
    const unsigned char keep[3] = {0x49, 0x89, (unsigned char)(0xc0 | (lane & 7))};    /* mov LANE,rax */
    static const unsigned char fold[3] = {0x48, 0x31, 0xd0};                          /* xor rax,rdx */
    emit(e, load, sizeof load);
    emit(e, mix, sizeof mix);
    emit_slot_op(e, 0xf7, 4, SLOT_PRIME_C); /* mul qword [C]: rdx:rax */
    emit(e, fold, sizeof fold);
    if (prime_slot)
        emit_slot_op(e, 0x03, REG_RAX, prime_slot);
    emit(e, keep, sizeof keep);
}

/* A lane of content_hash's tail, whose words are zero here (the window is
 * a whole number of rounds): lane = fold(lane, C). */
static void emit_hash_tail(struct emitter *e, int lane)
{
    const unsigned char take[3] = {0x4c, 0x89, (unsigned char)(0xc0 | (lane & 7) << 3)}; /* mov rax,LANE */
    const unsigned char keep[3] = {0x49, 0x89, (unsigned char)(0xc0 | (lane & 7))};      /* mov LANE,rax */
    static const unsigned char fold[3] = {0x48, 0x31, 0xd0};
    emit(e, take, sizeof take);
    emit_slot_op(e, 0xf7, 4, SLOT_PRIME_C);
    emit(e, fold, sizeof fold);
    emit(e, keep, sizeof keep);
}

/* content_hash of the stack window (its address in SLOT_WINDOW) compared
 * with SLOT_HASH, every register and flag left as it was. */
static void emit_stack_check(struct emitter *e)
{
    static const int saved[] = {REG_RAX, REG_RDX, REG_RSI, REG_R8, REG_R9};
    static const size_t slots[] = {SLOT_RAX, SLOT_RDX, SLOT_RSI, SLOT_R8, SLOT_R9};
    static const unsigned char save_flags[4] = {0x0f, 0x90, 0xc0, 0x9f}; /* seto al; lahf */
    static const unsigned char restore_flags[3] = {0x04, 0x7f, 0x9e};   /* add al,0x7f; sahf */
    static const unsigned char next_round[8] = {0x48, 0x83, 0xc6, 0x10,  /* add rsi,16 */
                                                0xff, 0xc9, 0x75, 0};   /* dec ecx; jnz round */
    static const unsigned char finish[9] = {0x4c, 0x31, 0xc0,           /* xor rax,r8 */
                                            0x48, 0x31, 0xd0,           /* (after mul) xor rax,rdx */
                                            0x4c, 0x31, 0xc8};          /* xor rax,r9 */
    static const unsigned char rcx_from_rax[3] = {0x48, 0x89, 0xc1};
    for (size_t i = 0; i < sizeof saved / sizeof *saved; i++)
        emit_store(e, saved[i], slots[i]);
    emit(e, save_flags, sizeof save_flags);
    emit_store(e, REG_RAX, SLOT_FLAGS);

    emit_load(e, REG_RSI, SLOT_WINDOW);
    emit_load(e, REG_R8, SLOT_PRIME_A);
    emit_load(e, REG_R9, SLOT_PRIME_B);
    const unsigned char rounds[5] = {0xb9, WINDOW_SIZE / 16, 0, 0, 0}; /* mov ecx,ROUNDS */
    emit(e, rounds, sizeof rounds);
    size_t round = e->at;
    emit_hash_lane(e, REG_R8, 0, SLOT_PRIME_A);
    emit_hash_lane(e, REG_R9, 8, SLOT_PRIME_B);
    emit(e, next_round, sizeof next_round);
    e->stub->bytes[e->at - 1] = (unsigned char)(int8_t)((int64_t)round - (int64_t)e->at);
    emit_hash_tail(e, REG_R8);
    emit_hash_tail(e, REG_R9);
    /* fold(lane0 ^ (lane1 + len), A) ^ lane1 */
    const unsigned char lane1_plus_len[7] = {0x49, 0x8d, 0x81, WINDOW_SIZE & 0xff, WINDOW_SIZE >> 8, 0, 0};
    emit(e, lane1_plus_len, sizeof lane1_plus_len); /* lea rax,[r9+len] */
    emit(e, finish, 3);
    emit_slot_op(e, 0xf7, 4, SLOT_PRIME_A);
    emit(e, finish + 3, 6);
    emit_slot_op(e, 0x2b, REG_RAX, SLOT_HASH); /* sub rax,[hash]: zero on a match */
    emit(e, rcx_from_rax, sizeof rcx_from_rax);

    emit_load(e, REG_RAX, SLOT_FLAGS);
    emit(e, restore_flags, sizeof restore_flags);
    for (size_t i = 0; i < sizeof saved / sizeof *saved; i++)
        emit_load(e, saved[i], slots[i]);
    emit_unless_zero_mismatch(e);
}

static void set_slot(struct landmark_stub *stub, size_t slot, uint64_t value)
{
    memcpy(stub->bytes + slot, &value, 8);
}

uint64_t landmark_stub_code_addr(uint64_t stub_addr)
{
    return stub_addr + CODE_MOVED;
}

int landmark_stub_build(uint64_t stub_addr, const struct user_regs_struct *expected,
                        const struct landmark_stack_check *stack, const struct insn_relocation *moved,
                        uint64_t back_to, struct landmark_stub *out)
{
    static const unsigned char jmp = 0xe9, int3 = 0xcc;
    memset(out, 0, sizeof *out);
    struct emitter e = {.stub = out, .base = stub_addr};
    for (int reg = 0; reg < REG_COUNT; reg++)
        set_slot(out, SLOT_EXPECTED + 8 * reg, 0 - reg_by_number(expected, reg));
    if (stack) {
        set_slot(out, SLOT_WINDOW, expected->rsp - LANDMARK_STACK_BELOW);
        set_slot(out, SLOT_HASH, (uint64_t)stack->hash);
        set_slot(out, SLOT_PRIME_A, CONTENT_HASH_PRIME_A);
        set_slot(out, SLOT_PRIME_B, CONTENT_HASH_PRIME_B);
        set_slot(out, SLOT_PRIME_C, CONTENT_HASH_PRIME_C);
    }
    int64_t back = (int64_t)back_to - (int64_t)(stub_addr + CODE_MOVED + moved->size + 5);
    if (back < INT32_MIN || back > INT32_MAX)
        return -1;

    e.at = CODE_MOVED;
    emit(&e, moved->code, moved->size);
    emit(&e, &jmp, 1);
    emit_rel32(&e, back_to);
    out->resume_ip = stub_addr + CODE_MOVED;

    e.at = CODE_ENTRY;
    emit_store(&e, REG_RCX, SLOT_RCX);
    emit_count_pass(&e);
    emit_register_check(&e);
    if (stack)
        emit_stack_check(&e);
    /* the match */
    emit_load(&e, REG_RCX, SLOT_RCX);
    emit(&e, &int3, 1);
    out->trap_ip = stub_addr + e.at;
    /* the mismatch */
    for (int i = 0; i < e.mismatch_jump_count; i++) {
        int32_t rel = (int32_t)(e.at - (e.mismatch_jumps[i] + 4));
        memcpy(out->bytes + e.mismatch_jumps[i], &rel, 4);
    }
    emit_load(&e, REG_RCX, SLOT_RCX);
    emit(&e, &jmp, 1);
    emit_rel32(&e, out->resume_ip);
    assert(e.at <= CODE_END);
    out->size = DATA_END;
    return 0;
}

uint64_t landmark_stub_passes_addr(uint64_t stub_addr)
{
    return stub_addr + SLOT_PASSES;
}

int landmark_stub_patch(uint64_t from, uint64_t to, unsigned char patch[LANDMARK_PATCH_SIZE])
{
    int64_t rel = (int64_t)to - (int64_t)(from + LANDMARK_PATCH_SIZE);
    if (rel < INT32_MIN || rel > INT32_MAX)
        return -1;
    int32_t rel32 = (int32_t)rel;
    patch[0] = LANDMARK_PATCH_JMP;
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
