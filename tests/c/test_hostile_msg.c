/*
 * test_hostile_msg.c — a message ring under a hostile peer (hostile.h): the
 * honest thread makes every message call in turn, through its view and
 * through the WebAssembly entry points, while the hostile thread scribbles
 * (length words included); every answer must be the library's own, every
 * message handed out inside the data area, no canary changed, no call slower
 * than 2 s, and messages whole and exact whenever a round ran in a quiet
 * window.  Not run under TSan: the races are the point.
 */
#include "hostile.h"
#include "test_helpers.h"
#include "wasm_api.h"

#define CAP 1024u
#define MAX (CAP / 2u - 4u) /* the largest message */
#define BUF (MAX + 8u)      /* receive buffers, and what the calls are told */

typedef struct {
    hostile *h;
    honest s;
    rbs_view v;
    uint32_t geo;
    uint64_t rng;
    uint8_t *in, *out; /* BUF + HONEST_SENTINEL bytes each */
} side;

/* The payload position a WebAssembly call left in a scratch word, as JS uses
 * it: masked with its capacity, and refused when the message would run past
 * the end of the data area (a position the other side overwrote). */
static unsigned char *wasm_payload(side *b, uint32_t off, uint32_t len) {
    uint32_t pos = rbs_test_word(b->v.ring, off) & (CAP - 1u);
    if (len > CAP - pos) {
        b->s.refused++;
        return NULL;
    }
    return b->v.data + pos;
}

/* ---- every call, in turn --------------------------------------------------------- */

#define STEPS 27

