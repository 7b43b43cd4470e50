/*
 * syscall_buffer_abi.h — what the in-process syscall buffer library
 * (preload/syscall_buffer.c), the recorder and the replayer agree on: where
 * the library and its buffer are mapped in a recorded process, the buffer's
 * header and record layout, and which syscalls the library handles itself.
 * docs/syscall-buffer.md describes the design.
 *
 * The library's code mapping (SB_CODE_ADDR) holds the library's bytes, then
 * the per-site stubs the recorder writes (SB_STUBS_AT on). The buffer
 * mapping (SB_BUF_ADDR, private: a fork child has its own copy) holds the
 * header, then the records. Both are ordinary private anonymous mappings:
 * the exec event stores them like any other, so replay rebuilds them.
 * This header is included by the freestanding library: stdint.h only.
 */
#ifndef RRDB_SYSCALL_BUFFER_ABI_H
#define RRDB_SYSCALL_BUFFER_ABI_H

#include <stdint.h>

/* Below the loader's mmap base with address-space randomization off
 * (0x7ffff7fff000), within a 32-bit jump of the libraries mapped there. */
#define SB_CODE_ADDR 0x7fffe0000000ull
#define SB_CODE_SIZE 0x10000ull     /* library code, then stubs */
#define SB_STUBS_AT 0x4000ull       /* offset of the first stub in the code mapping */
#define SB_STUB_SIZE 64ull          /* room for one stub */
#define SB_BUF_ADDR (SB_CODE_ADDR + SB_CODE_SIZE)
#define SB_BUF_SIZE 0x10000ull
#define SB_MAGIC 0x66756273u        /* "sbuf" */

enum sb_mode {
    SB_MODE_OFF = 0,    /* every call goes through the traced syscall */
    SB_MODE_RECORD = 1, /* handled calls run untraced and are appended as records */
    SB_MODE_REPLAY = 2, /* handled calls are answered from the records the replayer put in */
};

struct sb_header {
    uint32_t magic;
    uint32_t mode;          /* enum sb_mode */
    uint32_t current_tid;   /* the task running user code (set by the tool at each resume) */
    uint32_t flush;         /* record: make the next call traced (a signal waits for a syscall exit) */
    uint32_t count;         /* records written (record) / put in (replay) */
    uint32_t consumed;      /* replay: records answered so far */
    uint32_t capacity;      /* records the buffer holds */
    uint32_t stubs_used;    /* bytes of stubs written after SB_STUBS_AT */
    uint32_t more;          /* replay: more records wait in the replayer (SB_REFILL_SYSCALL) */
    uint32_t reserved;
    uint64_t scratch[4];    /* the recorder's injected seccomp program (sock_fprog) */
};

struct sb_record {
    uint32_t tid;           /* recorded tid of the task that made the call */
    uint32_t sysno;
    uint64_t args[6];
    int64_t result;
};

#define SB_RECORDS_AT 256ull  /* offset of the first record in the buffer */
#define SB_FILTER_AT 128ull   /* offset of the injected seccomp program's instructions */
#define SB_CAPACITY ((uint32_t)((SB_BUF_SIZE - SB_RECORDS_AT) / sizeof(struct sb_record)))

/* Replay only: the library has answered every record put in and the header
 * says more wait; this call (a number no kernel has) asks the replayer to
 * put them in. It is made from the library's traced `syscall` and is never
 * part of a recording. */
#define SB_REFILL_SYSCALL 0x5b0f

/* The calls the library handles: they cannot block, write no memory and
 * have no effect replay must redo. */
static inline int sb_handles(uint64_t sysno)
{
    return sysno == 39 /* getpid */ || sysno == 110 /* getppid */ || sysno == 186 /* gettid */;
}

#endif
