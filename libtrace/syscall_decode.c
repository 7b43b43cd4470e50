/*
 * syscall_decode.c — strace-like text for a syscall's arguments and result
 * (see syscall_decode.h). Flag values are the x86_64 ABI's, written out here
 * so that a trace decodes the same whatever headers this build saw; ioctl
 * requests are named from schema/ioctls.tsv.
 */
#include "syscall_decode.h"
#include "syscall_decode_internal.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "kernel_names.h"
#include "named_constants.h"
#include "syscall_table.h"

void text_add(struct text *t, const char *fmt, ...)
{
    if (t->size == 0 || t->len >= t->size - 1)
        return;
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(t->out + t->len, t->size - t->len, fmt, ap);
    va_end(ap);
    if (n > 0)
        t->len = t->len + (size_t)n < t->size ? t->len + (size_t)n : t->size - 1;
}

struct flag_name {
    uint64_t bits;
    const char *name;
};

#define FLAGS(array) array, sizeof array / sizeof array[0]

/* Multi-bit flags come before the single bits they contain. */
static const struct flag_name open_flags[] = {
    {020200000, "O_TMPFILE"}, {04010000, "O_SYNC"}, {0100, "O_CREAT"}, {0200, "O_EXCL"},
    {0400, "O_NOCTTY"}, {01000, "O_TRUNC"}, {02000, "O_APPEND"}, {04000, "O_NONBLOCK"},
    {010000, "O_DSYNC"}, {020000, "O_ASYNC"}, {040000, "O_DIRECT"}, {0100000, "O_LARGEFILE"},
    {0200000, "O_DIRECTORY"}, {0400000, "O_NOFOLLOW"}, {01000000, "O_NOATIME"},
    {02000000, "O_CLOEXEC"}, {010000000, "O_PATH"},
};
static const struct flag_name mmap_flags[] = {
    {0x10, "MAP_FIXED"}, {0x20, "MAP_ANONYMOUS"}, {0x40, "MAP_32BIT"},
    {0x100, "MAP_GROWSDOWN"}, {0x800, "MAP_DENYWRITE"}, {0x1000, "MAP_EXECUTABLE"},
    {0x2000, "MAP_LOCKED"}, {0x4000, "MAP_NORESERVE"}, {0x8000, "MAP_POPULATE"},
    {0x10000, "MAP_NONBLOCK"}, {0x20000, "MAP_STACK"}, {0x40000, "MAP_HUGETLB"},
    {0x80000, "MAP_SYNC"}, {0x100000, "MAP_FIXED_NOREPLACE"},
};
static const struct flag_name prot_flags[] = {
    {1, "PROT_READ"}, {2, "PROT_WRITE"}, {4, "PROT_EXEC"}, {8, "PROT_SEM"},
    {0x01000000, "PROT_GROWSDOWN"}, {0x02000000, "PROT_GROWSUP"},
};
static const struct flag_name at_flags[] = {
    {0x100, "AT_SYMLINK_NOFOLLOW"}, {0x200, "AT_EACCESS"}, {0x400, "AT_SYMLINK_FOLLOW"},
    {0x800, "AT_NO_AUTOMOUNT"}, {0x1000, "AT_EMPTY_PATH"}, {0x2000, "AT_STATX_FORCE_SYNC"},
    {0x4000, "AT_STATX_DONT_SYNC"}, {0x8000, "AT_RECURSIVE"},
};
/* unlinkat gives 0x200 another meaning. */
static const struct flag_name unlinkat_flags[] = {{0x200, "AT_REMOVEDIR"}};
static const struct flag_name access_flags[] = {{4, "R_OK"}, {2, "W_OK"}, {1, "X_OK"}};
static const struct flag_name wait_flags[] = {
    {1, "WNOHANG"}, {2, "WUNTRACED"}, {4, "WEXITED"}, {8, "WCONTINUED"},
    {0x01000000, "WNOWAIT"}, {0x20000000, "__WNOTHREAD"}, {0x40000000, "__WALL"},
    {0x80000000, "__WCLONE"},
};
static const struct flag_name msg_flags[] = {
    {1, "MSG_OOB"}, {2, "MSG_PEEK"}, {4, "MSG_DONTROUTE"}, {8, "MSG_CTRUNC"},
    {0x10, "MSG_PROXY"}, {0x20, "MSG_TRUNC"}, {0x40, "MSG_DONTWAIT"}, {0x80, "MSG_EOR"},
    {0x100, "MSG_WAITALL"}, {0x200, "MSG_FIN"}, {0x400, "MSG_SYN"}, {0x800, "MSG_CONFIRM"},
    {0x1000, "MSG_RST"}, {0x2000, "MSG_ERRQUEUE"}, {0x4000, "MSG_NOSIGNAL"},
    {0x8000, "MSG_MORE"}, {0x10000, "MSG_WAITFORONE"}, {0x40000, "MSG_BATCH"},
    {0x4000000, "MSG_ZEROCOPY"}, {0x20000000, "MSG_FASTOPEN"}, {0x40000000, "MSG_CMSG_CLOEXEC"},
};
static const struct flag_name clone_flags[] = {
    {0x100, "CLONE_VM"}, {0x200, "CLONE_FS"}, {0x400, "CLONE_FILES"}, {0x800, "CLONE_SIGHAND"},
    {0x1000, "CLONE_PIDFD"}, {0x2000, "CLONE_PTRACE"}, {0x4000, "CLONE_VFORK"},
    {0x8000, "CLONE_PARENT"}, {0x10000, "CLONE_THREAD"}, {0x20000, "CLONE_NEWNS"},
    {0x40000, "CLONE_SYSVSEM"}, {0x80000, "CLONE_SETTLS"}, {0x100000, "CLONE_PARENT_SETTID"},
    {0x200000, "CLONE_CHILD_CLEARTID"}, {0x400000, "CLONE_DETACHED"},
    {0x800000, "CLONE_UNTRACED"}, {0x1000000, "CLONE_CHILD_SETTID"},
    {0x2000000, "CLONE_NEWCGROUP"}, {0x4000000, "CLONE_NEWUTS"}, {0x8000000, "CLONE_NEWIPC"},
    {0x10000000, "CLONE_NEWUSER"}, {0x20000000, "CLONE_NEWPID"}, {0x40000000, "CLONE_NEWNET"},
    {0x80000000, "CLONE_IO"},
};
static const struct flag_name mlockall_flags[] = {{1, "MCL_CURRENT"}, {2, "MCL_FUTURE"}, {4, "MCL_ONFAULT"}};
static const struct flag_name mlock2_flags[] = {{1, "MLOCK_ONFAULT"}};
static const struct flag_name msync_flags[] = {{1, "MS_ASYNC"}, {2, "MS_INVALIDATE"}, {4, "MS_SYNC"}};
static const struct flag_name mremap_flags[] = {
    {1, "MREMAP_MAYMOVE"}, {2, "MREMAP_FIXED"}, {4, "MREMAP_DONTUNMAP"},
};

