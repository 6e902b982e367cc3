/*
 * test_hostile_audio.c — an audio ring under a hostile peer (hostile.h): the
 * honest thread makes every audio call in turn, with its own planes and
 * through the WebAssembly entry points with a staging block, while the
 * hostile thread scribbles (meta lines of rings with other channel counts
 * included); every answer must be the library's own, no sample written past
 * what a call was given, silence wherever it is promised, no canary changed,
 * no call slower than 2 s, and samples exact whenever a round ran in a quiet
 * window.  Not run under TSan: the races are the point.
 */
#include "hostile.h"
#include "test_helpers.h"
#include "wasm_api.h"

#define CAP      1024u
#define CH       3u                 /* 12-byte frames: some straddle the end */
#define FRAMES   (CAP / (4u * CH))  /* 85 frames */
#define PF       (2u * FRAMES + 1u) /* frames a plane holds: requests beyond the ring */
#define STRIDE   (FRAMES + 5u)      /* floats per plane of the staging block */
#define SENTINEL 4u                 /* floats after what a call may write */
#define MARK     -7777.25f          /* what those floats hold */

typedef struct {
    hostile *h;
    honest s;
    rbs_view v;
    uint32_t geo;
    uint64_t rng;
    float *in[CH], *out[CH]; /* PF + SENTINEL floats each */
    float *inter;            /* PF * CH interleaved floats */
    float *staging;          /* CH * STRIDE + SENTINEL floats */
} side;

static uint32_t min3(uint32_t a, uint32_t b, uint32_t c) {
    uint32_t m = a < b ? a : b;
    return m < c ? m : c;
}

static float sample(uint64_t frame, uint32_t channel) {
    return (float)(frame % (1u << 18)) + (float)channel / 64.0f;
}

static int is_silence(float f) {
    uint32_t bits;
    memcpy(&bits, &f, 4);
    return bits == 0;
}

/* ---- what a read may write: its own planes, up to its frames ------------------------ */

static void guard_planes(side *b, uint32_t n) {
    for (uint32_t c = 0; c < CH; c++)
        for (uint32_t i = n; i < n + SENTINEL; i++)
            b->out[c][i] = MARK;
}

static void check_planes(side *b, uint32_t n, const char *call) {
    for (uint32_t c = 0; c < CH; c++)
        for (uint32_t i = n; i < n + SENTINEL; i++)
            if (b->out[c][i] != MARK) {
                honest_escape(&b->s, call);
                return;
            }
}

/* Frames [from, to) of every plane are silence. */
static void check_silence(side *b, float *const planes[CH], uint32_t from, uint32_t to,
                          const char *call) {
    for (uint32_t c = 0; c < CH; c++)
        for (uint32_t i = from; i < to; i++)
            if (!is_silence(planes[c][i])) {
                honest_broken(&b->s, call);
                return;
            }
}

/* The staging block's planes, marked past the n frames a call may use. */
static void staging_planes(side *b, float *planes[CH]) {
    for (uint32_t c = 0; c < CH; c++)
        planes[c] = b->staging + (size_t)c * STRIDE;
}

static void guard_staging(side *b, uint32_t n) {
    for (uint32_t c = 0; c < CH; c++)
        for (uint32_t i = n; i < STRIDE; i++)
            b->staging[c * STRIDE + i] = MARK;
    for (uint32_t i = 0; i < SENTINEL; i++)
        b->staging[CH * STRIDE + i] = MARK;
}

static void check_staging(side *b, uint32_t n, const char *call) {
    for (uint32_t c = 0; c < CH; c++)
        for (uint32_t i = n; i < STRIDE; i++)
            if (b->staging[c * STRIDE + i] != MARK) {
                honest_escape(&b->s, call);
                return;
            }
    for (uint32_t i = 0; i < SENTINEL; i++)
        if (b->staging[CH * STRIDE + i] != MARK) honest_escape(&b->s, call);
}

