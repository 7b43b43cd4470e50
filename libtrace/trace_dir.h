/*
 * trace_dir.h — where traces live by default, as with rr:
 * $RRDB_TRACE_DIR, else $XDG_DATA_HOME/rrdb, else ~/.local/share/rrdb;
 * each recording is PROG-N there, and `latest-trace` links to the newest.
 */
#ifndef RRDB_TRACE_DIR_H
#define RRDB_TRACE_DIR_H

#include <stddef.h>

/* The directory (created if missing). Returns 0 or -1. */
int trace_dir_get(char *dir, size_t size);
/* A fresh path DIR/PROG-N for a new recording of `program`. */
int trace_dir_new_trace(const char *program, char *path, size_t size);
/* Point DIR/latest-trace at `path`. */
int trace_dir_set_latest(const char *path);
/* The path latest-trace points at. */
int trace_dir_latest(char *path, size_t size);

#endif
