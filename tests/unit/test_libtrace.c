/*
 * test_libtrace.c — unit tests of libtrace's pure parts: the register codec,
 * the content hash, the syscall table and its `writes` grammar, and the trace
 * store (blobs shared by content, events and memory writes read back in order,
 * format checks on open; a changed trace's numbers refused, traces private),
 * the instruction relocator, the landmark stub (run in this process) and the
 * branch scan around its patch. Prints PASS/FAIL lines and `N passed, M failed`.
 */
#include <errno.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "array_grow.h"
#include "blob_store.h"
#include "branch_targets.h"
#include "content_hash.h"
#include "error.h"
#include "event_log.h"
#include "insn_relocate.h"
#include "kernel_writes.h"
#include "landmark_stub.h"
#include "regs_codec.h"
#include "syscall_table.h"
#include "trace_store.h"
#include "trace_verify.h"
#include "unit_check.h"

static void test_regs_codec(void)
{
    struct user_regs_struct base, regs, decoded;
    memset(&base, 0, sizeof base);
    regs = base;
    regs.rip = 0x401000;
    regs.rax = (unsigned long long)-38;
    unsigned char encoded[REGS_ENCODED_MAX];
    size_t len = regs_encode(&base, &regs, encoded);
    check(len == 4 + 2 * 8, "regs_encode stores only changed registers");
    check(regs_decode(&base, encoded, len, &decoded) == 0 && memcmp(&decoded, &regs, sizeof regs) == 0,
          "regs_decode restores the registers");
    check(regs_decode(&base, encoded, len - 1, &decoded) < 0, "regs_decode rejects a short encoding");
    check(strcmp(regs_name(16), "rip") == 0, "regs_name follows user_regs_struct order");
}

static void test_content_hash(void)
{
    char a[100] = {0}, b[101] = {0};
    check(content_hash(a, sizeof a) != content_hash(b, sizeof b), "hash depends on length");
    b[50] = 1;
    check(content_hash(a, 100) != content_hash(b, 100), "hash depends on content");
    check(content_hash("abc", 3) == content_hash("abc", 3), "hash is deterministic");

    /* A stream fed in pieces cut anywhere hashes as the bytes in one piece. */
    unsigned char bytes[300];
    for (size_t i = 0; i < sizeof bytes; i++)
        bytes[i] = (unsigned char)(i * 37 + 11);
    int streams_agree = 1;
    for (size_t len = 0; len <= sizeof bytes; len += 7) {
        for (size_t cut = 1; cut <= 33; cut += 4) {
            struct content_hash_stream stream;
            content_hash_start(&stream);
            for (size_t at = 0; at < len; at += cut) {
                content_hash_add(&stream, bytes + at, at + cut <= len ? cut : len - at);
                content_hash_add(&stream, NULL, 0);
            }
            streams_agree &= content_hash_value(&stream) == content_hash(bytes, len);
        }
    }
    check(streams_agree, "content_hash_stream in pieces equals content_hash of the whole");
    check(content_hash(NULL, 0) == content_hash("", 0), "hash of no bytes reads nothing (NULL is fine)");
}

/* A trace with one blob, one event and its mapping, then changed by `sql`. */
static void write_damaged_trace(const char *path, const char *sql)
{
    struct trace_store *store = trace_store_create(path);
    if (!store)
        return;
    char page[4096];
    memset(page, 'p', sizeof page);
    struct trace_event event = {.seq = 0, .tid = 7, .kind = EVENT_EXEC};
    struct trace_mapping mapping = {.start = 0x400000, .end = 0x401000, .prot = 5, .flags = 2};
    event_log_append(store, &event);
    event_log_add_mapping(store, 0, &mapping, page);
    trace_store_close(store);
    sqlite3 *db;
    if (sqlite3_open(path, &db) == SQLITE_OK)
        sqlite3_exec(db, sql, NULL, NULL, NULL);
    sqlite3_close(db);
}