/* Append the names of the bits in `value`; leftover bits in hex. */
static void add_bits(struct text *t, const struct flag_name *flags, size_t count,
                     uint64_t value, bool first)
{
    for (size_t i = 0; i < count && value; i++)
        if ((value & flags[i].bits) == flags[i].bits) {
            text_add(t, "%s%s", first ? "" : "|", flags[i].name);
            value &= ~flags[i].bits;
            first = false;
        }
    if (value)
        text_add(t, "%s%#llx", first ? "" : "|", (unsigned long long)value);
    else if (first)
        text_add(t, "0");
}

static bool is_open_call(const char *name)
{
    return name && strstr(name, "open") != NULL;
}

static int add_flags(struct text *t, const char *set, const char *name, uint64_t value)
{
    char sigbuf[32];
    if (strcmp(set, "open") == 0) {
        if (is_open_call(name)) {
            /* The access mode is a 2-bit number, not a bit set. */
            static const char *const modes[] = {"O_RDONLY", "O_WRONLY", "O_RDWR", "O_ACCMODE"};
            text_add(t, "%s", modes[value & 3]);
            if (value & ~(uint64_t)3) {
                text_add(t, "|");
                add_bits(t, FLAGS(open_flags), value & ~(uint64_t)3, true);
            }
        } else {
            add_bits(t, FLAGS(open_flags), value, true);
        }
    } else if (strcmp(set, "mmap") == 0) {
        static const char *const types[] = {NULL, "MAP_SHARED", "MAP_PRIVATE", "MAP_SHARED_VALIDATE"};
        uint64_t type = value & 0xf;
        if (type >= 1 && type <= 3) {
            text_add(t, "%s", types[type]);
            if (value & ~(uint64_t)0xf) {
                text_add(t, "|");
                add_bits(t, FLAGS(mmap_flags), value & ~(uint64_t)0xf, true);
            }
        } else {
            add_bits(t, FLAGS(mmap_flags), value, true);
        }
    } else if (strcmp(set, "prot") == 0) {
        if (value == 0)
            text_add(t, "PROT_NONE");
        else
            add_bits(t, FLAGS(prot_flags), value, true);
    } else if (strcmp(set, "at") == 0) {
        if (name && strcmp(name, "unlinkat") == 0)
            add_bits(t, FLAGS(unlinkat_flags), value, true);
        else
            add_bits(t, FLAGS(at_flags), value, true);
    } else if (strcmp(set, "access") == 0) {
        if (value == 0)
            text_add(t, "F_OK");
        else
            add_bits(t, FLAGS(access_flags), value, true);
    } else if (strcmp(set, "wait") == 0) {
        add_bits(t, FLAGS(wait_flags), value, true);
    } else if (strcmp(set, "msg") == 0) {
        add_bits(t, FLAGS(msg_flags), value, true);
    } else if (strcmp(set, "clone") == 0) {
        /* clone's low byte is the signal sent to the parent at exit. */
        uint64_t exit_signal = name && strcmp(name, "clone") == 0 ? value & 0xff : 0;
        uint64_t rest = value & ~exit_signal;
        if (rest || !exit_signal)
            add_bits(t, FLAGS(clone_flags), rest, true);
        if (exit_signal)
            text_add(t, "%s%s", rest ? "|" : "", signal_name((int)exit_signal, sigbuf, sizeof sigbuf));
    } else if (strcmp(set, "mlock") == 0) {
        if (name && strcmp(name, "mlock2") == 0)
            add_bits(t, FLAGS(mlock2_flags), value, true);
        else
            add_bits(t, FLAGS(mlockall_flags), value, true);
    } else if (strcmp(set, "msync") == 0) {
        add_bits(t, FLAGS(msync_flags), value, true);
    } else if (strcmp(set, "mremap") == 0) {
        add_bits(t, FLAGS(mremap_flags), value, true);
    } else if (strcmp(set, "socket_type") == 0) {
        /* a type (constants' sock_type) in the low bits, flags (sock_flags) above */
        const char *type = named_constant("sock_type", (long long)(value & 0xf));
        if (type)
            text_add(t, "%s", type);
        else
            text_add(t, "%llu", (unsigned long long)(value & 0xf));
        if (value & ~(uint64_t)0xf) {
            char bits[128];
            named_constant_bits("sock_flags", value & ~(uint64_t)0xf, bits, sizeof bits);
            text_add(t, "|%s", bits);
        }
    } else if (named_constant_set_exists(set)) {
        char bits[256];
        named_constant_bits(set, value, bits, sizeof bits);
        text_add(t, "%s", bits);
    } else {
        text_add(t, "%#llx", (unsigned long long)value);
        return -1;
    }
    return 0;
}