/* ---- every call, in turn --------------------------------------------------------- */

#define STEPS 28

/* Statistics: any value is the library's own; only the time is checked. */
static void counters(side *b) {
    double t0 = honest_now();
    volatile uint32_t sum = rbs_underruns(&b->v) + rbs_overruns(&b->v) + rbs_frames_written(&b->v) +
                            rbs_frames_read(&b->v);
    (void)sum;
    honest_result(&b->s, "rbs_underruns and the other counters", 0, 0, 0, t0);
}

static void step(void *ctx, unsigned which) {
    side *b = ctx;
    void *r = b->v.ring;
    const rbs_view *v = &b->v;
    const float *const *in = (const float *const *)b->in;
    uint32_t n = hostile_upto(&b->rng, PF), ns = n < STRIDE ? n : STRIDE,
             prefill = hostile_upto(&b->rng, 2u * FRAMES);
    float *st[CH];
    int rc;
    staging_planes(b, st);
    switch (which) {
    case 0:
        HONEST_CALL(b, "rbs_audio_write", 0, n < FRAMES ? n : FRAMES,
                    rbs_audio_write(v, in, CH, n));
        break;
    case 1:
        HONEST_CALL(b, "rbs_audio_write_interleaved", 0, n < FRAMES ? n : FRAMES,
                    rbs_audio_write_interleaved(v, b->inter, n));
        break;
    case 2:
        guard_planes(b, n);
        HONEST_CALL(b, "rbs_audio_read", 0, n < FRAMES ? n : FRAMES,
                    rbs_audio_read(v, b->out, CH, n));
        check_planes(b, n, "rbs_audio_read");
        break;
    case 3:
        guard_planes(b, n);
        HONEST_CALL(b, "rbs_audio_read_or_silence", 0, n < FRAMES ? n : FRAMES,
                    rbs_audio_read_or_silence(v, b->out, CH, n));
        check_planes(b, n, "rbs_audio_read_or_silence");
        check_silence(b, b->out, rc < 0 ? 0 : (uint32_t)rc, n, "rbs_audio_read_or_silence");
        break;
    case 4:
        guard_planes(b, n);
        HONEST_CALL(b, "rbs_audio_read_or_silence_prefill", 0, n < FRAMES ? n : FRAMES,
                    rbs_audio_read_or_silence_prefill(v, b->out, CH, n, prefill));
        check_planes(b, n, "rbs_audio_read_or_silence_prefill");
        check_silence(b, b->out, rc < 0 ? 0 : (uint32_t)rc, n, "rbs_audio_read_or_silence_prefill");
        break;
    case 5:
        HONEST_CALL(b, "rbs_audio_frames_available", 0, FRAMES, rbs_audio_frames_available(v));
        break;
    case 6:
        HONEST_CALL(b, "rbs_audio_frames_writable", 0, FRAMES, rbs_audio_frames_writable(v));
        break;
    case 7: HONEST_CALL(b, "rbs_audio_started", 0, 1, rbs_audio_started(v)); break;
    case 8: counters(b); break;
    case 9: HONEST_CALL(b, "rbs_readable", 0, CAP, rbs_readable(v)); break;
    case 10: HONEST_CALL(b, "rbs_writable", 0, CAP, rbs_writable(v)); break;
    case 11: HONEST_CALL(b, "rbs_closed", 0, 1, rbs_closed(v)); break;
    case 12: HONEST_CALL(b, "rbs_check", 0, 0, rbs_check(v)); break;
    case 13: HONEST_CALL(b, "rbs_wake_consumer", 0, 1, rbs_wake_consumer(v)); break;
    case 14: HONEST_CALL(b, "rbs_wake_producer", 0, 1, rbs_wake_producer(v)); break;
    case 15:
        if (hostile_upto(&b->rng, 15) == 0) HONEST_CALL(b, "rbs_close", 0, 0, rbs_close(v));
        break;
    case 16:
        for (uint32_t c = 0; c < CH; c++)
            memcpy(st[c], b->in[c], STRIDE * sizeof(float));
        HONEST_CALL(b, "rbs_wasm_audio_write", 0, min3(n, STRIDE, FRAMES),
                    rbs_wasm_audio_write(r, b->geo, b->staging, STRIDE, n));
        break;
    case 17:
        HONEST_CALL(b, "rbs_wasm_audio_write_interleaved", 0, n < FRAMES ? n : FRAMES,
                    rbs_wasm_audio_write_interleaved(r, b->geo, b->inter, n));
        break;
    case 18:
        guard_staging(b, ns);
        HONEST_CALL(b, "rbs_wasm_audio_read", 0, min3(n, STRIDE, FRAMES),
                    rbs_wasm_audio_read(r, b->geo, b->staging, STRIDE, n));
        check_staging(b, ns, "rbs_wasm_audio_read");
        break;
    case 19:
        guard_staging(b, ns);
        HONEST_CALL(b, "rbs_wasm_audio_read_or_silence", 0, min3(n, STRIDE, FRAMES),
                    rbs_wasm_audio_read_or_silence(r, b->geo, b->staging, STRIDE, n, prefill));
        check_staging(b, ns, "rbs_wasm_audio_read_or_silence");
        check_silence(b, st, rc < 0 ? 0 : (uint32_t)rc, ns, "rbs_wasm_audio_read_or_silence");
        break;
    case 20:
        HONEST_CALL(b, "rbs_wasm_audio_available", 0, FRAMES, rbs_wasm_audio_available(r, b->geo));
        break;
    case 21:
        HONEST_CALL(b, "rbs_wasm_audio_writable", 0, FRAMES, rbs_wasm_audio_writable(r, b->geo));
        break;
    case 22:
        HONEST_CALL(b, "rbs_wasm_audio_started", 0, 1, rbs_wasm_audio_started(r, b->geo));
        break;
    case 23: HONEST_CALL(b, "rbs_wasm_check", 0, 0, rbs_wasm_check(r, b->geo, 48000)); break;
    case 24: HONEST_CALL(b, "rbs_wasm_readable", 0, CAP, rbs_wasm_readable(r, b->geo)); break;
    case 25: HONEST_CALL(b, "rbs_wasm_writable", 0, CAP, rbs_wasm_writable(r, b->geo)); break;
    case 26: HONEST_CALL(b, "rbs_wasm_closed", 0, 1, rbs_wasm_closed(r, b->geo)); break;
    default:
        if (hostile_upto(&b->rng, 15) == 0)
            HONEST_CALL(b, "rbs_wasm_close", 0, 0, rbs_wasm_close(r, b->geo));
        break;
    }
}

