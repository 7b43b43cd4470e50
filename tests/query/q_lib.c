/*
 * q_lib.c — a shared library for tests/query-tests.sh (built as libq_lib.so):
 * its exported function makes a syscall from its own code, so the syscall's
 * instruction pointer lies in the library and must be named from the trace's
 * snapshot of it even after the library file is deleted.
 */
#include <sys/syscall.h>

long q_lib_getppid(void)
{
    long result;
    __asm__ volatile("syscall" : "=a"(result) : "a"((long)SYS_getppid) : "rcx", "r11", "memory");
    return result;
}
