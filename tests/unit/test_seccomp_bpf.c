/*
 * test_seccomp_bpf.c — libtrace's seccomp filter interpreter against the
 * kernel's: each filter computes an errno from the call's arguments with
 * every kind of instruction (loads, scratch memory, ALU, jumps, X register)
 * and answers SECCOMP_RET_ERRNO with it; a child installs the filter for
 * real and makes the call, and the errno the kernel gives must be the one
 * seccomp_bpf_run computes. Then the choice between filters (most
 * restrictive action, the newest on a tie) and what lets a call run.
 */
#include <errno.h>
#include <linux/audit.h>
#include <stddef.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#include "seccomp_bpf.h"
#include "unit_check.h"

#define ARG_LOW(n) offsetof(struct seccomp_data, args[n])
#define NR offsetof(struct seccomp_data, nr)

/* Anything but getpriority is let through; getpriority gets ERRNO with a
 * data computed from its arguments (kept within 1..4095). */
static const struct sock_filter arithmetic[] = {
    BPF_STMT(BPF_LD | BPF_W | BPF_ABS, NR),
    BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_getpriority, 1, 0),
    BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
    BPF_STMT(BPF_LD | BPF_W | BPF_ABS, ARG_LOW(1)),
    BPF_STMT(BPF_ST, 3),                          /* M[3] = who */
    BPF_STMT(BPF_LD | BPF_W | BPF_ABS, ARG_LOW(0)), /* A = which */
    BPF_STMT(BPF_ALU | BPF_MUL | BPF_K, 7),
    BPF_STMT(BPF_ALU | BPF_ADD | BPF_K, 11),
    BPF_STMT(BPF_LDX | BPF_MEM, 3),               /* X = who */
    BPF_STMT(BPF_ALU | BPF_XOR | BPF_X, 0),
    BPF_JUMP(BPF_JMP | BPF_JSET | BPF_K, 1, 0, 2), /* odd: A = A * 3 + 1 */
    BPF_STMT(BPF_ALU | BPF_MUL | BPF_K, 3),
    BPF_STMT(BPF_ALU | BPF_ADD | BPF_K, 1),
    BPF_JUMP(BPF_JMP | BPF_JGT | BPF_K, 1000, 0, 2), /* big: A = A / 7 >> 1 (seccomp has no BPF_MOD) */
    BPF_STMT(BPF_ALU | BPF_DIV | BPF_K, 7),
    BPF_STMT(BPF_ALU | BPF_RSH | BPF_K, 1),
    BPF_JUMP(BPF_JMP | BPF_JGE | BPF_X, 0, 0, 1),  /* A >= who: A -= who */
    BPF_STMT(BPF_ALU | BPF_SUB | BPF_X, 0),
    BPF_STMT(BPF_MISC | BPF_TAX, 0),
    BPF_STMT(BPF_ALU | BPF_NEG, 0),
    BPF_STMT(BPF_ALU | BPF_AND | BPF_K, 0x7ff),
    BPF_STMT(BPF_ALU | BPF_OR | BPF_X, 0),
    BPF_STMT(BPF_ALU | BPF_AND | BPF_K, 0xfff),
    BPF_STMT(BPF_ALU | BPF_OR | BPF_K, 1),        /* never 0 (errno 0 is success) */
    BPF_STMT(BPF_ALU | BPF_LSH | BPF_K, 0),
    BPF_STMT(BPF_ALU | BPF_OR | BPF_K, SECCOMP_RET_ERRNO),
    BPF_STMT(BPF_RET | BPF_A, 0),
};

/* The errno the kernel gives getpriority(which, who) under the filter;
 * -2 when there is no seccomp here (ENOSYS: valgrind implements none), -1
 * when the child could not install it otherwise. */
static int kernel_errno(const struct sock_filter *insns, unsigned count, uint32_t which, uint32_t who)
{
    int fds[2];
    if (pipe(fds) != 0)
        return -1;
    pid_t child = fork();
    if (child == 0) {
        struct sock_fprog prog = {.len = (unsigned short)count, .filter = (struct sock_filter *)insns};
        int seen = -1;
        if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) == 0 && syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &prog) == 0) {
            errno = 0;
            syscall(SYS_getpriority, which, who);
            seen = errno;
        } else if (errno == ENOSYS) {
            seen = -2;
        }
        _exit(write(fds[1], &seen, sizeof seen) == sizeof seen ? 0 : 1);
    }
    close(fds[1]);
    int seen = -1;
    if (read(fds[0], &seen, sizeof seen) != sizeof seen)
        seen = -1;
    close(fds[0]);
    waitpid(child, NULL, 0);
    return seen;
}

