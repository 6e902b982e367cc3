/*
 * test_hostile_bytes.c — a byte ring under a hostile peer (hostile.h): the
 * honest thread makes every byte call in turn, through its view and through
 * the WebAssembly entry points, while the hostile thread scribbles; every
 * answer must be the library's own, every span inside the data area, no
 * canary changed, no call slower than 2 s, and the bytes exact whenever a
 * round ran in a quiet window.  Not a *_concurrent.c suite: the races on the
 * ring's words and bytes are the point, so it is not run under TSan.
 */
#include "hostile.h"
#include "test_helpers.h"
#include "wasm_api.h"

#define CAP 1024u

typedef struct {
    hostile *h;
    honest s;
    rbs_view v;
    uint32_t geo;
    uint64_t rng;
    uint8_t *in, *out; /* 2 * CAP + HONEST_SENTINEL bytes each */
} side;

static uint32_t min_u32(uint32_t a, uint32_t b) {
    return a < b ? a : b;
}

/* The spans a reserve or an acquire handed out: inside the data area and
 * adding up to the count. */
static int spans_ok(side *b, const char *call, const rbs_span sp[2], int k) {
    int ok = honest_span(&b->s, call, &b->v, sp[0].ptr, sp[0].len) &
             honest_span(&b->s, call, &b->v, sp[1].ptr, sp[1].len);
    if (ok && sp[0].len + sp[1].len != (size_t)k) {
        honest_escape(&b->s, call);
        return 0;
    }
    return ok;
}

/* A position a WebAssembly call left in a scratch word, as JS uses it:
 * masked with its own capacity, split at the end. */
static void wasm_span(const side *b, uint32_t off, uint32_t k, rbs_span sp[2]) {
    uint32_t pos = rbs_test_word(b->v.ring, off) & (CAP - 1u);
    uint32_t first = min_u32(k, CAP - pos);
    sp[0].ptr = b->v.data + pos;
    sp[0].len = first;
    sp[1].ptr = b->v.data;
    sp[1].len = k - first;
}

/* (A span of no bytes may have no address: never handed to memcpy.) */
static void fill_spans(const rbs_span sp[2], const uint8_t *src) {
    if (sp[0].len) memcpy(sp[0].ptr, src, sp[0].len);
    if (sp[1].len) memcpy(sp[1].ptr, src + sp[0].len, sp[1].len);
}
static void read_spans(const rbs_span sp[2], uint8_t *dst) {
    if (sp[0].len) memcpy(dst, sp[0].ptr, sp[0].len);
    if (sp[1].len) memcpy(dst + sp[0].len, sp[1].ptr, sp[1].len);
}

/* ---- every call, in turn --------------------------------------------------------- */

#define STEPS 30