/* ---- a round whose samples are checked ------------------------------------------- */

/* Writes frames [first, first + n) of the signal one of four ways. */
static int write_signal(side *b, uint64_t first, uint32_t n) {
    void *r = b->v.ring;
    float *st[CH];
    staging_planes(b, st);
    for (uint32_t c = 0; c < CH; c++)
        for (uint32_t i = 0; i < n; i++)
            b->in[c][i] = st[c][i] = b->inter[i * CH + c] = sample(first + i, c);
    int rc;
    switch (hostile_upto(&b->rng, 3)) {
    case 0:
        HONEST_CALL(b, "rbs_audio_write", 0, n,
                    rbs_audio_write(&b->v, (const float *const *)b->in, CH, n));
        break;
    case 1:
        HONEST_CALL(b, "rbs_audio_write_interleaved", 0, n,
                    rbs_audio_write_interleaved(&b->v, b->inter, n));
        break;
    case 2:
        HONEST_CALL(b, "rbs_wasm_audio_write", 0, n,
                    rbs_wasm_audio_write(r, b->geo, b->staging, STRIDE, n));
        break;
    default:
        HONEST_CALL(b, "rbs_wasm_audio_write_interleaved", 0, n,
                    rbs_wasm_audio_write_interleaved(r, b->geo, b->inter, n));
        break;
    }
    return rc == (int)n;
}

