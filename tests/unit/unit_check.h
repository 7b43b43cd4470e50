/*
 * unit_check.h — the one assertion of the unit tests: check(ok, name) prints
 * `PASS name` or `FAIL name` and counts it; a test's main ends with
 * unit_check_summary(), which prints `N passed, M failed` (what
 * tests/run-all.sh reads) and gives the exit status. Tests that write traces
 * get a scratch path and remove the trace with the files SQLite left beside it.
 */
#ifndef RRDB_UNIT_CHECK_H
#define RRDB_UNIT_CHECK_H

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "trace_store.h"

static int unit_passed, unit_failed;

static void check(int ok, const char *name)
{
    printf("%s %s\n", ok ? "PASS" : "FAIL", name);
    if (ok)
        unit_passed++;
    else
        unit_failed++;
}

static int unit_check_summary(void)
{
    printf("%d passed, %d failed\n", unit_passed, unit_failed);
    return unit_failed ? 1 : 0;
}

/* A fresh path in $TMPDIR (or /tmp) where no file exists yet, for a trace;
 * `path` holds at least 256 bytes. Returns 0, or -1 with a FAIL counted. */
static inline int unit_scratch_path(char *path, const char *name)
{
    const char *dir = getenv("TMPDIR");
    snprintf(path, 256, "%s/rrdb-unit-%s-XXXXXX", dir && *dir ? dir : "/tmp", name);
    int fd = mkstemp(path);
    if (fd < 0) {
        check(0, "a scratch file can be created");
        return -1;
    }
    close(fd);
    unlink(path);
    return 0;
}

/* Remove a trace and the files SQLite may have left beside it. */
static inline void unit_remove_trace(const char *path)
{
    trace_store_remove_files(path);
}

#endif
