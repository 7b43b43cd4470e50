// rrdb-test: replays 20
/*
 * landmark_loop_entry.c — covers a landmark in a rotated loop, as a JIT
 * (HotSpot's C2) compiles one: the back edge jumps to the block's first
 * instruction, but the loop is entered at its second. A jump patched over
 * the block's first instructions would be entered in its middle. SIGALRM
 * interrupts the loop; the recorder must take its landmark where replay's
 * patch is safe, and replay must not patch where it is not.
 */
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/time.h>

static volatile int rang;
static volatile uint64_t rang_at;
static volatile uint64_t walked;

static void on_alarm(int sig)
{
    (void)sig;
    rang_at = walked;
    rang = 1;
}

int main(void)
{
    signal(SIGALRM, on_alarm);
    struct itimerval soon = {{0, 0}, {0, 20000}};
    setitimer(ITIMER_REAL, &soon, NULL);
    uint64_t steps = 0, mixed = 0;
    __asm__ volatile("    jmp 2f\n"
                     "1:  mov %[steps], %[mixed]\n"        /* the back edge's target: 3 bytes */
                     "2:  add $1, %[steps]\n"               /* the loop's entry */
                     "    rol $7, %[mixed]\n"
                     "    mov %[steps], %[walked]\n"
                     "    cmpl $0, %[rang]\n"
                     "    je 1b\n"
                     : [steps] "+r"(steps), [mixed] "+r"(mixed), [walked] "=m"(walked)
                     : [rang] "m"(rang)
                     : "cc");
    printf("the alarm rang after %llu steps (%llu in all, %llx)\n", (unsigned long long)rang_at,
           (unsigned long long)steps, (unsigned long long)mixed);
    return 0;
}
