/*
 * gdb_registers.c — the register table behind the target description and
 * the register packets (see gdb_registers.h). gdb's amd64 Linux support
 * wants the features org.gnu.gdb.i386.core, .sse, .linux (orig_rax) and
 * .segments (fs_base, gs_base) and finds registers by name; their numbers
 * are their order here. x87 and SSE state comes from the FXSAVE area
 * (PTRACE_GETFPREGS), whose abridged tag word is widened to the full one
 * gdb shows (valid or empty: the FXSAVE area does not keep zero/special).
 * Where the CPU (and kernel) have AVX, .avx's ymm0h..ymm15h, the upper
 * halves gdb joins to xmm0..15 as $ymm0..15, come from the XSAVE area
 * (PTRACE_GETREGSET NT_X86_XSTATE, standard layout: zeros while the AVX
 * component is in its initial state).
 */
#include "gdb_registers.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/ptrace.h>

#include "error.h"
#include "task.h"

enum register_home {
    IN_GPRS,        /* user_regs_struct at `offset` */
    IN_FPREGS,      /* user_fpregs_struct at `offset`, `stored` bytes, zero-extended */
    IN_FULL_TAG,    /* the tag word, from the abridged one */
    ALWAYS_ZERO,    /* x87 segment selectors: 64-bit FXSAVE keeps none */
    IN_YMM_HIGH,    /* ymm_high at `offset` */
};

enum feature { CORE, SSE, LINUX, SEGMENTS, AVX };

/* The XSAVE area's standard layout: the header's XSTATE_BV, and the AVX
 * component (the ymm registers' upper halves) with its bit in it. */
enum { XSTATE_BV_OFFSET = 512, YMM_HIGH_OFFSET = 576, XSTATE_AVX = 1 << 2, XSAVE_AREA_MAX = 16384 };

struct register_row {
    const char *name;
    int bits;
    const char *type;
    enum feature feature;
    enum register_home home;
    size_t offset;
    size_t stored;
};

#define GPR(name, type) {#name, 64, type, CORE, IN_GPRS, offsetof(struct user_regs_struct, name), 8}
#define SEG(name) {#name, 32, "int32", CORE, IN_GPRS, offsetof(struct user_regs_struct, name), 4}
#define FPR(name, off, n) {name, 32, "int", CORE, IN_FPREGS, off, n}
#define ST(i) {"st" #i, 80, "i387_ext", CORE, IN_FPREGS, offsetof(struct user_fpregs_struct, st_space) + 16 * i, 10}
#define XMM(i) {"xmm" #i, 128, "vec128", SSE, IN_FPREGS, offsetof(struct user_fpregs_struct, xmm_space) + 16 * i, 16}
#define YMMH(i) {"ymm" #i "h", 128, "uint128", AVX, IN_YMM_HIGH, 16 * i, 16}

static const struct register_row registers[] = {
    GPR(rax, "int64"), GPR(rbx, "int64"), GPR(rcx, "int64"), GPR(rdx, "int64"),
    GPR(rsi, "int64"), GPR(rdi, "int64"), GPR(rbp, "data_ptr"), GPR(rsp, "data_ptr"),
    GPR(r8, "int64"), GPR(r9, "int64"), GPR(r10, "int64"), GPR(r11, "int64"),
    GPR(r12, "int64"), GPR(r13, "int64"), GPR(r14, "int64"), GPR(r15, "int64"),
    GPR(rip, "code_ptr"),
    {"eflags", 32, "int32", CORE, IN_GPRS, offsetof(struct user_regs_struct, eflags), 4},
    SEG(cs), SEG(ss), SEG(ds), SEG(es), SEG(fs), SEG(gs),
    ST(0), ST(1), ST(2), ST(3), ST(4), ST(5), ST(6), ST(7),
    FPR("fctrl", offsetof(struct user_fpregs_struct, cwd), 2),
    FPR("fstat", offsetof(struct user_fpregs_struct, swd), 2),
    {"ftag", 32, "int", CORE, IN_FULL_TAG, 0, 0},
    {"fiseg", 32, "int", CORE, ALWAYS_ZERO, 0, 0},
    FPR("fioff", offsetof(struct user_fpregs_struct, rip), 4),
    {"foseg", 32, "int", CORE, ALWAYS_ZERO, 0, 0},
    FPR("fooff", offsetof(struct user_fpregs_struct, rdp), 4),
    FPR("fop", offsetof(struct user_fpregs_struct, fop), 2),
    XMM(0), XMM(1), XMM(2), XMM(3), XMM(4), XMM(5), XMM(6), XMM(7),
    XMM(8), XMM(9), XMM(10), XMM(11), XMM(12), XMM(13), XMM(14), XMM(15),
    {"mxcsr", 32, "int", SSE, IN_FPREGS, offsetof(struct user_fpregs_struct, mxcsr), 4},
    {"orig_rax", 64, "int", LINUX, IN_GPRS, offsetof(struct user_regs_struct, orig_rax), 8},
    {"fs_base", 64, "int", SEGMENTS, IN_GPRS, offsetof(struct user_regs_struct, fs_base), 8},
    {"gs_base", 64, "int", SEGMENTS, IN_GPRS, offsetof(struct user_regs_struct, gs_base), 8},
    YMMH(0), YMMH(1), YMMH(2), YMMH(3), YMMH(4), YMMH(5), YMMH(6), YMMH(7),
    YMMH(8), YMMH(9), YMMH(10), YMMH(11), YMMH(12), YMMH(13), YMMH(14), YMMH(15),
};
enum { REGISTER_COUNT = sizeof registers / sizeof registers[0], AVX_REGISTERS = 16 };

