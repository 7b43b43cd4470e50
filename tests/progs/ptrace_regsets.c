// rrdb-test: replays 5
/*
 * ptrace_regsets.c — covers a recorded tracer reading and writing its
 * tracee's floating-point state as register sets: PTRACE_GETREGSET with
 * NT_PRFPREG (the FXSAVE area) and NT_X86_XSTATE (the XSAVE area, whose size
 * the kernel tells through iov_len), then SETREGSET of each: the x87 control
 * word's rounding through NT_PRFPREG, MXCSR's through NT_X86_XSTATE. The
 * child then shows both modes and a division rounded by each.
 */
#include <elf.h>
#include <fenv.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/uio.h>
#include <sys/user.h>
#include <sys/wait.h>
#include <unistd.h>

static volatile double one = 1.0, three = 3.0;

static int child(void)
{
    ptrace(PTRACE_TRACEME, 0, 0, 0);
    raise(SIGSTOP);
    unsigned short cw;
    unsigned int mxcsr;
    __asm__ volatile("fnstcw %0" : "=m"(cw));
    __asm__ volatile("stmxcsr %0" : "=m"(mxcsr));
    double sse = one / three;
    long double x87 = (long double)one / (long double)three;
    unsigned long long sse_bits;
    memcpy(&sse_bits, &sse, sizeof sse_bits);
    printf("child: x87 rounding %#x, sse rounding %#x, 1/3 in sse %#llx, in x87 %s 1/3 in sse\n", cw & 0xc00,
           mxcsr & 0x6000, sse_bits, x87 > (long double)sse ? ">" : "<=");
    return 0;
}

int main(void)
{
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0)
        return child();
    int status;
    if (waitpid(pid, &status, 0) != pid)
        return 1;
    struct user_fpregs_struct fp;
    struct iovec iov = {&fp, sizeof fp};
    if (ptrace(PTRACE_GETREGSET, pid, NT_PRFPREG, &iov) < 0 || iov.iov_len != sizeof fp)
        return 2;
    static unsigned char xstate[16384] __attribute__((aligned(64)));
    struct iovec xiov = {xstate, sizeof xstate};
    if (ptrace(PTRACE_GETREGSET, pid, NT_X86_XSTATE, &xiov) < 0 || xiov.iov_len < 576)
        return 3;
    unsigned int mxcsr;
    memcpy(&mxcsr, xstate + 24, sizeof mxcsr);
    unsigned long long xstate_bv;
    memcpy(&xstate_bv, xstate + 512, sizeof xstate_bv);
    printf("tracer: fxsave cwd %#x mxcsr %#x; xsave area %s, same mxcsr %d, x87 and sse in use %d\n", fp.cwd,
           fp.mxcsr, xiov.iov_len > 576 ? "with more than sse" : "of sse only", mxcsr == fp.mxcsr,
           (int)(xstate_bv & 3));
    fp.cwd = (fp.cwd & ~0xc00) | FE_DOWNWARD;
    if (ptrace(PTRACE_SETREGSET, pid, NT_PRFPREG, &iov) < 0)
        return 4;
    /* Read again: the x87 change is there, and MXCSR is set on top of it. */
    xiov.iov_len = sizeof xstate;
    if (ptrace(PTRACE_GETREGSET, pid, NT_X86_XSTATE, &xiov) < 0)
        return 5;
    mxcsr = (mxcsr & ~0x6000u) | (FE_UPWARD << 3);
    memcpy(xstate + 24, &mxcsr, sizeof mxcsr);
    if (ptrace(PTRACE_SETREGSET, pid, NT_X86_XSTATE, &xiov) < 0)
        return 6;
    if (ptrace(PTRACE_CONT, pid, 0, 0) < 0 || waitpid(pid, &status, 0) != pid)
        return 7;
    printf("tracer: child exited %d\n", WIFEXITED(status) ? WEXITSTATUS(status) : -1);
    return 0;
}
