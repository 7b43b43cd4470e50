/*
 * syscall_decode_structs.c — the structs syscalls take and fill, written the
 * way strace writes them: `{tv_sec=1, tv_nsec=5}`, `{st_mode=S_IFREG|0644,
 * st_size=12, ...}`, `{sa_family=AF_INET, sin_port=htons(80),
 * sin_addr=inet_addr("127.0.0.1")}`, `[{fd=3, events=POLLIN}]`,
 * `[{iov_base=0x7ffd…, iov_len=6}]`,
 * `[{WIFEXITED(s) && WEXITSTATUS(s) == 0}]`.
 *
 * Which argument is which struct is the `args` column of schema/syscalls.tsv
 * (`in:NAME` read by the kernel, kept by the recorder at the call's entry;
 * `out:NAME` written by the kernel, in the trace as its memory writes); the
 * layouts are the x86_64 ABI's, written out here so that a trace decodes the
 * same whatever headers this build saw. Named values come from
 * schema/constants.tsv.
 */
#include "syscall_decode_internal.h"

#include <stdio.h>
#include <string.h>

#include "kernel_names.h"
#include "named_constants.h"

enum { SOCKADDR_MAX = 128, POLLFD_MAX = 64, IOVEC_MAX = 16, STRUCT_MAX = 512 };

static uint64_t le_u64(const unsigned char *p)
{
    uint64_t v;
    memcpy(&v, p, sizeof v);
    return v;
}

static uint32_t le_u32(const unsigned char *p)
{
    uint32_t v;
    memcpy(&v, p, sizeof v);
    return v;
}

static uint16_t be_u16(const unsigned char *p)
{
    return (uint16_t)(p[0] << 8 | p[1]);
}

static void add_constant(struct text *t, const char *set, long long value)
{
    const char *name = named_constant(set, value);
    if (name)
        text_add(t, "%s", name);
    else
        text_add(t, "%lld", value);
}

static void add_bits(struct text *t, const char *set, uint64_t value)
{
    char bits[256];
    named_constant_bits(set, value, bits, sizeof bits);
    text_add(t, "%s", bits);
}

static void add_timespec(struct text *t, const unsigned char *p, const char *fraction)
{
    text_add(t, "{tv_sec=%lld, %s=%lld}", (long long)le_u64(p), fraction, (long long)le_u64(p + 8));
}

static void add_mode(struct text *t, uint32_t mode)
{
    static const char *const types[16] = {
        [1] = "S_IFIFO", [2] = "S_IFCHR", [4] = "S_IFDIR", [6] = "S_IFBLK",
        [8] = "S_IFREG", [10] = "S_IFLNK", [12] = "S_IFSOCK",
    };
    const char *type = types[(mode >> 12) & 0xf];
    if (type)
        text_add(t, "%s|%#o", type, mode & 07777);
    else
        text_add(t, "%#o", mode);
}

/* struct stat: st_mode at 24, st_rdev at 40, st_size at 48. */
static void add_stat(struct text *t, const unsigned char *p)
{
    uint32_t mode = le_u32(p + 24);
    text_add(t, "{st_mode=");
    add_mode(t, mode);
    uint32_t type = mode & 0170000;
    if (type == 0020000 || type == 0060000) { /* devices: their number, not a size */
        uint64_t rdev = le_u64(p + 40);
        unsigned major = (unsigned)(((rdev >> 32) & 0xfffff000) | ((rdev >> 8) & 0xfff));
        unsigned minor = (unsigned)(((rdev >> 12) & 0xffffff00) | (rdev & 0xff));
        text_add(t, ", st_rdev=makedev(%#x, %#x), ...}", major, minor);
    } else {
        text_add(t, ", st_size=%lld, ...}", (long long)le_u64(p + 48));
    }
}

/* struct statx: stx_mode (u16) at 28, stx_size at 40. */
static void add_statx(struct text *t, const unsigned char *p)
{
    text_add(t, "{stx_mode=");
    add_mode(t, (uint32_t)(p[28] | p[29] << 8));
    text_add(t, ", stx_size=%lld, ...}", (long long)le_u64(p + 40));
}

