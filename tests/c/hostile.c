/*
 * hostile.c — the harness of the hostile-peer suites: the arena with its
 * canaries, the hostile thread, and the honest side's bookkeeping (hostile.h
 * says what each does).
 */
#define _GNU_SOURCE
#include "hostile.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>

uint64_t hostile_rand(uint64_t *state) {
    uint64_t x = *state;
    x ^= x >> 12;
    x ^= x << 25;
    x ^= x >> 27;
    *state = x;
    return x * 0x2545F4914F6CDD1Dull;
}

uint32_t hostile_upto(uint64_t *state, uint32_t n) {
    return (uint32_t)(hostile_rand(state) % (n + 1u));
}

double honest_now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* The canary byte at offset i of the allocation: a known pattern. */
static unsigned char canary(size_t i) {
    return (unsigned char)(0x3Cu ^ (i * 131u) ^ (i >> 8));
}

/* ---- the arena ------------------------------------------------------------------- */

static int format(uint32_t kind, rbs_view *v, void *region, size_t size, uint32_t cap,
                  uint32_t channels) {
    if (kind == RBS_KIND_BYTES) return rbs_init(v, region, size, cap);
    if (kind == RBS_KIND_MESSAGES) return rbs_msg_init(v, region, size, cap);
    return rbs_audio_init(v, region, size, cap, channels, 48000);
}

/* Meta lines of genuine rings of the same kind and larger capacities, up to
 * the largest; formatting one touches only its header, so one sparse
 * mapping serves them all. */
