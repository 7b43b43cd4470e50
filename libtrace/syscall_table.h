/*
 * syscall_table.h — what rrdb knows about each x86_64 syscall and ioctl,
 * derived from schema/syscalls.tsv and schema/ioctls.tsv (compiled in at build
 * time). The recorder asks it what memory a syscall wrote; the replayer asks it
 * whether to execute or emulate; reports and rr-query ask it for names, for
 * what a result is, and for what a call does to fds, signals and output (its
 * effects, parsed in syscall_effects.c). A trace stores its own copy of these
 * rows (trace_syscalls.h reads it back).
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
    REPLAY_ENOSYS,      /* not run: the recorder answers ENOSYS, as a kernel without it would */
    REPLAY_UNSUPPORTED,
};

/* What a non-negative result is (column `result`). */
enum result_kind {
    RESULT_INT,
    RESULT_BYTES,   /* a byte count */
    RESULT_PID,     /* a process, thread or process group id */
    RESULT_FD,      /* a new file descriptor */
    RESULT_ADDR,    /* an address in the program's memory */
};

/* What a successful call does to the program's fds (column `effects`). */
enum fd_effect {
    FD_EFFECT_NONE,
    FD_EFFECT_OPEN,         /* fd_open: the result is an fd on the row's `path` argument */
    FD_EFFECT_CLOSE,        /* fd_close(aN) */
    FD_EFFECT_CLOSE_RANGE,  /* fd_close_range(aN,aM): aN to aM (flags in the next argument) */
    FD_EFFECT_DUP,          /* fd_dup(aN): the result is a copy of fd aN */
    FD_EFFECT_FCNTL,        /* fd_fcntl: by the command in argument 1 (F_DUPFD*, F_SETFD) */
};

#define SYSCALL_NO_ARG (-1)

/* The effects column, parsed; an argument index is SYSCALL_NO_ARG where the
 * effect does not apply. Grammar in schema/README.md. */
struct syscall_effects {
    /* sends(aN) / sends_iov(aN,aM): the program hands the kernel `result`
     * bytes of data, in the buffer at aN or the aM iovecs at aN */
    int sends_arg, sends_iov_count_arg;
    /* at_offset(aN): the data goes to the file offset in aN (-1: the fd's position) */
    int offset_arg;
    /* passes(aI,aJ,aO): the kernel moves `result` bytes from fd aI (from the
     * offset at pointer aJ, or the fd's position when it is 0) to fd aO */
    int passes_from_arg, passes_offset_ptr_arg, passes_to_arg;
    /* moves_to(aN): the kernel hands `result` bytes to fd aN from somewhere
     * the table does not describe (a pipe, message headers): the recorder
     * knows where they go, not what they are */
    int moves_to_arg;
    enum fd_effect fd;
    int fd_args[2];
    /* sigmask(aN) / sigmask(*aN): the call waits under the temporary signal
     * mask at aN, or at the pointer stored at aN (pselect6) */
    int sigmask_arg;
    bool sigmask_indirect;
    /* signals(aN,aM): sends the signal in aM to the process (kill's rules)
     * or thread in aN */
    int signal_target_arg, signal_number_arg;
    /* changes_shared: the call may change memory a process shares with a
     * file or another process beyond what it writes into the caller (a
     * file's size, a process's death and its robust futexes, another
     * process's memory); sends, passes, moves_to and signals imply it */
    bool changes_shared;
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
    WRITE_SEMCTL,       /* by semctl command: the struct or value array at argument 3 */
    WRITE_MSGRCV,       /* a struct msgbuf: the type, then the result's bytes of text */
    WRITE_KEYCTL,       /* by keyctl command: the buffer it fills, at this argument */
    WRITE_PIDFD,        /* with CLONE_PIDFD, the new pidfd (an int) the kernel stores: at
                           argument 2 (clone), at clone_args.pidfd (clone3, struct at aN) */
    WRITE_MADVISE,      /* the range, when MADV_DONTNEED makes a private file mapping in it
                           read its file again */
};

struct write_item {
    int ptr_arg;                /* which argument points at the written memory */
    enum write_size_kind kind;
    int size_arg;
    uint64_t amount;            /* bytes for WRITE_FIXED, factor for RET/ARG */
};

#define SYSCALL_MAX_WRITES 6

/* One row as text: the columns of schema/syscalls.tsv, which is also what a
 * trace's syscall_info table holds. */
struct syscall_row {
    int nr;
    const char *name, *replay, *writes, *args, *result, *effects;
};

struct syscall_desc {
    int nr;
    const char *name;
    enum replay_mode replay;
    int write_count;
    struct write_item writes[SYSCALL_MAX_WRITES];
    enum result_kind result;
    struct syscall_effects effects;
    const char *writes_text;
    const char *replay_text;
    const char *args_text;
    const char *result_text;
    const char *effects_text;
};

/* One row of schema/ioctls.tsv: a request, or a range of them. */
struct ioctl_desc {
    unsigned long request, last; /* requests `request` to `last` (one: equal) */
    const char *name;
    unsigned writes; /* bytes written at argument 2 */
    int answer;      /* 0: the kernel answers; else the errno the recorder answers instead */
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

/* The row describing ioctl `request` (a single row before a range), or NULL. */
const struct ioctl_desc *ioctl_lookup(unsigned long request);

/* Parse one row into *desc (which keeps pointers to the row's strings).
 * A row without `result` and `effects` (NULL: read from a trace of format 1,
 * which lacked them) takes them from this build's row of the same name, or
 * int and none. Returns -1 (error_set naming the row) if the row is malformed. */
int syscall_desc_parse(const struct syscall_row *row, struct syscall_desc *desc);

/* The index of the first argument of kind `kind` in the `args` column
 * (`path`, `flags:open`…), or SYSCALL_NO_ARG. */
int syscall_arg_of_kind(const struct syscall_desc *desc, const char *kind);

/* Is argument `index` of this syscall a path (a NUL-terminated string the
 * program hands the kernel), by the table's `args` column? */
bool syscall_arg_is_path(const struct syscall_desc *desc, int index);
/* The kind of argument `index` in the `args` column ("in:sockaddr") into
 * kind; false when the row has no such argument or it does not fit. */
bool syscall_arg_kind(const struct syscall_desc *desc, int index, char *kind, size_t size);

/* Parse one `writes` spec into items; exposed for the unit tests. */
int syscall_parse_writes(const char *text, struct write_item *items, int *count);
/* Parse a `result` word; -1 if it is none of int, bytes, pid, fd, addr. */
int syscall_parse_result(const char *text, enum result_kind *kind);
/* Parse an `effects` spec (syscall_effects.c); -1 if malformed. */
int syscall_parse_effects(const char *text, struct syscall_effects *effects);

#endif
