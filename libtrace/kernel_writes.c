/*
 * kernel_writes.c — turns a syscall's `writes` spec into concrete address
 * ranges (see kernel_writes.h). Commands whose writes depend on a sub-command
 * (ioctl, fcntl, prctl, arch_prctl) and structures the kernel fills through
 * pointers (iovec, msghdr) are decoded here.
 */
#include "kernel_writes.h"

#include <asm/prctl.h>
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <linux/futex.h>
#include <linux/ioctl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/sem.h>
#include <sys/user.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

#include "array_grow.h"
#include "error.h"
#include "replay_protocol.h"
#include "proc_maps.h"
#include "task.h"

enum { MAX_IOVECS = 1024 };

void mem_ranges_clear(struct mem_ranges *ranges)
{
    ranges->count = 0;
}

void mem_ranges_free(struct mem_ranges *ranges)
{
    free(ranges->items);
    memset(ranges, 0, sizeof *ranges);
}

static int add_range(struct mem_ranges *ranges, uint64_t addr, size_t len)
{
    if (addr == 0 || len == 0)
        return 0;
    struct mem_range *items = array_grow(ranges->items, &ranges->capacity, ranges->count + 1, sizeof *items, 16);
    if (!items) {
        return -1;
    }
    ranges->items = items;
    ranges->items[ranges->count++] = (struct mem_range){addr, len};
    return 0;
}

/* Spread `total` bytes over the iovec array at `iov_addr` (count entries). */
static int add_iovecs(struct task *task, struct mem_ranges *out, uint64_t iov_addr, uint64_t count,
                      uint64_t total)
{
    if (count > MAX_IOVECS)
        count = MAX_IOVECS;
    for (uint64_t i = 0; i < count && total > 0; i++) {
        struct iovec iov;
        if (task_read_mem(task, iov_addr + i * sizeof iov, &iov, sizeof iov) != sizeof iov)
            return -1;
        uint64_t take = iov.iov_len < total ? iov.iov_len : total;
        if (add_range(out, (uint64_t)iov.iov_base, take) < 0)
            return -1;
        total -= take;
    }
    return 0;
}

/* recvmsg: the header itself, the name, the data and the control buffer. */
static int add_msghdr(struct task *task, struct mem_ranges *out, uint64_t addr, uint64_t data_bytes)
{
    struct msghdr header;
    if (task_read_mem(task, addr, &header, sizeof header) != sizeof header)
        return -1;
    if (add_range(out, addr, sizeof header) < 0 ||
        add_range(out, (uint64_t)header.msg_name, header.msg_namelen) < 0 ||
        add_range(out, (uint64_t)header.msg_control, header.msg_controllen) < 0)
        return -1;
    return add_iovecs(task, out, (uint64_t)header.msg_iov, header.msg_iovlen, data_bytes);
}

static int add_mmsghdrs(struct task *task, struct mem_ranges *out, uint64_t addr, int64_t received)
{
    for (int64_t i = 0; i < received; i++) {
        uint64_t entry = addr + (uint64_t)i * sizeof(struct mmsghdr);
        struct mmsghdr message;
        if (task_read_mem(task, entry, &message, sizeof message) != sizeof message)
            return -1;
        if (add_range(out, entry, sizeof message) < 0 ||
            add_msghdr(task, out, entry, message.msg_len) < 0)
            return -1;
    }
    return 0;
}

/* An ioctl request: the bytes the kernel writes at argument 2, from
 * ioctls.tsv, or else from the request number itself (_IOC: a direction
 * that includes _IOC_READ means the kernel fills _IOC_SIZE bytes; _IOC_WRITE
 * alone means it only reads). Returns false for a request the table does
 * not list whose number says nothing: legacy requests (terminals, sockets,
 * consoles) carry no direction and may write anything. */
static bool ioctl_writes(uint64_t request, unsigned *writes)
{
    const struct ioctl_desc *known = ioctl_lookup((unsigned)request);
    if (known) {
        *writes = known->writes;
        return true;
    }
    unsigned direction = _IOC_DIR((unsigned)request);
    if (direction == _IOC_NONE)
        return false;
    *writes = direction & _IOC_READ ? _IOC_SIZE((unsigned)request) : 0;
    return true;
}