/* Reads n frames one of four ways: 1 if they are frames [first, first + n). */
static int read_signal(side *b, uint64_t first, uint32_t n) {
    void *r = b->v.ring;
    float *st[CH], **planes = b->out;
    staging_planes(b, st);
    int rc;
    switch (hostile_upto(&b->rng, 3)) {
    case 0: HONEST_CALL(b, "rbs_audio_read", 0, n, rbs_audio_read(&b->v, b->out, CH, n)); break;
    case 1:
        HONEST_CALL(b, "rbs_audio_read_or_silence", 0, n,
                    rbs_audio_read_or_silence(&b->v, b->out, CH, n));
        break;
    case 2:
        HONEST_CALL(b, "rbs_wasm_audio_read", 0, n,
                    rbs_wasm_audio_read(r, b->geo, b->staging, STRIDE, n));
        planes = st;
        break;
    default:
        HONEST_CALL(b, "rbs_wasm_audio_read_or_silence", 0, n,
                    rbs_wasm_audio_read_or_silence(r, b->geo, b->staging, STRIDE, n, 0));
        planes = st;
        break;
    }
    if (rc != (int)n) return 0;
    for (uint32_t c = 0; c < CH; c++)
        for (uint32_t i = 0; i < n; i++)
            if (planes[c][i] != sample(first + i, c)) return 0;
    return 1;
}

/* Formats the ring again, moves its positions, writes n frames one way and
 * reads them back another: exact unless the hostile thread wrote meanwhile
 * (then the round does not count). */
static void checked_round(void *ctx, uint64_t nth) {
    side *b = ctx;
    uint64_t first = nth * 2u * FRAMES;
    unsigned token = hostile_quiet_begin(b->h);
    if (token & 1u) return;
    int exact = hostile_format(b->h, &b->v) == RBS_OK;
    b->s.reformats++;
    uint32_t k0 = hostile_upto(&b->rng, FRAMES), n = 1u + hostile_upto(&b->rng, FRAMES - 1u);
    exact &= write_signal(b, first, k0) && read_signal(b, first, k0);
    exact &= write_signal(b, first + k0, n) && read_signal(b, first + k0, n);
    int rc;
    HONEST_CALL(b, "rbs_audio_frames_available", 0, FRAMES, rbs_audio_frames_available(&b->v));
    exact &= rc == 0;
    if (hostile_quiet_end(b->h, token)) honest_round(&b->s, "audio", exact);
}

static float *floats(size_t n) {
    float *p = malloc(n * sizeof(float));
    cr_assert_not_null(p);
    for (size_t i = 0; i < n; i++)
        p[i] = sample(i, 0);
    return p;
}

Test(hostile, audio_ring) {
    side b = {.rng = 0xA0D10u};
    b.h = hostile_new(RBS_KIND_AUDIO, CAP, CH);
    for (uint32_t c = 0; c < CH; c++) {
        b.in[c] = floats(PF + SENTINEL);
        b.out[c] = floats(PF + SENTINEL);
    }
    b.inter = floats((size_t)PF * CH);
    b.staging = floats((size_t)CH * STRIDE + SENTINEL);
    cr_assert_eq(rbs_attach(&b.v, b.h->region, b.h->region_size), RBS_OK);
    cr_assert_eq(b.v.max_frames, FRAMES);
    b.geo = (uint32_t)rbs_wasm_attach(b.v.ring, (uint32_t)b.h->region_size);
    honest_run(b.h, &b.s, &b.v, STEPS, step, checked_round, &b);
    honest_report(&b.s, b.h, "audio");
    for (uint32_t c = 0; c < CH; c++) {
        free(b.in[c]);
        free(b.out[c]);
    }
    free(b.inter);
    free(b.staging);
    hostile_free(b.h);
}
