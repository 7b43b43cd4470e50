// rrdb-test: record-twice
/*
 * time_clocks.c — covers time(), gettimeofday and clock_gettime for REALTIME,
 * MONOTONIC and the coarse/boottime clocks. Normally these never enter the
 * kernel (vDSO); the printed values must replay identically.
 */
#include <stdio.h>
#include <sys/time.h>
#include <time.h>

int main(void)
{
    time_t t = time(NULL);
    struct timeval tv;
    gettimeofday(&tv, NULL);
    struct timespec rt, mono, coarse, boot;
    clock_gettime(CLOCK_REALTIME, &rt);
    clock_gettime(CLOCK_MONOTONIC, &mono);
    clock_gettime(CLOCK_MONOTONIC_COARSE, &coarse);
    clock_gettime(CLOCK_BOOTTIME, &boot);
    printf("time()        %lld\n", (long long)t);
    printf("gettimeofday  %lld.%06ld\n", (long long)tv.tv_sec, (long)tv.tv_usec);
    printf("REALTIME      %lld.%09ld\n", (long long)rt.tv_sec, rt.tv_nsec);
    printf("MONOTONIC     %lld.%09ld\n", (long long)mono.tv_sec, mono.tv_nsec);
    printf("MONO_COARSE   %lld.%09ld\n", (long long)coarse.tv_sec, coarse.tv_nsec);
    printf("BOOTTIME      %lld.%09ld\n", (long long)boot.tv_sec, boot.tv_nsec);
    struct timespec res;
    clock_getres(CLOCK_MONOTONIC, &res);
    printf("resolution    %ld ns\n", res.tv_nsec);
    printf("ordered: %s\n", rt.tv_sec >= t && mono.tv_sec <= boot.tv_sec ? "yes" : "no");
    return 0;
}
