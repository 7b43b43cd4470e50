/*
 * qsort_random.c — covers a computation over random input: 1000 integers from
 * getrandom are sorted with qsort; prints first/last values and a checksum.
 */
#include <stdio.h>
#include <stdlib.h>
#include <sys/random.h>

static int cmp(const void *a, const void *b)
{
    unsigned x = *(const unsigned *)a, y = *(const unsigned *)b;
    return x < y ? -1 : x > y;
}

int main(void)
{
    static unsigned v[1000];
    if (getrandom(v, sizeof v, 0) != (ssize_t)sizeof v)
        return 1;
    qsort(v, 1000, sizeof v[0], cmp);
    unsigned long long sum = 0;
    int sorted = 1;
    for (int i = 0; i < 1000; i++) {
        sum = sum * 1000003 + v[i];
        if (i && v[i - 1] > v[i])
            sorted = 0;
    }
    printf("min %u max %u sorted %d checksum %llu\n", v[0], v[999], sorted, sum);
    return 0;
}