static void genuine_larger_rings(hostile *h) {
    size_t big = rbs_region_size(RBS_MAX_CAPACITY);
    void *m =
        mmap(NULL, big, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    cr_assert_neq(m, MAP_FAILED, "a sparse mapping for the genuine larger rings");
    const uint32_t caps[HOSTILE_FORGED] = {h->capacity * 2u, h->capacity * 16u, 1u << 20,
                                           1u << 24,         1u << 28,          RBS_MAX_CAPACITY};
    const uint32_t channels[HOSTILE_FORGED] = {h->channels, 1, 32, h->channels, 2, 32};
    for (int i = 0; i < HOSTILE_FORGED; i++) {
        uint32_t ch = h->kind == RBS_KIND_AUDIO ? channels[i] : 0;
        cr_assert_eq(format(h->kind, NULL, m, rbs_region_size(caps[i]), caps[i], ch), RBS_OK);
        memcpy(h->forged[i], m, 64);
        h->forged_capacity[i] = caps[i];
    }
    munmap(m, big);
}

static double duration_seconds(void) {
    const char *s = getenv("RBS_HOSTILE_MS");
    long ms = s != NULL && *s != '\0' ? strtol(s, NULL, 10) : 1000;
    return (double)(ms > 0 ? ms : 1) / 1000.0;
}

hostile *hostile_new(uint32_t kind, uint32_t capacity, uint32_t channels) {
    hostile *h = calloc(1, sizeof *h);
    cr_assert_not_null(h);
    h->kind = kind;
    h->capacity = capacity;
    h->channels = channels;
    h->region_size = rbs_region_size(capacity);
    h->alloc_size = HOSTILE_CANARY + h->region_size + HOSTILE_CANARY;
    cr_assert_eq(h->alloc_size % 64u, 0u);
    h->alloc = aligned_alloc(64, h->alloc_size);
    cr_assert_not_null(h->alloc);
    for (size_t i = 0; i < h->alloc_size; i++)
        h->alloc[i] = canary(i);
    h->region = h->alloc + HOSTILE_CANARY;
    cr_assert_eq(hostile_format(h, NULL), RBS_OK);
    genuine_larger_rings(h);
    h->seconds = duration_seconds();
    return h;
}

void hostile_free(hostile *h) {
    free(h->alloc);
    free(h);
}

int hostile_format(hostile *h, rbs_view *v) {
    return format(h->kind, v, h->region, h->region_size, h->capacity, h->channels);
}

uint64_t hostile_canaries_changed(const hostile *h) {
    uint64_t changed = 0;
    for (size_t i = 0; i < HOSTILE_CANARY; i++)
        changed += h->alloc[i] != canary(i);
    for (size_t i = HOSTILE_CANARY + h->region_size; i < h->alloc_size; i++)
        changed += h->alloc[i] != canary(i);
    return changed;
}

/* ---- the hostile thread ---------------------------------------------------------- */

/* Relaxed atomic stores: the honest side reads these words atomically, and a
 * torn word would be a bug in this test, not in the library. */
static void put(hostile *h, uint32_t off, uint32_t value) {
    __atomic_store_n((uint32_t *)(void *)(h->region + off), value, __ATOMIC_RELAXED);
    h->writes++;
}
static uint32_t get(const hostile *h, uint32_t off) {
    return __atomic_load_n((const uint32_t *)(const void *)(h->region + off), __ATOMIC_RELAXED);
}

/* A value worth trying in a word that now holds `old`. */
static uint32_t nasty(const hostile *h, uint64_t *rng, uint32_t old) {
    uint64_t r = hostile_rand(rng);
    uint32_t small = (uint32_t)(r >> 32) % (4u * h->capacity + 8u);
    switch (r % 8u) {
    case 0: return (uint32_t)(r >> 16);
    case 1: return old + small;
    case 2: return old - small;
    case 3: return small;
    case 4: return UINT32_MAX - small;
    case 5: return 1u << ((r >> 8) % 32u);
    case 6: return old ^ (1u << ((r >> 8) % 32u));
    default: return old + (1u << ((r >> 8) % 32u));
    }
}

static void scribble_word(hostile *h, uint64_t *rng) {
    uint32_t off = 4u * (uint32_t)(hostile_rand(rng) % (RBS_HEADER_SIZE / 4u));
    put(h, off, nasty(h, rng, get(h, off)));
}

/* A genuine larger ring's meta line, the counters moved near its end, and a
 * length word there claiming a message that ring could hold. */
static void forge(hostile *h, uint64_t *rng) {
    int i = (int)(hostile_rand(rng) % HOSTILE_FORGED);
    for (uint32_t w = 0; w < 16; w++)
        put(h, 4u * w, h->forged[i][w]);
    uint32_t f = h->forged_capacity[i], cap = h->capacity;
    uint32_t rd = f - (uint32_t)(hostile_rand(rng) % (2u * cap + 1u));
    if (hostile_rand(rng) & 1) rd &= ~3u;
    uint32_t wr = rd + (uint32_t)(hostile_rand(rng) % (2u * cap + 1u));
    const uint32_t near_read[] = {RBS_OFF_READ, RBS_OFF_CACHED_READ, RBS_OFF_ACQUIRED_AT};
    const uint32_t near_write[] = {RBS_OFF_WRITE, RBS_OFF_CACHED_WRITE, RBS_OFF_RESERVED_AT};
    for (int k = 0; k < 3; k++) {
        put(h, near_read[k], hostile_rand(rng) & 1 ? rd : nasty(h, rng, rd));
        put(h, near_write[k], hostile_rand(rng) & 1 ? wr : nasty(h, rng, wr));
    }
    put(h, RBS_OFF_RESERVED, (uint32_t)(hostile_rand(rng) % ((uint64_t)f + 2u)));
    put(h, RBS_OFF_ACQUIRED, (uint32_t)(hostile_rand(rng) % ((uint64_t)f + 2u)));
    put(h, RBS_OFF_DATA + ((rd & (cap - 1u)) & ~3u), (uint32_t)(hostile_rand(rng) % (f / 2u)));
}

/* Random values over a whole block of header words. */
static void scribble_block(hostile *h, uint64_t *rng, uint32_t off, uint32_t size) {
    for (uint32_t o = off; o < off + size; o += 4)
        put(h, o, nasty(h, rng, get(h, o)));
}

static void scribble_data(hostile *h, uint64_t *rng) {
    uint32_t at = 4u * (uint32_t)(hostile_rand(rng) % (h->capacity / 4u));
    put(h, RBS_OFF_DATA + at, nasty(h, rng, get(h, RBS_OFF_DATA + at)));
}

static void hostile_op(hostile *h, uint64_t *rng) {
    switch (hostile_rand(rng) % 8u) {
    case 0:
    case 1:
    case 2: scribble_word(h, rng); break;
    case 3: forge(h, rng); break;
    case 4: scribble_block(h, rng, RBS_OFF_PRODUCER_SCRATCH, RBS_SCRATCH_SIZE); break;
    case 5: scribble_block(h, rng, RBS_OFF_CONSUMER_SCRATCH, RBS_SCRATCH_SIZE); break;
    case 6:
        scribble_block(h, rng, hostile_rand(rng) & 1 ? RBS_OFF_CACHED_READ : RBS_OFF_CACHED_WRITE,
                       RBS_LINE_SIZE);
        break;
    default: scribble_data(h, rng); break;
    }
}

static void pause_us(uint64_t us) {
    struct timespec ts = {.tv_sec = 0, .tv_nsec = (long)(us * 1000u)};
    nanosleep(&ts, NULL);
}

/* Bursts of writes of up to about a millisecond, with quiet gaps between. */
static void *hostile_main(void *arg) {
    hostile *h = arg;
    uint64_t rng = 0x4057113u ^ h->kind;
    while (!atomic_load_explicit(&h->stop, memory_order_relaxed)) {
        unsigned s = atomic_load_explicit(&h->seq, memory_order_relaxed);
        atomic_store_explicit(&h->seq, s + 1u, memory_order_relaxed);
        atomic_thread_fence(memory_order_release); /* the odd token before any write */
        double end = honest_now() + (double)(hostile_rand(&rng) % 1000u) * 1e-6;
        do {
            for (int i = 0; i < 16; i++)
                hostile_op(h, &rng);
        } while (honest_now() < end);
        atomic_store_explicit(&h->seq, s + 2u, memory_order_release);
        pause_us(hostile_rand(&rng) % 500u);
    }
    return NULL;
}

void hostile_start(hostile *h) {
    atomic_init(&h->stop, 0);
    atomic_init(&h->seq, 0);
    h->started_at = honest_now();
    cr_assert_eq(pthread_create(&h->thread, NULL, hostile_main, h), 0);
}

int hostile_running(const hostile *h) {
    return honest_now() - h->started_at < h->seconds;
}

void hostile_stop(hostile *h) {
    atomic_store(&h->stop, 1);
    pthread_join(h->thread, NULL);
}

unsigned hostile_quiet_begin(const hostile *h) {
    return atomic_load_explicit(&((hostile *)h)->seq, memory_order_acquire);
}

int hostile_quiet_end(const hostile *h, unsigned token) {
    atomic_thread_fence(memory_order_acquire); /* every read of the window before the token */
    return (token & 1u) == 0 &&
           atomic_load_explicit(&((hostile *)h)->seq, memory_order_relaxed) == token;
}

/* ---- the honest side's account ----------------------------------------------------- */

void honest_result(honest *s, const char *call, int rc, int64_t lo, int64_t hi, double t0) {
    double took = honest_now() - t0;
    if (took > s->slowest) {
        s->slowest = took;
        s->slowest_call = call;
    }
    s->calls++;
    int fine;
    if (rc >= 0) {
        fine = rc >= lo && rc <= hi;
        s->ok += fine;
    } else {
        fine = rc <= RBS_EINVAL && rc >= RBS_EFORMAT;
        if (fine) s->errors[-rc]++;
    }
    if (!fine && s->bad++ == 0) {
        s->first_bad = call;
        s->first_bad_rc = rc;
    }
}

void honest_escape(honest *s, const char *what) {
    if (s->escapes++ == 0) s->first_escape = what;
}

int honest_span(honest *s, const char *call, const rbs_view *v, const void *p, size_t len) {
    const unsigned char *b = p;
    if (len == 0) return 1;
    if (b >= v->data && b <= v->data + v->capacity && len <= (size_t)(v->data + v->capacity - b))
        return 1;
    honest_escape(s, call);
    return 0;
}

void honest_round(honest *s, const char *what, int exact) {
    s->rounds++;
    if (!exact && s->wrong++ == 0) s->first_wrong = what;
}

void honest_broken(honest *s, const char *what) {
    if (s->wrong++ == 0) s->first_wrong = what;
}

void honest_report(const honest *s, const hostile *h, const char *kind) {
    static const char *names[] = {"",         "EINVAL",    "EAGAIN", "ETOOBIG", "ECLOSED",
                                  "ECORRUPT", "ECAPACITY", "EALIGN", "ERANGE",  "ENOTRING",
                                  "EVERSION", "EKIND",     "EFORMAT"};
    char errors[512] = "";
    size_t used = 0;
    for (int c = 1; c <= 12; c++) {
        if (s->errors[c] == 0) continue;
        int n = snprintf(errors + used, sizeof errors - used, " %s %llu", names[c],
                         (unsigned long long)s->errors[c]);
        if (n > 0 && (size_t)n < sizeof errors - used) used += (size_t)n;
    }
    uint64_t canaries = hostile_canaries_changed(h);
    fprintf(stderr,
            "hostile %s: %llu calls in %.1f s against %llu hostile writes; %llu counts in bounds;"
            " errors:%s; out of bounds %llu; escapes %llu, canary bytes changed %llu; "
            "%llu rounds content-checked in quiet windows, %llu wrong; %llu reformats; "
            "%llu scratch positions refused; slowest call %.3f ms (%s)\n",
            kind, (unsigned long long)s->calls, h->seconds, (unsigned long long)h->writes,
            (unsigned long long)s->ok, errors, (unsigned long long)s->bad,
            (unsigned long long)s->escapes, (unsigned long long)canaries,
            (unsigned long long)s->rounds, (unsigned long long)s->wrong,
            (unsigned long long)s->reformats, (unsigned long long)s->refused, s->slowest * 1e3,
            s->slowest_call != NULL ? s->slowest_call : "-");
    cr_assert_eq(canaries, 0u, "%llu canary bytes changed", (unsigned long long)canaries);
    cr_assert_eq(s->escapes, 0u, "escapes, the first from %s", s->first_escape);
    cr_assert_eq(s->bad, 0u, "%s answered %d", s->first_bad, s->first_bad_rc);
    cr_assert_eq(s->wrong, 0u, "content not as promised: %s", s->first_wrong);
    cr_assert_lt(s->slowest, 2.0, "%s took %.3f s", s->slowest_call, s->slowest);
    cr_assert_gt(h->writes, 0u, "the hostile thread wrote");
    cr_assert_gt(s->rounds, 0u, "some content was checked");
    cr_assert_gt(s->ok, s->calls / 100u, "the honest side got work done");
}

void honest_guard(unsigned char *after) {
    memset(after, 0xC3, HONEST_SENTINEL);
}

void honest_check_guard(honest *s, const unsigned char *after, const char *call) {
    for (uint32_t i = 0; i < HONEST_SENTINEL; i++)
        if (after[i] != 0xC3) {
            honest_escape(s, call);
            return;
        }
}

void honest_run(hostile *h, honest *s, rbs_view *v, unsigned steps,
                void (*step)(void *ctx, unsigned which), void (*round)(void *ctx, uint64_t k),
                void *ctx) {
    hostile_start(h);
    uint64_t rounds = 0;
    for (unsigned i = 0; hostile_running(h); i++) {
        step(ctx, i % steps);
        if (i % 8u == 0) round(ctx, ++rounds);
        if (i % 32u == 0 && rbs_check(v) != RBS_OK) {
            cr_assert_eq(hostile_format(h, v), RBS_OK);
            s->reformats++;
        }
    }
    hostile_stop(h);
}
