/*
 * test_syscall_facts.c — unit tests of the syscall table's result and
 * effects columns: their grammar, rules every row must keep (a call that
 * sends data returns bytes, an fd_open has a path…), the fd effects as tools
 * read them, and a trace's stored copy of the table read back, also from a
 * trace of format version 1 (which lacked those columns).
 */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "error.h"
#include "fd_effects.h"
#include "syscall_decode.h"
#include "syscall_table.h"
#include "trace_store.h"
#include "trace_syscalls.h"
#include "unit_check.h"

static void test_grammar(void)
{
    struct syscall_effects e;
    check(syscall_parse_effects("sends_iov(a1,a2);at_offset(a3)", &e) == 0 && e.sends_arg == 1 &&
              e.sends_iov_count_arg == 2 && e.offset_arg == 3 && e.fd == FD_EFFECT_NONE,
          "effects: sends_iov and at_offset");
    check(syscall_parse_effects("sigmask(*a5)", &e) == 0 && e.sigmask_arg == 5 && e.sigmask_indirect,
          "effects: an indirect sigmask");
    check(syscall_parse_effects("passes(a1,a2,a0)", &e) == 0 && e.passes_from_arg == 1 &&
              e.passes_offset_ptr_arg == 2 && e.passes_to_arg == 0,
          "effects: passes");
    check(syscall_parse_effects("-", &e) == 0 && e.sends_arg == SYSCALL_NO_ARG && e.sigmask_arg == SYSCALL_NO_ARG,
          "effects: none");
    check(syscall_parse_effects("at_offset(a3)", &e) < 0, "effects: at_offset without sends is refused");
    check(syscall_parse_effects("sends(a9)", &e) < 0, "effects: a bad argument is refused");
    check(syscall_parse_effects("sends(*a1)", &e) < 0, "effects: indirection only for sigmask");
    check(syscall_parse_effects("fd_close(a0);fd_dup(a0)", &e) < 0, "effects: one fd effect per call");
    check(syscall_parse_effects("bogus", &e) < 0 && syscall_parse_effects("sends(a1);", &e) < 0,
          "effects: unknown names and trailing separators are refused");
    enum result_kind kind;
    check(syscall_parse_result("addr", &kind) == 0 && kind == RESULT_ADDR && syscall_parse_result("ptr", &kind) < 0,
          "result: the five kinds only");
}

/* What every row must keep, so that code reading one effect can trust it. */
static void test_rows_agree(void)
{
    int bad_sends = 0, bad_open = 0, bad_signal = 0, sends = 0;
    char which[256] = "";
    for (int nr = 0; nr < syscall_table_size(); nr++) {
        const struct syscall_desc *d = syscall_lookup(nr);
        if (!d)
            continue;
        const struct syscall_effects *e = &d->effects;
        if (e->sends_arg != SYSCALL_NO_ARG) {
            sends++;
            if (d->result != RESULT_BYTES || syscall_arg_of_kind(d, "fd") == SYSCALL_NO_ARG) {
                bad_sends++;
                snprintf(which + strlen(which), sizeof which - strlen(which), " %s", d->name);
            }
        }
        if (e->passes_to_arg != SYSCALL_NO_ARG && d->result != RESULT_BYTES)
            bad_sends++;
        if (e->fd == FD_EFFECT_OPEN && (syscall_arg_of_kind(d, "path") == SYSCALL_NO_ARG || d->result != RESULT_FD))
            bad_open++;
        if (e->signal_target_arg != SYSCALL_NO_ARG &&
            (syscall_arg_of_kind(d, "pid") != e->signal_target_arg ||
             syscall_arg_of_kind(d, "sig") != e->signal_number_arg))
            bad_signal++;
    }
    check(bad_sends == 0, which[0] ? which : "rows that send or pass data return bytes, through an fd");
    check(bad_open == 0, "fd_open rows have a path argument and return an fd");
    check(bad_signal == 0, "signals rows name a pid argument as the target, a sig argument as the signal");
    const struct syscall_desc *pwritev = syscall_lookup(SYS_pwritev), *pwritev2 = syscall_lookup(SYS_pwritev2);
    check(sends == 6 && pwritev2->effects.sends_iov_count_arg == pwritev->effects.sends_iov_count_arg &&
              pwritev2->effects.offset_arg == pwritev->effects.offset_arg,
          "pwritev2 sends data at an offset as pwritev does");
    check(syscall_lookup(SYS_getpid)->result == RESULT_PID && syscall_lookup(SYS_mmap)->result == RESULT_ADDR &&
              syscall_lookup(SYS_readv)->result == RESULT_BYTES && syscall_lookup(SYS_socket)->result == RESULT_FD,
          "result kinds: getpid pid, mmap addr, readv bytes, socket fd");
}

