// A program for tests/gdb-tests.sh (gdb on its replay): two threads adding
// to a global under a mutex, and a callback libc's qsort calls, so that a
// backtrace from it goes through libc. Worker waits for main's add: one order of hits.
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

int counter; static volatile int main_added;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;

__attribute__((noinline)) int add_to_counter(int amount)
{
    pthread_mutex_lock(&lock);
    counter += amount;
    int now = counter;
    pthread_mutex_unlock(&lock);
    return now;
}

__attribute__((noinline)) static int compare_ints(const void *a, const void *b)
{
    int x = *(const int *)a, y = *(const int *)b;
    return (x > y) - (x < y);
}

static void *worker(void *arg)
{
    int id = *(int *)arg; while (!main_added) sched_yield();
    for (int i = 0; i < 3; i++)
        add_to_counter(id);
    return NULL;
}

int main(void)
{
    int values[] = {5, 3, 9, 1};
    int id = 10;
    pthread_t thread;
    if (pthread_create(&thread, NULL, worker, &id) != 0)
        return 1;
    add_to_counter(1); main_added = 1;
    pthread_join(thread, NULL);
    qsort(values, 4, sizeof values[0], compare_ints);
    printf("counter %d, sorted %d %d %d %d\n", counter, values[0], values[1], values[2], values[3]);
    return 0;
}
