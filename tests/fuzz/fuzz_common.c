/*
 * fuzz_common.c — the ops every kind shares: close, the queries, rbs_check
 * and rbs_attach (a fresh view of the region as it is now), null arguments,
 * the wake protocol, and the op that drives the kind's calls through the
 * rbs_wasm_* entry points.
 */
#include "fuzz.h"

#include <string.h>

/* ------------------------------------------------------------------------ */
/* Close and the queries                                                     */
/* ------------------------------------------------------------------------ */

void op_close(fz *f, input *in) {
    /* rare on purpose: a close ends the producer's part of the program */
    if (in_u8(in) < 0xE0) return;
    EXPECT(api_close(f), RBS_OK, "rbs_close"); /* any kind, whatever the header holds */
    f->closed = 1;
    f->sleeper[FZ_CONSUMER].wake++; /* a close always wakes the consumer */
}

/* What a query finds in the header: RBS_ECORRUPT on a meta line that does
 * not match the view or counters more than the view's capacity apart, else
 * the bytes in the ring.  Exact in both modes (in exact mode the header's
 * counters are the model's, checked after every op). */
static long long seen_used(const fz *f) {
    uint32_t used = fz_word(f, RBS_OFF_WRITE) - fz_word(f, RBS_OFF_READ);
    return fz_meta_off(f) || used > f->cap ? RBS_ECORRUPT : (long long)used;
}

/* rbs_attach (or rbs_wasm_attach) on `size` bytes of the region as it is
 * now: the model's answer and view; a view that fits the region, checks
 * clean at once and answers its queries within its own capacity; a failed
 * attach leaves a zeroed view that every call refuses. */
static void attach_op(fz *f, size_t size) {
    rbs_view want, fresh;
    int code = fz_model_attach(f, size, &want);
    if (f->wasm) {
        int64_t geo = code < 0 ? code
                               : (int64_t)fz_geo(want.capacity, want.kind, want.channels) |
                                     (int64_t)want.sample_rate << 32;
        EXPECT(fz_wasm_attach(f, size), geo, "rbs_wasm_attach");
        return;
    }
    memset(&fresh, 0xAB, sizeof fresh);
    EXPECT(rbs_attach(&fresh, f->region, size), code, "rbs_attach");
    fz_expect_view(f, &fresh, &want, "rbs_attach's view");
    if (code != RBS_OK) {
        EXPECT(rbs_readable(&fresh), RBS_EINVAL, "a query with the view a failed attach left");
        return;
    }
    if (rbs_region_size(fresh.capacity) > size)
        FAIL("rbs_attach: a view of %u bytes does not fit a region of %zu (op %u)", fresh.capacity,
             size, f->op_no);
    EXPECT(rbs_check(&fresh), RBS_OK, "rbs_check right after rbs_attach");
    int used = rbs_readable(&fresh);
    if (used < 0 || (uint32_t)used > fresh.capacity)
        FAIL("rbs_readable with a fresh view of %u bytes: %d (op %u)", fresh.capacity, used,
             f->op_no);
}

void op_query(fz *f, input *in) {
    long long used = seen_used(f);
    switch (in_u8(in) % 6u) {
    case 0: EXPECT(api_readable(f), used, "rbs_readable"); break;
    case 1: EXPECT(api_writable(f), used < 0 ? used : f->cap - used, "rbs_writable"); break;
    case 2:
        EXPECT(api_closed(f), fz_meta_off(f) ? RBS_ECORRUPT : fz_word(f, RBS_OFF_CLOSED) != 0,
               "rbs_closed");
        break;
    case 3:
        EXPECT(api_check(f), used < 0 || fz_meta_stale(f) ? RBS_ECORRUPT : RBS_OK, "rbs_check");
        /* the view is the caller's: nothing the ring holds changes it */
        EXPECT(f->view.capacity, f->cap, "the view's capacity");
        EXPECT(f->view.kind, f->kind, "the view's kind");
        break;
    case 4: attach_op(f, f->region_size); break;
    default: attach_op(f, f->region_size - 1); break; /* never fits: RBS_ERANGE at most */
    }
}

