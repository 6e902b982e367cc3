/*
 * harness.c — two pinned threads that start together, and a clock.
 * The main thread runs on core 0, the peer on core 1 (where the platform
 * lets us pin), so every measurement crosses the same two cores.
 */
#define _GNU_SOURCE
#include "bench.h"

#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <time.h>

unsigned char bench_pattern[ITEM_CHUNK_LARGE];

void bench_pattern_init(void) {
    for (size_t i = 0; i < sizeof bench_pattern; i++)
        bench_pattern[i] = (unsigned char)(i * 131u + 7u);
}

static _Atomic int pinned_ok = 1; /* the peer thread may clear it too */

int bench_pin(int cpu) {
    cpu_set_t set;
    CPU_ZERO(&set);
    CPU_SET(cpu, &set);
    if (pthread_setaffinity_np(pthread_self(), sizeof set, &set) != 0) {
        pinned_ok = 0;
        return -1;
    }
    return 0;
}

int bench_pinned(void) {
    return pinned_ok;
}

double bench_now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

struct pair {
    void (*peer_fn)(void *);
    void *arg;
    _Atomic int ready; /* the peer is pinned and about to run */
};

static void *peer_main(void *p) {
    struct pair *pair = p;
    if (pinned_ok) bench_pin(1);
    atomic_store_explicit(&pair->ready, 1, memory_order_release);
    pair->peer_fn(pair->arg);
    return NULL;
}

int bench_pair(void (*main_fn)(void *), void (*peer_fn)(void *), void *arg) {
    struct pair pair = {.peer_fn = peer_fn, .arg = arg, .ready = 0};
    pthread_t t;
    if (pthread_create(&t, NULL, peer_main, &pair) != 0) {
        fprintf(stderr, "bench: pthread_create failed\n");
        return -1;
    }
    /* The peer spins on its ring from here on, so main_fn's clock starts
     * with both threads running on their cores. */
    while (!atomic_load_explicit(&pair.ready, memory_order_acquire))
        BENCH_SPIN();
    main_fn(arg);
    pthread_join(t, NULL);
    return 0;
}