static void step(void *ctx, unsigned which) {
    side *b = ctx;
    void *r = b->v.ring;
    const rbs_view *v = &b->v;
    uint32_t len = hostile_upto(&b->rng, MAX + 4u), cap = hostile_upto(&b->rng, BUF);
    void *p = NULL;
    const void *q = NULL;
    size_t got = 0;
    unsigned char *at;
    int rc;
    switch (which) {
    case 0: HONEST_CALL(b, "rbs_msg_send", len, len, rbs_msg_send(v, b->in, len)); break;
    case 1:
        HONEST_CALL(b, "rbs_msg_reserve", len, len, rbs_msg_reserve(v, len, &p));
        if (rc >= 0 && honest_span(&b->s, "rbs_msg_reserve", v, p, len)) {
            if (len) memcpy(p, b->in, len);
            uint32_t c = hostile_upto(&b->rng, len);
            HONEST_CALL(b, "rbs_msg_commit", c, c, rbs_msg_commit(v, c));
        }
        break;
    case 2: HONEST_CALL(b, "rbs_msg_commit", len, len, rbs_msg_commit(v, len)); break;
    case 3:
        honest_guard(b->out + cap);
        HONEST_CALL(b, "rbs_msg_recv", 0, cap < MAX ? cap : MAX, rbs_msg_recv(v, b->out, cap));
        honest_check_guard(&b->s, b->out + cap, "rbs_msg_recv");
        break;
    case 4: HONEST_CALL(b, "rbs_msg_peek_size", 0, MAX, rbs_msg_peek_size(v)); break;
    case 5:
        HONEST_CALL(b, "rbs_msg_acquire", 0, MAX, rbs_msg_acquire(v, &q, &got));
        if (rc >= 0 && (size_t)rc != got) honest_escape(&b->s, "rbs_msg_acquire length");
        if (rc >= 0 && honest_span(&b->s, "rbs_msg_acquire", v, q, got)) {
            if (got) memcpy(b->out, q, got);
            HONEST_CALL(b, "rbs_msg_release", 0, 0, rbs_msg_release(v));
        }
        break;
    case 6: HONEST_CALL(b, "rbs_msg_release", 0, 0, rbs_msg_release(v)); break;
    case 7: HONEST_CALL(b, "rbs_msg_max_size", MAX, MAX, rbs_msg_max_size(v)); break;
    case 8: HONEST_CALL(b, "rbs_readable", 0, CAP, rbs_readable(v)); break;
    case 9: HONEST_CALL(b, "rbs_writable", 0, CAP, rbs_writable(v)); break;
    case 10: HONEST_CALL(b, "rbs_closed", 0, 1, rbs_closed(v)); break;
    case 11: HONEST_CALL(b, "rbs_check", 0, 0, rbs_check(v)); break;
    case 12: HONEST_CALL(b, "rbs_wake_consumer", 0, 1, rbs_wake_consumer(v)); break;
    case 13: HONEST_CALL(b, "rbs_wake_producer", 0, 1, rbs_wake_producer(v)); break;
    case 14:
        if (hostile_upto(&b->rng, 15) == 0) HONEST_CALL(b, "rbs_close", 0, 0, rbs_close(v));
        break;
    case 15:
        HONEST_CALL(b, "rbs_wasm_msg_send", len, len, rbs_wasm_msg_send(r, b->geo, b->in, len));
        break;
    case 16:
        HONEST_CALL(b, "rbs_wasm_msg_reserve", len, len, rbs_wasm_msg_reserve(r, b->geo, len));
        if (rc >= 0 && (at = wasm_payload(b, RBS_OFF_PRODUCER_SCRATCH, len)) != NULL) {
            if (len) memcpy(at, b->in, len);
            uint32_t c = hostile_upto(&b->rng, len);
            HONEST_CALL(b, "rbs_wasm_msg_commit", c, c, rbs_wasm_msg_commit(r, b->geo, c));
        }
        break;
    case 17:
        HONEST_CALL(b, "rbs_wasm_msg_commit", len, len, rbs_wasm_msg_commit(r, b->geo, len));
        break;
    case 18:
        honest_guard(b->out + cap);
        HONEST_CALL(b, "rbs_wasm_msg_recv", 0, cap < MAX ? cap : MAX,
                    rbs_wasm_msg_recv(r, b->geo, b->out, cap));
        honest_check_guard(&b->s, b->out + cap, "rbs_wasm_msg_recv");
        break;
    case 19:
        HONEST_CALL(b, "rbs_wasm_msg_peek_size", 0, MAX, rbs_wasm_msg_peek_size(r, b->geo));
        break;
    case 20:
        HONEST_CALL(b, "rbs_wasm_msg_acquire", 0, MAX, rbs_wasm_msg_acquire(r, b->geo));
        if (rc >= 0 && (at = wasm_payload(b, RBS_OFF_CONSUMER_SCRATCH, (uint32_t)rc)) != NULL) {
            if (rc) memcpy(b->out, at, (size_t)rc);
            HONEST_CALL(b, "rbs_wasm_msg_release", 0, 0, rbs_wasm_msg_release(r, b->geo));
        }
        break;
    case 21: HONEST_CALL(b, "rbs_wasm_msg_release", 0, 0, rbs_wasm_msg_release(r, b->geo)); break;
    case 22: HONEST_CALL(b, "rbs_wasm_readable", 0, CAP, rbs_wasm_readable(r, b->geo)); break;
    case 23: HONEST_CALL(b, "rbs_wasm_writable", 0, CAP, rbs_wasm_writable(r, b->geo)); break;
    case 24: HONEST_CALL(b, "rbs_wasm_closed", 0, 1, rbs_wasm_closed(r, b->geo)); break;
    case 25: HONEST_CALL(b, "rbs_wasm_check", 0, 0, rbs_wasm_check(r, b->geo, 0)); break;
    default:
        if (hostile_upto(&b->rng, 15) == 0)
            HONEST_CALL(b, "rbs_wasm_close", 0, 0, rbs_wasm_close(r, b->geo));
        break;
    }
}

/* ---- a round whose messages are checked ------------------------------------------ */

/* Sends message `seed` of `len` bytes one of four ways: 1 if it went. */
static int send_one(side *b, uint64_t seed, uint32_t len) {
    const rbs_view *v = &b->v;
    void *r = v->ring, *p = NULL;
    unsigned char *at;
    int rc;
    rbs_test_fill(b->in, seed, len);
    switch (hostile_upto(&b->rng, 3)) {
    case 0: HONEST_CALL(b, "rbs_msg_send", len, len, rbs_msg_send(v, b->in, len)); break;
    case 1:
        HONEST_CALL(b, "rbs_msg_reserve", len, len, rbs_msg_reserve(v, len, &p));
        if (rc < 0 || !honest_span(&b->s, "rbs_msg_reserve", v, p, len)) return 0;
        if (len) memcpy(p, b->in, len);
        HONEST_CALL(b, "rbs_msg_commit", len, len, rbs_msg_commit(v, len));
        break;
    case 2:
        HONEST_CALL(b, "rbs_wasm_msg_send", len, len, rbs_wasm_msg_send(r, b->geo, b->in, len));
        break;
    default:
        HONEST_CALL(b, "rbs_wasm_msg_reserve", len, len, rbs_wasm_msg_reserve(r, b->geo, len));
        if (rc < 0 || (at = wasm_payload(b, RBS_OFF_PRODUCER_SCRATCH, len)) == NULL) return 0;
        if (len) memcpy(at, b->in, len);
        HONEST_CALL(b, "rbs_wasm_msg_commit", len, len, rbs_wasm_msg_commit(r, b->geo, len));
        break;
    }
    return rc == (int)len;
}