/* Whether this CPU and kernel have AVX (libgcc asks cpuid and XCR0 at startup). */
static bool have_avx(void)
{
    return __builtin_cpu_supports("avx");
}

int gdb_registers_count(void)
{
    return REGISTER_COUNT - (have_avx() ? 0 : AVX_REGISTERS);
}

/* The task's XSAVE area into xsave (XSAVE_AREA_MAX bytes): its length, or -1. */
static ssize_t read_xsave(struct task *task, unsigned char *xsave)
{
    ssize_t n = task_get_xstate(task, xsave, XSAVE_AREA_MAX);
    if (n >= 0 && n < YMM_HIGH_OFFSET + 256) {
        error_set("task %d's XSAVE area has no AVX component (%zd bytes)", task->tid, n);
        return -1;
    }
    return n;
}

int gdb_registers_pc_regno(void)
{
    return 16;
}

int gdb_registers_fetch(struct task *task, struct gdb_register_file *file)
{
    if (task_get_regs(task, &file->gprs) < 0)
        return -1;
    if (ptrace(PTRACE_GETFPREGS, task->tid, 0, &file->fp) < 0) {
        error_set_errno("cannot read the x87/SSE registers of task %d", task->tid);
        return -1;
    }
    memset(file->ymm_high, 0, sizeof file->ymm_high);
    if (!have_avx())
        return 0;
    static unsigned char xsave[XSAVE_AREA_MAX];
    if (read_xsave(task, xsave) < 0)
        return -1;
    uint64_t present;
    memcpy(&present, xsave + XSTATE_BV_OFFSET, sizeof present);
    if (present & XSTATE_AVX)
        memcpy(file->ymm_high, xsave + YMM_HIGH_OFFSET, sizeof file->ymm_high);
    return 0;
}

int gdb_registers_store(struct task *task, const struct gdb_register_file *file)
{
    if (task_set_regs(task, &file->gprs) < 0)
        return -1;
    if (ptrace(PTRACE_SETFPREGS, task->tid, 0, &file->fp) < 0) {
        error_set_errno("cannot write the x87/SSE registers of task %d", task->tid);
        return -1;
    }
    if (!have_avx())
        return 0;
    static unsigned char xsave[XSAVE_AREA_MAX];
    ssize_t n = read_xsave(task, xsave);
    if (n < 0)
        return -1;
    uint64_t present;
    memcpy(&present, xsave + XSTATE_BV_OFFSET, sizeof present);
    present |= XSTATE_AVX;
    memcpy(xsave + XSTATE_BV_OFFSET, &present, sizeof present);
    memcpy(xsave + YMM_HIGH_OFFSET, file->ymm_high, sizeof file->ymm_high);
    return task_set_xstate(task, xsave, (size_t)n);
}

