/*
 * test_msg_concurrent.c — two real threads pass framed messages through a
 * small message ring: the producer sends 1,000,000 messages (fewer under the
 * sanitizers: RBS_STRESS_BYTES / 64) of pseudo-random length 0..max with
 * rbs_msg_send and with rbs_msg_reserve/commit (reserving more than it
 * commits), then closes; the consumer takes them with rbs_msg_recv (sometimes
 * first with a buffer one byte short, which must be refused whole) and with
 * rbs_msg_acquire/release, and checks every message's length, every byte and
 * the order, then expects RBS_ECLOSED.  The counters start just below 2^32 so
 * they wrap during the run.  Also run under ThreadSanitizer.
 */
#define _GNU_SOURCE
#include "test_helpers.h"

#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdio.h>
#include <time.h>

#define NO_BAD UINT64_MAX

typedef struct {
    void *region; /* each thread attaches its own view to it */
    size_t region_size;
    uint32_t capacity;
    uint32_t max;   /* largest message of the ring */
    uint64_t count; /* messages to send */
    uint64_t seed;
    atomic_int *stop; /* set by a side that failed, so the other stops waiting */
    /* results, read by the test thread after join */
    int error;           /* an unexpected return code, 0 if none */
    uint64_t done;       /* messages sent / verified */
    uint64_t first_bad;  /* consumer: index of the first wrong message */
    uint32_t bad_len;    /* consumer: the length it had */
    uint64_t short_bufs; /* consumer: refused receives into a buffer too small */
} msg_ctx;

/* Message i's length and bytes, computed the same way by both threads. */
static uint64_t mix(uint64_t seed, uint64_t i) {
    uint64_t s = seed ^ (i * 0x9E3779B97F4A7C15ull) ^ 0xD1B54A32D192ED03ull;
    return rbs_test_rand(&s);
}

static uint32_t msg_len(const msg_ctx *c, uint64_t i) {
    uint64_t h = mix(c->seed, i);
    switch (h & 15u) {
    case 0: return c->max; /* the edges often */
    case 1: return 0;
    default: return (uint32_t)((h >> 8) % (c->max + 1u));
    }
}

static uint64_t msg_start(uint64_t i) {
    return i << 24; /* stream position of message i's first byte */
}

static void wait_a_little(unsigned *spins) {
    if (++*spins > 64) {
        *spins = 0;
        sched_yield(); /* stay fair when both threads share one core */
    }
}

static void fail(msg_ctx *c, int code) {
    c->error = code;
    atomic_store(c->stop, 1);
}

static void *producer_main(void *arg) {
    msg_ctx *c = arg;
    rbs_view v; /* this thread's own view, as a second party gets it */
    int rc_attach = rbs_attach(&v, c->region, c->region_size);
    if (rc_attach != RBS_OK) {
        fail(c, rc_attach);
        return NULL;
    }
    uint8_t *buf = malloc(c->max + 1u);
    unsigned spins = 0;
    for (uint64_t i = 0; i < c->count; i++) {
        uint32_t len = msg_len(c, i);
        uint64_t h = mix(c->seed ^ 0x77u, i);
        int drained = 0; /* the ring was empty before this attempt */
        for (;;) {
            int rc;
            if (h & 1u) {
                rbs_test_fill(buf, msg_start(i), len);
                rc = rbs_msg_send(&v, buf, len);
            } else {
                /* reserve up to the largest message, write in place, commit len */
                uint32_t extra = (uint32_t)((h >> 8) % (c->max - len + 1u));
                void *p = NULL;
                rc = rbs_msg_reserve(&v, len + extra, &p);
                if (rc >= 0) {
                    rbs_test_fill(p, msg_start(i), len);
                    rc = rbs_msg_commit(&v, len);
                }
            }
            if (rc == (int)len) break;
            /* Any message up to the largest fits once the ring drains,
             * whatever the read position: refused there is a bug, not a wait.
             * (Only we add data, so a ring seen empty stays so until we send.) */
            if (rc != RBS_EAGAIN || drained) {
                fail(c, rc < 0 ? rc : RBS_EINVAL);
                free(buf);
                return NULL;
            }
            if (atomic_load_explicit(c->stop, memory_order_relaxed)) {
                free(buf);
                return NULL;
            }
            wait_a_little(&spins);
            drained = rbs_writable(&v) == (int)c->capacity;
        }
        c->done = i + 1;
    }
    int rc = rbs_close(&v);
    if (rc != RBS_OK) fail(c, rc);
    free(buf);
    return NULL;
}

/* Compares message i against what the producer sent; notes the first bad one. */
static void check(msg_ctx *c, uint64_t i, const uint8_t *p, size_t len) {
    uint32_t want = msg_len(c, i);
    int ok = len == want;
    for (size_t k = 0; ok && k < len; k++)
        ok = p[k] == rbs_test_byte(msg_start(i) + k);
    if (!ok && c->first_bad == NO_BAD) {
        c->first_bad = i;
        c->bad_len = (uint32_t)len;
    }
}

