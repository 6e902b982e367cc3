/*
 * fuzz_api.c — each call the ops make, through the C API with the view or,
 * while f->wasm is set, through the rbs_wasm_* entry point with the view's
 * geometry, as the JS package calls them (wasm_api.h).  A wasm call hands
 * out positions in its role's scratch word, never addresses: the C side
 * promises a position inside the data area, checked here before the spans
 * are made as JS makes them (masked with its own capacity).  Audio planes go
 * through a staging block whose stride the program picks.
 */
#include "fuzz.h"
#include "wasm_api.h"

#include <string.h>

#define POISON 0xA5u

static rbs_ring *ring(fz *f) {
    return (rbs_ring *)(void *)f->region;
}

/* The ops pass a wasm call lengths already cut to 32 bits (fz_arg). */
static uint32_t u32(fz *f, size_t n, const char *what) {
    if (n > UINT32_MAX)
        FAIL("fuzzer: %s of %zu bytes through a 32-bit wasm call (op %u)", what, n, f->op_no);
    return (uint32_t)n;
}

uint32_t fz_geo(uint32_t capacity, uint32_t kind, uint32_t channels) {
    return (uint32_t)__builtin_ctz(capacity) | kind << 8 | channels << 16;
}

int64_t fz_wasm_attach(fz *f, size_t size) {
    return rbs_wasm_attach(ring(f), (uint32_t)size);
}

int fz_wasm_init(fz *f) {
    return rbs_wasm_init(ring(f), (uint32_t)f->region_size, f->cap, f->kind, f->channels, f->rate);
}

/* The position a wasm call left in the role's scratch word: a byte span's
 * start inside the data area (`len` 0: it wraps), or a message payload of
 * `len` bytes within it (an empty one may sit at the very end, as the C
 * API's pointer does). */
static uint32_t scratch_pos(fz *f, int side, int contiguous, uint32_t len, const char *what) {
    uint32_t off = side == FZ_CONSUMER ? RBS_OFF_CONSUMER_SCRATCH : RBS_OFF_PRODUCER_SCRATCH;
    uint32_t pos = fz_word(f, off);
    f->scratch[side][0] = pos;
    if (contiguous ? pos > f->cap || len > f->cap - pos : pos >= f->cap)
        FAIL("%s: scratch position %u (+%u) is outside the data area of %u bytes (op %u)", what,
             pos, len, f->cap, f->op_no);
    return pos;
}

/* The one or two spans of k bytes from position pos, as JS makes them. */
static void js_spans(fz *f, uint32_t pos, int k, rbs_span s[2]) {
    s[0].ptr = s[1].ptr = NULL;
    s[0].len = s[1].len = 0;
    if (k <= 0) return;
    pos &= f->mask;
    size_t first = fz_min((size_t)k, f->cap - pos);
    s[0].ptr = f->data + pos;
    s[0].len = first;
    if ((size_t)k > first) {
        s[1].ptr = f->data;
        s[1].len = (size_t)k - first;
    }
}

/* ------------------------------------------------------------------------ */
/* Bytes                                                                     */
/* ------------------------------------------------------------------------ */

int api_write(fz *f, const void *src, size_t n, int all) {
    if (!f->wasm) return all ? rbs_write_all(&f->view, src, n) : rbs_write(&f->view, src, n);
    uint32_t m = u32(f, n, "write");
    return all ? rbs_wasm_write_all(ring(f), f->geo, src, m)
               : rbs_wasm_write(ring(f), f->geo, src, m);
}

int api_reserve(fz *f, size_t want, rbs_span s[2]) {
    if (!f->wasm) return rbs_write_reserve(&f->view, want, s);
    int k = rbs_wasm_reserve(ring(f), f->geo, u32(f, want, "reserve"));
    js_spans(f, scratch_pos(f, FZ_PRODUCER, 0, 0, "rbs_wasm_reserve"), k, s);
    return k;
}

int api_commit(fz *f, size_t n) {
    if (!f->wasm) return rbs_write_commit(&f->view, n);
    return rbs_wasm_commit(ring(f), f->geo, u32(f, n, "commit"));
}

