/*
 * wait.c — waking a side that sleeps: the platform's notify and the public
 * wake calls.  The protocol and why no wake-up is lost: rbs.h, "Waking a
 * side that sleeps".
 */
#if defined(__linux__) && !defined(__wasm__)
/* syscall(); NOLINTNEXTLINE(bugprone-reserved-identifier,cert-dcl37-c,cert-dcl51-cpp) */
#define _GNU_SOURCE
#include <linux/futex.h>
#include <sys/syscall.h>
#include <unistd.h>
#endif

#include "ring_internal.h"

#include <limits.h>

void rbs__notify_all(rbs_word *word) {
#if defined(__wasm__)
    __builtin_wasm_memory_atomic_notify((int *)(void *)word, UINT32_MAX);
#elif defined(__linux__)
    /* Not FUTEX_PRIVATE: the ring may be shared between processes. */
    syscall(SYS_futex, (void *)word, FUTEX_WAKE, INT_MAX, NULL, NULL, 0);
#else
    (void)word; /* no futex: a waiter sleeps in slices and looks again */
#endif
}

/* After the caller's release-publishes: the fence makes them come before
 * the load of the waiting count, as the protocol's sequentially consistent
 * publish does. */
int rbs_wake_consumer(const rbs_view *v) {
    int g = rbs__gate(v, 0);
    if (g != RBS_OK) return g;
    atomic_thread_fence(memory_order_seq_cst);
    return rbs__wake_if_waiting(rbs__consumer_sleeper(v->ring));
}

int rbs_wake_producer(const rbs_view *v) {
    int g = rbs__gate(v, 0);
    if (g != RBS_OK) return g;
    atomic_thread_fence(memory_order_seq_cst);
    return rbs__wake_if_waiting(rbs__producer_sleeper(v->ring));
}
