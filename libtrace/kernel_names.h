/*
 * kernel_names.h — the names the kernel's numbers go by, both ways: errno
 * values (ENOENT), signal numbers (SIGSEGV) and siginfo codes (SEGV_MAPERR).
 * rr-query shows them and accepts them in queries (`ret=-ENOENT`,
 * `signo=SIGSEGV`); reports print them.
 */
#ifndef RRDB_KERNEL_NAMES_H
#define RRDB_KERNEL_NAMES_H

#include <stddef.h>

/* "ENOENT" for 2, including the kernel-internal restart codes (ERESTARTSYS);
 * NULL when the number has no name. */
const char *errno_name(int err);
/* The number of an errno name (case-insensitive; aliases such as EWOULDBLOCK
 * accepted), or -1. */
int errno_from_name(const char *name);

/* "SIGSEGV", "SIGRTMIN+3" (kernel numbering: SIGRTMIN is 32), or "SIG99",
 * written into buf. */
const char *signal_name(int signo, char *buf, size_t size);
/* The number of "SIGSEGV", "SEGV", "sigsegv", "SIGRTMIN+3"; -1 if unknown. */
int signal_from_name(const char *name);

/* The name of siginfo's si_code for signal `signo` ("SI_USER", "SEGV_MAPERR"),
 * or NULL when unknown. */
const char *signal_code_name(int signo, int code);

#endif
