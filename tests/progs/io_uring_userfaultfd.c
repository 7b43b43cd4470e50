// rrdb-test: warns
/*
 * io_uring_userfaultfd.c — covers io_uring and userfaultfd, whose kernel side
 * writes the program's memory at any moment: a recorder answers ENOSYS, as a
 * kernel without them would, and the program takes its fallback (a plain
 * read). Where they do work, they must work: a NOP submitted to the ring
 * must complete with its user_data, and UFFDIO_API must report the API.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/io_uring.h>
#include <linux/userfaultfd.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

/* Submit one NOP through the ring and reap it; 0 when its completion came back. */
static int ring_nop(int fd, const struct io_uring_params *p)
{
    size_t sq_size = p->sq_off.array + p->sq_entries * sizeof(uint32_t);
    size_t cq_size = p->cq_off.cqes + p->cq_entries * sizeof(struct io_uring_cqe);
    char *sq = mmap(NULL, sq_size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, IORING_OFF_SQ_RING);
    char *cq = mmap(NULL, cq_size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, IORING_OFF_CQ_RING);
    struct io_uring_sqe *sqes = mmap(NULL, p->sq_entries * sizeof *sqes, PROT_READ | PROT_WRITE, MAP_SHARED,
                                     fd, IORING_OFF_SQES);
    if (sq == MAP_FAILED || cq == MAP_FAILED || sqes == MAP_FAILED)
        return -1;
    uint32_t *tail = (uint32_t *)(sq + p->sq_off.tail);
    uint32_t *array = (uint32_t *)(sq + p->sq_off.array);
    memset(&sqes[0], 0, sizeof sqes[0]);
    sqes[0].opcode = IORING_OP_NOP;
    sqes[0].user_data = 42;
    array[*tail & *(uint32_t *)(sq + p->sq_off.ring_mask)] = 0;
    __atomic_store_n(tail, *tail + 1, __ATOMIC_RELEASE);
    if (syscall(SYS_io_uring_enter, fd, 1, 1, IORING_ENTER_GETEVENTS, NULL, 0) != 1)
        return -1;
    uint32_t head = __atomic_load_n((uint32_t *)(cq + p->cq_off.head), __ATOMIC_ACQUIRE);
    uint32_t cq_tail = __atomic_load_n((uint32_t *)(cq + p->cq_off.tail), __ATOMIC_ACQUIRE);
    struct io_uring_cqe *cqes = (struct io_uring_cqe *)(cq + p->cq_off.cqes);
    if (head == cq_tail)
        return -1;
    struct io_uring_cqe *cqe = &cqes[head & *(uint32_t *)(cq + p->cq_off.ring_mask)];
    return cqe->user_data == 42 && cqe->res == 0 ? 0 : -1;
}

int main(void)
{
    int wrong = 0;
    struct io_uring_params params;
    memset(&params, 0, sizeof params);
    int ring = (int)syscall(SYS_io_uring_setup, 4, &params);
    if (ring < 0) {
        printf("io_uring_setup: %s; falling back to read\n", strerror(errno));
        int fd = open("input.txt", O_RDONLY);
        char text[16] = {0};
        if (fd < 0 || read(fd, text, 5) != 5 || strcmp(text, "alpha") != 0)
            wrong++;
    } else if (params.sq_entries != 4 || ring_nop(ring, &params) < 0) {
        printf("wrong: the ring does not work (%u entries)\n", params.sq_entries);
        wrong++;
    } else {
        printf("io_uring: a NOP went through the ring\n");
    }

    int uffd = (int)syscall(SYS_userfaultfd, O_CLOEXEC);
    if (uffd < 0) {
        printf("userfaultfd: %s\n", strerror(errno));
    } else {
        struct uffdio_api api = {.api = UFFD_API};
        if (ioctl(uffd, UFFDIO_API, &api) < 0 || api.api != UFFD_API) {
            printf("wrong: UFFDIO_API failed\n");
            wrong++;
        } else {
            printf("userfaultfd: api %llx\n", (unsigned long long)api.api);
        }
    }
    printf("%d wrong\n", wrong);
    return wrong ? 1 : 0;
}
