/*
 * trace_reader.c — a trace's reading layer, built on first use (see
 * trace_reader.h). The address-space index belongs to the trace that holds
 * the mappings, so it is built with that trace's own task and syscall
 * tables, which are the reader's own for a recording.
 */
#include "trace_reader.h"

#include <stdlib.h>

#include "error.h"
#include "exec_info.h"
#include "mapping_index.h"
#include "trace_memory.h"
#include "trace_store_internal.h"
#include "trace_syscalls.h"
#include "trace_tasks.h"

/* The tables of one trace. */
struct trace_tables {
    struct trace_store *store;
    struct trace_syscalls *syscalls;
    struct trace_tasks *tasks;
};

struct trace_reader {
    struct trace_tables events;
    struct trace_tables mappings; /* store NULL: none; its tables are events' when the same store */
    symbolizer_note_fn *note;
    struct mapping_index *index;
    struct trace_memory *memory;
    struct symbolizer *symbolizer;
    struct exec_info *exec_info;
};

struct trace_reader *trace_reader_new(struct trace_store *events, struct trace_store *mappings,
                                      symbolizer_note_fn *note)
{
    struct trace_reader *reader = calloc(1, sizeof *reader);
    if (!reader) {
        error_set("out of memory");
        return NULL;
    }
    reader->events.store = events;
    reader->mappings.store = mappings;
    reader->note = note;
    return reader;
}

void trace_reader_free(struct trace_reader *reader)
{
    if (!reader)
        return;
    exec_info_free(reader->exec_info);
    symbolizer_free(reader->symbolizer);
    trace_memory_free(reader->memory);
    mapping_index_free(reader->index);
    if (reader->mappings.store != reader->events.store) {
        trace_syscalls_free(reader->mappings.syscalls);
        trace_tasks_free(reader->mappings.tasks);
    }
    trace_syscalls_free(reader->events.syscalls);
    trace_tasks_free(reader->events.tasks);
    free(reader);
}

static const struct trace_syscalls *syscalls_of(struct trace_tables *tables)
{
    if (!tables->syscalls)
        tables->syscalls = trace_syscalls_load(tables->store->db, trace_store_format_version(tables->store));
    return tables->syscalls;
}

static const struct trace_tasks *tasks_of(struct trace_tables *tables)
{
    if (!tables->tasks)
        tables->tasks = trace_tasks_load(tables->store);
    return tables->tasks;
}

const struct trace_syscalls *trace_reader_syscalls(struct trace_reader *reader)
{
    return syscalls_of(&reader->events);
}

const struct trace_tasks *trace_reader_tasks(struct trace_reader *reader)
{
    return tasks_of(&reader->events);
}

const struct mapping_index *trace_reader_index(struct trace_reader *reader)
{
    if (reader->index)
        return reader->index;
    if (!reader->mappings.store) {
        error_set("no mappings are known for this trace");
        return NULL;
    }
    struct trace_tables *tables = reader->mappings.store == reader->events.store ? &reader->events
                                                                                  : &reader->mappings;
    const struct trace_tasks *tasks = tasks_of(tables);
    const struct trace_syscalls *syscalls = syscalls_of(tables);
    if (tasks && syscalls)
        reader->index = mapping_index_load(tables->store, tasks, syscalls);
    return reader->index;
}

struct trace_memory *trace_reader_memory(struct trace_reader *reader)
{
    if (reader->memory)
        return reader->memory;
    const struct mapping_index *index = reader->mappings.store ? trace_reader_index(reader) : NULL;
    if (reader->mappings.store && !index)
        return NULL;
    reader->memory = trace_memory_new(reader->events.store, reader->mappings.store, index);
    return reader->memory;
}

struct symbolizer *trace_reader_symbolizer(struct trace_reader *reader)
{
    if (reader->symbolizer)
        return reader->symbolizer;
    const struct mapping_index *index = trace_reader_index(reader);
    struct trace_memory *memory = index ? trace_reader_memory(reader) : NULL;
    if (memory)
        reader->symbolizer = symbolizer_new(index, memory, reader->note);
    return reader->symbolizer;
}

struct exec_info *trace_reader_exec_info(struct trace_reader *reader)
{
    if (reader->exec_info)
        return reader->exec_info;
    struct trace_memory *memory = trace_reader_index(reader) ? trace_reader_memory(reader) : NULL;
    if (memory)
        reader->exec_info = exec_info_new(reader->events.store, memory);
    return reader->exec_info;
}
