// rrdb-test: replays 20
/*
 * landmark_crowded.c — covers a landmark in a crowded address space, as a
 * JVM's is (its heap, code cache and class space reserved up front): the
 * program reserves everything within 2.5 GiB of its code but one small hole
 * (ten pages, 1 GiB below), then a SIGALRM interrupts a counting loop
 * there (once: the test is where the stub goes). Replay's stub page for the landmark must go into that hole; the
 * search by breakpoint alone would stop on each of millions of passes.
 */
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/time.h>
#include <unistd.h>

static volatile sig_atomic_t rang;
static volatile uint64_t state = 1, rang_at;

static void on_alarm(int sig)
{
    (void)sig;
    rang_at = state;
    rang = 1;
}

enum { PAGE = 4096 };
static const uint64_t GIB = 1ull << 30;

/* Reserve [from, to) with inaccessible memory that costs nothing. */
static void reserve(uint64_t from, uint64_t to)
{
    void *at = mmap((void *)from, to - from, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE |
                    MAP_FIXED_NOREPLACE, -1, 0);
    if (at != (void *)from) {
        perror("reserve");
        exit(1);
    }
}

extern char __executable_start[]; /* from the linker */

int main(void)
{
    uint64_t image_start = (uint64_t)(uintptr_t)__executable_start;
    /* The break (where the heap would grow) is the image's end: nothing is
     * left free above it either. */
    uint64_t image_end = ((uint64_t)(uintptr_t)sbrk(0) + PAGE - 1) & ~(uint64_t)(PAGE - 1);
    uint64_t hole = image_start - GIB;
    reserve(image_start - 5 * GIB / 2, hole);
    reserve(hole + 10 * PAGE, image_start);
    reserve(image_end, image_start + 5 * GIB / 2);

    signal(SIGALRM, on_alarm);
    struct itimerval soon = {{0, 0}, {0, 20000}};
    setitimer(ITIMER_REAL, &soon, NULL);
    /* A xorshift walk, bounded so that a lost signal ends in seconds. */
    for (uint64_t steps = 0; !rang && steps < 4000000000ull; steps++)
        state = state ^ state << 13 ^ (state ^ state << 13) >> 7;
    printf("the alarm rang at state %016llx\n", (unsigned long long)rang_at);
    return 0;
}
