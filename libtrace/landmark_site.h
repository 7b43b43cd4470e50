/*
 * landmark_site.h — can the landmark stub's jump be patched at an address of
 * a live task? Asked by the recorder when it chooses where to take a
 * landmark (tools/rr-record/preemption.c) and by replay before it patches
 * (tools/rr-replay/landmark_search.c), so that both agree.
 */
#ifndef RRDB_LANDMARK_SITE_H
#define RRDB_LANDMARK_SITE_H

#include <stdbool.h>
#include <stdint.h>

#include "task.h"

enum {
    LANDMARK_SITE_REACH = 1024, /* how far either side of ip branches into the patch are looked for */
};

/* True when the instructions at `ip` take the patch's 5 bytes and can move
 * (insn_relocate.h), and no direct branch in the code within
 * LANDMARK_SITE_REACH of ip lands inside the patch after its first
 * instruction (branch_targets.h). Otherwise false, the reason in
 * error_text(). */
bool landmark_site_patchable(struct task *task, uint64_t ip);

#endif