/* Numbers a changed trace holds are checked before they are used. */
static void test_damaged_trace(void)
{
    static const struct {
        const char *sql, *name;
    } damages[] = {
        {"UPDATE blob SET raw_size = -4096", "a blob of -4096 bytes is corrupt, not a huge malloc"},
        {"UPDATE blob SET raw_size = 1 << 40", "a blob of 2^40 bytes is corrupt"},
        {"UPDATE blob SET lz4 = x'00'", "blob bytes shorter than lz4_size are corrupt"},
        {"UPDATE blob SET lz4_size = raw_size + 1", "lz4_size above raw_size is corrupt"},
        {"UPDATE blob SET raw_size = 1000000, lz4 = x'00', lz4_size = 1", "1 byte cannot expand to 1000000"},
    };
    char path[] = "/tmp/rrdb-unit-damaged.trace";
    for (size_t i = 0; i < sizeof damages / sizeof damages[0]; i++) {
        unit_remove_trace(path);
        write_damaged_trace(path, damages[i].sql);
        struct trace_store *store = trace_store_open(path);
        void *data = NULL;
        size_t len;
        check(store && blob_store_get(store, 1, &data, &len) < 0 && strstr(error_text(), "corrupt"),
              damages[i].name);
        free(data);
        if (store)
            trace_store_close(store);
    }
    unit_remove_trace(path);
    write_damaged_trace(path, "UPDATE mapping SET end = start - 4096");
    struct trace_store *store = trace_store_open(path);
    struct trace_mapping *mappings = NULL;
    check(store && event_log_mappings(store, 0, &mappings) < 0 && strstr(error_text(), "bad range"),
          "a mapping that ends before it starts is refused");
    free(mappings);
    if (store)
        trace_store_close(store);
    unit_remove_trace(path);
    write_damaged_trace(path, "DROP TABLE mem_read");
    check(trace_store_open(path) == NULL && strstr(error_text(), "table mem_read is missing"),
          "a trace missing a table is refused at open");
    unit_remove_trace(path);
}

/* A trace changed after it was written is found out (trace_verify.h):
 * named as damaged when read, its end told apart from a cut one. */
static void test_integrity_chain(void)
{
    static const struct {
        const char *sql, *name;
        int next;             /* what event_log_next returns */
        int end;              /* what trace_verify_end returns */
        enum trace_end how;   /* and says, when it returns 0 */
        const char *message;  /* in error_text() when one of them fails */
    } cases[] = {
        {"SELECT 1", "an unchanged trace verifies, sealed", 1, 0, TRACE_END_STOPPED, NULL},
        {"UPDATE event SET tid = 8", "a changed event names its batch", -1, -1, 0, "batch 2 (events 0 to 0) does not match"},
        {"UPDATE blob SET lz4 = lz4 || x'00'", "a changed blob names its batch", -1, -1, 0, "does not match its checksum"},
        {"UPDATE syscall_info SET name = 'x' WHERE nr = 0", "a changed syscall table names batch 1", -1, -1, 0,
         "batch 1 (no events) does not match"},
        {"DELETE FROM batch WHERE id = 2", "a deleted batch leaves rows after the last", -1, -1, 0,
         "lies after the last checksummed batch"},
        {"INSERT INTO meta VALUES ('x', 'y')", "added metadata breaks the seal", 1, -1, 0, "seal does not match"},
        {"DELETE FROM meta WHERE key = 'seal'", "no seal: cut short", 1, 0, TRACE_END_CUT_SHORT, NULL},
        {"INSERT INTO mem_read VALUES (0, 1, 1, 1)", "rows after the last batch are damage", 1, -1, 0,
         "table mem_read has rows after"},
    };
    char path[] = "/tmp/rrdb-unit-chain.trace";
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        unit_remove_trace(path);
        write_damaged_trace(path, cases[i].sql);
        struct trace_store *store = trace_store_open(path);
        struct trace_event event;
        enum trace_end how = TRACE_END_UNVERIFIED;
        int next = store ? event_log_next(store, &event) : -2;
        int end = store ? trace_verify_end(store, &how) : -2;
        bool ok = next == cases[i].next && end == cases[i].end && (end < 0 || how == cases[i].how) &&
                  (!cases[i].message || strstr(error_text(), cases[i].message));
        check(ok, cases[i].name);
        if (!ok)
            printf("    next %d, end %d, how %d: %s\n", next, end, (int)how, error_text());
        if (store)
            trace_store_close(store);
    }
    unit_remove_trace(path);
    write_damaged_trace(path, "UPDATE event SET tid = 8");
    struct trace_store *store = NULL;
    struct trace_event event;
    check(trace_store_reseal(path) == 0 && (store = trace_store_open(path)) && event_log_next(store, &event) == 1 &&
              event.tid == 8,
          "a resealed change reads as written");
    if (store)
        trace_store_close(store);
    unit_remove_trace(path);
}

