/*
 * pid_namespaces.c — the pids a program inside a pid namespace sees. The
 * trace names every task by its tid in the recorder's namespace (ptrace's
 * and /proc's), but a process in a namespace of its own (clone or unshare
 * with CLONE_NEWPID: `unshare -p -f`, bubblewrap, containers) sees other
 * numbers: what its calls return (getpid, wait4, a fork's result) and what
 * the kernel writes for it. Those are recorded as the program saw them,
 * like any result; the one place the recorder itself names a pid is a new
 * task, taken from ptrace's event message, and there the caller's view and
 * the new task's own are read from /proc/PID/status (NSpid) and kept with
 * the clone event (struct clone_pids) for replay.
 */
#include "recorder.h"

#include "blob_store.h"
#include "debug_log.h"
#include "error.h"
#include "proc_status.h"

int pid_namespace_clone_view(struct trace_store *store, pid_t caller, pid_t child, int64_t *seen,
                             int64_t *extra_blob)
{
    struct proc_nspid of_caller, of_child;
    *seen = child;
    *extra_blob = 0;
    if (proc_status_nspid(caller, &of_caller) < 0 || proc_status_nspid(child, &of_child) < 0)
        return -1;
    /* The child is in the caller's namespace or one nested in it (CLONE_NEWPID,
     * or the caller unshared one for its children): one level more at most. */
    if (of_child.count < of_caller.count || of_child.count > of_caller.count + 1) {
        error_set("task %d, new child of %d, is in a pid namespace the recorder cannot place", child, caller);
        return -1;
    }
    struct clone_pids pids = {.tid = child, .own_tid = of_child.ids[of_child.count - 1]};
    *seen = of_child.ids[of_caller.count - 1];
    if (*seen == child && pids.own_tid == child)
        return 0;
    DEBUG_LOG(LOG_RECORD, "task %d: its new task %d is %lld to it, %d to itself (pid namespaces)", caller, child,
              (long long)*seen, pids.own_tid);
    *extra_blob = blob_store_put(store, &pids, sizeof pids);
    return *extra_blob < 0 ? -1 : 0;
}
