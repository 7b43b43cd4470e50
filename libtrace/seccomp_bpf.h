/*
 * seccomp_bpf.h — what a program's seccomp filters answer for a syscall.
 * The recorder keeps a copy of every filter a recorded task installs (the
 * kernel keeps them too, but does not say what they decided): before the
 * kernel runs a syscall it asks them, as the kernel does, so that it knows
 * whether the kernel ran the call or a filter answered in its place
 * (SECCOMP_RET_ERRNO, TRAP, KILL…) — which replay must not run either.
 * A classic-BPF interpreter for the instructions seccomp accepts.
 */
#ifndef RRDB_SECCOMP_BPF_H
#define RRDB_SECCOMP_BPF_H

#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stdbool.h>
#include <stdint.h>

/* Run one filter (already accepted by the kernel) on `data`: its return
 * value (action | data). An instruction seccomp would have refused ends the
 * run with SECCOMP_RET_KILL_PROCESS. */
uint32_t seccomp_bpf_run(const struct sock_filter *insns, unsigned count, const struct seccomp_data *data);

/* Of two filter answers, the one the kernel acts on (the most restrictive
 * action; on a tie the first, i.e. the newer filter's). */
uint32_t seccomp_bpf_stricter(uint32_t first, uint32_t second);

/* Does the kernel run the syscall under this answer (ALLOW, LOG)? */
bool seccomp_bpf_lets_run(uint32_t answer);

#endif
