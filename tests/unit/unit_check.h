/*
 * unit_check.h — the one assertion of the unit tests: check(ok, name) prints
 * `PASS name` or `FAIL name` and counts it; a test's main ends with
 * unit_check_summary(), which prints `N passed, M failed` (what
 * tests/run-all.sh reads) and gives the exit status.
 */
#ifndef RRDB_UNIT_CHECK_H
#define RRDB_UNIT_CHECK_H

#include <stdio.h>

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

#endif