static void add_sockaddr(struct text *t, const unsigned char *p, size_t len)
{
    if (len < 2) {
        text_add(t, "{sa_family=?}");
        return;
    }
    unsigned family = p[0] | p[1] << 8;
    text_add(t, "{sa_family=");
    add_constant(t, "af", family);
    if (family == 1) { /* AF_UNIX: a path, or an abstract name after a NUL */
        size_t path_len = len - 2;
        const unsigned char *path = p + 2;
        bool abstract = path_len > 0 && path[0] == 0;
        if (abstract) {
            path++;
            path_len--;
        } else {
            const unsigned char *nul = memchr(path, 0, path_len);
            if (nul)
                path_len = (size_t)(nul - path);
        }
        if (path_len || abstract) {
            text_add(t, ", sun_path=%s", abstract ? "@" : "");
            decode_add_quoted(t, path, path_len, false);
        }
    } else if (family == 2 && len >= 8) {
        text_add(t, ", sin_port=htons(%u), sin_addr=inet_addr(\"%u.%u.%u.%u\")", be_u16(p + 2), p[4], p[5],
                 p[6], p[7]);
    } else if (family == 10 && len >= 24) {
        char address[64];
        size_t at = 0;
        /* The shortest form strace (inet_ntop) writes: the longest run of
         * zero groups, if two or more, as "::". */
        int best = -1, best_len = 0;
        for (int i = 0; i < 8;) {
            int j = i;
            while (j < 8 && be_u16(p + 8 + 2 * j) == 0)
                j++;
            if (j - i > best_len && j - i >= 2) {
                best = i;
                best_len = j - i;
            }
            i = j > i ? j : i + 1;
        }
        for (int i = 0; i < 8; i++) {
            if (i == best) {
                at += (size_t)snprintf(address + at, sizeof address - at, "::");
                i += best_len - 1;
                continue;
            }
            bool after_gap = at >= 2 && address[at - 1] == ':' && address[at - 2] == ':';
            at += (size_t)snprintf(address + at, sizeof address - at, "%s%x", i && !after_gap ? ":" : "",
                                   be_u16(p + 8 + 2 * i));
        }
        text_add(t, ", sin6_port=htons(%u), sin6_flowinfo=htonl(%u), inet_pton(AF_INET6, \"%s\", &sin6_addr),"
                    " sin6_scope_id=%u", be_u16(p + 2), (unsigned)(p[4] << 24 | p[5] << 16 | p[6] << 8 | p[7]),
                 address, le_u32(p + 24));
    } else if (family == 16 && len >= 12) {
        text_add(t, ", nl_pid=%u, nl_groups=%08x", le_u32(p + 4), le_u32(p + 8));
    }
    text_add(t, "}");
}

static void add_pollfds(struct text *t, const unsigned char *p, size_t count, bool revents)
{
    text_add(t, "[");
    bool first = true;
    for (size_t i = 0; i < count; i++) {
        const unsigned char *entry = p + 8 * i;
        uint16_t events = (uint16_t)(entry[revents ? 6 : 4] | entry[revents ? 7 : 5] << 8);
        if (revents && !events)
            continue;
        text_add(t, "%s{fd=%d, %s=", first ? "" : ", ", (int32_t)le_u32(entry), revents ? "revents" : "events");
        add_bits(t, "poll", events);
        text_add(t, "}");
        first = false;
    }
    text_add(t, "]");
}

/* An iovec array: `[{iov_base=0x…, iov_len=N}, …]`; `count` the call's, of
 * which the first `shown` are in p. The bytes are not in the trace (only
 * their hash, for the data a call sends), so the bases show as addresses. */
static void add_iovecs(struct text *t, const unsigned char *p, size_t shown, uint64_t count)
{
    text_add(t, "[");
    for (size_t i = 0; i < shown; i++)
        text_add(t, "%s{iov_base=0x%llx, iov_len=%llu}", i ? ", " : "", (unsigned long long)le_u64(p + 16 * i),
                 (unsigned long long)le_u64(p + 16 * i + 8));
    text_add(t, "%s]", count > shown ? ", ..." : "");
}

static void add_signal_short(struct text *t, int signo, bool first)
{
    char name[32];
    const char *full = signal_name(signo, name, sizeof name);
    text_add(t, "%s%s", first ? "" : " ", strncmp(full, "SIG", 3) == 0 ? full + 3 : full);
}

/* A kernel sigset (64 signals): "[INT TERM]", or "~[…]" for the ones not in
 * it when most are, as strace writes them. */
