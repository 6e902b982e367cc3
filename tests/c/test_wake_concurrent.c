/*
 * test_wake_concurrent.c — two real threads that sleep instead of spinning:
 * the consumer sleeps in a futex on its wake word whenever the ring is empty,
 * the producer whenever it is full, both following rbs.h's waiting protocol,
 * and each side wakes the other with rbs_wake_consumer / rbs_wake_producer
 * after every batch.  Every byte must arrive in order, the close must end
 * the consumer's last wait, and no sleep may run out its 2 s slice (that
 * would be a lost wake-up).  Also run under ThreadSanitizer.
 */
#define _GNU_SOURCE
#include "test_helpers.h"

#include <errno.h>
#include <linux/futex.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

typedef struct {
    void *region;
    size_t region_size;
    uint32_t capacity;
    uint64_t total;
    /* results, read after the join */
    int error;
    uint64_t moved, first_bad;
    uint64_t sleeps, lost; /* waits that slept, and slices that ran out */
} side;

#define NO_BAD UINT64_MAX

static _Atomic uint32_t *word(const rbs_view *v, uint32_t off) {
    return (_Atomic uint32_t *)(void *)((unsigned char *)v->ring + off);
}

/* rbs.h's waiter: load the wake word, announce the wait, look once more with
 * `ready`, sleep on the wake word while it holds what was loaded (one
 * slice), end the wait. */
static void wait_for(side *s, const rbs_view *v, int producer, int (*ready)(const rbs_view *)) {
    _Atomic uint32_t *seq =
        word(v, producer ? RBS_OFF_PRODUCER_WAIT_SEQ : RBS_OFF_CONSUMER_WAIT_SEQ);
    _Atomic uint32_t *waiters =
        word(v, producer ? RBS_OFF_PRODUCER_WAITERS : RBS_OFF_CONSUMER_WAITERS);
    _Atomic uint32_t *wake = word(v, producer ? RBS_OFF_PRODUCER_WAKE : RBS_OFF_CONSUMER_WAKE);
    uint32_t seen = atomic_load(wake); /* before the number: rbs.h says why */
    atomic_fetch_add(seq, 1u);
    atomic_fetch_add(waiters, 1u);
    if (!ready(v)) {
        struct timespec slice = {.tv_sec = 2, .tv_nsec = 0};
        s->sleeps++;
        if (syscall(SYS_futex, (void *)wake, FUTEX_WAIT, seen, &slice, NULL, 0) != 0 &&
            errno == ETIMEDOUT)
            s->lost++;
    }
    atomic_fetch_sub(waiters, 1u);
}

static int has_room(const rbs_view *v) {
    return rbs_writable(v) != 0;
}
static int has_data_or_closed(const rbs_view *v) {
    return rbs_readable(v) != 0 || rbs_closed(v) != 0;
}

static void *producer_main(void *arg) {
    side *s = arg;
    rbs_view v;
    if ((s->error = rbs_attach(&v, s->region, s->region_size)) != RBS_OK) return NULL;
    uint8_t chunk[128];
    uint64_t rng = 0x5EE9u;
    while (s->moved < s->total) {
        uint32_t n = 1u + (uint32_t)(rbs_test_rand(&rng) % sizeof chunk);
        if (n > s->total - s->moved) n = (uint32_t)(s->total - s->moved);
        rbs_test_fill(chunk, s->moved, n);
        int got = rbs_write(&v, chunk, n);
        if (got < 0) {
            s->error = got;
            break;
        }
        s->moved += (uint64_t)got;
        if (got > 0) {
            int woke = rbs_wake_consumer(&v);
            if (woke < 0) s->error = woke;
        } else {
            wait_for(s, &v, 1, has_room);
        }
    }
    int rc = rbs_close(&v);
    if (rc != RBS_OK && s->error == 0) s->error = rc;
    return NULL;
}

static void *consumer_main(void *arg) {
    side *s = arg;
    rbs_view v;
    if ((s->error = rbs_attach(&v, s->region, s->region_size)) != RBS_OK) return NULL;
    uint8_t buf[200];
    for (;;) {
        int got = rbs_read(&v, buf, sizeof buf);
        if (got == RBS_ECLOSED) break;
        if (got < 0) {
            s->error = got;
            break;
        }
        rbs_test_check(buf, s->moved, (size_t)got, &s->first_bad);
        s->moved += (uint64_t)got;
        if (got > 0) {
            int woke = rbs_wake_producer(&v);
            if (woke < 0) s->error = woke;
        } else {
            wait_for(s, &v, 0, has_data_or_closed);
        }
    }
    return NULL;
}

static void run_sleepers(uint32_t capacity, uint64_t total) {
    rbs_view v = rbs_test_ring(capacity);
    side p = {.region = v.ring,
              .region_size = rbs_region_size(capacity),
              .capacity = capacity,
              .total = total,
              .first_bad = NO_BAD};
    side c = p;
    pthread_t tp, tc;
    cr_assert_eq(pthread_create(&tc, NULL, consumer_main, &c), 0);
    cr_assert_eq(pthread_create(&tp, NULL, producer_main, &p), 0);
    pthread_join(tp, NULL);
    pthread_join(tc, NULL);
    cr_assert_eq(p.error, 0, "producer got %d (%s)", p.error, rbs_strerror(p.error));
    cr_assert_eq(c.error, 0, "consumer got %d (%s)", c.error, rbs_strerror(c.error));
    cr_assert_eq(c.first_bad, NO_BAD, "wrong byte at %llu", (unsigned long long)c.first_bad);
    cr_assert_eq(c.moved, total, "received %llu of %llu bytes", (unsigned long long)c.moved,
                 (unsigned long long)total);
    cr_assert_eq(p.lost + c.lost, 0u, "%llu producer and %llu consumer sleeps ran out their slice",
                 (unsigned long long)p.lost, (unsigned long long)c.lost);
    cr_assert_gt(p.sleeps + c.sleeps, 0u, "someone slept");
    cr_assert_eq(rbs_test_word(v.ring, RBS_OFF_CONSUMER_WAITERS), 0u);
    cr_assert_eq(rbs_test_word(v.ring, RBS_OFF_PRODUCER_WAITERS), 0u);
    fprintf(stderr,
            "sleepers: %llu bytes through %u bytes, %llu producer and %llu consumer sleeps\n",
            (unsigned long long)total, capacity, (unsigned long long)p.sleeps,
            (unsigned long long)c.sleeps);
    free(v.ring);
}

TestSuite(concurrent_wake, .timeout = 600);

Test(concurrent_wake, both_sides_sleep_and_wake_each_other) {
    run_sleepers(256, rbs_test_stress_bytes(1ull << 30) / 256u);
}
