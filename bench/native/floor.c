/*
 * floor.c — the physical floor under any ring's round trip: two threads pass
 * one cache line back and forth.  The main thread stores an odd number, the
 * peer answers with the next even one; each round trip moves the line from
 * core to core twice, as a ring's ping-pong must at the least.
 */
#include "bench.h"

#include <stdalign.h>

struct floor_ctx {
    alignas(64) _Atomic uint64_t line;
    char pad[64 - sizeof(uint64_t)];
    const struct run_opts *o;
    double seconds;
    uint64_t errors;
};

static void floor_main(void *arg) {
    struct floor_ctx *c = arg;
    const uint64_t count = c->o->count;
    uint64_t errors = 0;
    double t0 = bench_now();
    for (uint64_t i = 0; i < count; i++) {
        atomic_store_explicit(&c->line, 2 * i + 1, memory_order_release);
        uint64_t v;
        while ((v = atomic_load_explicit(&c->line, memory_order_acquire)) == 2 * i + 1)
            BENCH_SPIN();
        errors += v != 2 * i + 2;
    }
    c->seconds = bench_now() - t0;
    c->errors = errors;
}

static void floor_peer(void *arg) {
    struct floor_ctx *c = arg;
    const uint64_t count = c->o->count;
    for (uint64_t i = 0; i < count; i++) {
        while (atomic_load_explicit(&c->line, memory_order_acquire) != 2 * i + 1)
            BENCH_SPIN();
        atomic_store_explicit(&c->line, 2 * i + 2, memory_order_release);
    }
}

int bench_floor(const struct run_opts *o, struct run_result *res) {
    static struct floor_ctx c;
    atomic_store(&c.line, 0);
    c.o = o;
    if (bench_pair(floor_main, floor_peer, &c) != 0) return -1;
    res->seconds = c.seconds;
    res->checked = o->count;
    res->errors = c.errors;
    return 0;
}
