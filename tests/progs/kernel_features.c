// rrdb-test: warns
/*
 * kernel_features.c — covers syscalls a recorder once refused: a software
 * perf counter opened and read, keys added and read back (add_key, keyctl),
 * memory policies (set_mempolicy, get_mempolicy, mbind), an LDT entry
 * written and read back (modify_ldt), I/O permissions (ioperm, iopl), the
 * file system type list (sysfs) and the removed _sysctl. Each answer the
 * kernel gave, or the ENOSYS a recorder gives instead, must hold in replay:
 * what the kernel wrote back is checked against what the program put in.
 */
#include <asm/ldt.h>
#include <errno.h>
#include <setjmp.h>
#include <signal.h>
#include <linux/perf_event.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

enum { KEY_SPEC_PROCESS_KEYRING = -2, KEYCTL_READ = 11, MPOL_DEFAULT = 0, MPOL_PREFERRED = 1 };

static int wrong;

static void check(int ok, const char *what)
{
    if (!ok) {
        printf("wrong: %s\n", what);
        wrong++;
    }
}

static void perf_counter(void)
{
    struct perf_event_attr attr;
    memset(&attr, 0, sizeof attr);
    attr.size = sizeof attr;
    attr.type = PERF_TYPE_SOFTWARE;
    attr.config = PERF_COUNT_SW_TASK_CLOCK;
    attr.exclude_kernel = 1;
    int fd = (int)syscall(SYS_perf_event_open, &attr, 0, -1, -1, 0);
    if (fd < 0) {
        printf("perf_event_open: %s\n", strerror(errno));
        return;
    }
    volatile unsigned spin = 0;
    for (int i = 0; i < 1000000; i++)
        spin += (unsigned)i;
    uint64_t count = 0;
    check(read(fd, &count, sizeof count) == sizeof count && count > 0, "a task-clock counter that did not count");
    printf("perf_event_open: a counter, read\n");
    close(fd);
}

static void keys(void)
{
    static const char payload[] = "secret payload";
    long key = syscall(SYS_add_key, "user", "rrdb-test-key", payload, sizeof payload, KEY_SPEC_PROCESS_KEYRING);
    if (key < 0) {
        printf("add_key: %s\n", strerror(errno));
        return;
    }
    char back[64];
    memset(back, 0, sizeof back);
    long n = syscall(SYS_keyctl, KEYCTL_READ, key, back, sizeof back);
    check(n == sizeof payload && memcmp(back, payload, sizeof payload) == 0, "keyctl read another payload");
    printf("add_key, keyctl: the payload came back\n");
}

static void memory_policy(void)
{
    unsigned long node0 = 1;
    long rc = syscall(SYS_set_mempolicy, MPOL_PREFERRED, &node0, 8 * sizeof node0);
    if (rc < 0) {
        printf("set_mempolicy: %s\n", strerror(errno));
        return;
    }
    int mode = -1;
    unsigned long nodes = ~0ul;
    rc = syscall(SYS_get_mempolicy, &mode, &nodes, 8 * sizeof nodes, 0, 0);
    check(rc == 0 && mode == MPOL_PREFERRED && nodes == 1, "get_mempolicy gave another policy");
    syscall(SYS_set_mempolicy, MPOL_DEFAULT, NULL, 0);
    void *page = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    rc = syscall(SYS_mbind, page, 4096, MPOL_PREFERRED, &node0, 8 * sizeof node0, 0);
    printf("set_mempolicy, get_mempolicy: preferred node 0; mbind: %s\n", rc == 0 ? "0" : strerror(errno));
}

static sigjmp_buf segment_load;

static void segment_fault(int signo)
{
    (void)signo;
    siglongjmp(segment_load, 1);
}

static void ldt(void)
{
    struct user_desc entry;
    memset(&entry, 0, sizeof entry);
    entry.entry_number = 0;
    entry.base_addr = 0x1000;
    entry.limit = 0xfff;
    entry.seg_32bit = 1;
    entry.useable = 1;
    if (syscall(SYS_modify_ldt, 0x11, &entry, sizeof entry) < 0) {
        printf("modify_ldt: %s\n", strerror(errno));
        return;
    }
    uint8_t raw[8];
    memset(raw, 0xee, sizeof raw);
    long n = syscall(SYS_modify_ldt, 0, raw, sizeof raw);
    uint32_t base = (uint32_t)(raw[2] | raw[3] << 8 | raw[4] << 16 | (uint32_t)raw[7] << 24);
    check(n == 8 && base == 0x1000, "modify_ldt read back another entry");
    /* Load the segment: replay must have the entry too. */
    uint16_t selector = 0 << 3 | 4 | 3; /* LDT entry 0, RPL 3 */
    uint16_t old;
    __asm__ volatile("mov %%gs, %0" : "=r"(old));
    /* Some hypervisors (a PVM guest) accept the entry and fault when it is
     * loaded: a SIGSEGV there, recorded and replayed like any other. */
    struct sigaction on_fault = {.sa_handler = segment_fault}, previous;
    sigaction(SIGSEGV, &on_fault, &previous);
    if (sigsetjmp(segment_load, 1) == 0) {
        __asm__ volatile("mov %0, %%gs" : : "r"(selector));
        __asm__ volatile("mov %0, %%gs" : : "r"(old));
        printf("modify_ldt: an entry written, read back and loaded\n");
    } else {
        printf("modify_ldt: an entry written and read back; loading it faults on this machine\n");
    }
    sigaction(SIGSEGV, &previous, NULL);
}

static void io_permissions(void)
{
    long rc = syscall(SYS_ioperm, 0x80, 1, 1);
    printf("ioperm: %s\n", rc == 0 ? "0" : strerror(errno));
    if (rc == 0)
        syscall(SYS_ioperm, 0x80, 1, 0);
    rc = syscall(SYS_iopl, 0);
    printf("iopl: %s\n", rc == 0 ? "0" : strerror(errno));
}

static void file_system_types(void)
{
    long count = syscall(SYS_sysfs, 3);
    if (count < 0) {
        printf("sysfs: %s\n", strerror(errno));
        return;
    }
    char name[256];
    memset(name, 0, sizeof name);
    long rc = syscall(SYS_sysfs, 2, 0, name);
    check(rc == 0 && name[0] && syscall(SYS_sysfs, 1, name) == 0, "sysfs names another first type");
    printf("sysfs: %s types, the first one named and found again\n", count > 0 ? "some" : "no");
    errno = 0;
    rc = syscall(SYS__sysctl, NULL);
    printf("_sysctl: %s\n", rc == 0 ? "0" : strerror(errno));
}

int main(void)
{
    perf_counter();
    keys();
    memory_policy();
    ldt();
    io_permissions();
    file_system_types();
    printf("%d wrong\n", wrong);
    return wrong ? 1 : 0;
}