static void step(void *ctx, unsigned which) {
    side *b = ctx;
    void *r = b->v.ring;
    const rbs_view *v = &b->v;
    uint32_t n = hostile_upto(&b->rng, 2u * CAP), m = hostile_upto(&b->rng, CAP + 8u);
    rbs_span sp[2];
    int rc;
    switch (which) {
    case 0: HONEST_CALL(b, "rbs_write", 0, min_u32(n, CAP), rbs_write(v, b->in, n)); break;
    case 1: HONEST_CALL(b, "rbs_write_all", m, m, rbs_write_all(v, b->in, m)); break;
    case 2:
        HONEST_CALL(b, "rbs_write_reserve", 0, min_u32(n, CAP), rbs_write_reserve(v, n, sp));
        if (rc > 0 && spans_ok(b, "rbs_write_reserve", sp, rc)) {
            fill_spans(sp, b->in);
            uint32_t c = hostile_upto(&b->rng, (uint32_t)rc);
            HONEST_CALL(b, "rbs_write_commit", c, c, rbs_write_commit(v, c));
        }
        break;
    case 3: HONEST_CALL(b, "rbs_write_commit", m, m, rbs_write_commit(v, m)); break;
    case 4:
        honest_guard(b->out + n);
        HONEST_CALL(b, "rbs_read", 0, min_u32(n, CAP), rbs_read(v, b->out, n));
        honest_check_guard(&b->s, b->out + n, "rbs_read");
        break;
    case 5:
        honest_guard(b->out + m);
        HONEST_CALL(b, "rbs_read_all", m, m, rbs_read_all(v, b->out, m));
        honest_check_guard(&b->s, b->out + m, "rbs_read_all");
        break;
    case 6:
        honest_guard(b->out + n);
        HONEST_CALL(b, "rbs_peek", 0, min_u32(n, CAP), rbs_peek(v, b->out, n));
        honest_check_guard(&b->s, b->out + n, "rbs_peek");
        break;
    case 7: HONEST_CALL(b, "rbs_skip", 0, min_u32(n, CAP), rbs_skip(v, n)); break;
    case 8:
        HONEST_CALL(b, "rbs_read_acquire", 0, min_u32(n, CAP), rbs_read_acquire(v, n, sp));
        if (rc > 0 && spans_ok(b, "rbs_read_acquire", sp, rc)) {
            read_spans(sp, b->out);
            uint32_t c = hostile_upto(&b->rng, (uint32_t)rc);
            HONEST_CALL(b, "rbs_read_release", c, c, rbs_read_release(v, c));
        }
        break;
    case 9: HONEST_CALL(b, "rbs_read_release", m, m, rbs_read_release(v, m)); break;
    case 10: HONEST_CALL(b, "rbs_readable", 0, CAP, rbs_readable(v)); break;
    case 11: HONEST_CALL(b, "rbs_writable", 0, CAP, rbs_writable(v)); break;
    case 12: HONEST_CALL(b, "rbs_closed", 0, 1, rbs_closed(v)); break;
    case 13: HONEST_CALL(b, "rbs_check", 0, 0, rbs_check(v)); break;
    case 14: HONEST_CALL(b, "rbs_wake_consumer", 0, 1, rbs_wake_consumer(v)); break;
    case 15: HONEST_CALL(b, "rbs_wake_producer", 0, 1, rbs_wake_producer(v)); break;
    case 16:
        if (hostile_upto(&b->rng, 15) == 0) HONEST_CALL(b, "rbs_close", 0, 0, rbs_close(v));
        break;
    case 17:
        HONEST_CALL(b, "rbs_wasm_write", 0, min_u32(n, CAP), rbs_wasm_write(r, b->geo, b->in, n));
        break;
    case 18:
        HONEST_CALL(b, "rbs_wasm_write_all", m, m, rbs_wasm_write_all(r, b->geo, b->in, m));
        break;
    case 19:
        HONEST_CALL(b, "rbs_wasm_reserve", 0, min_u32(n, CAP), rbs_wasm_reserve(r, b->geo, n));
        if (rc > 0) {
            wasm_span(b, RBS_OFF_PRODUCER_SCRATCH, (uint32_t)rc, sp);
            fill_spans(sp, b->in);
            uint32_t c = hostile_upto(&b->rng, (uint32_t)rc);
            HONEST_CALL(b, "rbs_wasm_commit", c, c, rbs_wasm_commit(r, b->geo, c));
        }
        break;
    case 20:
        honest_guard(b->out + n);
        HONEST_CALL(b, "rbs_wasm_read", 0, min_u32(n, CAP), rbs_wasm_read(r, b->geo, b->out, n));
        honest_check_guard(&b->s, b->out + n, "rbs_wasm_read");
        break;
    case 21:
        honest_guard(b->out + m);
        HONEST_CALL(b, "rbs_wasm_read_all", m, m, rbs_wasm_read_all(r, b->geo, b->out, m));
        honest_check_guard(&b->s, b->out + m, "rbs_wasm_read_all");
        break;
    case 22:
        honest_guard(b->out + n);
        HONEST_CALL(b, "rbs_wasm_peek", 0, min_u32(n, CAP), rbs_wasm_peek(r, b->geo, b->out, n));
        honest_check_guard(&b->s, b->out + n, "rbs_wasm_peek");
        break;
    case 23:
        HONEST_CALL(b, "rbs_wasm_skip", 0, min_u32(n, CAP), rbs_wasm_skip(r, b->geo, n));
        break;
    case 24:
        HONEST_CALL(b, "rbs_wasm_acquire", 0, min_u32(n, CAP), rbs_wasm_acquire(r, b->geo, n));
        if (rc > 0) {
            wasm_span(b, RBS_OFF_CONSUMER_SCRATCH, (uint32_t)rc, sp);
            read_spans(sp, b->out);
            uint32_t c = hostile_upto(&b->rng, (uint32_t)rc);
            HONEST_CALL(b, "rbs_wasm_release", c, c, rbs_wasm_release(r, b->geo, c));
        }
        break;
    case 25: HONEST_CALL(b, "rbs_wasm_readable", 0, CAP, rbs_wasm_readable(r, b->geo)); break;
    case 26: HONEST_CALL(b, "rbs_wasm_writable", 0, CAP, rbs_wasm_writable(r, b->geo)); break;
    case 27: HONEST_CALL(b, "rbs_wasm_closed", 0, 1, rbs_wasm_closed(r, b->geo)); break;
    case 28: HONEST_CALL(b, "rbs_wasm_check", 0, 0, rbs_wasm_check(r, b->geo, 0)); break;
    default:
        if (hostile_upto(&b->rng, 15) == 0)
            HONEST_CALL(b, "rbs_wasm_close", 0, 0, rbs_wasm_close(r, b->geo));
        break;
    }
}

