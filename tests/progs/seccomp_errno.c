/*
 * seccomp_errno.c — covers seccomp filters the program installs for real:
 * one by seccomp(SECCOMP_SET_MODE_FILTER), one by prctl(PR_SET_SECCOMP),
 * answering ERRNO (the newer filter wins a tie), LOG and ALLOW, for an
 * emulated syscall (getpriority), one replay runs for real (mprotect) and one
 * whose memory the kernel would write (fstat). The filters are inherited by
 * a forked child and kept across its execve; they kill the process if the
 * recorder's own calls were not let through (the trampoline's mmap after
 * exec, the syscall number -1 of a call the recorder answers itself: rseq).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#define NR offsetof(struct seccomp_data, nr)
#define ARG(n) offsetof(struct seccomp_data, args[n])
#define ON_NR(nr, action) BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, (nr), 0, 1), BPF_STMT(BPF_RET | BPF_K, (action))

static void install_first(void)
{
    struct sock_filter code[] = {
        BPF_STMT(BPF_LD | BPF_W | BPF_ABS, NR),
        ON_NR(SYS_getpriority, SECCOMP_RET_ERRNO | EACCES),
        ON_NR(SYS_fstat, SECCOMP_RET_ERRNO | ENOTTY),
        ON_NR(SYS_uname, SECCOMP_RET_LOG),
        ON_NR(0xffffffffu, SECCOMP_RET_KILL_PROCESS), /* a call the recorder skips */
        BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_mprotect, 0, 3),
        BPF_STMT(BPF_LD | BPF_W | BPF_ABS, ARG(2)),
        BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, PROT_READ | PROT_WRITE | PROT_EXEC, 0, 1),
        BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | EPERM),
        BPF_STMT(BPF_LD | BPF_W | BPF_ABS, NR),
        BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_mmap, 0, 3),
        BPF_STMT(BPF_LD | BPF_W | BPF_ABS, ARG(0)),
        BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 0x70000000, 0, 1), /* the recorder's page, not ours */
        BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_KILL_PROCESS),
        BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
    };
    struct sock_fprog prog = {.len = sizeof code / sizeof code[0], .filter = code};
    if (syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &prog) != 0) {
        perror("seccomp");
        exit(1);
    }
}

static void install_second(void)
{
    struct sock_filter code[] = {
        BPF_STMT(BPF_LD | BPF_W | BPF_ABS, NR),
        ON_NR(SYS_getpriority, SECCOMP_RET_ERRNO | EPERM),
        BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
    };
    struct sock_fprog prog = {.len = sizeof code / sizeof code[0], .filter = code};
    if (prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog, 0, 0) != 0) {
        perror("prctl");
        exit(1);
    }
}

/* What the filters answer, printed; 0 when it is as expected. */
static int check(const char *who, int expect_getpriority)
{
    int failures = 0;
    errno = 0;
    int rc = getpriority(PRIO_PROCESS, 0);
    printf("%s: getpriority %d errno %s\n", who, rc, strerror(errno));
    failures += errno != expect_getpriority;
    struct stat st;
    memset(&st, 0x5a, sizeof st);
    rc = (int)syscall(SYS_fstat, 1, &st);
    printf("%s: fstat %d errno %s, buffer untouched %d\n", who, rc, strerror(errno), st.st_mode == 0x5a5a5a5a);
    failures += rc != -1 || errno != ENOTTY || st.st_mode != 0x5a5a5a5a;
    void *page = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    rc = mprotect(page, 4096, PROT_READ | PROT_WRITE | PROT_EXEC);
    printf("%s: mprotect rwx %d errno %s\n", who, rc, strerror(errno));
    failures += rc != -1 || errno != EPERM;
    rc = mprotect(page, 4096, PROT_READ);
    printf("%s: mprotect r %d\n", who, rc);
    failures += rc != 0;
    static char uts[6 * 65];
    rc = (int)syscall(SYS_uname, uts);
    printf("%s: uname (logged) %d\n", who, rc);
    failures += rc != 0;
    return failures;
}

int main(int argc, char **argv)
{
    if (argc > 1) /* the exec'd image: the filters came along */
        return check("exec'd", EPERM) ? 1 : 0;
    if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0)
        return 1;
    install_first();
    int failures = check("one filter", EACCES);
    install_second();
    failures += check("two filters", EPERM);
    fflush(stdout);
    pid_t child = fork();
    if (child == 0) {
        int child_failures = check("child", EPERM);
        fflush(stdout);
        if (child_failures)
            _exit(1);
        execl("/proc/self/exe", argv[0], "exec'd", (char *)NULL);
        _exit(2);
    }
    int status;
    waitpid(child, &status, 0);
    printf("child: status 0x%x\n", status);
    return failures || status != 0;
}
