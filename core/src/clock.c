/*
 * clock.c — the platform half of the blocking calls: a monotonic clock and a
 * sleep on a word that the wake protocol's notify ends.
 */
#if defined(__linux__) && !defined(__wasm__)
/* syscall(); NOLINTNEXTLINE(bugprone-reserved-identifier,cert-dcl37-c,cert-dcl51-cpp) */
#define _GNU_SOURCE
#include <errno.h>
#include <linux/futex.h>
#include <sys/syscall.h>
#include <unistd.h>
#else
/* clock_gettime, nanosleep */
/* NOLINTNEXTLINE(bugprone-reserved-identifier,cert-dcl37-c,cert-dcl51-cpp) */
#define _POSIX_C_SOURCE 200809L
#endif

#include "liveness.h"

#include <time.h>

uint64_t rbs__now_ms(void) {
    struct timespec ts;
    if (clock_gettime(CLOCK_MONOTONIC, &ts) != 0) return 0;
    return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

int rbs__sleep_on(rbs_word *word, uint32_t seen, uint32_t ms) {
#if defined(__wasm__)
    /* 2: timed out; 0: woken; 1: the word differed */
    return __builtin_wasm_memory_atomic_wait32((int *)(void *)word, (int)seen,
                                               (int64_t)ms * 1000000) == 2;
#elif defined(__linux__)
    struct timespec slice = {.tv_sec = (time_t)(ms / 1000u),
                             .tv_nsec = (long)(ms % 1000u) * 1000000L};
    /* Not FUTEX_PRIVATE: the ring may be shared between processes. */
    long rc = syscall(SYS_futex, (void *)word, FUTEX_WAIT, seen, &slice, NULL, 0);
    return rc != 0 && errno == ETIMEDOUT;
#else
    /* No futex to be woken by: look again every millisecond. */
    struct timespec tick = {.tv_sec = 0, .tv_nsec = 1000000L};
    if (ms == 0 || atomic_load_explicit(word, memory_order_seq_cst) != seen) return 0;
    (void)nanosleep(&tick, NULL);
    return ms <= 1u;
#endif
}
