// rrdb-test: replays 20
/*
 * landmark_same_regs.c — covers a landmark in a loop whose registers are the
 * same on every pass, as in `openssl speed`: the same block is hashed again
 * and again, and the only thing that changes, the pass count, lives on the
 * stack. SIGALRM interrupts the loop twice; the recorder delivers
 * each at a landmark, and the printed counts depend on the pass it chose.
 * Registers alone match every pass: replay must tell them apart by the
 * stack, and stop once, not at every pass.
 */
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/time.h>

static volatile sig_atomic_t alarms;
static volatile unsigned long seen_at[2];
static volatile unsigned long *volatile passes_at; /* the count, on main's stack */
static volatile uint64_t sink;

static void on_alarm(int sig)
{
    (void)sig;
    if (alarms < 2)
        seen_at[alarms] = *passes_at;
    alarms++;
}

/* A few rounds over the same four words: the same registers every call. */
__attribute__((noinline)) static uint64_t hash_block(const uint64_t *block)
{
    uint64_t h = 0xcbf29ce484222325ull;
    for (int round = 0; round < 4; round++)
        for (int i = 0; i < 4; i++) {
            h ^= block[i];
            h *= 0x100000001b3ull;
            h = h << 13 | h >> 51;
        }
    return h;
}

int main(void)
{
    const uint64_t block[4] = {1, 2, 3, 4};
    volatile unsigned long passes = 0;
    passes_at = &passes;
    signal(SIGALRM, on_alarm);
    struct itimerval it = {{0, 30000}, {0, 30000}};
    setitimer(ITIMER_REAL, &it, NULL);
    /* Bounded so that a lost signal ends in seconds instead of hanging. */
    while (alarms < 2 && passes < 400000000UL) {
        sink = hash_block(block);
        passes = passes + 1;
    }
    struct itimerval off = {{0, 0}, {0, 0}};
    setitimer(ITIMER_REAL, &off, NULL);
    printf("%d alarms, after %lu and %lu passes; %lu in all (hash %llx)\n", (int)alarms, seen_at[0], seen_at[1],
           passes, (unsigned long long)sink);
    return 0;
}