static void test_fd_effects(void)
{
    struct fd_change c;
    uint64_t args[6] = {5, 5, 0};
    fd_effects_of(syscall_lookup(SYS_dup2), args, 5, &c);
    check(c.kind == FD_CHANGE_NONE, "dup2 of an fd onto itself changes nothing");
    uint64_t dup3_args[6] = {1, 7, 02000000};
    fd_effects_of(syscall_lookup(SYS_dup3), dup3_args, 7, &c);
    check(c.kind == FD_CHANGE_COPY && c.fd == 7 && c.source == 1 && c.cloexec, "dup3 with O_CLOEXEC");
    uint64_t range[6] = {1, 1, 4};
    fd_effects_of(syscall_lookup(SYS_close_range), range, 0, &c);
    check(c.kind == FD_CHANGE_CLOEXEC_RANGE && c.first == 1 && c.last == 1,
          "close_range with CLOSE_RANGE_CLOEXEC marks, does not close");
    uint64_t fcntl_args[6] = {2, 1030, 10};
    fd_effects_of(syscall_lookup(SYS_fcntl), fcntl_args, 11, &c);
    check(c.kind == FD_CHANGE_COPY && c.fd == 11 && c.source == 2 && c.cloexec, "fcntl F_DUPFD_CLOEXEC");
    uint64_t openat_args[6] = {(uint64_t)-100, 0x1000, 02000000};
    fd_effects_of(syscall_lookup(SYS_openat), openat_args, -2, &c);
    check(c.kind == FD_CHANGE_OPEN && c.fd == -1 && c.path == 0x1000 && c.cloexec,
          "a failed openat still names its path");
    fd_effects_of(syscall_lookup(SYS_close), args, -9, &c);
    check(c.kind == FD_CHANGE_NONE, "a failed close changes nothing");
}

/* The table a new trace stores reads back as this build's; with the format-1
 * columns only, too. */
static void test_stored_table(void)
{
    char path[] = "/tmp/rrdb-unit-facts-XXXXXX";
    int fd = mkstemp(path);
    close(fd);
    unlink(path);
    struct trace_store *store = trace_store_create(path);
    check(store && trace_store_close(store) == 0, "a new trace with its syscall table");
    sqlite3 *db;
    if (sqlite3_open(path, &db) != SQLITE_OK)
        return;
    for (int version = 2; version >= 1; version--) {
        if (version == 1)
            sqlite3_exec(db, "ALTER TABLE syscall_info DROP COLUMN result;"
                             "ALTER TABLE syscall_info DROP COLUMN effects", NULL, NULL, NULL);
        struct trace_syscalls *stored = trace_syscalls_load(db, version);
        int differ = stored ? 0 : 1;
        for (int nr = 0; stored && nr < syscall_table_size(); nr++) {
            const struct syscall_desc *own = syscall_lookup(nr), *read = trace_syscalls_lookup(stored, nr);
            if (!own != !read || (own && (strcmp(own->name, read->name) != 0 || own->result != read->result ||
                                          memcmp(&own->effects, &read->effects, sizeof own->effects) != 0)))
                differ++;
        }
        check(differ == 0 && trace_syscalls_number(stored, "PWRITEV2") == SYS_pwritev2,
              version == 2 ? "the stored table reads back as this build's"
                           : "a format-1 table takes result and effects from this build");
        trace_syscalls_free(stored);
    }
    sqlite3_close(db);
    unlink(path);
    const struct syscall_row unknown = {999, "not_a_syscall", "emulate", "-", "-", NULL, NULL};
    struct syscall_desc desc;
    check(syscall_desc_parse(&unknown, &desc) == 0 && desc.result == RESULT_INT &&
              desc.effects.fd == FD_EFFECT_NONE,
          "a format-1 row this build does not know: an int, no effects");
    const struct syscall_row broken = {1, "write", "emulate", "-", "fd,str,size", "bytes", "sends(a1"};
    check(syscall_desc_parse(&broken, &desc) < 0 && strstr(error_text(), "write"),
          "a malformed stored row is refused by name");
}

/* A decode_memory over one buffer at one address. */
struct one_buffer {
    uint64_t addr;
    const unsigned char *bytes;
    size_t len;
};

static size_t read_one_buffer(void *context, uint64_t addr, void *buf, size_t max)
{
    const struct one_buffer *b = context;
    if (addr < b->addr || addr >= b->addr + b->len)
        return 0;
    size_t n = b->addr + b->len - addr < max ? (size_t)(b->addr + b->len - addr) : max;
    memcpy(buf, b->bytes + (addr - b->addr), n);
    return n;
}

static void test_iovec_decoding(void)
{
    const struct syscall_desc *writev = syscall_lookup(SYS_writev);
    uint64_t iov[4] = {0x1000, 6, 0x2000, 6};
    struct one_buffer buffer = {0x7000, (const unsigned char *)iov, sizeof iov};
    struct decode_memory memory = {&buffer, read_one_buffer, NULL};
    uint64_t args[6] = {1, 0x7000, 2, 0, 0, 0};
    char out[256];
    syscall_decode_args("writev", writev->args_text, args, 12, &memory, out, sizeof out);
    check(strcmp(out, "1, [{iov_base=0x1000, iov_len=6}, {iov_base=0x2000, iov_len=6}], 2") == 0,
          "writev's iovecs decode as strace shows them (bases as addresses)");
    check(syscall_decode_entry_bytes("in:iovec", args, 1) == 32, "the recorder keeps both iovecs at entry");
    args[2] = 1000;
    check(syscall_decode_entry_bytes("in:iovec", args, 1) == 16 * 16, "at most 16 iovecs are kept");
}

int main(void)
{
    if (syscall_table_init() < 0) {
        fprintf(stderr, "%s\n", error_text());
        return 1;
    }
    test_grammar();
    test_rows_agree();
    test_fd_effects();
    test_stored_table();
    test_iovec_decoding();
    return unit_check_summary();
}
