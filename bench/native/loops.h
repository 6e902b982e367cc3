/*
 * loops.h — the workload loops, compiled once per ring under test so that
 * every put and get is a direct call (inlined where the ring's own API is an
 * inline header, as ck_ring's is).  Include it after defining, for a ring
 * type `q_t`:
 *
 *   static q_t *q_new(size_t item_bytes, size_t items);   room for `items`
 *   static void q_free(q_t *q);
 *   BENCH_INLINE int q_put(q_t *q, const unsigned char *item, size_t n);
 *   BENCH_INLINE int q_get(q_t *q, unsigned char *item, size_t n);
 *
 * q_put/q_get move one whole item of n bytes (n is a constant at every call
 * site) and return 1, or 0 when the ring is full/empty, or -1 on an error
 * (after printing it).  Every item the consumer gets is checked against the
 * sequence number it must carry.
 */
#ifndef RBS_BENCH_LOOPS_H
#define RBS_BENCH_LOOPS_H

#include "bench.h"

#include <stdio.h>
#include <stdlib.h>

static void loops_fail(const char *what) {
    fprintf(stderr, "bench: %s\n", what);
    exit(2); /* the other thread would wait forever */
}

struct stream_ctx {
    q_t *q;
    size_t n;
    const struct run_opts *o;
    double t0, t1;
    uint64_t errors;
};

BENCH_INLINE void produce(struct stream_ctx *c, size_t n) {
    unsigned char item[ITEM_CHUNK_LARGE];
    memcpy(item, bench_pattern, n);
    const uint64_t count = c->o->count;
    q_t *q = c->q;
    c->t0 = bench_now();
    for (uint64_t i = 0; i < count; i++) {
        bench_stamp(item, n, i);
        int rc;
        while ((rc = q_put(q, item, n)) == 0)
            BENCH_PAUSE();
        if (rc < 0) loops_fail("put failed");
    }
}

BENCH_INLINE void consume(struct stream_ctx *c, size_t n) {
    unsigned char item[ITEM_CHUNK_LARGE];
    const uint64_t count = c->o->count, first = c->o->first;
    const int all = c->o->verify_all_bytes;
    q_t *q = c->q;
    uint64_t errors = 0;
    for (uint64_t i = 0; i < count; i++) {
        int rc;
        while ((rc = q_get(q, item, n)) == 0)
            BENCH_PAUSE();
        if (rc < 0) loops_fail("get failed");
        errors += (uint64_t)bench_bad(item, n, first + i, all);
    }
    c->t1 = bench_now();
    c->errors = errors;
}

/* One specialised loop per item size, so n is a constant inside each. */
static void stream_main(void *arg) {
    struct stream_ctx *c = arg;
    switch (c->n) {
    case 1: produce(c, 1); break;
    case 4: produce(c, 4); break;
    case ITEM_CHUNK_SMALL: produce(c, ITEM_CHUNK_SMALL); break;
    default: produce(c, ITEM_CHUNK_LARGE); break;
    }
}

static void stream_peer(void *arg) {
    struct stream_ctx *c = arg;
    switch (c->n) {
    case 1: consume(c, 1); break;
    case 4: consume(c, 4); break;
    case ITEM_CHUNK_SMALL: consume(c, ITEM_CHUNK_SMALL); break;
    default: consume(c, ITEM_CHUNK_LARGE); break;
    }
}

static int loops_stream(size_t n, const struct run_opts *o, struct run_result *res) {
    if (n != 1 && n != 4 && n != ITEM_CHUNK_SMALL && n != ITEM_CHUNK_LARGE) return -1;
    size_t items = n <= 4 ? STREAM_ITEMS : CHUNK_RING_BYTES / n;
    struct stream_ctx c = {.q = q_new(n, items), .n = n, .o = o};
    if (c.q == NULL) return -1;
    int rc = bench_pair(stream_main, stream_peer, &c);
    q_free(c.q);
    if (rc != 0) return -1;
    res->seconds = c.t1 - c.t0;
    res->checked = o->count;
    res->errors = c.errors;
    return 0;
}

/* Ping-pong: the main thread sends item i on ring a and waits for it to come
 * back on ring b; the peer checks it and echoes it. */
struct pingpong_ctx {
    q_t *a, *b;
    const struct run_opts *o;
    double seconds;
    uint64_t main_errors, peer_errors;
};