int decode_flags(const char *set, const char *name, uint64_t value, char *out, size_t size)
{
    struct text t = {out, size, 0};
    if (size)
        out[0] = '\0';
    return add_flags(&t, set, name, value);
}

void decode_add_quoted(struct text *t, const unsigned char *bytes, size_t len, bool more)
{
    text_add(t, "\"");
    for (size_t i = 0; i < len; i++) {
        unsigned char c = bytes[i];
        bool digit_follows = i + 1 < len && bytes[i + 1] >= '0' && bytes[i + 1] <= '7';
        switch (c) {
        case '"': text_add(t, "\\\""); break;
        case '\\': text_add(t, "\\\\"); break;
        case '\n': text_add(t, "\\n"); break;
        case '\t': text_add(t, "\\t"); break;
        case '\r': text_add(t, "\\r"); break;
        case '\v': text_add(t, "\\v"); break;
        case '\f': text_add(t, "\\f"); break;
        default:
            if (c >= 0x20 && c < 0x7f)
                text_add(t, "%c", c);
            else
                text_add(t, digit_follows ? "\\%03o" : "\\%o", c);
        }
    }
    text_add(t, "\"%s", more ? "..." : "");
}

void decode_quote_bytes(const void *bytes, size_t len, char *out, size_t size)
{
    struct text t = {out, size, 0};
    if (size)
        out[0] = '\0';
    bool more = len > DECODE_STRING_MAX;
    decode_add_quoted(&t, bytes, more ? DECODE_STRING_MAX : len, more);
}

