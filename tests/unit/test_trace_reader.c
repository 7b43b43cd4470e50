/*
 * test_trace_reader.c — unit tests of libtrace's reading layer
 * (trace_reader.h): the address-space index, the known-memory reader and the
 * symbolizer, on a small trace written here with event_log: a process with a
 * thread, a forked child that maps a file where its parent later maps
 * another, a mapping of the parent made after the fork, an mprotect that
 * makes a mapping writable, a second child that execs, and one event whose
 * kernel writes overlap. Prints PASS/FAIL lines and `N passed, M failed`.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "error.h"
#include "event_log.h"
#include "mapping_index.h"
#include "symbolizer.h"
#include "trace_memory.h"
#include "trace_reader.h"
#include "trace_store.h"
#include "trace_syscalls.h"
#include "trace_tasks.h"
#include "unit_check.h"

enum { PARENT = 100, THREAD = 101, CHILD = 200, EXEC_CHILD = 300, PAGE = 4096 };

static int append(struct trace_store *store, int64_t seq, int32_t tid, enum event_kind kind, long sysno,
                  uint64_t arg0, uint64_t arg1, uint64_t arg2)
{
    struct trace_event event = {.seq = seq, .tid = tid, .kind = kind, .sysno = sysno,
                                .args = {arg0, arg1, arg2}};
    return event_log_append(store, &event);
}

/* A page at `start` mapped by event `seq`: file `path` (NULL: anonymous)
 * filled with `fill`, or all zeros. */
static int add_page(struct trace_store *store, int64_t seq, uint64_t start, int prot, const char *path, char fill)
{
    struct trace_mapping mapping = {.start = start, .end = start + PAGE, .prot = prot, .flags = MAP_PRIVATE};
    static char contents[PAGE];
    memset(contents, fill, sizeof contents);
    if (path)
        snprintf(mapping.path, sizeof mapping.path, "%s", path);
    return event_log_add_mapping(store, seq, &mapping, fill ? contents : NULL);
}

/* The trace described at the top. 0, or -1. */
static int write_trace(const char *path)
{
    struct trace_store *store = trace_store_create(path);
    if (!store)
        return -1;
    int rc = 0;
    rc |= event_log_task_started(store, PARENT, PARENT, 1, 0, "prog");
    rc |= append(store, 0, PARENT, EVENT_EXEC, -1, 0, 0, 0);
    rc |= add_page(store, 0, 0x1000, PROT_READ | PROT_EXEC, "/bin/prog", 'P');
    rc |= add_page(store, 0, 0x2000, PROT_READ | PROT_WRITE, "/bin/prog", 'D');
    rc |= append(store, 1, PARENT, EVENT_SYSCALL, SYS_mmap, 0, PAGE, PROT_READ);
    rc |= add_page(store, 1, 0x10000, PROT_READ, "/data/a", 'A');
    rc |= event_log_task_started(store, THREAD, PARENT, 1, 2, "prog");
    rc |= append(store, 2, THREAD, EVENT_SYSCALL, SYS_mmap, 0, PAGE, PROT_READ);
    rc |= add_page(store, 2, 0x20000, PROT_READ, NULL, 0);
    rc |= event_log_task_started(store, CHILD, CHILD, PARENT, 3, "prog");
    rc |= append(store, 3, PARENT, EVENT_SYSCALL, SYS_clone, 0, 0, 0);
    rc |= append(store, 4, CHILD, EVENT_SYSCALL, SYS_mmap, 0x30000, PAGE, PROT_READ);
    rc |= add_page(store, 4, 0x30000, PROT_READ, "/data/b", 'B');
    rc |= append(store, 5, PARENT, EVENT_SYSCALL, SYS_mmap, 0x30000, PAGE, PROT_READ);
    rc |= add_page(store, 5, 0x30000, PROT_READ, "/data/c", 'C');
    rc |= append(store, 6, PARENT, EVENT_SYSCALL, SYS_mmap, 0x40000, PAGE, PROT_READ);
    rc |= add_page(store, 6, 0x40000, PROT_READ, "/data/d", 'E');
    rc |= append(store, 7, PARENT, EVENT_SYSCALL, SYS_mprotect, 0x10000, PAGE, PROT_READ | PROT_WRITE);
    rc |= event_log_task_started(store, EXEC_CHILD, EXEC_CHILD, PARENT, 8, "prog");
    rc |= append(store, 8, PARENT, EVENT_SYSCALL, SYS_clone, 0, 0, 0);
    rc |= append(store, 9, EXEC_CHILD, EVENT_EXEC, -1, 0, 0, 0);
    rc |= add_page(store, 9, 0x1000, PROT_READ | PROT_EXEC, "/bin/other", 'O');
    rc |= append(store, 10, CHILD, EVENT_SYSCALL, SYS_read, 3, 0x50000, 64);
    rc |= event_log_add_mem_write(store, 10, 0x50000, "hello", 5);
    rc |= event_log_add_mem_write(store, 10, 0x50000, "HE", 2);   /* over the first: the kernel wrote it later */
    rc |= event_log_add_mem_write(store, 10, 0x50005, "xyz", 3);  /* right after it */
    if (trace_store_close(store) < 0 || rc)
        return -1;
    return 0;
}