/* A syscall's number, arguments and ip are checked against its registers. */
static void test_register_witness(void)
{
    char path[] = "/tmp/rrdb-unit-witness.trace";
    unit_remove_trace(path);
    struct trace_store *store = trace_store_create(path);
    struct trace_event event = {.seq = 0, .tid = 7, .kind = EVENT_SYSCALL, .sysno = 1, .has_regs = true};
    event.regs.orig_rax = 1;
    event.regs.rdi = 1; /* fd 1 in the registers, 0 in the row */
    check(store && event_log_append(store, &event) == 0 && trace_store_close(store) == 0, "a lying event is written");
    store = trace_store_open(path);
    check(store && event_log_next(store, &event) < 0 && strstr(error_text(), "its arguments and its registers disagree"),
          "an event whose arguments are not its registers is damage");
    if (store)
        trace_store_close(store);
    unit_remove_trace(path);
}

/* Traces are created for their owner only, whatever the umask, and never
 * through a symbolic link. */
static void test_private_trace(void)
{
    char path[] = "/tmp/rrdb-unit-private.trace", link_path[] = "/tmp/rrdb-unit-link.trace";
    unit_remove_trace(path);
    mode_t old = umask(0);
    struct trace_store *store = trace_store_create(path);
    umask(old);
    struct stat st;
    check(store && stat(path, &st) == 0 && (st.st_mode & 0777) == 0600, "a trace is 0600 under umask 0");
    if (store)
        trace_store_close(store);
    unit_remove_trace(path);
    unlink(link_path);
    if (symlink(path, link_path) == 0) {
        check(trace_store_create(link_path) == NULL && strstr(error_text(), "symbolic link") &&
                  access(path, F_OK) != 0,
              "a trace is not created through a dangling symbolic link");
        unlink(link_path);
    }
}

static void test_syscall_table(void)
{
    check(syscall_table_init() == 0, "syscall table parses");
    const struct syscall_desc *read_desc = syscall_lookup(SYS_read);
    check(read_desc && strcmp(read_desc->name, "read") == 0 && read_desc->replay == REPLAY_EMULATE &&
              read_desc->write_count == 1 && read_desc->writes[0].kind == WRITE_RET,
          "read: emulated, writes its result's worth at argument 1");
    const struct syscall_desc *mmap_desc = syscall_lookup(SYS_mmap);
    check(mmap_desc && mmap_desc->replay == REPLAY_MMAP, "mmap has its own replay handler");
    check(syscall_number("openat") == SYS_openat, "syscall_number finds names");
    check(syscall_lookup(100000) == NULL, "unknown numbers are not found");
    struct write_item items[SYSCALL_MAX_WRITES];
    int count;
    check(syscall_parse_writes("a1:*a2;a2:4", items, &count) == 0 && count == 2 &&
              items[0].kind == WRITE_DEREF_ARG && items[0].size_arg == 2 && items[1].amount == 4,
          "writes grammar: deref and fixed sizes");
    check(syscall_parse_writes("a0:a1*8", items, &count) == 0 && items[0].kind == WRITE_ARG &&
              items[0].amount == 8,
          "writes grammar: argument times factor");
    check(syscall_parse_writes("a9:4", items, &count) < 0, "writes grammar: rejects a bad argument");
    check(syscall_parse_writes("a1:bogus", items, &count) < 0, "writes grammar: rejects a bad size");
    check(ioctl_lookup(0x5401) && ioctl_lookup(0x5401)->writes == 36, "TCGETS writes a termios");
    check(ioctl_lookup(0x8b01) && ioctl_lookup(0x8b01)->answer == 0, "SIOCGIWNAME's own row wins over the range");
    check(ioctl_lookup(0x8b1b) && ioctl_lookup(0x8b1b)->answer == EOPNOTSUPP, "a wireless request is in the range");
    check(!ioctl_lookup(0x8c00), "past the range: no row");
    const struct syscall_desc *ioctl = syscall_lookup(SYS_ioctl);
    char what[64];
    uint64_t ethtool[6] = {3, 0x8946, 0x1000, 0, 0, 0}, console[6] = {1, 0x4b3a, 0, 0, 0, 0},
             tcgets[6] = {1, 0x5401, 0x1000, 0, 0, 0};
    check(kernel_writes_answer_instead(ioctl, ethtool, what, sizeof what) == -EOPNOTSUPP &&
              strstr(what, "SIOCETHTOOL"),
          "SIOCETHTOOL is answered by its row");
    check(kernel_writes_answer_instead(ioctl, console, what, sizeof what) == -ENOTTY,
          "a legacy request no row describes is answered ENOTTY");
    check(kernel_writes_answer_instead(ioctl, tcgets, what, sizeof what) == 0, "TCGETS goes to the kernel");
    check(kernel_writes_answer_instead(syscall_lookup(SYS_read), console, what, sizeof what) == 0,
          "not an ioctl: the kernel answers");
}