static void pingpong_main(void *arg) {
    struct pingpong_ctx *c = arg;
    unsigned char item[PINGPONG_ITEM], back[PINGPONG_ITEM];
    const uint64_t count = c->o->count, first = c->o->first;
    q_t *a = c->a, *b = c->b;
    uint64_t errors = 0;
    int rc;
    double t0 = bench_now();
    for (uint64_t i = 0; i < count; i++) {
        bench_stamp(item, PINGPONG_ITEM, i);
        while ((rc = q_put(a, item, PINGPONG_ITEM)) == 0)
            BENCH_SPIN();
        if (rc < 0) loops_fail("put failed");
        while ((rc = q_get(b, back, PINGPONG_ITEM)) == 0)
            BENCH_SPIN();
        if (rc < 0) loops_fail("get failed");
        errors += (uint64_t)bench_bad(back, PINGPONG_ITEM, first + i, 0);
    }
    c->seconds = bench_now() - t0;
    c->main_errors = errors;
}

static void pingpong_peer(void *arg) {
    struct pingpong_ctx *c = arg;
    unsigned char item[PINGPONG_ITEM];
    const uint64_t count = c->o->count, first = c->o->first;
    q_t *a = c->a, *b = c->b;
    uint64_t errors = 0;
    int rc;
    for (uint64_t i = 0; i < count; i++) {
        while ((rc = q_get(a, item, PINGPONG_ITEM)) == 0)
            BENCH_SPIN();
        if (rc < 0) loops_fail("get failed");
        errors += (uint64_t)bench_bad(item, PINGPONG_ITEM, first + i, 0);
        while ((rc = q_put(b, item, PINGPONG_ITEM)) == 0)
            BENCH_SPIN();
        if (rc < 0) loops_fail("put failed");
    }
    c->peer_errors = errors;
}

static int loops_pingpong(const struct run_opts *o, struct run_result *res) {
    struct pingpong_ctx c = {.a = q_new(PINGPONG_ITEM, PINGPONG_ITEMS),
                             .b = q_new(PINGPONG_ITEM, PINGPONG_ITEMS),
                             .o = o};
    int rc = (c.a && c.b) ? bench_pair(pingpong_main, pingpong_peer, &c) : -1;
    if (c.a) q_free(c.a);
    if (c.b) q_free(c.b);
    if (rc != 0) return -1;
    res->seconds = c.seconds;
    res->checked = 2 * o->count; /* the peer checks each item, main its echo */
    res->errors = c.main_errors + c.peer_errors;
    return 0;
}

/* Solo: one thread puts an item and gets it back, `count` times -- the cost
 * of the calls themselves with no other core involved (for profiling:
 * `valgrind --tool=callgrind native_bench --solo N` counts instructions). */
BENCH_INLINE uint64_t solo(q_t *q, uint64_t count, uint64_t first, size_t n) {
    unsigned char item[ITEM_CHUNK_LARGE], got[ITEM_CHUNK_LARGE];
    memcpy(item, bench_pattern, n);
    uint64_t errors = 0;
    for (uint64_t i = 0; i < count; i++) {
        bench_stamp(item, n, i);
        if (q_put(q, item, n) != 1 || q_get(q, got, n) != 1) loops_fail("solo put/get failed");
        errors += (uint64_t)bench_bad(got, n, first + i, 1);
    }
    return errors;
}

static int loops_solo(size_t n, const struct run_opts *o, struct run_result *res) {
    q_t *q = q_new(n, n <= 4 ? STREAM_ITEMS : CHUNK_RING_BYTES / n);
    if (q == NULL) return -1;
    double t0 = bench_now();
    switch (n) {
    case 1: res->errors = solo(q, o->count, o->first, 1); break;
    case 4: res->errors = solo(q, o->count, o->first, 4); break;
    case ITEM_CHUNK_SMALL: res->errors = solo(q, o->count, o->first, ITEM_CHUNK_SMALL); break;
    default: res->errors = solo(q, o->count, o->first, ITEM_CHUNK_LARGE); break;
    }
    res->seconds = bench_now() - t0;
    res->checked = o->count;
    q_free(q);
    return 0;
}

#endif /* RBS_BENCH_LOOPS_H */