static const char *path_at(const struct mapping_index *index, int32_t tid, int64_t seq, uint64_t addr)
{
    const struct mapping_row *row = mapping_index_find(index, tid, seq, addr);
    return !row ? "(none)" : row->path ? row->path : "(anonymous)";
}

static void test_tables(struct trace_reader *reader)
{
    const struct trace_syscalls *syscalls = trace_reader_syscalls(reader);
    const struct trace_tasks *tasks = trace_reader_tasks(reader);
    check(syscalls && strcmp(trace_syscalls_lookup(syscalls, SYS_read)->name, "read") == 0 &&
              trace_syscalls_number(syscalls, "mprotect") == SYS_mprotect,
          "the trace's own syscall table names and numbers syscalls");
    check(tasks && trace_tasks_pid_of(tasks, THREAD) == PARENT && trace_tasks_pid_of(tasks, 999) == 999 &&
              trace_tasks_find(tasks, CHILD)->ppid == PARENT,
          "the task table: a thread's process, a child's parent");
}

static void test_index(const struct mapping_index *index)
{
    check(strcmp(path_at(index, CHILD, 4, 0x30000), "/data/b") == 0 &&
              strcmp(path_at(index, CHILD, 10, 0x30000), "/data/b") == 0,
          "index: a forked child sees its own mapping, not its parent's newer one at the same address");
    check(strcmp(path_at(index, PARENT, 10, 0x30000), "/data/c") == 0,
          "index: the parent sees its own mapping, not its child's");
    check(strcmp(path_at(index, CHILD, 10, 0x10000), "/data/a") == 0,
          "index: a forked child inherits what its parent mapped before the fork");
    check(strcmp(path_at(index, CHILD, 10, 0x40000), "(none)") == 0,
          "index: not what its parent mapped after the fork");
    check(strcmp(path_at(index, PARENT, 10, 0x20000), "(anonymous)") == 0 &&
              strcmp(path_at(index, THREAD, 1, 0x10000), "/data/a") == 0,
          "index: a process's threads share one address space");
    check(strcmp(path_at(index, PARENT, 0, 0x10000), "(none)") == 0,
          "index: a mapping is not there before the event that made it");
    check(strcmp(path_at(index, EXEC_CHILD, 8, 0x10000), "/data/a") == 0 &&
              strcmp(path_at(index, EXEC_CHILD, 10, 0x10000), "(none)") == 0 &&
              strcmp(path_at(index, EXEC_CHILD, 10, 0x1000), "/bin/other") == 0,
          "index: an exec replaces the inherited address space");
    check(mapping_index_made_writable(index, PARENT, 1, 10, 0x10000) &&
              !mapping_index_made_writable(index, PARENT, 1, 7, 0x10000) &&
              !mapping_index_made_writable(index, CHILD, 1, 10, 0x10000),
          "index: an mprotect makes memory writable in its own process only, from its event on");
    const struct mapping_row *rows[4];
    check(mapping_index_object_rows(index, PARENT, 10, "/bin/prog", rows, 4) == 2 && rows[0]->start == 0x1000 &&
              mapping_index_object_rows(index, EXEC_CHILD, 10, "/bin/prog", rows, 4) == 0,
          "index: the pieces of one file in an address space");
}

static int filled(const char *bytes, size_t len, char fill)
{
    for (size_t i = 0; i < len; i++)
        if (bytes[i] != fill)
            return 0;
    return 1;
}

