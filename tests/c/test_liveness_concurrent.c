/*
 * test_liveness_concurrent.c — two real threads over rbs.h's waiting and
 * liveness calls: a stream where each side claims its role, sleeps in
 * rbs_wait_readable / rbs_wait_writable and is woken by the other's
 * rbs_wake_* (both sides made to sleep in turn), with the peer timeout off
 * and on; no wait may sleep out a whole slice (a lost wake-up).  Then a peer
 * that stalls while beating (not gone), a peer killed mid-stream (gone,
 * nothing committed lost) for each role, and a take-over refused while the
 * holder beats.  Also run under ThreadSanitizer.
 */
#define _GNU_SOURCE
#include "test_helpers.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <time.h>

static uint64_t now_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

static void sleep_us(long us) {
    struct timespec ts = {.tv_sec = us / 1000000, .tv_nsec = (us % 1000000) * 1000};
    nanosleep(&ts, NULL);
}

typedef struct {
    void *region;
    size_t region_size;
    uint64_t total;
    uint32_t peer_timeout_ms;
    uint64_t pause_from, pause_to; /* this side naps between these positions */
    uint64_t die_at;               /* stop here without releasing (UINT64_MAX: never) */
    uint64_t stall_at;             /* stall once here for stall_ms, beating */
    uint32_t stall_ms;
    /* results, read after the join */
    int error, end;
    uint64_t moved, first_bad;
    uint64_t waits, slept_out; /* waits made, and waits that slept out a slice unwoken */
    uint64_t longest_ms;
    _Atomic int *abort; /* set by a side that saw lost wake-ups, so both stop */
} side;

#define NO_BAD UINT64_MAX
#define NEVER  UINT64_MAX

static uint32_t wake_word(const rbs_view *v, uint32_t off) {
    return atomic_load((_Atomic uint32_t *)(void *)((unsigned char *)v->ring + off));
}

/* A wait, timed: one that lasted a whole heartbeat slice and returned ready
 * while its wake word never moved slept out its slice although the data (or
 * room) came: a lost wake-up.  (A peer merely stalled on a busy machine
 * moves the word when it publishes.)  A few of those stop the test.  Waits
 * of 300 ms at a time, so the peer's silence must add up across them. */
static int timed_wait(side *s, int (*wait)(const rbs_view *, uint32_t, uint32_t, rbs_side *),
                      const rbs_view *v, rbs_side *me, uint32_t wake_off) {
    for (;;) {
        uint32_t wake = wake_word(v, wake_off);
        uint64_t t0 = now_ms();
        int got = wait(v, 1, 300, me);
        uint64_t took = now_ms() - t0;
        s->waits++;
        if (took > s->longest_ms) s->longest_ms = took;
        if (took >= RBS_HEARTBEAT_MS && got > 0 && wake_word(v, wake_off) == wake &&
            ++s->slept_out >= 3)
            atomic_store(s->abort, 1);
        if (atomic_load(s->abort)) return RBS_EAGAIN;
        if (got != RBS_EAGAIN) return got;
    }
}

static void stall(const rbs_view *v, uint32_t role, uint32_t token, uint32_t ms) {
    uint64_t until = now_ms() + ms;
    while (now_ms() < until) {
        sleep_us(50000);
        rbs_beat(v, role, token);
    }
}

static void *producer_main(void *arg) {
    side *s = arg;
    rbs_view v;
    if ((s->error = rbs_attach(&v, s->region, s->region_size)) != RBS_OK) return NULL;
    if ((s->error = rbs_claim(&v, RBS_PRODUCER, 0x51)) != RBS_OK) return NULL;
    rbs_side me = RBS_SIDE_INIT(0x51, s->peer_timeout_ms);
    uint8_t chunk[96];
    uint64_t rng = 0x5EE9u;
    while (s->moved < s->total) {
        if (s->moved >= s->die_at) return NULL; /* killed: no release, no close */
        if (s->moved >= s->stall_at) {
            stall(&v, RBS_PRODUCER, 0x51, s->stall_ms);
            s->stall_at = NEVER;
        }
        uint32_t n = 1u + (uint32_t)(rbs_test_rand(&rng) % sizeof chunk);
        if (n > s->total - s->moved) n = (uint32_t)(s->total - s->moved);
        if (s->die_at != NEVER && n > s->die_at - s->moved) n = (uint32_t)(s->die_at - s->moved);
        rbs_test_fill(chunk, s->moved, n);
        int got = rbs_write(&v, chunk, n);
        if (got < 0) {
            s->error = got;
            break;
        }
        s->moved += (uint64_t)got;
        if (got > 0) {
            rbs_wake_consumer(&v);
            if (s->moved >= s->pause_from && s->moved < s->pause_to && (s->moved & 7u) == 0)
                sleep_us(20);
            continue;
        }
        int room = timed_wait(s, rbs_wait_writable, &v, &me, RBS_OFF_PRODUCER_WAKE);
        if (room < 0) {
            s->end = room;
            return NULL;
        }
    }
    int rc = rbs_close(&v);
    if (rc != RBS_OK && s->error == 0) s->error = rc;
    rbs_release(&v, RBS_PRODUCER, 0x51);
    return NULL;
}

