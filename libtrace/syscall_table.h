/*
 * syscall_table.h — what rrdb knows about each x86_64 syscall and ioctl,
 * derived from schema/syscalls.tsv and schema/ioctls.tsv (compiled in at build
 * time). The recorder asks it what memory a syscall wrote; the replayer asks it
 * whether to execute or emulate; reports and rr-query ask it for names.
 */
#ifndef RRDB_SYSCALL_TABLE_H
#define RRDB_SYSCALL_TABLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum replay_mode {
    REPLAY_EMULATE,
    REPLAY_EXECUTE,
    REPLAY_MMAP,
    REPLAY_MREMAP,
    REPLAY_BRK,
    REPLAY_EXECVE,
    REPLAY_ARCH_PRCTL,
    REPLAY_CLONE,
    REPLAY_UNSUPPORTED,
};

enum write_size_kind {
    WRITE_FIXED,        /* `bytes` */
    WRITE_RET,          /* return value × factor */
    WRITE_ARG,          /* argument `size_arg` × factor */
    WRITE_DEREF_ARG,    /* the u32 at pointer argument `size_arg`, after the call */
    WRITE_IOV,          /* iovec array with `size_arg` entries, return value bytes */
    WRITE_FDSET,        /* fd_set for argument `size_arg` descriptors */
    WRITE_MSGHDR,       /* struct msghdr of recvmsg */
    WRITE_MMSGHDR,      /* struct mmsghdr array of recvmmsg, `size_arg` entries */
    WRITE_IOCTL,        /* by ioctl request */
    WRITE_FCNTL,        /* by fcntl command */
    WRITE_PRCTL,        /* by prctl option */
    WRITE_ARCH_PRCTL,   /* by arch_prctl code */
    WRITE_FUTEX,        /* the futex word, for priority-inheritance operations */
    WRITE_PTRACE,       /* by ptrace request: what its PEEK and GET requests fill */
};

struct write_item {
    int ptr_arg;                /* which argument points at the written memory */
    enum write_size_kind kind;
    int size_arg;
    uint64_t amount;            /* bytes for WRITE_FIXED, factor for RET/ARG */
};

#define SYSCALL_MAX_WRITES 6

struct syscall_desc {
    int nr;
    const char *name;
    enum replay_mode replay;
    int write_count;
    struct write_item writes[SYSCALL_MAX_WRITES];
    const char *writes_text;
    const char *replay_text;
    const char *args_text;
};

struct ioctl_desc {
    unsigned long request;
    const char *name;
    unsigned writes; /* bytes written at argument 2 */
};

/* Parse the compiled-in tables once. Returns -1 (with a message naming the
 * row) if the data is malformed — a build defect, caught by the unit tests. */
int syscall_table_init(void);
/* The description of syscall `nr`, or NULL if rrdb does not know it. */
const struct syscall_desc *syscall_lookup(long nr);
/* The name of syscall `nr` ("syscall_NNN" when unknown; static buffer). */
const char *syscall_name(long nr);
/* The number of the syscall called `name`, or -1. */
long syscall_number(const char *name);
/* Number of rows (highest nr + 1). */
int syscall_table_size(void);

const struct ioctl_desc *ioctl_lookup(unsigned long request);

/* Is argument `index` of this syscall a path (a NUL-terminated string the
 * program hands the kernel), by the table's `args` column? */
bool syscall_arg_is_path(const struct syscall_desc *desc, int index);

/* Parse one `writes` spec into items; exposed for the unit tests. */
int syscall_parse_writes(const char *text, struct write_item *items, int *count);

#endif
