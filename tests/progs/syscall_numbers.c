// rrdb-test: warns
/*
 * syscall_numbers.c — covers every syscall number from -10 to 600 that is
 * safe to call with harmless arguments (all six -1: a bad fd, a bad pointer,
 * an invalid flag set), known to the kernel or not, and prints each answer.
 * The recorder must go on for every number and replay must give the same
 * answers. Numbers no x86_64 kernel has (negative, the 337–423 gap, 512 and
 * up without the x32 bit) must answer ENOSYS, and a few known ones their
 * known answers: the program exits 1 when one does not.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

/* Numbers left out, and why: they end, stop, fork or hang the caller, or
 * change the machine even with these arguments. */
static const struct {
    long nr;
    const char *why;
} skipped[] = {
    {15, "rt_sigreturn: restores a frame from the stack"},
    {34, "pause: waits for a signal"},
    {57, "fork"},
    {58, "vfork"},
    {60, "exit"},
    {68, "msgget: key -1 with IPC_CREAT makes a queue that outlives the test"},
    {112, "setsid: leaves the terminal's session"},
    {153, "vhangup: hangs up the terminal"},
    {162, "sync: flushes every file system (slow)"},
    {175, "init_module: tries to allocate a huge module image"},
    {231, "exit_group"},
    /* Out-of-tree kernels take the first free numbers for their own calls
     * (a VM kernel here has 335, which kills the caller with SIGILL). */
    {335, "not in the x86_64 table: some kernels put their own syscall there"},
    {336, "not in the x86_64 table: some kernels put their own syscall there"},
};

static const char *why_skipped(long nr)
{
    for (size_t i = 0; i < sizeof skipped / sizeof skipped[0]; i++)
        if (skipped[i].nr == nr)
            return skipped[i].why;
    return NULL;
}

/* No x86_64 kernel has these numbers without the x32 bit. */
static int surely_absent(long nr)
{
    return nr < 0 || (nr >= 337 && nr <= 423) || nr >= 512;
}

int main(void)
{
    int wrong = 0;
    long called = 0;
    for (long nr = -10; nr <= 600; nr++) {
        const char *why = why_skipped(nr);
        if (why) {
            printf("%ld skipped (%s)\n", nr, why);
            continue;
        }
        errno = 0;
        long result = syscall(nr, -1L, -1L, -1L, -1L, -1L, -1L);
        int error = result == -1 ? errno : 0;
        called++;
        if (error)
            printf("%ld -1 %s\n", nr, strerror(error));
        else
            printf("%ld %ld\n", nr, result);
        if (surely_absent(nr) && error != ENOSYS) {
            printf("  wrong: syscall %ld answered %ld (%s), not ENOSYS\n", nr, result, strerror(error));
            wrong++;
        }
    }
    /* A few answers known in advance. */
    struct {
        long nr;
        long result;
        int error;
    } known[] = {
        {SYS_read, -1, EBADF},
        {SYS_close, -1, EBADF},
        {SYS_getpid, getpid(), 0},
        {SYS_gettid, getpid(), 0},
        {SYS_getppid, getppid(), 0},
        {SYS_kill, -1, EINVAL},
        {SYS_mmap, -1, EINVAL},
        {SYS_futex, -1, ENOSYS},
    };
    for (size_t i = 0; i < sizeof known / sizeof known[0]; i++) {
        errno = 0;
        long result = syscall(known[i].nr, -1L, -1L, -1L, -1L, -1L, -1L);
        int error = result == -1 ? errno : 0;
        if (result != known[i].result || error != known[i].error) {
            printf("  wrong: syscall %ld answered %ld (%s)\n", known[i].nr, result, strerror(error));
            wrong++;
        }
    }
    printf("%ld numbers called, %d wrong answers\n", called, wrong);
    return wrong ? 1 : 0;
}