/* ------------------------------------------------------------------------ */
/* Null arguments                                                            */
/* ------------------------------------------------------------------------ */

/* Every call with a NULL view and with a zeroed one (what a failed attach
 * leaves) answers RBS_EINVAL; the audio counters read 0. */
static void null_views(fz *f) {
    rbs_view zero;
    memset(&zero, 0, sizeof zero);
    rbs_span s[2];
    void *p = NULL;
    const void *cp = NULL;
    size_t len = 0;
    float *const *planes = f->planes;
    for (int z = 0; z < 2; z++) {
        const rbs_view *v = z ? &zero : NULL;
        const int all[] = {rbs_check(v),
                           rbs_write(v, f->src, 1),
                           rbs_write_all(v, f->src, 1),
                           rbs_read(v, f->dst, 1),
                           rbs_read_all(v, f->dst, 1),
                           rbs_peek(v, f->dst, 1),
                           rbs_skip(v, 1),
                           rbs_readable(v),
                           rbs_writable(v),
                           rbs_close(v),
                           rbs_closed(v),
                           rbs_write_reserve(v, 1, s),
                           rbs_write_commit(v, 1),
                           rbs_read_acquire(v, 1, s),
                           rbs_read_release(v, 1),
                           rbs_wake_consumer(v),
                           rbs_wake_producer(v),
                           rbs_msg_max_size(v),
                           rbs_msg_send(v, f->src, 1),
                           rbs_msg_recv(v, f->dst, 1),
                           rbs_msg_peek_size(v),
                           rbs_msg_reserve(v, 1, &p),
                           rbs_msg_commit(v, 1),
                           rbs_msg_acquire(v, &cp, &len),
                           rbs_msg_release(v),
                           rbs_audio_write(v, (const float *const *)planes, 1, 1),
                           rbs_audio_write_interleaved(v, planes[0], 1),
                           rbs_audio_read(v, planes, 1, 1),
                           rbs_audio_read_or_silence(v, planes, 1, 1),
                           rbs_audio_read_or_silence_prefill(v, planes, 1, 1, 1),
                           rbs_audio_frames_available(v),
                           rbs_audio_frames_writable(v),
                           rbs_audio_started(v)};
        for (unsigned i = 0; i < sizeof all / sizeof all[0]; i++)
            EXPECT(all[i], RBS_EINVAL, z ? "a call with a zeroed view" : "a call with no view");
        EXPECT(rbs_underruns(v) | rbs_overruns(v) | rbs_frames_written(v) | rbs_frames_read(v), 0,
               "audio counters without a view");
    }
    EXPECT(rbs_attach(NULL, f->region, f->region_size), RBS_EINVAL, "rbs_attach(no view)");
    EXPECT(rbs_attach(&zero, NULL, f->region_size), RBS_EINVAL, "rbs_attach(no region)");
    EXPECT(rbs_strerror(12345) != NULL && rbs_strerror(12345)[0] != 0, 1,
           "rbs_strerror(unknown code) has a sentence");
}

/* A zero-length call with NULL is valid and moves nothing. */
static void null_zero_length(fz *f, int producer, int audio) {
    const rbs_view *v = &f->view;
    int rc = producer ? (audio ? rbs_audio_write_interleaved(v, NULL, 0) : rbs_write(v, NULL, 0))
                      : (audio ? rbs_audio_read(v, NULL, f->channels, 0) : rbs_read(v, NULL, 0));
    int want = fz_gate(f, audio ? RBS_KIND_AUDIO : RBS_KIND_BYTES);
    if (want == 0 && !f->exact) {
        fz_sane(f, rc, 0, "a zero-length call with NULL");
        return;
    }
    if (want == 0) {
        if (producer)
            want = f->closed ? RBS_ECLOSED : 0;
        else if (fz_used(f) == 0) /* an empty ring is looked at, and found empty */
            want = f->closed ? RBS_ECLOSED : fz_nothing(f, 0);
    }
    EXPECT(rc, want, "a zero-length call with NULL");
}