static unsigned fcntl_writes(uint64_t command)
{
    switch (command) {
    case F_GETLK:
    case F_OFD_GETLK:
        return sizeof(struct flock);
    case F_GETOWN_EX:
        return 8;
    case 1035: /* F_GET_RW_HINT */
    case 1037: /* F_GET_FILE_RW_HINT */
        return 8;
    default:
        return 0;
    }
}

static unsigned prctl_writes(uint64_t option)
{
    switch (option) {
    case PR_GET_NAME:
        return 16;
    case PR_GET_TID_ADDRESS:
        return 8;
    case PR_GET_PDEATHSIG:
    case PR_GET_CHILD_SUBREAPER:
    case PR_GET_TSC:
    case PR_GET_FPEXC:
    case PR_GET_ENDIAN:
    case PR_GET_UNALIGN:
        return 4;
    default:
        return 0;
    }
}

/* Is the task in the caller's IPC namespace (its semaphore ids mean the same)? */
static bool same_ipc_namespace(pid_t tid)
{
    char ours[64], theirs[64], path[64];
    snprintf(path, sizeof path, "/proc/%d/ns/ipc", tid);
    ssize_t a = readlink("/proc/self/ns/ipc", ours, sizeof ours - 1);
    ssize_t b = readlink(path, theirs, sizeof theirs - 1);
    return a > 0 && a == b && memcmp(ours, theirs, (size_t)a) == 0;
}

/* semctl: what the command fills at argument 3. GETALL fills one short per
 * semaphore of the set, a count the recorder asks the kernel for itself
 * (IPC_STAT of the same set), or else the most a set can hold (SEMMSL). */
static uint64_t semctl_writes(struct task *task, const uint64_t args[6])
{
    enum { SEMMSL_MAX = 32000 };
    enum { IPC_64_FLAG = 0x100 };
    switch (args[2] & ~(uint64_t)IPC_64_FLAG) {
    case IPC_STAT:
    case SEM_STAT:
    case SEM_STAT_ANY:
        return sizeof(struct semid_ds);
    case IPC_INFO:
    case SEM_INFO:
        return sizeof(struct seminfo);
    case GETALL: {
        struct semid_ds set;
        if (!same_ipc_namespace(task->tid) || semctl((int)args[0], 0, IPC_STAT, &set) < 0)
            return SEMMSL_MAX * sizeof(unsigned short);
        return set.sem_nsems * sizeof(unsigned short);
    }
    default:
        return 0;
    }
}

/* keyctl: the commands that fill a buffer, at argument `at`: the
 * description, payload, security label or computed key at argument 2 (its
 * length in argument 3; the result says the whole size, which may be more),
 * the output of the public-key operations at argument 4. */
static uint64_t keyctl_writes(const uint64_t args[6], int at, int64_t result)
{
    enum {
        KEYCTL_DESCRIBE = 6, KEYCTL_READ = 11, KEYCTL_GET_SECURITY = 17, KEYCTL_DH_COMPUTE = 23,
        KEYCTL_PKEY_ENCRYPT = 25, KEYCTL_PKEY_DECRYPT = 26, KEYCTL_PKEY_SIGN = 27, KEYCTL_CAPABILITIES = 31,
    };
    uint64_t done = result > 0 ? (uint64_t)result : 0;
    switch (args[0]) {
    case KEYCTL_DESCRIBE:
    case KEYCTL_READ:
    case KEYCTL_GET_SECURITY:
    case KEYCTL_DH_COMPUTE:
    case KEYCTL_CAPABILITIES:
        return at == 2 ? (done < args[3] ? done : args[3]) : 0;
    case KEYCTL_PKEY_ENCRYPT:
    case KEYCTL_PKEY_DECRYPT:
    case KEYCTL_PKEY_SIGN:
        return at == 4 ? done : 0;
    default:
        return 0;
    }
}

/* Only the priority-inheritance operations make the kernel write the futex
 * word (the owner's tid); waits and wakes leave it to the program. */
static unsigned futex_writes(uint64_t op)
{
    switch (op & FUTEX_CMD_MASK) {
    case FUTEX_LOCK_PI:
    case FUTEX_LOCK_PI2:
    case FUTEX_UNLOCK_PI:
    case FUTEX_TRYLOCK_PI:
        return 4;
    default:
        return 0;
    }
}