static void *consumer_main(void *arg) {
    msg_ctx *c = arg;
    rbs_view v; /* this thread's own view, as a second party gets it */
    int rc_attach = rbs_attach(&v, c->region, c->region_size);
    if (rc_attach != RBS_OK) {
        fail(c, rc_attach);
        return NULL;
    }
    uint8_t *buf = malloc(c->max + 1u);
    unsigned spins = 0;
    uint64_t i = 0;
    for (;;) {
        uint64_t h = mix(c->seed ^ 0x99u, i);
        int rc;
        if ((h & 7u) == 0 && i < c->count && msg_len(c, i) > 0) {
            /* one byte short: refused whole, then the message is still next */
            rc = rbs_msg_recv(&v, buf, msg_len(c, i) - 1u);
            if (rc == RBS_ETOOBIG) {
                c->short_bufs++;
                rc = rbs_msg_peek_size(&v);
                if (rc != (int)msg_len(c, i)) {
                    fail(c, rc < 0 ? rc : RBS_EINVAL);
                    break;
                }
                rc = rbs_msg_recv(&v, buf, c->max);
                if (rc >= 0) check(c, i++, buf, (size_t)rc);
            } else if (rc >= 0) {
                fail(c, RBS_EINVAL); /* a message that should not have fitted */
                break;
            }
        } else if (h & 1u) {
            rc = rbs_msg_recv(&v, buf, c->max);
            if (rc >= 0) check(c, i++, buf, (size_t)rc);
        } else {
            const void *p = NULL;
            size_t len = 0;
            rc = rbs_msg_acquire(&v, &p, &len);
            if (rc >= 0) {
                check(c, i++, p, len);
                rc = rbs_msg_release(&v);
            }
        }
        if (rc == RBS_ECLOSED) break;
        if (rc == RBS_EAGAIN) {
            if (atomic_load_explicit(c->stop, memory_order_relaxed)) break;
            wait_a_little(&spins);
        } else if (rc < 0) {
            fail(c, rc);
            break;
        }
    }
    c->done = i;
    free(buf);
    return NULL;
}

static double now_seconds(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static void run_messages(uint32_t capacity, uint64_t count, uint64_t seed) {
    rbs_view v = rbs_test_msg_ring(capacity);
    void *r = v.ring;
    /* Start the counters (and both cached copies) 64 KiB below 2^32. */
    const uint32_t start = UINT32_MAX - 65535u;
    rbs_test_set_word(r, RBS_OFF_WRITE, start);
    rbs_test_set_word(r, RBS_OFF_READ, start);
    rbs_test_set_word(r, RBS_OFF_CACHED_READ, start);
    rbs_test_set_word(r, RBS_OFF_CACHED_WRITE, start);

    atomic_int stop = 0;
    msg_ctx p = {0}, c = {0};
    p.region = c.region = r;
    p.region_size = c.region_size = rbs_region_size(capacity);
    p.capacity = c.capacity = capacity;
    p.max = c.max = (uint32_t)rbs_msg_max_size(&v);
    p.count = c.count = count;
    p.seed = c.seed = seed;
    p.stop = c.stop = &stop;
    c.first_bad = NO_BAD;

    pthread_t tp, tc;
    double t0 = now_seconds();
    cr_assert_eq(pthread_create(&tc, NULL, consumer_main, &c), 0);
    cr_assert_eq(pthread_create(&tp, NULL, producer_main, &p), 0);
    pthread_join(tp, NULL);
    pthread_join(tc, NULL);
    double secs = now_seconds() - t0;

    cr_assert_eq(p.error, 0, "producer got %d (%s) at message %llu", p.error, rbs_strerror(p.error),
                 (unsigned long long)p.done);
    cr_assert_eq(c.error, 0, "consumer got %d (%s) at message %llu", c.error, rbs_strerror(c.error),
                 (unsigned long long)c.done);
    cr_assert_eq(c.first_bad, NO_BAD, "message %llu wrong: %u bytes, expected %u",
                 (unsigned long long)c.first_bad, c.bad_len, msg_len(&c, c.first_bad));
    cr_assert_eq(p.done, count);
    cr_assert_eq(c.done, count, "consumer verified %llu of %llu messages",
                 (unsigned long long)c.done, (unsigned long long)count);
    if (count >= 1000u) cr_assert_gt(c.short_bufs, 0u, "the too-small-buffer path ran");
    cr_assert_eq(rbs_readable(&v), 0);
    fprintf(stderr,
            "msg stress: %llu messages (0..%u bytes) through a %u-byte ring in %.2f s: "
            "%.0f messages/s\n",
            (unsigned long long)count, p.max, capacity, secs, (double)count / secs);
    free(r);
}

/* 1,000,000 messages, or RBS_STRESS_BYTES / 64 when that is smaller. */
static uint64_t message_count(void) {
    uint64_t n = rbs_test_stress_bytes(1ull << 30) / 64u;
    return n < 1000000u ? n : 1000000u;
}

TestSuite(concurrent_msg, .timeout = 600);

Test(concurrent_msg, every_message_through_a_small_ring) {
    run_messages(1024, message_count(), 0xC0FFEEu); /* 0..508 bytes */
}

Test(concurrent_msg, every_message_through_a_tiny_ring) {
    /* 0..28 bytes through 64: a padding frame every few messages. */
    run_messages(64, message_count(), 0xFACADEu);
}