static void *consumer_main(void *arg) {
    side *s = arg;
    rbs_view v;
    if ((s->error = rbs_attach(&v, s->region, s->region_size)) != RBS_OK) return NULL;
    if ((s->error = rbs_claim(&v, RBS_CONSUMER, 0xC1)) != RBS_OK) return NULL;
    rbs_side me = RBS_SIDE_INIT(0xC1, s->peer_timeout_ms);
    uint8_t buf[160];
    for (;;) {
        if (s->moved >= s->die_at) return NULL;
        size_t want = sizeof buf;
        if (s->die_at != NEVER && want > s->die_at - s->moved) want = s->die_at - s->moved;
        int got = rbs_read(&v, buf, want);
        if (got == RBS_ECLOSED) break;
        if (got < 0) {
            s->error = got;
            break;
        }
        rbs_test_check(buf, s->moved, (size_t)got, &s->first_bad);
        s->moved += (uint64_t)got;
        if (got > 0) {
            rbs_wake_producer(&v);
            if (s->moved >= s->pause_from && s->moved < s->pause_to && (s->moved & 7u) == 0)
                sleep_us(20);
            continue;
        }
        int ready = timed_wait(s, rbs_wait_readable, &v, &me, RBS_OFF_CONSUMER_WAKE);
        if (ready == RBS_ECLOSED) break;
        if (ready < 0) {
            s->end = ready;
            break;
        }
    }
    s->end = s->end != 0 ? s->end : RBS_ECLOSED;
    rbs_release(&v, RBS_CONSUMER, 0xC1);
    return NULL;
}

typedef struct {
    side p, c;
    rbs_view v;
    _Atomic int abort;
} run;

static void start(run *r, uint32_t capacity, uint64_t total, uint32_t peer_timeout_ms) {
    r->v = rbs_test_ring(capacity);
    side s = {.region = r->v.ring,
              .region_size = rbs_region_size(capacity),
              .total = total,
              .peer_timeout_ms = peer_timeout_ms,
              .die_at = NEVER,
              .stall_at = NEVER,
              .first_bad = NO_BAD,
              .abort = &r->abort};
    atomic_init(&r->abort, 0);
    r->p = s;
    r->c = s;
}

static void go(run *r) {
    pthread_t tp, tc;
    cr_assert_eq(pthread_create(&tc, NULL, consumer_main, &r->c), 0);
    cr_assert_eq(pthread_create(&tp, NULL, producer_main, &r->p), 0);
    pthread_join(tp, NULL);
    pthread_join(tc, NULL);
    cr_assert_eq(r->p.error, 0, "producer got %d (%s)", r->p.error, rbs_strerror(r->p.error));
    cr_assert_eq(r->c.error, 0, "consumer got %d (%s)", r->c.error, rbs_strerror(r->c.error));
    cr_assert_eq(r->c.first_bad, NO_BAD, "wrong byte at %llu", (unsigned long long)r->c.first_bad);
}

/* Both sides sleep in turn: the consumer while the producer naps in the
 * first half, the producer while the consumer naps in the second. */
static void stream_both_ways(uint32_t peer_timeout_ms) {
    run r;
    uint64_t total = rbs_test_stress_bytes(1ull << 30) / 512u;
    start(&r, 256, total, peer_timeout_ms);
    r.p.pause_from = 0;
    r.p.pause_to = total / 2;
    r.c.pause_from = total / 2;
    r.c.pause_to = total;
    go(&r);
    cr_assert_eq(r.p.slept_out + r.c.slept_out, 0u,
                 "%llu producer and %llu consumer waits slept out a whole slice unwoken",
                 (unsigned long long)r.p.slept_out, (unsigned long long)r.c.slept_out);
    cr_assert_eq(r.c.moved, total, "received %llu of %llu", (unsigned long long)r.c.moved,
                 (unsigned long long)total);
    cr_assert_eq(r.c.end, RBS_ECLOSED);
    cr_assert_gt(rbs_test_word(r.v.ring, RBS_OFF_CONSUMER_WAIT_SEQ), 0u, "the consumer slept");
    cr_assert_gt(rbs_test_word(r.v.ring, RBS_OFF_PRODUCER_WAIT_SEQ), 0u, "the producer slept");
    cr_assert_eq(rbs_test_word(r.v.ring, RBS_OFF_CONSUMER_WAITERS), 0u);
    cr_assert_eq(rbs_test_word(r.v.ring, RBS_OFF_PRODUCER_WAITERS), 0u);
    cr_assert_eq(rbs_owner(&r.v, RBS_PRODUCER) + rbs_owner(&r.v, RBS_CONSUMER), 0u, "released");
    fprintf(
        stderr,
        "liveness stream (peer timeout %u): %llu bytes, %llu producer and %llu consumer "
        "waits, longest %llu ms\n",
        peer_timeout_ms, (unsigned long long)total, (unsigned long long)r.p.waits,
        (unsigned long long)r.c.waits,
        (unsigned long long)(r.p.longest_ms > r.c.longest_ms ? r.p.longest_ms : r.c.longest_ms));
    free(r.v.ring);
}