/* ---- a round whose bytes are checked -------------------------------------------- */

/* Formats the ring again, moves its positions, writes n bytes of the test
 * sequence one way and reads them back another: exact unless the hostile
 * thread wrote meanwhile (then the round does not count). */
static void checked_round(void *ctx, uint64_t nth) {
    side *b = ctx;
    uint64_t seed = nth * 2u * CAP;
    unsigned token = hostile_quiet_begin(b->h);
    if (token & 1u) return;
    const rbs_view *v = &b->v;
    void *r = v->ring;
    rbs_span sp[2];
    int rc, exact = hostile_format(b->h, &b->v) == RBS_OK;
    b->s.reformats++;
    uint32_t k0 = hostile_upto(&b->rng, CAP - 1u), n = 1u + hostile_upto(&b->rng, CAP - 1u);
    HONEST_CALL(b, "rbs_write", 0, k0, rbs_write(v, b->in, k0));
    exact &= rc == (int)k0;
    HONEST_CALL(b, "rbs_skip", 0, k0, rbs_skip(v, k0));
    exact &= rc == (int)k0;
    rbs_test_fill(b->in, seed, n);
    unsigned how = (unsigned)hostile_upto(&b->rng, 2);
    if (how == 0) {
        HONEST_CALL(b, "rbs_write_all", n, n, rbs_write_all(v, b->in, n));
    } else if (how == 1) {
        HONEST_CALL(b, "rbs_write_reserve", 0, n, rbs_write_reserve(v, n, sp));
        if (rc == (int)n && spans_ok(b, "rbs_write_reserve", sp, rc)) fill_spans(sp, b->in);
        HONEST_CALL(b, "rbs_write_commit", n, n, rbs_write_commit(v, n));
    } else {
        HONEST_CALL(b, "rbs_wasm_write_all", n, n, rbs_wasm_write_all(r, b->geo, b->in, n));
    }
    exact &= rc == (int)n;
    memset(b->out, 0, n);
    how = (unsigned)hostile_upto(&b->rng, 3);
    if (how == 0) {
        HONEST_CALL(b, "rbs_read_all", n, n, rbs_read_all(v, b->out, n));
    } else if (how == 1) {
        HONEST_CALL(b, "rbs_peek", 0, n, rbs_peek(v, b->out, n));
        exact &= rc == (int)n;
        HONEST_CALL(b, "rbs_skip", 0, n, rbs_skip(v, n));
    } else if (how == 2) {
        HONEST_CALL(b, "rbs_read_acquire", 0, n, rbs_read_acquire(v, n, sp));
        if (rc == (int)n && spans_ok(b, "rbs_read_acquire", sp, rc)) read_spans(sp, b->out);
        HONEST_CALL(b, "rbs_read_release", n, n, rbs_read_release(v, n));
    } else {
        HONEST_CALL(b, "rbs_wasm_read", 0, n, rbs_wasm_read(r, b->geo, b->out, n));
    }
    exact &= rc == (int)n;
    for (uint32_t i = 0; i < n && exact; i++)
        exact = b->out[i] == rbs_test_byte(seed + i);
    HONEST_CALL(b, "rbs_readable", 0, CAP, rbs_readable(v));
    exact &= rc == 0;
    if (hostile_quiet_end(b->h, token)) honest_round(&b->s, "bytes", exact);
}

Test(hostile, byte_ring) {
    side b = {.rng = 0xB17E5u};
    b.h = hostile_new(RBS_KIND_BYTES, CAP, 0);
    b.in = malloc(2u * CAP + HONEST_SENTINEL);
    b.out = malloc(2u * CAP + HONEST_SENTINEL);
    cr_assert(b.in != NULL && b.out != NULL);
    rbs_test_fill(b.in, 0, 2u * CAP);
    cr_assert_eq(rbs_attach(&b.v, b.h->region, b.h->region_size), RBS_OK);
    b.geo = (uint32_t)rbs_wasm_attach(b.v.ring, (uint32_t)b.h->region_size);
    honest_run(b.h, &b.s, &b.v, STEPS, step, checked_round, &b);
    honest_report(&b.s, b.h, "bytes");
    free(b.in);
    free(b.out);
    hostile_free(b.h);
}