/* A null pointer where a call needs one: the view's refusal first, then
 * RBS_EINVAL, before the ring is looked at (so in both modes), and nothing
 * changes. */
void op_null(fz *f, input *in) {
    uint8_t which = in_u8(in) % 18u;
    const rbs_view *v = &f->view;
    int g = 0, rc;
    size_t len = 0;
    const void *cp = NULL;
    float *planes[FZ_MAX_PLANES] = {NULL};
    switch (which) {
    case 0: rc = rbs_write(v, NULL, 5), g = fz_gate(f, RBS_KIND_BYTES); break;
    case 1: rc = rbs_write_all(v, NULL, 5), g = fz_gate(f, RBS_KIND_BYTES); break;
    case 2: rc = rbs_read(v, NULL, 5), g = fz_gate(f, RBS_KIND_BYTES); break;
    case 3: rc = rbs_read_all(v, NULL, 5), g = fz_gate(f, RBS_KIND_BYTES); break;
    case 4: rc = rbs_peek(v, NULL, 5), g = fz_gate(f, RBS_KIND_BYTES); break;
    case 5: rc = rbs_write_reserve(v, 5, NULL), g = fz_gate(f, RBS_KIND_BYTES); break;
    case 6: rc = rbs_read_acquire(v, 5, NULL), g = fz_gate(f, RBS_KIND_BYTES); break;
    case 7: rc = rbs_msg_send(v, NULL, 5), g = fz_gate(f, RBS_KIND_MESSAGES); break;
    case 8: rc = rbs_msg_recv(v, NULL, 5), g = fz_gate(f, RBS_KIND_MESSAGES); break;
    case 9: rc = rbs_msg_reserve(v, 5, NULL), g = fz_gate(f, RBS_KIND_MESSAGES); break;
    case 10:
        rc = (in_u8(in) & 1) ? rbs_msg_acquire(v, NULL, &len) : rbs_msg_acquire(v, &cp, NULL);
        g = fz_gate(f, RBS_KIND_MESSAGES);
        break;
    case 11: rc = rbs_audio_write(v, NULL, f->channels, 5), g = fz_gate(f, RBS_KIND_AUDIO); break;
    case 12: rc = rbs_audio_write_interleaved(v, NULL, 5), g = fz_gate(f, RBS_KIND_AUDIO); break;
    case 13:
        /* planes present but the last one missing */
        for (uint32_t c = 0; c + 1 < f->channels; c++)
            planes[c] = f->planes[c];
        rc = (in_u8(in) & 1) ? rbs_audio_read(v, planes, f->channels, 5)
                             : rbs_audio_read_or_silence(v, planes, f->channels, 5);
        g = fz_gate(f, RBS_KIND_AUDIO);
        break;
    case 14:
        rc = rbs_audio_read_or_silence(v, NULL, f->channels, 5), g = fz_gate(f, RBS_KIND_AUDIO);
        break;
    case 15: null_views(f); return;
    default: {
        int audio = in_u8(in) & 1;
        null_zero_length(f, which == 16, audio);
        return;
    }
    }
    EXPECT(rc, g ? g : RBS_EINVAL, "a call with a NULL argument");
}

/* ------------------------------------------------------------------------ */
/* Waking                                                                    */
/* ------------------------------------------------------------------------ */

int fz_model_wake(fz *f, int side) {
    fz_sleeper *s = &f->sleeper[side];
    if (s->waiters == 0 || s->seq == s->woken_at) return 0;
    s->woken_at = s->seq;
    s->wake++;
    return 1;
}