TestSuite(concurrent_liveness, .timeout = 600);

Test(concurrent_liveness, stream_sleeping_both_ways_peer_timeout_off) {
    stream_both_ways(0);
}

Test(concurrent_liveness, stream_sleeping_both_ways_peer_timeout_on) {
    stream_both_ways(RBS_MIN_PEER_TIMEOUT_MS);
}

Test(concurrent_liveness, a_stalled_producer_that_beats_is_not_gone) {
    run r;
    start(&r, 256, 100000, RBS_MIN_PEER_TIMEOUT_MS);
    r.p.stall_at = 40000;
    r.p.stall_ms = RBS_MIN_PEER_TIMEOUT_MS * 3u / 2u;
    uint64_t t0 = now_ms();
    go(&r);
    cr_assert_eq(r.c.end, RBS_ECLOSED, "consumer ended with %d (%s)", r.c.end,
                 rbs_strerror(r.c.end));
    cr_assert_eq(r.c.moved, 100000u);
    cr_assert_geq(now_ms() - t0, r.p.stall_ms, "the consumer waited longer than its peer timeout");
    free(r.v.ring);
}

Test(concurrent_liveness, a_killed_producer_is_gone_and_nothing_committed_is_lost) {
    run r;
    start(&r, 256, 1000000, RBS_MIN_PEER_TIMEOUT_MS);
    r.p.die_at = 123457;
    uint64_t t0 = now_ms();
    go(&r);
    cr_assert_eq(r.c.end, RBS_EPEERGONE, "consumer ended with %d (%s)", r.c.end,
                 rbs_strerror(r.c.end));
    cr_assert_eq(r.p.moved, 123457u);
    cr_assert_eq(r.c.moved, r.p.moved, "every committed byte was read");
    cr_assert_geq(now_ms() - t0, RBS_MIN_PEER_TIMEOUT_MS);
    cr_assert_eq(rbs_owner(&r.v, RBS_PRODUCER), 0x51u, "the dead holder still owns its role");
    free(r.v.ring);
}

Test(concurrent_liveness, a_killed_consumer_is_gone_for_a_waiting_producer) {
    run r;
    start(&r, 256, 1000000, RBS_MIN_PEER_TIMEOUT_MS);
    r.c.die_at = 54321;
    go(&r);
    cr_assert_eq(r.p.end, RBS_EPEERGONE, "producer ended with %d (%s)", r.p.end,
                 rbs_strerror(r.p.end));
    cr_assert_eq(r.c.moved, 54321u);
    cr_assert_eq(r.p.moved, r.c.moved + 256u, "the producer filled the ring, then gave up");
    free(r.v.ring);
}

typedef struct {
    rbs_view v;
    _Atomic int stop;
} holder;

static void *holder_main(void *arg) {
    holder *h = arg;
    while (!atomic_load(&h->stop)) {
        rbs_beat(&h->v, RBS_CONSUMER, 0x77);
        sleep_us(20000);
    }
    return NULL;
}

Test(concurrent_liveness, take_over_is_refused_while_the_holder_beats) {
    holder h = {.v = rbs_test_ring(64)};
    cr_assert_eq(rbs_claim(&h.v, RBS_CONSUMER, 0x77), RBS_OK);
    pthread_t t;
    cr_assert_eq(pthread_create(&t, NULL, holder_main, &h), 0);
    uint64_t t0 = now_ms();
    int got = rbs_take_over(&h.v, RBS_CONSUMER, 0x78, RBS_MIN_PEER_TIMEOUT_MS);
    uint64_t took = now_ms() - t0;
    atomic_store(&h.stop, 1);
    pthread_join(t, NULL);
    cr_assert_eq(got, RBS_EBUSY, "got %d (%s)", got, rbs_strerror(got));
    cr_assert_lt(took, RBS_MIN_PEER_TIMEOUT_MS, "refused on the first beat heard");
    cr_assert_eq(rbs_owner(&h.v, RBS_CONSUMER), 0x77u);
    free(h.v.ring);
}