/* What a ptrace request stores at its data pointer (argument 3); GETREGSET,
 * which fills the buffer its iovec names, is handled in add_ptrace_writes. */
static unsigned ptrace_writes(uint64_t request, uint64_t addr)
{
    switch (request) {
    case PTRACE_PEEKTEXT:
    case PTRACE_PEEKDATA:
    case PTRACE_PEEKUSER:
    case PTRACE_GETEVENTMSG:
        return 8;
    case PTRACE_GETREGS:
        return sizeof(struct user_regs_struct);
    case PTRACE_GETFPREGS:
        return sizeof(struct user_fpregs_struct);
    case PTRACE_GETSIGINFO:
        return sizeof(siginfo_t);
    case PTRACE_GET_SYSCALL_INFO:
        return (unsigned)(addr < 4096 ? addr : 4096);
    default:
        return 0;
    }
}

/* PTRACE_GETREGSET: the kernel fills the iovec's buffer and sets its length.
 * PTRACE_ARCH_PRCTL's ARCH_GET_FS and ARCH_GET_GS (the code in argument 3)
 * store the base at argument 2. */
static int add_ptrace_writes(struct task *task, struct mem_ranges *out, const uint64_t args[6], int64_t result)
{
    if (args[0] == PTRACE_ARCH_PRCTL)
        return args[3] == ARCH_GET_FS || args[3] == ARCH_GET_GS ? add_range(out, args[2], sizeof(uint64_t)) : 0;
    if (args[0] != PTRACE_GETREGSET)
        return add_range(out, args[3], ptrace_writes(args[0], args[2]));
    struct iovec iov;
    if (result < 0 || task_read_mem(task, args[3], &iov, sizeof iov) != sizeof iov)
        return 0;
    if (add_range(out, args[3], sizeof iov) < 0)
        return -1;
    return add_range(out, (uint64_t)iov.iov_base, iov.iov_len);
}

/* CLONE_PIDFD: the kernel stores the new pidfd for the parent (replay
 * creates the process without one and writes the recorded number). */
static int add_clone_pidfd(struct task *task, struct mem_ranges *out, const struct write_item *item,
                           const uint64_t args[6], int64_t result)
{
    if (result <= 0)
        return 0;
    if (item->ptr_arg == 2) /* clone: flags in argument 0, the int at argument 2 */
        return args[0] & CLONE_PIDFD ? add_range(out, args[2], sizeof(int)) : 0;
    uint64_t flags = 0, pidfd_at = 0;
    if (args[1] < CLONE_ARGS_PIDFD + sizeof pidfd_at ||
        task_read_mem(task, args[0] + CLONE_ARGS_FLAGS, &flags, sizeof flags) != sizeof flags ||
        task_read_mem(task, args[0] + CLONE_ARGS_PIDFD, &pidfd_at, sizeof pidfd_at) != sizeof pidfd_at)
        return 0;
    return flags & CLONE_PIDFD ? add_range(out, pidfd_at, sizeof(int)) : 0;
}

static unsigned arch_prctl_writes(uint64_t code)
{
    switch (code) {
    case ARCH_GET_FS:
    case ARCH_GET_GS:
    case 0x1021: /* ARCH_GET_XCOMP_SUPP */
    case 0x1022: /* ARCH_GET_XCOMP_PERM */
    case 0x1024: /* ARCH_GET_XCOMP_GUEST_PERM */
        return 8;
    default:
        return 0;
    }
}

/* MADV_DONTNEED drops the pages of the range: anonymous memory reads zeros
 * afterwards, as it will in replay (which runs madvise on anonymous
 * memory); a private file mapping reads its file again, which replay does
 * not have. Then the whole range is what the kernel wrote. */
static uint64_t madvise_writes(struct task *task, const uint64_t args[6])
{
    if (args[2] != MADV_DONTNEED && args[2] != MADV_DONTNEED_LOCKED)
        return 0;
    struct trace_mapping *maps = NULL;
    int count = proc_maps_read(task->tid, &maps);
    uint64_t size = 0;
    for (int i = 0; i < count; i++)
        if (maps[i].inode && (maps[i].flags & MAP_PRIVATE) && maps[i].start < args[0] + args[1] &&
            args[0] < maps[i].end)
            size = (args[1] + 4095) & ~(uint64_t)4095; /* whole pages */
    free(maps);
    return size;
}

