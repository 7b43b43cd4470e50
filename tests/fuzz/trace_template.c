/*
 * trace_template.c — the fuzz targets' template trace (see trace_template.h).
 */
#include "trace_template.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "error.h"
#include "event_log.h"
#include "trace_store.h"

static int write_events(struct trace_store *store)
{
    static const char path[] = "/etc/hostname";
    static const char bytes[] = "hello from a fuzzed trace\n";
    struct trace_event event = {.seq = 0, .tid = 100, .kind = EVENT_EXEC, .has_regs = true};
    event.regs.rip = 0x401000;
    event.regs.rsp = 0x7ffd0000;
    struct trace_mapping mapping = {.start = 0x400000, .end = 0x401000, .prot = 5, .flags = 2};
    snprintf(mapping.path, sizeof mapping.path, "/usr/bin/fuzzed");
    unsigned char page[4096];
    memset(page, 0x90, sizeof page);
    if (event_log_task_started(store, 100, 100, 1, 0, "fuzzed --arg") < 0 || event_log_append(store, &event) < 0 ||
        event_log_add_mapping(store, 0, &mapping, page) < 0)
        return -1;
    event = (struct trace_event){.seq = 1, .tid = 100, .kind = EVENT_SYSCALL, .sysno = SYS_openat,
                                 .args = {(uint64_t)-100, 0x7ffd1000, 0}, .result = 3, .ip = 0x400010};
    if (event_log_append(store, &event) < 0 || event_log_add_mem_read(store, 1, 0x7ffd1000, path, sizeof path) < 0)
        return -1;
    event = (struct trace_event){.seq = 2, .tid = 100, .kind = EVENT_SYSCALL, .sysno = SYS_read,
                                 .args = {3, 0x7ffd2000, 64}, .result = sizeof bytes - 1, .ip = 0x400020};
    if (event_log_append(store, &event) < 0 ||
        event_log_add_mem_write(store, 2, 0x7ffd2000, bytes, sizeof bytes - 1) < 0)
        return -1;
    event = (struct trace_event){.seq = 3, .tid = 100, .kind = EVENT_SYSCALL, .sysno = SYS_write,
                                 .args = {1, 0x7ffd2000, sizeof bytes - 1}, .result = sizeof bytes - 1,
                                 .has_data_hash = true, .data_hash = 12345, .ip = 0x400030};
    if (event_log_append(store, &event) < 0)
        return -1;
    event = (struct trace_event){.seq = 4, .tid = 100, .kind = EVENT_SIGNAL, .signo = 11, .sync = 1, .ip = 0x400040};
    if (event_log_append(store, &event) < 0)
        return -1;
    event = (struct trace_event){.seq = 5, .tid = 100, .kind = EVENT_EXIT, .signo = 11};
    return event_log_append(store, &event) < 0 || event_log_task_ended(store, 100, 5, TASK_END_KILLED, 11) < 0 ? -1 : 0;
}

static char dir[] = "/tmp/rrdb-fuzz.XXXXXX";

/* At exit: the directory and every file in it (the template, the targets' copies). */
static void remove_dir(void)
{
    DIR *d = opendir(dir);
    struct dirent *entry;
    char file[sizeof dir + 300];
    while (d && (entry = readdir(d)))
        if (entry->d_name[0] != '.') {
            snprintf(file, sizeof file, "%s/%s", dir, entry->d_name);
            unlink(file);
        }
    if (d)
        closedir(d);
    rmdir(dir);
}

const char *trace_template_path(void)
{
    static char path[256];
    if (path[0])
        return path;
    if (!mkdtemp(dir)) {
        perror("fuzz: mkdtemp");
        return NULL;
    }
    atexit(remove_dir);
    snprintf(path, sizeof path, "%s/template.trace", dir);
    struct trace_store *store = trace_store_create(path);
    if (!store || write_events(store) < 0 || trace_store_set_meta(store, "end", "complete") < 0 ||
        trace_store_close(store) < 0) {
        fprintf(stderr, "fuzz: cannot write the template trace: %s\n", error_text());
        path[0] = '\0';
        return NULL;
    }
    return path;
}