int api_read(fz *f, void *dst, size_t n, int how) {
    if (!f->wasm) {
        switch (how) {
        case FZ_READ: return rbs_read(&f->view, dst, n);
        case FZ_READ_ALL: return rbs_read_all(&f->view, dst, n);
        case FZ_PEEK: return rbs_peek(&f->view, dst, n);
        default: return rbs_skip(&f->view, n);
        }
    }
    uint32_t m = u32(f, n, "read");
    switch (how) {
    case FZ_READ: return rbs_wasm_read(ring(f), f->geo, dst, m);
    case FZ_READ_ALL: return rbs_wasm_read_all(ring(f), f->geo, dst, m);
    case FZ_PEEK: return rbs_wasm_peek(ring(f), f->geo, dst, m);
    default: return rbs_wasm_skip(ring(f), f->geo, m);
    }
}

int api_acquire(fz *f, size_t want, rbs_span s[2]) {
    if (!f->wasm) return rbs_read_acquire(&f->view, want, s);
    int k = rbs_wasm_acquire(ring(f), f->geo, u32(f, want, "acquire"));
    js_spans(f, scratch_pos(f, FZ_CONSUMER, 0, 0, "rbs_wasm_acquire"), k, s);
    return k;
}

int api_release(fz *f, size_t n) {
    if (!f->wasm) return rbs_read_release(&f->view, n);
    return rbs_wasm_release(ring(f), f->geo, u32(f, n, "release"));
}

/* ------------------------------------------------------------------------ */
/* Messages                                                                  */
/* ------------------------------------------------------------------------ */

int api_msg_send(fz *f, const void *src, size_t len) {
    if (!f->wasm) return rbs_msg_send(&f->view, src, len);
    return rbs_wasm_msg_send(ring(f), f->geo, src, u32(f, len, "msg_send"));
}

int api_msg_reserve(fz *f, size_t len, void **ptr) {
    if (!f->wasm) return rbs_msg_reserve(&f->view, len, ptr);
    int rc = rbs_wasm_msg_reserve(ring(f), f->geo, u32(f, len, "msg_reserve"));
    uint32_t pos =
        scratch_pos(f, FZ_PRODUCER, 1, rc > 0 ? (uint32_t)rc : 0, "rbs_wasm_msg_reserve");
    *ptr = rc >= 0 ? f->data + pos : NULL;
    return rc;
}

int api_msg_commit(fz *f, size_t len) {
    if (!f->wasm) return rbs_msg_commit(&f->view, len);
    return rbs_wasm_msg_commit(ring(f), f->geo, u32(f, len, "msg_commit"));
}

int api_msg_recv(fz *f, void *dst, size_t cap) {
    if (!f->wasm) return rbs_msg_recv(&f->view, dst, cap);
    return rbs_wasm_msg_recv(ring(f), f->geo, dst, u32(f, cap, "msg_recv"));
}

int api_msg_peek_size(fz *f) {
    return f->wasm ? rbs_wasm_msg_peek_size(ring(f), f->geo) : rbs_msg_peek_size(&f->view);
}

int api_msg_acquire(fz *f, const void **ptr, size_t *len) {
    if (!f->wasm) return rbs_msg_acquire(&f->view, ptr, len);
    int rc = rbs_wasm_msg_acquire(ring(f), f->geo);
    uint32_t pos =
        scratch_pos(f, FZ_CONSUMER, 1, rc > 0 ? (uint32_t)rc : 0, "rbs_wasm_msg_acquire");
    *ptr = rc >= 0 ? f->data + pos : NULL;
    *len = rc >= 0 ? (size_t)rc : 0;
    return rc;
}

int api_msg_release(fz *f) {
    return f->wasm ? rbs_wasm_msg_release(ring(f), f->geo) : rbs_msg_release(&f->view);
}

/* ------------------------------------------------------------------------ */
/* Audio                                                                     */
/* ------------------------------------------------------------------------ */

uint32_t fz_stride(const fz *f, uint32_t frames) {
    uint32_t tight = frames < FZ_PLANE_FRAMES ? frames : FZ_PLANE_FRAMES;
    uint32_t k = f->stride_sel >> 2;
    switch (f->stride_sel & 3u) {
    case 0: return f->max_frames; /* what the JS package gives: the ring's frames */
    case 1: return tight;
    case 2: return tight > k ? tight - k : 0; /* short of the request: the block bounds it */
    default: return k;
    }
}

/* The staging block of `stride` frames per channel, ending where its
 * allocation ends. */
static float *staging(fz *f, uint32_t stride) {
    return f->staging + FZ_STAGING_FLOATS - (size_t)f->channels * stride;
}