static void test_trace_store(void)
{
    char path[] = "/tmp/rrdb-unit-XXXXXX";
    int fd = mkstemp(path);
    close(fd);
    unlink(path);
    struct trace_store *store = trace_store_create(path);
    check(store != NULL, "trace_store_create");
    if (!store)
        return;
    char data[5000];
    memset(data, 'x', sizeof data);
    int64_t first = blob_store_put(store, data, sizeof data);
    int64_t again = blob_store_put(store, data, sizeof data);
    data[10] = 'y';
    int64_t other = blob_store_put(store, data, sizeof data);
    check(first > 0 && first == again && other != first, "blobs are shared by content");
    struct trace_event event = {.seq = 0, .tid = 7, .kind = EVENT_SYSCALL, .sysno = 0, .result = 3,
                                .has_regs = true};
    event.regs.rip = event.ip = 0x1234;
    event.regs.rsi = event.args[1] = 0x5000; /* arguments are the entry registers */
    check(event_log_append(store, &event) == 0, "event_log_append");
    check(event_log_add_mem_write(store, 0, 0x5000, "abc", 3) == 0, "event_log_add_mem_write");
    event.seq = 1;
    event.regs.rip = event.ip = 0x1240;
    check(event_log_append(store, &event) == 0, "second event");
    check(trace_store_close(store) == 0, "trace_store_close");

    store = trace_store_open(path);
    check(store != NULL, "trace_store_open reads it back");
    if (!store)
        return;
    void *blob;
    size_t len;
    check(blob_store_get(store, first, &blob, &len) == 0 && len == sizeof data &&
              ((char *)blob)[10] == 'x',
          "blob_store_get decompresses");
    free(blob);
    struct trace_event read_back;
    check(event_log_next(store, &read_back) == 1 && read_back.regs.rip == 0x1234 &&
              read_back.args[1] == 0x5000 && read_back.result == 3,
          "first event reads back");
    check(event_log_next(store, &read_back) == 1 && read_back.regs.rip == 0x1240 && read_back.seq == 1,
          "second event decodes against the first");
    check(event_log_next(store, &read_back) == 0, "end of events");
    struct mem_write_record record;
    check(event_log_next_mem_write(store, &record) == 1 && record.addr == 0x5000 && record.len == 3,
          "memory write reads back");
    check(event_log_count(store) == 2, "event_log_count");
    trace_store_close(store);

    FILE *text = fopen(path, "w");
    fputs("not a database\n", text);
    fclose(text);
    check(trace_store_open(path) == NULL && strstr(error_text(), path), "a text file is refused by name");
    unlink(path);
    check(trace_store_open(path) == NULL, "a missing trace is refused");
    char wal[64];
    snprintf(wal, sizeof wal, "%s-wal", path);
    unlink(wal);
}