static void add_sigset(struct text *t, uint64_t set)
{
    bool inverted = __builtin_popcountll(set) > 32;
    if (inverted)
        set = ~set;
    text_add(t, "%s[", inverted ? "~" : "");
    bool first = true;
    for (int signo = 1; signo <= 64; signo++)
        if (set & (1ull << (signo - 1))) {
            add_signal_short(t, signo, first);
            first = false;
        }
    text_add(t, "]");
}

static void add_wait_status(struct text *t, uint32_t status)
{
    char name[32];
    int signo = status & 0x7f;
    if (signo == 0)
        text_add(t, "[{WIFEXITED(s) && WEXITSTATUS(s) == %u}]", (status >> 8) & 0xff);
    else if (signo == 0x7f)
        text_add(t, "[{WIFSTOPPED(s) && WSTOPSIG(s) == %s}]", signal_name((status >> 8) & 0xff, name, sizeof name));
    else if (status == 0xffff)
        text_add(t, "[{WIFCONTINUED(s)}]");
    else
        text_add(t, "[{WIFSIGNALED(s) && WTERMSIG(s) == %s%s}]", signal_name(signo, name, sizeof name),
                 status & 0x80 ? " && WCOREDUMP(s)" : "");
}

static void add_rlimit_value(struct text *t, uint64_t value)
{
    if (value == UINT64_MAX)
        text_add(t, "RLIM64_INFINITY");
    else if (value && value % 1024 == 0)
        text_add(t, "%llu*1024", (unsigned long long)(value / 1024));
    else
        text_add(t, "%llu", (unsigned long long)value);
}

static void add_utsname_field(struct text *t, const char *name, const unsigned char *p)
{
    const unsigned char *nul = memchr(p, 0, 65);
    text_add(t, "%s=", name);
    decode_add_quoted(t, p, nul ? (size_t)(nul - p) : 65, false);
}

/* struct sigaction as the kernel takes it: handler, flags, restorer, mask. */
static void add_sigaction(struct text *t, const unsigned char *p)
{
    uint64_t handler = le_u64(p), flags = le_u64(p + 8);
    text_add(t, "{sa_handler=");
    if (handler <= 1)
        text_add(t, "%s", handler ? "SIG_IGN" : "SIG_DFL");
    else
        text_add(t, "%#llx", (unsigned long long)handler);
    text_add(t, ", sa_mask=");
    add_sigset(t, le_u64(p + 24));
    text_add(t, ", sa_flags=");
    add_bits(t, "sa_flags", flags);
    if (flags & 0x4000000) /* SA_RESTORER */
        text_add(t, ", sa_restorer=%#llx", (unsigned long long)le_u64(p + 16));
    text_add(t, "}");
}

/* The bytes of struct kind `name` at argument `index`: how many to read. */
static size_t struct_size(const char *name, const uint64_t args[6], int index)
{
    uint64_t next = index + 1 < 6 ? args[index + 1] : 0;
    static const struct { const char *name; size_t size; } fixed[] = {
        {"timespec", 16}, {"timeval", 16}, {"stat", 144}, {"statx", 256}, {"rusage", 144},
        {"rlimit", 16}, {"utsname", 390}, {"sigset", 8}, {"sigaction", 32}, {"wstatus", 4},
        {"epoll_event", 12}, {"itimerspec", 32},
    };
    for (size_t i = 0; i < sizeof fixed / sizeof fixed[0]; i++)
        if (strcmp(name, fixed[i].name) == 0)
            return fixed[i].size;
    if (strcmp(name, "sockaddr") == 0)
        return next < SOCKADDR_MAX ? (size_t)next : SOCKADDR_MAX;
    if (strcmp(name, "pollfd") == 0)
        return 8 * (next < POLLFD_MAX ? (size_t)next : POLLFD_MAX);
    if (strcmp(name, "iovec") == 0)
        return 16 * (next < IOVEC_MAX ? (size_t)next : IOVEC_MAX);
    return 0;
}

