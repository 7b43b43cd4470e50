/*
 * test_libtrace.c — unit tests of libtrace's pure parts: the register codec,
 * the content hash, the syscall table and its `writes` grammar, and the trace
 * store (blobs shared by content, events and memory writes read back in order,
 * format checks on open). Prints PASS/FAIL lines and `N passed, M failed`.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "blob_store.h"
#include "content_hash.h"
#include "error.h"
#include "event_log.h"
#include "regs_codec.h"
#include "syscall_table.h"
#include "trace_store.h"

static int passed, failed;

static void check(int ok, const char *name)
{
    printf("%s %s\n", ok ? "PASS" : "FAIL", name);
    if (ok)
        passed++;
    else
        failed++;
}

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
    event.regs.rip = 0x1234;
    event.args[1] = 0x5000;
    check(event_log_append(store, &event) == 0, "event_log_append");
    check(event_log_add_mem_write(store, 0, 0x5000, "abc", 3) == 0, "event_log_add_mem_write");
    event.seq = 1;
    event.regs.rip = 0x1240;
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

int main(void)
{
    test_regs_codec();
    test_content_hash();
    test_syscall_table();
    test_trace_store();
    printf("%d passed, %d failed\n", passed, failed);
    return failed != 0;
}
