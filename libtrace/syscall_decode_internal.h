/*
 * syscall_decode_internal.h — what syscall_decode.c and its struct decoders
 * (syscall_decode_structs.c) share: a text buffer that quietly cuts what does
 * not fit, and the ways strace writes strings and pointers. Not for tools:
 * they call syscall_decode.h.
 */
#ifndef RRDB_SYSCALL_DECODE_INTERNAL_H
#define RRDB_SYSCALL_DECODE_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "syscall_decode.h"

/* Text appended into a fixed buffer; what does not fit is cut off. */
struct text {
    char *out;
    size_t size, len;
};

void text_add(struct text *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* `len` bytes quoted and escaped as strace does, "..." after when `more`. */
void decode_add_quoted(struct text *t, const unsigned char *bytes, size_t len, bool more);
/* NULL, or the address in hex. */
void decode_add_pointer(struct text *t, uint64_t value);

/* The struct (or array of structs) that argument `index` of kind `kind`
 * ("in:timespec", "out:stat") points at, decoded from the memory the trace
 * knows; a pointer when unknown, and for `out:` kinds when the call failed
 * or has not completed (`result` < 0): the kernel wrote nothing. Returns
 * false when `kind` is not a struct kind. */
bool decode_struct_arg(struct text *t, const char *kind, const uint64_t args[6], int index,
                       int64_t result, const struct decode_memory *memory);

#endif