int api_audio_write(fz *f, float *const p[], uint32_t ch, uint32_t frames, uint32_t stride) {
    if (!f->wasm) return rbs_audio_write(&f->view, (const float *const *)p, ch, frames);
    float *st = staging(f, stride);
    uint32_t n = frames < stride ? frames : stride;
    if (n > FZ_PLANE_FRAMES) n = FZ_PLANE_FRAMES;
    for (uint32_t c = 0; c < f->channels; c++)
        memcpy(st + (size_t)c * stride, p[c], (size_t)n * 4u);
    return rbs_wasm_audio_write(ring(f), f->geo, st, stride, frames);
}

int api_audio_write_interleaved(fz *f, const float *src, uint32_t frames) {
    if (!f->wasm) return rbs_audio_write_interleaved(&f->view, src, frames);
    return rbs_wasm_audio_write_interleaved(ring(f), f->geo, src, frames);
}

/* A wasm read into the staging block, then its planes back to p[] (the ops
 * pass frames <= stride); the block past `frames` must stay untouched. */
static int wasm_read(fz *f, float *const p[], uint32_t frames, uint32_t stride, int64_t prefill) {
    float *st = staging(f, stride);
    memset(st, POISON, (size_t)f->channels * stride * 4u);
    int rc = prefill < 0 ? rbs_wasm_audio_read(ring(f), f->geo, st, stride, frames)
                         : rbs_wasm_audio_read_or_silence(ring(f), f->geo, st, stride, frames,
                                                          (uint32_t)prefill);
    for (uint32_t c = 0; c < f->channels; c++) {
        const float *plane = st + (size_t)c * stride;
        memcpy(p[c], plane, (size_t)frames * 4u);
        const unsigned char *rest = (const unsigned char *)(plane + frames);
        for (size_t i = 0; i < (size_t)(stride - frames) * 4u; i++)
            if (rest[i] != POISON)
                FAIL("wasm audio read: channel %u frame %zu of the staging block, past the %u "
                     "frames asked for, was written (op %u)",
                     c, frames + i / 4u, frames, f->op_no);
    }
    return rc;
}

int api_audio_read(fz *f, float *const p[], uint32_t ch, uint32_t frames, uint32_t stride) {
    if (!f->wasm) return rbs_audio_read(&f->view, p, ch, frames);
    return wasm_read(f, p, frames, stride, -1);
}

int api_audio_read_or_silence(fz *f, float *const p[], uint32_t ch, uint32_t frames,
                              uint32_t stride, int64_t prefill) {
    if (f->wasm) return wasm_read(f, p, frames, stride, prefill < 0 ? 0 : prefill);
    if (prefill < 0) return rbs_audio_read_or_silence(&f->view, p, ch, frames);
    return rbs_audio_read_or_silence_prefill(&f->view, p, ch, frames, (uint32_t)prefill);
}

/* ------------------------------------------------------------------------ */
/* Queries and close                                                         */
/* ------------------------------------------------------------------------ */

int api_readable(fz *f) {
    return f->wasm ? rbs_wasm_readable(ring(f), f->geo) : rbs_readable(&f->view);
}

int api_writable(fz *f) {
    return f->wasm ? rbs_wasm_writable(ring(f), f->geo) : rbs_writable(&f->view);
}

int api_closed(fz *f) {
    return f->wasm ? rbs_wasm_closed(ring(f), f->geo) : rbs_closed(&f->view);
}

int api_close(fz *f) {
    return f->wasm ? rbs_wasm_close(ring(f), f->geo) : rbs_close(&f->view);
}

int api_check(fz *f) {
    return f->wasm ? rbs_wasm_check(ring(f), f->geo, f->rate) : rbs_check(&f->view);
}

int api_audio_available(fz *f) {
    return f->wasm ? rbs_wasm_audio_available(ring(f), f->geo)
                   : rbs_audio_frames_available(&f->view);
}

int api_audio_writable(fz *f) {
    return f->wasm ? rbs_wasm_audio_writable(ring(f), f->geo) : rbs_audio_frames_writable(&f->view);
}

int api_audio_started(fz *f) {
    return f->wasm ? rbs_wasm_audio_started(ring(f), f->geo) : rbs_audio_started(&f->view);
}

uint32_t api_audio_scratch_size(fz *f, uint32_t channels, uint32_t frames) {
    return f->wasm ? rbs_wasm_audio_scratch_size(channels, frames)
                   : rbs_audio_scratch_size(channels, frames);
}
