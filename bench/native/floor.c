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

/* The two-line floor: what a round trip costs at the least when, as in every
 * ring here, the data and the counter that publishes it sit on different
 * cache lines.  Each direction has a data line and a counter line; the
 * sender writes the data, then the counter (release); the receiver waits for
 * the counter (acquire), then reads the data -- a second line that can only
 * be fetched once the counter has been seen. */
struct lane {
    alignas(64) _Atomic uint64_t counter;
    alignas(64) uint64_t data;
    char pad[64 - sizeof(uint64_t)];
};

struct two_line_ctx {
    struct lane a, b; /* a: main to peer, b: peer to main */
    const struct run_opts *o;
    double seconds;
    uint64_t errors;
};

static void two_line_main(void *arg) {
    struct two_line_ctx *c = arg;
    const uint64_t count = c->o->count;
    uint64_t errors = 0;
    double t0 = bench_now();
    for (uint64_t i = 0; i < count; i++) {
        c->a.data = i;
        atomic_store_explicit(&c->a.counter, i + 1, memory_order_release);
        while (atomic_load_explicit(&c->b.counter, memory_order_acquire) != i + 1)
            BENCH_SPIN();
        errors += c->b.data != i;
    }
    c->seconds = bench_now() - t0;
    c->errors = errors;
}

static void two_line_peer(void *arg) {
    struct two_line_ctx *c = arg;
    const uint64_t count = c->o->count;
    for (uint64_t i = 0; i < count; i++) {
        while (atomic_load_explicit(&c->a.counter, memory_order_acquire) != i + 1)
            BENCH_SPIN();
        c->b.data = c->a.data;
        atomic_store_explicit(&c->b.counter, i + 1, memory_order_release);
    }
}

int bench_two_line_floor(const struct run_opts *o, struct run_result *res) {
    static struct two_line_ctx c;
    atomic_store(&c.a.counter, 0);
    atomic_store(&c.b.counter, 0);
    c.o = o;
    if (bench_pair(two_line_main, two_line_peer, &c) != 0) return -1;
    res->seconds = c.seconds;
    res->checked = o->count;
    res->errors = c.errors;
    return 0;
}