size_t gdb_register_get(const struct gdb_register_file *file, int regno, unsigned char *out)
{
    if (regno < 0 || regno >= gdb_registers_count())
        return 0;
    const struct register_row *row = &registers[regno];
    size_t bytes = (size_t)row->bits / 8;
    memset(out, 0, bytes);
    switch (row->home) {
    case IN_GPRS: memcpy(out, (const char *)&file->gprs + row->offset, row->stored); break;
    case IN_FPREGS: memcpy(out, (const char *)&file->fp + row->offset, row->stored); break;
    case IN_YMM_HIGH: memcpy(out, (const char *)file->ymm_high + row->offset, row->stored); break;
    case IN_FULL_TAG: {
        unsigned full = 0;
        for (int i = 0; i < 8; i++)
            if (!(file->fp.ftw & (1u << i)))
                full |= 3u << (2 * i); /* empty */
        memcpy(out, &full, 4);
        break;
    }
    case ALWAYS_ZERO: break;
    }
    return bytes;
}

int gdb_register_set(struct gdb_register_file *file, int regno, const unsigned char *bytes)
{
    if (regno < 0 || regno >= gdb_registers_count())
        return -1;
    const struct register_row *row = &registers[regno];
    switch (row->home) {
    case IN_GPRS: memcpy((char *)&file->gprs + row->offset, bytes, row->stored); break;
    case IN_FPREGS: memcpy((char *)&file->fp + row->offset, bytes, row->stored); break;
    case IN_YMM_HIGH: memcpy((char *)file->ymm_high + row->offset, bytes, row->stored); break;
    case IN_FULL_TAG: {
        unsigned full;
        memcpy(&full, bytes, 4);
        file->fp.ftw = 0;
        for (int i = 0; i < 8; i++)
            if (((full >> (2 * i)) & 3) != 3)
                file->fp.ftw |= (unsigned short)(1u << i);
        break;
    }
    case ALWAYS_ZERO: break;
    }
    return 0;
}

static const char *const feature_names[] = {
    [CORE] = "org.gnu.gdb.i386.core", [SSE] = "org.gnu.gdb.i386.sse",
    [LINUX] = "org.gnu.gdb.i386.linux", [SEGMENTS] = "org.gnu.gdb.i386.segments",
    [AVX] = "org.gnu.gdb.i386.avx",
};

/* The vector views gdb's own amd64 description gives an xmm register. */
static const char sse_types[] =
    "<vector id=\"v4f\" type=\"ieee_single\" count=\"4\"/>"
    "<vector id=\"v2d\" type=\"ieee_double\" count=\"2\"/>"
    "<vector id=\"v16i8\" type=\"int8\" count=\"16\"/>"
    "<vector id=\"v8i16\" type=\"int16\" count=\"8\"/>"
    "<vector id=\"v4i32\" type=\"int32\" count=\"4\"/>"
    "<vector id=\"v2i64\" type=\"int64\" count=\"2\"/>"
    "<union id=\"vec128\"><field name=\"v4_float\" type=\"v4f\"/><field name=\"v2_double\" type=\"v2d\"/>"
    "<field name=\"v16_int8\" type=\"v16i8\"/><field name=\"v8_int16\" type=\"v8i16\"/>"
    "<field name=\"v4_int32\" type=\"v4i32\"/><field name=\"v2_int64\" type=\"v2i64\"/>"
    "<field name=\"uint128\" type=\"uint128\"/></union>";

const char *gdb_registers_target_xml(void)
{
    static char xml[16384];
    if (xml[0])
        return xml;
    size_t n = (size_t)snprintf(xml, sizeof xml,
                                "<?xml version=\"1.0\"?><!DOCTYPE target SYSTEM \"gdb-target.dtd\">"
                                "<target><architecture>i386:x86-64</architecture><osabi>GNU/Linux</osabi>");
    for (int i = 0; i < gdb_registers_count(); i++) {
        const struct register_row *row = &registers[i];
        if (i == 0 || registers[i - 1].feature != row->feature) {
            if (i > 0)
                n += (size_t)snprintf(xml + n, sizeof xml - n, "</feature>");
            n += (size_t)snprintf(xml + n, sizeof xml - n, "<feature name=\"%s\">%s", feature_names[row->feature],
                                  row->feature == SSE ? sse_types : "");
        }
        n += (size_t)snprintf(xml + n, sizeof xml - n, "<reg name=\"%s\" bitsize=\"%d\" type=\"%s\"%s/>", row->name,
                              row->bits, row->type, row->feature == SSE && row->bits == 128 ? " group=\"vector\"" : "");
    }
    snprintf(xml + n, sizeof xml - n, "</feature></target>");
    return xml;
}
