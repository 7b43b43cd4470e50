// rrdb-test: nested
// rrdb-test: nested-diff
/*
 * fp_simd.c — covers floating point and vector registers: x87 long double,
 * SSE2 doubles through libm, and an AVX dot product (when cpuid says AVX is
 * there), printed with printf. Replay must preserve FP/vector state.
 */
#include <immintrin.h>
#include <math.h>
#include <stdio.h>

__attribute__((target("avx"))) static double dot_avx(const double *a, const double *b, int n)
{
    __m256d acc = _mm256_setzero_pd();
    for (int i = 0; i < n; i += 4)
        acc = _mm256_add_pd(acc, _mm256_mul_pd(_mm256_loadu_pd(a + i), _mm256_loadu_pd(b + i)));
    double t[4];
    _mm256_storeu_pd(t, acc);
    return t[0] + t[1] + t[2] + t[3];
}

int main(void)
{
    volatile double x = 2.0;
    printf("sqrt(2)=%.17g exp(1)=%.17g sin(1)=%.17g\n", sqrt(x), exp(x / 2), sin(x / 2));
    long double ld = 1.0L / 3.0L;
    printf("long double 1/3=%.21Lg\n", ld);
    double a[16], b[16], ref = 0;
    for (int i = 0; i < 16; i++) {
        a[i] = i * 0.5 + 0.1;
        b[i] = 1.0 / (i + 1);
        ref += a[i] * b[i];
    }
    printf("scalar dot=%.17g\n", ref);
    __m128d v = _mm_set_pd(3.25, -1.5);
    v = _mm_mul_pd(v, _mm_set1_pd(2.0));
    double out[2];
    _mm_storeu_pd(out, v);
    printf("sse2: %.17g %.17g\n", out[0], out[1]);
    if (__builtin_cpu_supports("avx"))
        printf("avx dot=%.17g (matches: %s)\n", dot_avx(a, b, 16),
               fabs(dot_avx(a, b, 16) - ref) < 1e-12 ? "yes" : "no");
    else
        printf("no avx\n");
    return 0;
}