static void add_word(fz *f, uint32_t off, uint32_t n) {
    __atomic_fetch_add((uint32_t *)(void *)(f->region + off), n, __ATOMIC_SEQ_CST);
}

/* The protocol of rbs.h, "Waking a side that sleeps": a side starts a wait
 * (numbers it, counts itself in) or ends one, and the other side wakes it
 * -- at most once per wait, and only while one is in progress. */
void op_wake(fz *f, input *in) {
    uint8_t b = in_u8(in);
    int side = b & 1;
    fz_sleeper *s = &f->sleeper[side];
    uint32_t seq_off = side == FZ_CONSUMER ? RBS_OFF_CONSUMER_WAIT_SEQ : RBS_OFF_PRODUCER_WAIT_SEQ;
    uint32_t waiters_off =
        side == FZ_CONSUMER ? RBS_OFF_CONSUMER_WAITERS : RBS_OFF_PRODUCER_WAITERS;
    switch ((b >> 1) % 3u) {
    case 0: {
        const char *what = side == FZ_CONSUMER ? "rbs_wake_consumer" : "rbs_wake_producer";
        int rc = side == FZ_CONSUMER ? rbs_wake_consumer(&f->view) : rbs_wake_producer(&f->view);
        int want = fz_model_wake(f, side);
        if (f->exact)
            EXPECT(rc, want, what);
        else if (rc != 0 && rc != 1)
            FAIL("%s answered %d, neither 0 nor 1 (op %u)", what, rc, f->op_no);
        break;
    }
    case 1:
        add_word(f, seq_off, 1u);
        add_word(f, waiters_off, 1u);
        s->seq++;
        s->waiters++;
        break;
    default:
        if (s->waiters == 0) return;
        add_word(f, waiters_off, UINT32_MAX);
        s->waiters--;
        break;
    }
}

/* ------------------------------------------------------------------------ */
/* The WebAssembly entry points                                              */
/* ------------------------------------------------------------------------ */

/* The kind's ops that have an rbs_wasm_* call, in the order of fuzz_ring.c's
 * tables (gen_corpus.py's WASM_OPS). */
static const fz_op wasm_bytes[] = {op_write,   op_write_all, op_reserve, op_commit,
                                   op_read,    op_read_all,  op_peek,    op_skip,
                                   op_acquire, op_release,   op_close,   op_query};
static const fz_op wasm_msg[] = {op_msg_send,    op_msg_recv,   op_msg_peek_size,
                                 op_msg_reserve, op_msg_commit, op_msg_acquire,
                                 op_msg_release, op_close,      op_query};
static const fz_op wasm_audio[] = {op_audio_write,
                                   op_audio_write_interleaved,
                                   op_audio_read,
                                   op_audio_read_or_silence,
                                   op_audio_read_prefill,
                                   op_audio_query,
                                   op_close,
                                   op_query};
#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* One of the kind's ops through the rbs_wasm_* calls with the view's
 * geometry, as the JS package makes them; those calls wake a waiting other
 * side after they publish or free data. */
void op_wasm(fz *f, input *in) {
    uint8_t b = in_u8(in);
    fz_op op;
    switch (f->kind) {
    case RBS_KIND_BYTES: op = wasm_bytes[b % COUNT(wasm_bytes)]; break;
    case RBS_KIND_MESSAGES: op = wasm_msg[b % COUNT(wasm_msg)]; break;
    default:
        op = wasm_audio[b % COUNT(wasm_audio)];
        f->stride_sel = in_u8(in);
        break;
    }
    uint32_t mw = f->mw, mr = f->mr;
    f->wasm = 1;
    op(f, in);
    f->wasm = 0;
    if (!f->exact) return;
    if (f->mw != mw) fz_model_wake(f, FZ_CONSUMER);
    if (f->mr != mr) fz_model_wake(f, FZ_PRODUCER);
}