int kernel_writes_check_supported(const struct syscall_desc *desc)
{
    if (desc->replay == REPLAY_UNSUPPORTED) {
        error_set("unsupported syscall %s (%d)", desc->name, desc->nr);
        return -1;
    }
    return 0;
}

int kernel_writes_answer_instead(const struct syscall_desc *desc, const uint64_t args[6], char *what,
                                 size_t size)
{
    unsigned ioctl_bytes;
    for (int i = 0; i < desc->write_count; i++) {
        if (desc->writes[i].kind != WRITE_IOCTL)
            continue;
        const struct ioctl_desc *known = ioctl_lookup((unsigned)args[1]);
        if (known) {
            if (!known->answer)
                continue; /* its row says what the kernel writes */
            snprintf(what, size, "ioctl %s 0x%x", known->name, (unsigned)args[1]);
            return -known->answer;
        }
        if (!ioctl_writes(args[1], &ioctl_bytes)) { /* by the request's number alone */
            snprintf(what, size, "ioctl 0x%x", (unsigned)args[1]);
            return -ENOTTY;
        }
    }
    return 0;
}

static uint64_t item_size(struct task *task, const struct write_item *item, const uint64_t args[6],
                          int64_t result)
{
    uint64_t nonnegative_result = result > 0 ? (uint64_t)result : 0;
    switch (item->kind) {
    case WRITE_FIXED:
        return item->amount;
    case WRITE_RET:
        return nonnegative_result * item->amount;
    case WRITE_ARG:
        return args[item->size_arg] * item->amount;
    case WRITE_DEREF_ARG: {
        uint32_t value = 0;
        if (args[item->size_arg] == 0 ||
            task_read_mem(task, args[item->size_arg], &value, sizeof value) != sizeof value)
            return 0;
        return value;
    }
    case WRITE_FDSET:
        return (args[item->size_arg] + 63) / 64 * 8;
    case WRITE_IOCTL: {
        unsigned bytes;
        return ioctl_writes(args[1], &bytes) ? bytes : 0;
    }
    case WRITE_FCNTL:
        return fcntl_writes(args[1]);
    case WRITE_PRCTL:
        return prctl_writes(args[0]);
    case WRITE_ARCH_PRCTL:
        return arch_prctl_writes(args[0]);
    case WRITE_FUTEX:
        return futex_writes(args[1]);
    case WRITE_SEMCTL:
        return semctl_writes(task, args);
    case WRITE_MSGRCV: /* long mtype, then the text */
        return result >= 0 ? sizeof(long) + nonnegative_result : 0;
    case WRITE_KEYCTL:
        return keyctl_writes(args, item->ptr_arg, result);
    case WRITE_MADVISE:
        return result == 0 ? madvise_writes(task, args) : 0;
    default:
        return 0;
    }
}

int kernel_writes_collect(struct task *task, const struct syscall_desc *desc, const uint64_t args[6],
                          int64_t result, struct mem_ranges *out)
{
    for (int i = 0; i < desc->write_count; i++) {
        const struct write_item *item = &desc->writes[i];
        uint64_t pointer = args[item->ptr_arg];
        if (pointer == 0)
            continue;
        int rc = 0;
        switch (item->kind) {
        case WRITE_IOV:
            if (result > 0)
                rc = add_iovecs(task, out, pointer, args[item->size_arg], (uint64_t)result);
            break;
        case WRITE_MSGHDR:
            if (result >= 0)
                rc = add_msghdr(task, out, pointer, (uint64_t)result);
            break;
        case WRITE_MMSGHDR:
            rc = add_mmsghdrs(task, out, pointer, result);
            break;
        case WRITE_PTRACE:
            if (result >= 0)
                rc = add_ptrace_writes(task, out, args, result);
            break;
        case WRITE_PIDFD:
            rc = add_clone_pidfd(task, out, item, args, result);
            break;
        default:
            rc = add_range(out, pointer, item_size(task, item, args, result));
        }
        if (rc < 0)
            return -1;
    }
    return 0;
}
