/*
 * set_thread_area.c — covers set_thread_area and get_thread_area (the
 * 32-bit TLS descriptors, callable from 64-bit code through the syscall):
 * a new entry (entry_number -1: the kernel picks one and writes it back),
 * read back with get_thread_area, and loaded into %gs through its selector.
 */
#include <asm/ldt.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

int main(void)
{
    /* a 32-bit descriptor's base must lie below 4 GiB */
    unsigned int *tls_block = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_32BIT, -1, 0);
    if (tls_block == MAP_FAILED)
        return 1;
    tls_block[0] = 0xfeedbeef;
    tls_block[1] = 0x12345678;
    struct user_desc desc;
    memset(&desc, 0, sizeof desc);
    desc.entry_number = (unsigned int)-1;
    desc.base_addr = (unsigned int)(unsigned long)tls_block;
    desc.limit = 0xfffff;
    desc.seg_32bit = 1;
    desc.limit_in_pages = 1;
    desc.useable = 1;
    long r = syscall(SYS_set_thread_area, &desc);
    if (r != 0) { /* a kernel without 32-bit emulation answers ENOSYS */
        perror("set_thread_area");
        return 0;
    }
    printf("entry chosen: %u\n", desc.entry_number);
    struct user_desc back;
    memset(&back, 0, sizeof back);
    back.entry_number = desc.entry_number;
    r = syscall(SYS_get_thread_area, &back);
    printf("get_thread_area: %ld base matches %d limit %#x\n", r,
           back.base_addr == desc.base_addr, back.limit);
    unsigned short sel = (unsigned short)(desc.entry_number << 3 | 3);
    unsigned int value;
    __asm__ volatile("mov %1, %%gs\n\tmovl %%gs:4, %0" : "=r"(value) : "r"(sel));
    printf("read through %%gs: %#x\n", value);
    return 0;
}