static void test_insn_relocate(void)
{
    struct insn_relocation out;
    /* add rdx,1; mov eax,[rip+0x2e60] */
    static const unsigned char loop[] = {0x48, 0x83, 0xc2, 0x01, 0x8b, 0x05, 0x60, 0x2e, 0x00, 0x00};
    int32_t disp = 0;
    check(insn_relocate(loop, sizeof loop, 0x11c2, 5, 0x100000, &out) == 0 && out.displaced == 10 &&
              out.size == 10 && memcmp(out.code, loop, 6) == 0,
          "insn_relocate moves whole instructions");
    memcpy(&disp, out.code + 6, 4);
    check(0x100000 + 10 + (int64_t)disp == 0x11cc + 0x2e60, "insn_relocate keeps a rip-relative target");
    /* cmp rcx,rdx; jb +4 */
    static const unsigned char jcc[] = {0x48, 0x39, 0xd1, 0x72, 0x04};
    check(insn_relocate(jcc, sizeof jcc, 0x11cc, 5, 0x100000, &out) == 0 && out.size == 9 &&
              out.code[3] == 0x0f && out.code[4] == 0x82,
          "insn_relocate widens a short jcc");
    memcpy(&disp, out.code + 5, 4);
    check(0x100000 + 9 + (int64_t)disp == 0x11d5, "insn_relocate keeps a jcc target");
    static const unsigned char short_block[] = {0x85, 0xc0, 0x74, 0xed, 0x90, 0x90};
    check(insn_relocate(short_block, sizeof short_block, 0x11d1, 5, 0x100000, &out) < 0,
          "insn_relocate refuses a block shorter than the jump");
    static const unsigned char call[] = {0xe8, 0, 0, 0, 0};
    check(insn_relocate(call, sizeof call, 0x1000, 5, 0x100000, &out) < 0, "insn_relocate refuses a call");
    static const unsigned char sys[] = {0x0f, 0x05, 0x90, 0x90, 0x90};
    check(insn_relocate(sys, sizeof sys, 0x1000, 5, 0x100000, &out) < 0, "insn_relocate refuses a syscall");
}

/* Run a patched function through its stub: the comparisons (which do not
 * match here) must leave the flags and registers as they were. */