static void test_against_kernel(void)
{
    const uint32_t values[][2] = {{0, 0}, {1, 0}, {2, 5}, {3, 1000}, {200, 7}, {999, 998}, {12345, 3}, {7, 40}};
    unsigned count = sizeof arithmetic / sizeof arithmetic[0];
    int agree = 1, ran = 1, absent = 0;
    for (size_t i = 0; i < sizeof values / sizeof values[0]; i++) {
        struct seccomp_data data = {.nr = SYS_getpriority, .arch = AUDIT_ARCH_X86_64};
        data.args[0] = values[i][0];
        data.args[1] = values[i][1];
        uint32_t answer = seccomp_bpf_run(arithmetic, count, &data);
        int expected = (int)(answer & SECCOMP_RET_DATA);
        int seen = kernel_errno(arithmetic, count, values[i][0], values[i][1]);
        absent |= seen == -2;
        ran &= seen >= 0;
        agree &= (answer & SECCOMP_RET_ACTION_FULL) == SECCOMP_RET_ERRNO && expected == seen;
        if (seen >= 0 && expected != seen)
            printf("  getpriority(%u, %u): interpreter %d, kernel %d\n", values[i][0], values[i][1], expected, seen);
    }
    if (absent) {
        printf("SKIP the kernel comparison: seccomp is ENOSYS here (under valgrind, which implements none)\n");
    } else {
        check(ran, "the kernel takes the test filter (seccomp, no_new_privs)");
        check(agree, "seccomp_bpf_run computes the errno the kernel's filter gives, for every argument");
    }
    struct seccomp_data other = {.nr = SYS_getpid, .arch = AUDIT_ARCH_X86_64};
    check(seccomp_bpf_run(arithmetic, count, &other) == SECCOMP_RET_ALLOW, "another call is let through");
}

static void test_choice(void)
{
    check(seccomp_bpf_stricter(SECCOMP_RET_ERRNO | 5, SECCOMP_RET_TRAP | 1) == (SECCOMP_RET_TRAP | 1),
          "TRAP is stricter than ERRNO");
    check(seccomp_bpf_stricter(SECCOMP_RET_ERRNO | 5, SECCOMP_RET_ERRNO | 9) == (SECCOMP_RET_ERRNO | 5),
          "on a tie the first (the newer filter's) answer stands");
    check(seccomp_bpf_stricter(SECCOMP_RET_KILL_THREAD, SECCOMP_RET_KILL_PROCESS) == SECCOMP_RET_KILL_PROCESS,
          "KILL_PROCESS is the strictest");
    check(seccomp_bpf_stricter(SECCOMP_RET_ALLOW, SECCOMP_RET_LOG) == SECCOMP_RET_LOG, "LOG is stricter than ALLOW");
    check(seccomp_bpf_lets_run(SECCOMP_RET_ALLOW) && seccomp_bpf_lets_run(SECCOMP_RET_LOG) &&
              !seccomp_bpf_lets_run(SECCOMP_RET_ERRNO) && !seccomp_bpf_lets_run(SECCOMP_RET_TRACE) &&
              !seccomp_bpf_lets_run(SECCOMP_RET_USER_NOTIF) && !seccomp_bpf_lets_run(SECCOMP_RET_KILL_THREAD),
          "only ALLOW and LOG let a call run");
    const struct sock_filter bad_load[] = {BPF_STMT(BPF_LD | BPF_W | BPF_ABS, 2), BPF_STMT(BPF_RET | BPF_A, 0)};
    struct seccomp_data data = {0};
    check(seccomp_bpf_run(bad_load, 2, &data) == SECCOMP_RET_KILL_PROCESS,
          "a load the kernel would refuse ends the run with KILL_PROCESS");
}

int main(void)
{
    test_against_kernel();
    test_choice();
    return unit_check_summary();
}
