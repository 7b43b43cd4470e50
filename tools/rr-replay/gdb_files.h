/*
 * gdb_files.h — what gdb reads besides registers and memory: the files the
 * program mapped, served from the trace's own copies (vFile:open, pread,
 * fstat, close: gdb's default sysroot "target:" reads them so), and the
 * qXfer objects: the target description, the auxiliary vector, the
 * executable's name, the thread list with names.
 */
#ifndef RRDB_GDB_FILES_H
#define RRDB_GDB_FILES_H

#include <stddef.h>

struct replayer;

/* Answer a vFile: packet (its data, `len` bytes, binary) into reply; returns
 * the reply's length (0: not supported, the empty reply). */
size_t gdb_files_vfile(struct replayer *rep, const char *packet, char *reply, size_t reply_size);
/* The whole of qXfer object `object` (annex `annex`), malloc'd, in *data
 * and *len. 0, or -1 when there is no such object here. */
int gdb_files_xfer_object(struct replayer *rep, const char *object, const char *annex, char **data, size_t *len);

#endif