static void test_landmark_stub(void)
{
    /* less(x): cmp rdi,5; [block:] setl al; movzx eax,al; ret */
    static const unsigned char less[] = {0x48, 0x83, 0xff, 0x05, 0x0f, 0x9c, 0xc0, 0x0f, 0xb6, 0xc0, 0xc3};
    unsigned char *pages = mmap(NULL, 2 * LANDMARK_STUB_PAGE, PROT_READ | PROT_WRITE | PROT_EXEC,
                                MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (pages == MAP_FAILED) {
        check(0, "landmark stub: cannot map executable pages");
        return;
    }
    uint64_t code = (uint64_t)pages, stub_page = code + LANDMARK_STUB_PAGE, block = code + 4;
    memcpy(pages, less, sizeof less);
    struct insn_relocation moved;
    struct landmark_stub stub;
    struct user_regs_struct expected;
    memset(&expected, 0x5a, sizeof expected);
    unsigned char patch[LANDMARK_PATCH_SIZE];
    int ok = insn_relocate(pages + 4, sizeof less - 4, block, LANDMARK_PATCH_SIZE,
                           landmark_stub_code_addr(stub_page), &moved) == 0 &&
             moved.displaced == 6 &&
             landmark_stub_build(stub_page, &expected, NULL, &moved, block + moved.displaced, &stub) == 0 &&
             landmark_stub_patch(block, landmark_stub_entry(stub_page), patch) == 0;
    check(ok, "landmark stub builds");
    if (ok) {
        memcpy(pages + LANDMARK_STUB_PAGE, stub.bytes, stub.size);
        memcpy(pages + 4, patch, sizeof patch);
        __builtin___clear_cache((char *)pages, (char *)pages + 2 * LANDMARK_STUB_PAGE);
        long (*fn)(long) = (long (*)(long))(uintptr_t)code;
        check(fn(3) == 1 && fn(7) == 0 && fn(5) == 0, "a patched block runs through the stub, flags intact");
    }
    munmap(pages, 2 * LANDMARK_STUB_PAGE);
}

/* A rotated loop (as a JIT compiles one): entered at the second instruction
 * of the block its back edge jumps to. */
static void test_branch_targets(void)
{
    unsigned char code[] = {
        0xeb, 0x0e,                                                       /* 1000: jmp 1010 */
        0x90, 0x90, 0x90, 0x90, 0x90, 0x90, 0x90, 0x90, 0x90, 0x90, 0x90, /* 1002: nops */
        0x48, 0x8b, 0xd9,                                                 /* 100d: mov rbx,rcx */
        0x45, 0x8b, 0xca,                                                 /* 1010: mov r9d,r10d */
        0x41, 0x83, 0xc1, 0x0d,                                           /* 1013: add r9d,13 */
        0xeb, 0xf4,                                                       /* 1017: jmp 100d */
    };
    check(branch_targets_inside(code, sizeof code, 0x1000, 0x100d, 6),
          "branch_targets_inside finds a loop entered inside the patch");
    check(!branch_targets_inside(code, sizeof code, 0x1000, 0x100d, 3),
          "branch_targets_inside: a patch of the first instruction alone is safe");
    code[1] = 0x0b; /* jmp 100d */
    check(!branch_targets_inside(code, sizeof code, 0x1000, 0x100d, 6),
          "branch_targets_inside: branches to the patch's start are fine");
    code[24] = 0xf7; /* jmp 1010 from behind */
    check(branch_targets_inside(code, sizeof code, 0x1000, 0x100d, 6),
          "branch_targets_inside sees branches after the patch too");
}

static struct trace_mapping mapping(uint64_t start, uint64_t end)
{
    struct trace_mapping m = {.start = start, .end = end};
    return m;
}

static void test_landmark_stub_place(void)
{
    struct trace_mapping maps[] = {
        mapping(0x555555554000, 0x555555559000),
        mapping(0x7ffff7dd0000, 0x7ffff7ffe000),
        mapping(0x7ffffffde000, 0x7ffffffff000),
        mapping(0xffffffffff600000, 0xffffffffff601000),
    };
    uint64_t at = landmark_stub_place(maps, 4, 0x555555555123);
    check(at && at % 4096 == 0 && at < 0x555555554000 && 0x555555555123 - at < 0x7fff0000,
          "landmark_stub_place finds a hole within reach");
    at = landmark_stub_place(maps, 4, 0x7ffff7e00000);
    check(at && (at + 4096 <= 0x7ffff7dd0000 || at >= 0x7ffff7ffe000) && (at < 0x7ffffffde000),
          "landmark_stub_place keeps out of mappings");

    /* A crowded space (a JVM's reservations): one hole of four pages (the
     * stub's two and a page either side), at an address that is not a
     * multiple of the stub's size, 1 GiB below ip. */
    struct trace_mapping crowded[] = {
        mapping(0x500000000000, 0x554000001000),
        mapping(0x554000005000, 0x560000000000),
        mapping(0x7ffffffde000, 0x7ffffffff000),
    };
    crowded[2].path[0] = 0;
    at = landmark_stub_place(crowded, 3, 0x554040000000);
    check(at == 0x554000002000, "landmark_stub_place uses a small hole, rounding up into it");

    /* No room in the hole just below a stack: it grows down into it. */
    struct trace_mapping stack[] = {
        mapping(0x7ffff0000000, 0x7ffffff00000),
        mapping(0x7ffffffe0000, 0x7ffffffff000),
    };
    strcpy(stack[1].path, "[stack]");
    at = landmark_stub_place(stack, 2, 0x7fffffefff00);
    check(at && at + LANDMARK_STUB_PAGE + 4096 <= 0x7ffff0000000,
          "landmark_stub_place keeps well below a stack");
}

static void test_array_grow(void)
{
    int *items = NULL, capacity = 0;
    items = array_grow(items, &capacity, 1, sizeof *items, 4);
    check(items && capacity == 4, "array_grow: the first room is `first` elements");
    int *same = array_grow(items, &capacity, 4, sizeof *items, 4);
    check(same == items && capacity == 4, "array_grow: no move while there is room");
    items = array_grow(items, &capacity, 9, sizeof *items, 4);
    check(items && capacity == 16, "array_grow: doubles until there is room");
    for (int i = 0; items && i < 16; i++)
        items[i] = i; /* all of it is usable (ASan/valgrind watch this) */
    int *too_big = array_grow(items, &capacity, 1 << 30, (size_t)1 << 40, 4);
    check(!too_big && capacity == 16, "array_grow: an impossible size fails and leaves the array");
    free(items);
}

int main(void)
{
    test_array_grow();
    test_regs_codec();
    test_content_hash();
    test_syscall_table();
    test_trace_store();
    test_damaged_trace();
    test_integrity_chain();
    test_register_witness();
    test_private_trace();
    test_insn_relocate();
    test_landmark_stub();
    test_landmark_stub_place();
    test_branch_targets();
    return unit_check_summary();
}