/* Receives the next message one of four ways and compares it with message
 * `seed` of `len` bytes: 1 if whole and exact. */
static int recv_one(side *b, uint64_t seed, uint32_t len) {
    const rbs_view *v = &b->v;
    void *r = v->ring;
    const void *q = NULL;
    const unsigned char *at = NULL;
    size_t got = 0;
    int rc;
    memset(b->out, 0, BUF);
    switch (hostile_upto(&b->rng, 3)) {
    case 0: HONEST_CALL(b, "rbs_msg_recv", 0, MAX, rbs_msg_recv(v, b->out, BUF)); break;
    case 1:
        HONEST_CALL(b, "rbs_msg_acquire", 0, MAX, rbs_msg_acquire(v, &q, &got));
        if (rc < 0 || got != (size_t)rc || !honest_span(&b->s, "rbs_msg_acquire", v, q, got))
            return 0;
        if (got) memcpy(b->out, q, got);
        if (rbs_msg_release(v) != RBS_OK) return 0;
        break;
    case 2:
        HONEST_CALL(b, "rbs_wasm_msg_recv", 0, MAX, rbs_wasm_msg_recv(r, b->geo, b->out, BUF));
        break;
    default:
        HONEST_CALL(b, "rbs_wasm_msg_acquire", 0, MAX, rbs_wasm_msg_acquire(r, b->geo));
        if (rc < 0 || (at = wasm_payload(b, RBS_OFF_CONSUMER_SCRATCH, (uint32_t)rc)) == NULL)
            return 0;
        if (rc) memcpy(b->out, at, (size_t)rc);
        if (rbs_wasm_msg_release(r, b->geo) != RBS_OK) return 0;
        break;
    }
    if (rc != (int)len) return 0;
    for (uint32_t i = 0; i < len; i++)
        if (b->out[i] != rbs_test_byte(seed + i)) return 0;
    return 1;
}

/* Formats the ring again, moves its positions with a few messages, then
 * sends up to four and receives them: whole, in order and exact unless the
 * hostile thread wrote meanwhile (then the round does not count). */
static void checked_round(void *ctx, uint64_t nth) {
    side *b = ctx;
    uint64_t seed = nth * 10000u;
    unsigned token = hostile_quiet_begin(b->h);
    if (token & 1u) return;
    int exact = hostile_format(b->h, &b->v) == RBS_OK;
    b->s.reformats++;
    for (uint32_t k = hostile_upto(&b->rng, 3); k > 0; k--) {
        uint32_t len = hostile_upto(&b->rng, MAX);
        exact &= send_one(b, seed, len) && recv_one(b, seed, len);
    }
    /* frames of at most half the ring in all: they fit whatever the padding */
    uint32_t count = 1u + hostile_upto(&b->rng, 3), lens[4];
    for (uint32_t i = 0; i < count; i++) {
        lens[i] = hostile_upto(&b->rng, count == 1 ? MAX : CAP / 2u / count - 8u);
        exact &= send_one(b, seed + 1000u * (i + 1u), lens[i]);
    }
    for (uint32_t i = 0; i < count; i++)
        exact &= recv_one(b, seed + 1000u * (i + 1u), lens[i]);
    int rc;
    HONEST_CALL(b, "rbs_msg_peek_size", 0, MAX, rbs_msg_peek_size(&b->v));
    exact &= rc == RBS_EAGAIN;
    if (hostile_quiet_end(b->h, token)) honest_round(&b->s, "messages", exact);
}

Test(hostile, message_ring) {
    side b = {.rng = 0x3E55A6Eu};
    b.h = hostile_new(RBS_KIND_MESSAGES, CAP, 0);
    b.in = malloc(BUF + HONEST_SENTINEL);
    b.out = malloc(BUF + HONEST_SENTINEL);
    cr_assert(b.in != NULL && b.out != NULL);
    rbs_test_fill(b.in, 0, BUF + HONEST_SENTINEL);
    cr_assert_eq(rbs_attach(&b.v, b.h->region, b.h->region_size), RBS_OK);
    b.geo = (uint32_t)rbs_wasm_attach(b.v.ring, (uint32_t)b.h->region_size);
    honest_run(b.h, &b.s, &b.v, STEPS, step, checked_round, &b);
    honest_report(&b.s, b.h, "messages");
    free(b.in);
    free(b.out);
    hostile_free(b.h);
}