static void test_memory(struct trace_memory *memory)
{
    char buf[2 * PAGE];
    check(trace_memory_read(memory, CHILD, 10, 0x10000, buf, 16) == 16 && filled(buf, 16, 'A'),
          "memory: a read-only file mapping's snapshot is known");
    check(trace_memory_read(memory, PARENT, 6, 0x10000, buf, 16) == 16 &&
              trace_memory_read(memory, PARENT, 10, 0x10000, buf, 16) == 0,
          "memory: not after an mprotect made it writable");
    check(trace_memory_read(memory, CHILD, 10, 0x30000, buf, 8) == 8 && filled(buf, 8, 'B') &&
              trace_memory_read(memory, PARENT, 10, 0x30000, buf, 8) == 8 && filled(buf, 8, 'C'),
          "memory: each process's own mapping at one address");
    check(trace_memory_read(memory, THREAD, 10, 0x20000, buf, 32) == 32 && filled(buf, 32, 0),
          "memory: anonymous read-only memory is zeros");
    check(trace_memory_read(memory, PARENT, 10, 0x2000, buf, 8) == 0, "memory: writable memory is unknown");
    check(trace_memory_read(memory, PARENT, 10, 0x1ff8, buf, 16) == 8,
          "memory: known bytes stop where trusted memory does");
    memset(buf, 0, sizeof buf);
    check(trace_memory_read(memory, CHILD, 10, 0x50000, buf, 64) == 8 && memcmp(buf, "HElloxyz", 8) == 0,
          "memory: the kernel's writes, the later one where two overlap, contiguous");
    check(trace_memory_read(memory, CHILD, 9, 0x50000, buf, 64) == 0,
          "memory: the kernel's writes belong to their event only");
    check(trace_memory_read_at_exec(memory, EXEC_CHILD, 9, 0x1000, buf, 4) == 4 && filled(buf, 4, 'O') &&
              trace_memory_read_at_exec(memory, PARENT, 9, 0x1000, buf, 4) == 0,
          "memory: an exec's address space, at that exec only");
    check(trace_memory_string(memory, CHILD, 10, 0x50000, buf, 8) == 0 &&
              trace_memory_string(memory, THREAD, 10, 0x20000, buf, 8) == 1 && buf[0] == '\0',
          "memory: a string is known up to its NUL only");
}

static void test_symbolizer(struct symbolizer *symbolizer)
{
    char name[128];
    check(symbolizer_name(symbolizer, CHILD, 10, 0x40010, name, sizeof name) == 0 && strcmp(name, "0x40010") == 0,
          "symbolizer: hex outside the process's file mappings");
    check(symbolizer_name(symbolizer, PARENT, 10, 0x40010, name, sizeof name) == 1 && strcmp(name, "d+0x10") == 0,
          "symbolizer: FILE+OFFSET in a file without symbols");
    check(symbolizer_name(symbolizer, CHILD, 10, 0x30020, name, sizeof name) == 1 && strcmp(name, "b+0x20") == 0,
          "symbolizer: the file of the task's own process");
}

int main(void)
{
    char path[] = "/tmp/rrdb-unit-reader-XXXXXX";
    int fd = mkstemp(path);
    close(fd);
    unlink(path);
    check(write_trace(path) == 0, "a small trace is written");
    struct trace_store *store = trace_store_open(path);
    struct trace_reader *reader = store ? trace_reader_new(store, store, NULL) : NULL;
    check(reader != NULL, "trace_reader_new");
    if (reader) {
        test_tables(reader);
        const struct mapping_index *index = trace_reader_index(reader);
        struct trace_memory *memory = trace_reader_memory(reader);
        struct symbolizer *symbolizer = trace_reader_symbolizer(reader);
        check(index && memory && symbolizer, "the index, memory reader and symbolizer are built");
        if (index && memory && symbolizer) {
            test_index(index);
            test_memory(memory);
            test_symbolizer(symbolizer);
        }
        struct trace_reader *no_mappings = trace_reader_new(store, NULL, NULL);
        char buf[8];
        check(no_mappings && !trace_reader_index(no_mappings) && !trace_reader_symbolizer(no_mappings) &&
                  trace_memory_read(trace_reader_memory(no_mappings), CHILD, 10, 0x10000, buf, 8) == 0 &&
                  trace_memory_read(trace_reader_memory(no_mappings), CHILD, 10, 0x50000, buf, 8) == 8,
              "without mappings only the kernel's writes are known");
        trace_reader_free(no_mappings);
    }
    trace_reader_free(reader);
    if (store)
        trace_store_close(store);
    unlink(path);
    char wal[64];
    snprintf(wal, sizeof wal, "%s-wal", path);
    unlink(wal);
    return unit_check_summary();
}
