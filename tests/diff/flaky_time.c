/* flaky_time.c — says whether the wall clock's nanoseconds are odd or even,
 * so two runs differ first in what clock_gettime wrote (rr-diff tests).
 * write(2) rather than stdio: nothing else in the run differs. */
#include <time.h>
#include <unistd.h>

int main(void)
{
    struct timespec now;
    clock_gettime(CLOCK_REALTIME, &now);
    if (now.tv_nsec % 2)
        return write(1, "odd\n", 4) == 4 ? 0 : 1;
    return write(1, "even\n", 5) == 5 ? 0 : 1;
}