void decode_add_pointer(struct text *t, uint64_t value)
{
    if (value == 0)
        text_add(t, "NULL");
    else
        text_add(t, "%#llx", (unsigned long long)value);
}

/* A NUL-terminated string argument, quoted whole; a pointer when the trace
 * does not hold it. */
static void add_path(struct text *t, uint64_t addr, const struct decode_memory *memory)
{
    char buf[4096];
    size_t known = addr && memory && memory->read ? memory->read(memory->context, addr, buf, sizeof buf) : 0;
    const char *nul = known ? memchr(buf, '\0', known) : NULL;
    if (nul)
        decode_add_quoted(t, (const unsigned char *)buf, (size_t)(nul - buf), false);
    else
        decode_add_pointer(t, addr);
}

/* A buffer of `len` bytes (when known, `len` < 0 otherwise). */
static void add_buffer(struct text *t, uint64_t addr, int64_t len, const struct decode_memory *memory)
{
    unsigned char buf[DECODE_STRING_MAX];
    size_t want = len < 0 ? DECODE_STRING_MAX : (size_t)len < sizeof buf ? (size_t)len : sizeof buf;
    size_t known = addr && want && memory && memory->read ? memory->read(memory->context, addr, buf, want) : 0;
    if (addr && len == 0)
        text_add(t, "\"\"");
    else if (known == want && len >= 0)
        decode_add_quoted(t, buf, known, (size_t)len > want);
    else
        decode_add_pointer(t, addr);
}

static bool is_length_kind(const char *kind)
{
    return strcmp(kind, "size") == 0 || strcmp(kind, "uint") == 0 || strcmp(kind, "int") == 0;
}

