/*
 * proc_maps.c — parsing /proc/PID/maps (see proc_maps.h).
 */
#include "proc_maps.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/sysmacros.h>

#include "array_grow.h"
#include "error.h"

static void parse_prot(const char *perms, struct trace_mapping *mapping)
{
    mapping->prot = (perms[0] == 'r' ? PROT_READ : 0) | (perms[1] == 'w' ? PROT_WRITE : 0) |
                    (perms[2] == 'x' ? PROT_EXEC : 0);
    mapping->flags = perms[3] == 's' ? MAP_SHARED : MAP_PRIVATE;
}

int proc_maps_read(pid_t tid, struct trace_mapping **mappings)
{
    char path[64];
    snprintf(path, sizeof path, "/proc/%d/maps", tid);
    FILE *file = fopen(path, "re");
    if (!file) {
        error_set_errno("cannot read %s", path);
        return -1;
    }
    struct trace_mapping *items = NULL;
    int count = 0, capacity = 0;
    char line[4096 + 256];
    while (fgets(line, sizeof line, file)) {
        struct trace_mapping *grown = array_grow(items, &capacity, count + 1, sizeof *items, 32);
        if (!grown) {
            free(items);
            fclose(file);
            return -1;
        }
        items = grown;
        struct trace_mapping *m = &items[count];
        memset(m, 0, sizeof *m);
        char perms[8] = "";
        int name_at = 0;
        unsigned major_dev = 0, minor_dev = 0;
        if (sscanf(line, "%" SCNx64 "-%" SCNx64 " %7s %" SCNx64 " %x:%x %" SCNu64 " %n", &m->start, &m->end,
                   perms, &m->offset, &major_dev, &minor_dev, &m->inode, &name_at) < 7)
            continue;
        m->device = makedev(major_dev, minor_dev);
        parse_prot(perms, m);
        char *name = line + name_at;
        name[strcspn(name, "\n")] = 0;
        snprintf(m->path, sizeof m->path, "%s", name);
        count++;
    }
    fclose(file);
    *mappings = items;
    return count;
}

int proc_maps_is_special(const struct trace_mapping *mapping)
{
    return strcmp(mapping->path, "[vvar]") == 0 || strcmp(mapping->path, "[vvar_vclock]") == 0 ||
           strcmp(mapping->path, "[vsyscall]") == 0 || strcmp(mapping->path, "[vdso]") == 0 ||
           strcmp(mapping->path, "[uprobes]") == 0;
}
