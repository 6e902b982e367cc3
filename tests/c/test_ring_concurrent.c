/*
 * test_ring_concurrent.c — two real threads, one producer and one consumer,
 * push RBS_STRESS_BYTES (1 GiB in the normal build) of a deterministic byte
 * sequence through a small ring using every write call and every read call,
 * and the consumer checks every byte; each thread attaches its own view, and
 * a third thread asks the queries meanwhile.  Also run under ThreadSanitizer.
 */
#define _GNU_SOURCE
#include "test_helpers.h"

#include <pthread.h>
#include <stdatomic.h>
#include <sched.h>
#include <stdio.h>
#include <time.h>

typedef struct {
    void *region; /* each thread attaches its own view to it */
    size_t region_size;
    uint32_t capacity;
    uint64_t total;
    uint64_t seed;
    uint64_t checked;   /* consumer: bytes verified */
    uint64_t first_bad; /* consumer: stream position of the first wrong byte */
    int error;          /* an unexpected return code, 0 if none */
} stress_ctx;

#define NO_BAD UINT64_MAX

static void wait_a_little(unsigned *spins) {
    if (++*spins > 64) {
        *spins = 0;
        sched_yield(); /* stay fair when both threads share one core */
    }
}

static void *producer_main(void *arg) {
    stress_ctx *c = arg;
    rbs_view v; /* this thread's own view, as a second party gets it */
    if ((c->error = rbs_attach(&v, c->region, c->region_size)) != RBS_OK) return NULL;
    uint64_t rng = c->seed, pos = 0;
    uint32_t max_chunk = 2u * c->capacity;
    uint8_t *chunk = malloc(max_chunk);
    unsigned spins = 0;
    while (pos < c->total) {
        uint32_t n = 1u + (uint32_t)(rbs_test_rand(&rng) % max_chunk);
        if (n > c->total - pos) n = (uint32_t)(c->total - pos);
        unsigned method = (unsigned)(rbs_test_rand(&rng) % 3u);
        rbs_test_fill(chunk, pos, n);
        uint32_t done = 0;
        while (done < n) {
            int got;
            uint32_t left = n - done;
            if (method == 0) {
                got = rbs_write(&v, chunk + done, left);
            } else if (method == 1) {
                /* all-or-nothing in pieces the ring can hold */
                uint32_t piece = left > c->capacity ? c->capacity : left;
                got = rbs_write_all(&v, chunk + done, piece);
                if (got == RBS_EAGAIN) got = 0;
            } else {
                rbs_span s[2];
                got = rbs_write_reserve(&v, left, s);
                if (got > 0) {
                    memcpy(s[0].ptr, chunk + done, s[0].len);
                    if (s[1].len) memcpy(s[1].ptr, chunk + done + s[0].len, s[1].len);
                    got = rbs_write_commit(&v, (size_t)got);
                }
            }
            if (got < 0) {
                c->error = got;
                free(chunk);
                return NULL;
            }
            if (got == 0) wait_a_little(&spins);
            done += (uint32_t)got;
        }
        pos += n;
    }
    c->error = rbs_close(&v);
    free(chunk);
    return NULL;
}

static void check(stress_ctx *c, const uint8_t *p, size_t n) {
    rbs_test_check(p, c->checked, n, &c->first_bad);
    c->checked += n;
}

static void *consumer_main(void *arg) {
    stress_ctx *c = arg;
    rbs_view v; /* this thread's own view, as a second party gets it */
    if ((c->error = rbs_attach(&v, c->region, c->region_size)) != RBS_OK) return NULL;
    uint64_t rng = c->seed ^ 0x5555u;
    uint32_t max_chunk = 2u * c->capacity;
    uint8_t *buf = malloc(max_chunk);
    unsigned spins = 0;
    for (;;) {
        uint32_t n = 1u + (uint32_t)(rbs_test_rand(&rng) % max_chunk);
        unsigned method = (unsigned)(rbs_test_rand(&rng) % 4u);
        int got;
        if (method == 0) {
            got = rbs_read(&v, buf, n);
            if (got > 0) check(c, buf, (size_t)got);
        } else if (method == 1) {
            uint32_t want = n > c->capacity ? c->capacity : n;
            got = rbs_read_all(&v, buf, want);
            if (got == RBS_EAGAIN) got = 0;
            if (got == RBS_ECLOSED) got = rbs_read(&v, buf, want); /* the tail */
            if (got > 0) check(c, buf, (size_t)got);
        } else if (method == 2) {
            got = rbs_peek(&v, buf, n);
            if (got > 0) {
                check(c, buf, (size_t)got);
                int skipped = rbs_skip(&v, (size_t)got);
                if (skipped != got) {
                    c->error = skipped < 0 ? skipped : RBS_EINVAL;
                    break;
                }
            }
        } else {
            rbs_span s[2];
            got = rbs_read_acquire(&v, n, s);
            if (got > 0) {
                check(c, s[0].ptr, s[0].len);
                if (s[1].len) check(c, s[1].ptr, s[1].len);
                got = rbs_read_release(&v, (size_t)got);
            }
        }
        if (got == RBS_ECLOSED) break;
        if (got < 0) {
            c->error = got;
            break;
        }
        if (got == 0) wait_a_little(&spins);
    }
    free(buf);
    return NULL;
}