void syscall_decode_args(const char *name, const char *kinds, const uint64_t args[6],
                         int64_t result, const struct decode_memory *memory,
                         char *out, size_t size)
{
    struct text t = {out, size, 0};
    if (size)
        out[0] = '\0';
    if (!kinds) {
        for (int i = 0; i < 6; i++)
            text_add(&t, "%s%#llx", i ? ", " : "", (unsigned long long)args[i]);
        return;
    }
    if (strcmp(kinds, "-") == 0)
        return;
    char list[128];
    snprintf(list, sizeof list, "%s", kinds);
    char *kind_of[6] = {0};
    int count = 0;
    char *saveptr = NULL;
    for (char *k = strtok_r(list, ",", &saveptr); k && count < 6; k = strtok_r(NULL, ",", &saveptr))
        kind_of[count++] = k;

    uint64_t open_flags_value = 0;
    bool shown = false;
    char sigbuf[32];
    for (int i = 0; i < count; i++) {
        const char *kind = kind_of[i];
        uint64_t v = args[i];
        const char *sep = shown ? ", " : "";
        if (strcmp(kind, "uint") == 0 && i > 0 && strcmp(kind_of[i - 1], "flags:open") == 0 &&
            is_open_call(name)) {
            /* open's mode: meaningful (and shown, in octal) only when creating. */
            if (open_flags_value & (0100 | 020000000))
                text_add(&t, "%s%#llo", sep, (unsigned long long)(uint32_t)v);
            continue;
        }
        shown = true;
        text_add(&t, "%s", sep);
        if (strcmp(kind, "int") == 0) {
            text_add(&t, "%d", (int32_t)v);
        } else if (strcmp(kind, "uint") == 0) {
            text_add(&t, "%u", (uint32_t)v);
        } else if (strcmp(kind, "hex") == 0) {
            const struct ioctl_desc *request = i == 1 && name && strcmp(name, "ioctl") == 0
                                                   ? ioctl_lookup((unsigned long)v) : NULL;
            if (request)
                text_add(&t, "%s", request->name);
            else
                text_add(&t, "%#llx", (unsigned long long)v);
        } else if (strcmp(kind, "fd") == 0) {
            int fd = (int32_t)v;
            const char *path = fd >= 0 && memory && memory->fd_path ? memory->fd_path(memory->context, fd) : NULL;
            if (fd == -100)
                text_add(&t, "AT_FDCWD");
            else if (path)
                text_add(&t, "%d<%s>", fd, path);
            else
                text_add(&t, "%d", fd);
        } else if (strcmp(kind, "path") == 0) {
            add_path(&t, v, memory);
        } else if (strcmp(kind, "str") == 0) {
            int64_t len = -1;
            if (i + 1 < count && is_length_kind(kind_of[i + 1]))
                len = (int64_t)args[i + 1];
            if (result >= 0 && (len < 0 || result < len))
                len = result; /* the kernel filled (or took) only `result` bytes */
            add_buffer(&t, v, len, memory);
        } else if (strcmp(kind, "ptr") == 0) {
            decode_add_pointer(&t, v);
        } else if (strcmp(kind, "size") == 0) {
            text_add(&t, "%llu", (unsigned long long)v);
        } else if (strcmp(kind, "off") == 0) {
            text_add(&t, "%lld", (long long)v);
        } else if (strcmp(kind, "pid") == 0) {
            text_add(&t, "%d", (int32_t)v);
        } else if (strcmp(kind, "sig") == 0) {
            if ((int32_t)v > 0)
                text_add(&t, "%s", signal_name((int32_t)v, sigbuf, sizeof sigbuf));
            else
                text_add(&t, "%d", (int32_t)v);
        } else if (strncmp(kind, "const:", 6) == 0) {
            const char *constant = named_constant(kind + 6, (long long)(int32_t)v);
            if (constant)
                text_add(&t, "%s", constant);
            else
                text_add(&t, "%d", (int32_t)v);
        } else if (decode_struct_arg(&t, kind, args, i, result, memory)) {
            /* written by the struct's decoder */
        } else if (strncmp(kind, "flags:", 6) == 0) {
            if (strcmp(kind + 6, "open") == 0)
                open_flags_value = v;
            add_flags(&t, kind + 6, name, v);
        } else {
            text_add(&t, "%#llx", (unsigned long long)v);
        }
    }
}

int syscall_result_is_error(int64_t result)
{
    return result >= -4095 && result <= -1;
}

static const char *errno_text(int err)
{
    switch (err) {
    case 512: return "To be restarted if SA_RESTART is set";
    case 513: return "To be restarted";
    case 514: return "To be restarted if no handler";
    case 516: return "Interrupted by signal";
    default: return err < 512 ? strerror(err) : "kernel-internal code";
    }
}

int syscall_decode_result(const struct syscall_desc *desc, int64_t result, char *out, size_t size)
{
    if (syscall_result_is_error(result)) {
        int err = (int)-result;
        const char *symbol = errno_name(err);
        if (symbol)
            snprintf(out, size, "-1 %s (%s)", symbol, errno_text(err));
        else
            snprintf(out, size, "-1 errno %d", err);
        return 0;
    }
    if (desc && desc->result == RESULT_ADDR) {
        snprintf(out, size, "%#llx", (unsigned long long)result);
        return 0;
    }
    snprintf(out, size, "%lld", (long long)result);
    return 1;
}