static void add_struct(struct text *t, const char *name, const unsigned char *p, size_t len, uint64_t next)
{
    if (strcmp(name, "timespec") == 0) {
        add_timespec(t, p, "tv_nsec");
    } else if (strcmp(name, "timeval") == 0) {
        add_timespec(t, p, "tv_usec");
    } else if (strcmp(name, "itimerspec") == 0) {
        text_add(t, "{it_interval=");
        add_timespec(t, p, "tv_nsec");
        text_add(t, ", it_value=");
        add_timespec(t, p + 16, "tv_nsec");
        text_add(t, "}");
    } else if (strcmp(name, "stat") == 0) {
        add_stat(t, p);
    } else if (strcmp(name, "statx") == 0) {
        add_statx(t, p);
    } else if (strcmp(name, "sockaddr") == 0) {
        add_sockaddr(t, p, len);
    } else if (strcmp(name, "pollfd") == 0) {
        add_pollfds(t, p, len / 8, false);
    } else if (strcmp(name, "iovec") == 0) {
        add_iovecs(t, p, len / 16, next);
    } else if (strcmp(name, "wstatus") == 0) {
        add_wait_status(t, le_u32(p));
    } else if (strcmp(name, "rusage") == 0) {
        text_add(t, "{ru_utime=");
        add_timespec(t, p, "tv_usec");
        text_add(t, ", ru_stime=");
        add_timespec(t, p + 16, "tv_usec");
        text_add(t, ", ...}");
    } else if (strcmp(name, "rlimit") == 0) {
        text_add(t, "{rlim_cur=");
        add_rlimit_value(t, le_u64(p));
        text_add(t, ", rlim_max=");
        add_rlimit_value(t, le_u64(p + 8));
        text_add(t, "}");
    } else if (strcmp(name, "utsname") == 0) {
        text_add(t, "{");
        add_utsname_field(t, "sysname", p);
        text_add(t, ", ");
        add_utsname_field(t, "nodename", p + 65);
        text_add(t, ", ...}");
    } else if (strcmp(name, "sigset") == 0) {
        add_sigset(t, le_u64(p));
    } else if (strcmp(name, "sigaction") == 0) {
        add_sigaction(t, p);
    } else if (strcmp(name, "epoll_event") == 0) {
        text_add(t, "{events=");
        add_bits(t, "epoll", le_u32(p));
        text_add(t, ", data={u32=%u, u64=%llu}}", le_u32(p + 4), (unsigned long long)le_u64(p + 4));
    }
}

/* "in:NAME" / "out:NAME": NAME, and whether the kernel writes it. */
static const char *struct_name(const char *kind, bool *out)
{
    if (strncmp(kind, "in:", 3) == 0) {
        *out = false;
        return kind + 3;
    }
    if (strncmp(kind, "out:", 4) == 0) {
        *out = true;
        return kind + 4;
    }
    return NULL;
}

bool decode_struct_arg(struct text *t, const char *kind, const uint64_t args[6], int index,
                       int64_t result, const struct decode_memory *memory)
{
    bool out;
    const char *name = struct_name(kind, &out);
    if (!name)
        return false;
    uint64_t addr = args[index];
    size_t size = struct_size(name, args, index);
    unsigned char bytes[STRUCT_MAX];
    if (size > sizeof bytes)
        size = sizeof bytes;
    bool written = !out || result >= 0;
    size_t known = addr && size && written && memory && memory->read
                       ? memory->read(memory->context, addr, bytes, size) : 0;
    if (known == size && size > 0)
        add_struct(t, name, bytes, size, index + 1 < 6 ? args[index + 1] : 0);
    else
        decode_add_pointer(t, addr);
    return true;
}

size_t syscall_decode_entry_bytes(const char *kind, const uint64_t args[6], int index)
{
    bool out;
    const char *name = struct_name(kind, &out);
    return name && !out && args[index] ? struct_size(name, args, index) : 0;
}

void syscall_decode_result_note(const char *kinds, const uint64_t args[6], int64_t result,
                                const struct decode_memory *memory, char *out, size_t size)
{
    struct text t = {out, size, 0};
    if (size)
        out[0] = '\0';
    /* poll and ppoll: which descriptors are ready, as strace adds after the result */
    if (!kinds || strncmp(kinds, "in:pollfd,", 10) != 0 || result <= 0 || !memory || !memory->read)
        return;
    unsigned char bytes[8 * POLLFD_MAX];
    size_t want = struct_size("pollfd", args, 0);
    if (!args[0] || memory->read(memory->context, args[0], bytes, want) != want)
        return;
    text_add(&t, " (");
    add_pollfds(&t, bytes, want / 8, true);
    text_add(&t, ")");
}
