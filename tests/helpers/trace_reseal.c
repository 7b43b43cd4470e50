/*
 * trace-reseal — for tests only: after a test changed a trace on purpose
 * (with sqlite3), recompute its checksums (trace_store_reseal), so that the
 * change reaches the checks a reader makes behind them: what rr-replay,
 * rr-query and rr-diff do with a value that no checksum would have caught.
 *
 *   trace-reseal TRACE...
 */
#include <stdio.h>

#include "error.h"
#include "trace_store.h"

int main(int argc, char **argv)
{
    error_set_program("trace-reseal");
    if (argc < 2)
        error_exit(2, "usage: trace-reseal TRACE...");
    for (int i = 1; i < argc; i++)
        if (trace_store_reseal(argv[i]) < 0)
            error_exit_last(2);
    return 0;
}
