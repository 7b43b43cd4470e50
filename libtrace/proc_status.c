/*
 * proc_status.c — reading SigBlk/SigIgn/SigCgt from /proc/PID/status.
 */
#include "proc_status.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "error.h"

int proc_status_signal_masks(pid_t tid, struct signal_masks *masks)
{
    char path[64], line[256];
    snprintf(path, sizeof path, "/proc/%d/status", tid);
    FILE *file = fopen(path, "re");
    if (!file) {
        error_set_errno("cannot read %s", path);
        return -1;
    }
    int found = 0;
    while (fgets(line, sizeof line, file)) {
        found += sscanf(line, "SigBlk: %" SCNx64, &masks->blocked) == 1;
        found += sscanf(line, "SigIgn: %" SCNx64, &masks->ignored) == 1;
        found += sscanf(line, "SigCgt: %" SCNx64, &masks->caught) == 1;
    }
    fclose(file);
    if (found != 3) {
        error_set("%s lacks the signal masks", path);
        return -1;
    }
    return 0;
}