/* A third thread asking the queries while both sides run, as a page does
 * while two Workers move the data: never an error, never out of range. */
typedef struct {
    void *region;
    size_t region_size;
    int capacity;
    atomic_int done;
    int bad; /* the first wrong answer, 0 if none */
    long queries;
} observer_ctx;

static void *observer_main(void *arg) {
    observer_ctx *o = arg;
    rbs_view v;
    if ((o->bad = rbs_attach(&v, o->region, o->region_size)) != RBS_OK) return NULL;
    while (!atomic_load(&o->done)) {
        int a = rbs_readable(&v), b = rbs_writable(&v);
        if ((a < 0 || a > o->capacity || b < 0 || b > o->capacity) && o->bad == 0)
            o->bad = a < 0 ? a : (b < 0 ? b : -1000);
        o->queries++;
        /* ask often, not flat out: the two sides need the cores */
        nanosleep(&(struct timespec){.tv_sec = 0, .tv_nsec = 20000}, NULL);
    }
    return NULL;
}

static double now_seconds(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static void run_stress(uint32_t capacity, uint64_t total, uint64_t seed) {
    stress_ctx p = {0}, c = {0};
    rbs_view v = rbs_test_ring(capacity);
    p.region = c.region = v.ring;
    p.region_size = c.region_size = rbs_region_size(capacity);
    p.capacity = c.capacity = capacity;
    p.total = c.total = total;
    p.seed = c.seed = seed;
    c.first_bad = NO_BAD;
    observer_ctx o = {.region = v.ring, .region_size = p.region_size, .capacity = (int)capacity};
    atomic_init(&o.done, 0);
    pthread_t tp, tc, to;
    double t0 = now_seconds();
    cr_assert_eq(pthread_create(&tc, NULL, consumer_main, &c), 0);
    cr_assert_eq(pthread_create(&tp, NULL, producer_main, &p), 0);
    cr_assert_eq(pthread_create(&to, NULL, observer_main, &o), 0);
    pthread_join(tp, NULL);
    pthread_join(tc, NULL);
    atomic_store(&o.done, 1);
    pthread_join(to, NULL);
    cr_assert_eq(o.bad, 0, "rbs_readable/rbs_writable from a third thread answered %d (%s)", o.bad,
                 rbs_strerror(o.bad));
    cr_assert_gt(o.queries, 0);
    double secs = now_seconds() - t0;
    cr_assert_eq(p.error, 0, "producer got %d (%s)", p.error, rbs_strerror(p.error));
    cr_assert_eq(c.error, 0, "consumer got %d (%s)", c.error, rbs_strerror(c.error));
    cr_assert_eq(c.first_bad, NO_BAD, "wrong byte at stream position %llu",
                 (unsigned long long)c.first_bad);
    cr_assert_eq(c.checked, total, "consumer verified %llu of %llu bytes",
                 (unsigned long long)c.checked, (unsigned long long)total);
    cr_assert_eq(rbs_readable(&v), 0);
    fprintf(stderr, "stress: %llu bytes through a %u-byte ring in %.2f s: %.0f MB/s\n",
            (unsigned long long)total, capacity, secs, (double)total / secs / 1e6);
    free(v.ring);
}

TestSuite(concurrent_bytes, .timeout = 600);

Test(concurrent_bytes, every_byte_through_a_small_ring) {
    run_stress(4096, rbs_test_stress_bytes(1ull << 30), 0x1234567u);
}

Test(concurrent_bytes, every_byte_through_the_smallest_ring) {
    /* Chunks of 1..32 bytes through 16 bytes: the wrap on almost every call. */
    run_stress(16, rbs_test_stress_bytes(1ull << 30) / 64u, 0xBEEFu);
}
