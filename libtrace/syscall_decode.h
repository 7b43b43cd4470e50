/*
 * syscall_decode.h — a recorded syscall's arguments and result written the way
 * strace writes them: `openat(AT_FDCWD, "data.txt", O_RDONLY|O_CLOEXEC)`,
 * `-1 ENOENT (No such file or directory)`.
 *
 * How each argument is shown comes from the `args` column of
 * schema/syscalls.tsv (the kinds are documented in schema/README.md), so that
 * table stays the one source of syscall knowledge. Strings and the paths
 * behind file descriptors are not part of the event itself: the caller supplies
 * them through a `decode_memory`, and answers "unknown" when its trace does
 * not hold them for certain — the argument is then shown as a pointer.
 * Structs (`in:NAME`, `out:NAME` kinds) are decoded by
 * syscall_decode_structs.c, named constants (`const:SET`, and `flags:SET`
 * for sets this file does not hold) come from schema/constants.tsv.
 */
#ifndef RRDB_SYSCALL_DECODE_H
#define RRDB_SYSCALL_DECODE_H

#include <stddef.h>
#include <stdint.h>

struct syscall_desc;

/* Longest piece of a buffer shown, like strace's default -s 32. */
#define DECODE_STRING_MAX 32

struct decode_memory {
    void *context;
    /* Copy the bytes at `addr` that are known at this event (at most `max`)
     * into buf; returns how many are known contiguously from addr, 0 when none. */
    size_t (*read)(void *context, uint64_t addr, void *buf, size_t max);
    /* The path of file descriptor `fd` at this event, or NULL when unknown. */
    const char *(*fd_path)(void *context, int fd);
};

/* Write "ARG, ARG, …" (without the name and parentheses) for syscall `name`
 * whose argument kinds are `kinds` ("fd,str,size", "-" for none; NULL when the
 * syscall is unknown: six hex values). `memory` may be NULL. */
void syscall_decode_args(const char *name, const char *kinds, const uint64_t args[6],
                         int64_t result, const struct decode_memory *memory,
                         char *out, size_t size);

/* How many bytes of argument `index` the recorder keeps at the call's entry
 * for the decoders: the struct an `in:NAME` kind points at (its size, or the
 * length its next argument gives); 0 for every other kind. */
size_t syscall_decode_entry_bytes(const char *kind, const uint64_t args[6], int index);

/* What strace adds after a result (" ([{fd=3, revents=POLLIN}])" for poll),
 * or "" when nothing; for syscall argument kinds `kinds`. */
void syscall_decode_result_note(const char *kinds, const uint64_t args[6], int64_t result,
                                const struct decode_memory *memory, char *out, size_t size);

/* Write the result of syscall `desc` (NULL: unknown): "3", "0x7ffff7fc3000"
 * for calls whose result is an address (the table's `result` column),
 * "-1 ENOENT (No such file or directory)" for failures. Returns 1 when the
 * text is a plain decimal number, 0 otherwise. */
int syscall_decode_result(const struct syscall_desc *desc, int64_t result, char *out, size_t size);

/* Whether `result` is a failure (-4095 .. -1). */
int syscall_result_is_error(int64_t result);

/* Write `len` bytes quoted and escaped the way strace shows buffers, at most
 * DECODE_STRING_MAX of them followed by "..." when longer. */
void decode_quote_bytes(const void *bytes, size_t len, char *out, size_t size);

/* Write the names of the bits of `value` for flag set `set` ("open", "mmap",
 * "prot", "at", "access", "wait", "msg", "clone", "mlock", "msync", "mremap")
 * as syscall `name` takes them ("O_RDONLY|O_CLOEXEC"). Returns -1 (and writes
 * the value in hex) for an unknown set. */
int decode_flags(const char *set, const char *name, uint64_t value, char *out, size_t size);

#endif
