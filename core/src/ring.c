/*
 * ring.c — setting up a ring (format, attach: the one validation step,
 * check) and the byte ring's calls, for C callers (a view) and for the
 * WebAssembly host (geometry arguments, wasm_api.h).  The invariants and the
 * memory-ordering argument are in ring_internal.h.
 */
#include "wasm_api.h"

/* ------------------------------------------------------------------------ */
/* Setting up                                                                */
/* ------------------------------------------------------------------------ */

size_t rbs_region_size(uint32_t capacity) {
    if (!rbs__valid_capacity(capacity)) return 0;
    return (size_t)RBS_HEADER_SIZE + capacity;
}

int rbs__format(rbs_view *v, void *region, size_t region_size, uint32_t capacity, uint32_t kind,
                uint32_t channels, uint32_t sample_rate) {
    if (region == NULL) return RBS_EINVAL;
    if (((uintptr_t)region & (RBS_LINE_SIZE - 1u)) != 0) return RBS_EALIGN;
    if (!rbs__valid_capacity(capacity)) return RBS_ECAPACITY;
    if (region_size < rbs_region_size(capacity)) return RBS_ERANGE;

    rbs_ring *r = region;
    __builtin_memset(r, 0, RBS_HEADER_SIZE);
    rbs_view nv = rbs__make_view(r, capacity, kind, channels, sample_rate);
    RBS__STORE_OWN(&r->abi_version, RBS_ABI_VERSION);
    RBS__STORE_OWN(&r->header_size, RBS_HEADER_SIZE);
    RBS__STORE_OWN(&r->capacity, capacity);
    RBS__STORE_OWN(&r->kind, kind);
    RBS__STORE_OWN(&r->channels, channels);
    RBS__STORE_OWN(&r->sample_rate, sample_rate);
    RBS__STORE_OWN(&r->frame_bytes, nv.frame_bytes);
    RBS__STORE_OWN(&r->meta_check, nv.meta_check);
    if (kind == RBS_KIND_AUDIO) RBS__STORE_OWN(&r->event_gain, 0x3F800000u); /* 1.0f */
    /* Magic last, with release: a party that sees the magic sees the rest. */
    atomic_store_explicit(&r->magic, RBS_MAGIC, memory_order_release);
    if (v != NULL) *v = nv;
    return RBS_OK;
}

int rbs_init(rbs_view *v, void *region, size_t region_size, uint32_t capacity) {
    return rbs__format(v, region, region_size, capacity, RBS_KIND_BYTES, 0, 0);
}

/* The meta line's kind and format words are those an init could have
 * written (the check word proves only that someone computed it). */
static int valid_shape(uint32_t cap, uint32_t kind, uint32_t ch, uint32_t rate, uint32_t fb) {
    if (kind == RBS_KIND_BYTES || kind == RBS_KIND_MESSAGES) return (ch | rate | fb) == 0;
    if (kind != RBS_KIND_AUDIO) return 0;
    return ch >= 1 && ch <= RBS_MAX_CHANNELS && fb == 4u * ch && fb <= cap &&
           rate >= RBS_MIN_SAMPLE_RATE && rate <= RBS_MAX_SAMPLE_RATE;
}

/* The one validation step: the ring in `region_size` bytes at `region`,
 * every meta word read once; fills *v only when all of it holds. */
RBS__HOT int validate(rbs_view *v, const void *region, size_t region_size) {
    if (region == NULL) return RBS_EINVAL;
    if (((uintptr_t)region & (RBS_LINE_SIZE - 1u)) != 0) return RBS_EALIGN;
    if (region_size < RBS_HEADER_SIZE) return RBS_ERANGE;
    rbs_ring *r = (rbs_ring *)region; /* attach reads; calls through the view write */
    /* acquire: pairs with the release of the magic in rbs__format */
    if (atomic_load_explicit(&r->magic, memory_order_acquire) != RBS_MAGIC) return RBS_ENOTRING;
    if (RBS__LOAD_META(&r->abi_version) != RBS_ABI_VERSION ||
        RBS__LOAD_META(&r->header_size) != RBS_HEADER_SIZE)
        return RBS_EVERSION;
    uint32_t cap = RBS__LOAD_META(&r->capacity);
    uint32_t kind = RBS__LOAD_META(&r->kind);
    uint32_t ch = RBS__LOAD_META(&r->channels);
    uint32_t rate = RBS__LOAD_META(&r->sample_rate);
    uint32_t fb = RBS__LOAD_META(&r->frame_bytes);
    uint32_t check = RBS__LOAD_META(&r->meta_check);
    if (!rbs__valid_capacity(cap) || check != rbs__meta_check(cap, kind, ch, rate, fb) ||
        !valid_shape(cap, kind, ch, rate, fb))
        return RBS_ECORRUPT;
    if (region_size < rbs_region_size(cap)) return RBS_ERANGE;
    rbs_view nv = rbs__make_view(r, cap, kind, ch, rate);
    if (rbs__used_snapshot(&nv) < 0) return RBS_ECORRUPT;
    *v = nv;
    return RBS_OK;
}

int rbs_attach(rbs_view *v, const void *region, size_t region_size) {
    if (v == NULL) return RBS_EINVAL;
    __builtin_memset(v, 0, sizeof *v);
    return validate(v, region, region_size);
}

/* Full check of the meta line against the view, and of the counters. */
RBS__HOT int check_view(const rbs_view *v) {
    const rbs_ring *r = v->ring;
    if (!rbs__meta_intact(v) || RBS__LOAD_META(&r->abi_version) != RBS_ABI_VERSION ||
        RBS__LOAD_META(&r->header_size) != RBS_HEADER_SIZE ||
        RBS__LOAD_META(&r->sample_rate) != v->sample_rate ||
        RBS__LOAD_META(&r->meta_check) != v->meta_check)
        return RBS_ECORRUPT;
    return rbs__used_snapshot(v) < 0 ? RBS_ECORRUPT : RBS_OK;
}

int rbs_check(const rbs_view *v) {
    int g = rbs__gate(v, 0);
    return g != RBS_OK ? g : check_view(v);
}

/* ------------------------------------------------------------------------ */
/* Queries and close (any kind)                                              */
/* ------------------------------------------------------------------------ */

RBS__HOT int readable(const rbs_view *v) {
    if (!rbs__meta_intact(v)) return RBS_ECORRUPT;
    return (int)rbs__used_snapshot(v);
}

RBS__HOT int writable(const rbs_view *v) {
    if (!rbs__meta_intact(v)) return RBS_ECORRUPT;
    /* acquire loads: safe for a producer that then writes into that space */
    int64_t used = rbs__used_snapshot(v);
    return used < 0 ? (int)used : (int)(v->capacity - (uint32_t)used);
}

RBS__HOT int closed(const rbs_view *v) {
    if (!rbs__meta_intact(v)) return RBS_ECORRUPT;
    return atomic_load_explicit(&v->ring->closed, memory_order_acquire) ? 1 : 0;
}

RBS__HOT int close_ring(const rbs_view *v) {
    rbs_ring *r = v->ring;
    /* release: every write before the close is visible to a consumer that
     * sees the flag (it re-reads `write` after seeing it) */
    atomic_store_explicit(&r->closed, 1u, memory_order_release);
    /* A waiting consumer must see the close: always wake it (rbs.h). */
    atomic_fetch_add_explicit(&r->consumer_wake, 1u, memory_order_seq_cst);
    rbs__notify_all(&r->consumer_wake);
    return RBS_OK;
}

/* ------------------------------------------------------------------------ */
/* Moving bytes                                                              */
/* ------------------------------------------------------------------------ */
/* The end of every byte write (read): copy k bytes in (out) at counter w (rd)
 * and move the counter.  An item of at most 64 bytes that does not wrap is
 * moved inline; a wrap or a larger copy goes out of line, so the common path
 * is a leaf that saves no registers. */

RBS__SPLIT int put_split(const rbs_view *v, uint32_t w, const void *src, uint32_t k, int wake) {
    rbs__copy_in(v, w, src, k);
    rbs__publish(v->ring, w + k, wake);
    return (int)k;
}

RBS__HOT int put(const rbs_view *v, uint32_t w, const void *src, uint32_t k, int wake) {
    uint32_t pos = w & (v->capacity - 1u);
    if (k > 64u || k > v->capacity - pos) return put_split(v, w, src, k, wake);
    rbs__move_small(v->data + pos, src, k);
    rbs__publish(v->ring, w + k, wake);
    return (int)k;
}

RBS__SPLIT int take_split(const rbs_view *v, uint32_t rd, void *dst, uint32_t k, int wake) {
    rbs__copy_out(v, rd, dst, k);
    rbs__consume(v->ring, rd + k, wake);
    return (int)k;
}

RBS__HOT int take(const rbs_view *v, uint32_t rd, void *dst, uint32_t k, int wake) {
    uint32_t pos = rd & (v->capacity - 1u);
    if (k > 64u || k > v->capacity - pos) return take_split(v, rd, dst, k, wake);
    rbs__move_small(dst, v->data + pos, k);
    rbs__consume(v->ring, rd + k, wake);
    return (int)k;
}

/* ------------------------------------------------------------------------ */
/* Producer                                                                  */
/* ------------------------------------------------------------------------ */

/* rbs_write (all == 0) and rbs_write_all (all == 1), the general way. */
RBS__SPLIT int write_general(const rbs_view *v, const void *src, size_t n, int all, int wake) {
    if (src == NULL && n != 0) return RBS_EINVAL;
    rbs_ring *r = v->ring;
    uint32_t cap = v->capacity;
    if (RBS__LOAD_OWN(&r->closed)) return RBS_ECLOSED;
    if (all && n > cap) return RBS_ETOOBIG;
    uint32_t want = n > cap ? cap : (uint32_t)n;
    uint32_t w = RBS__LOAD_OWN(&r->write);
    int64_t free_bytes = rbs__producer_free(v, w, want);
    if (free_bytes < 0) return (int)free_bytes;
    uint32_t k = want < free_bytes ? want : (uint32_t)free_bytes;
    if (k < want && (all || k == 0)) return rbs__nothing_now(v, all ? RBS_EAGAIN : 0);
    if (k == 0) return 0;
    return put(v, w, src, k, wake);
}

/* The common case first: an item of 1 to 64 bytes that fits before the end
 * of the buffer and in the room there is now, on a ring not closed.  The
 * general path would write it whole too, so rbs_write and rbs_write_all
 * answer alike; anything else (no room, a wrap, a larger item, an error)
 * goes that way. */
RBS__HOT int write_bytes(const rbs_view *v, const void *src, size_t n, int all, int wake) {
    rbs_ring *r = v->ring;
    uint32_t cap = v->capacity;
    if (n - 1u < 64u && src != NULL && !RBS__LOAD_OWN(&r->closed)) {
        uint32_t k = (uint32_t)n;
        uint32_t w = RBS__LOAD_OWN(&r->write);
        uint32_t pos = w & (cap - 1u);
        /* k <= cap - pos bounds k by cap, so used <= cap - k is I2 and the room */
        if (k <= cap - pos) {
            if (w - RBS__LOAD_OWN(&r->cached_read) > cap - k) {
                /* acquire: the consumer finished copying out of that space */
                uint32_t rd = atomic_load_explicit(&r->read, memory_order_acquire);
                if (w - rd > cap - k) return write_general(v, src, n, all, wake);
                RBS__STORE_OWN(&r->cached_read, rd);
            }
            rbs__move_small(r->data + pos, src, k);
            rbs__publish(r, w + k, wake);
            return (int)k;
        }
    }
    return write_general(v, src, n, all, wake);
}

/* Hands out up to `want` bytes of free space at *pos (a position in the data
 * area; it wraps after capacity - *pos bytes) and records the reservation. */
RBS__HOT int reserve(const rbs_view *v, size_t want, uint32_t *pos) {
    rbs_ring *r = v->ring;
    uint32_t cap = v->capacity;
    RBS__STORE_OWN(&r->reserved, 0u);
    if (RBS__LOAD_OWN(&r->closed)) return RBS_ECLOSED;
    uint32_t w = RBS__LOAD_OWN(&r->write);
    uint32_t n = want > cap ? cap : (uint32_t)want;
    int64_t free_bytes = rbs__producer_free(v, w, n);
    if (free_bytes < 0) return (int)free_bytes;
    uint32_t k = n < free_bytes ? n : (uint32_t)free_bytes;
    if (k == 0) return n == 0 ? 0 : rbs__nothing_now(v, 0);
    *pos = w & (cap - 1u);
    RBS__STORE_OWN(&r->reserved_at, w);
    RBS__STORE_OWN(&r->reserved, k);
    return (int)k;
}

RBS__HOT int commit(const rbs_view *v, size_t n, int wake) {
    rbs_ring *r = v->ring;
    uint32_t reserved = RBS__LOAD_OWN(&r->reserved);
    if (n > reserved) return RBS_EINVAL;
    uint32_t w = RBS__LOAD_OWN(&r->write);
    /* A write since the reserve moved the counter: the spans no longer start
     * at the write position, so the reservation is void.  (Checked here, not
     * cleared by every write, to keep the write path free of extra stores.) */
    if (n != 0 && w != RBS__LOAD_OWN(&r->reserved_at)) {
        RBS__STORE_OWN(&r->reserved, 0u);
        return RBS_EINVAL;
    }
    if (RBS__LOAD_OWN(&r->closed)) return RBS_ECLOSED;
    /* The `reserved` word is shared memory: never publish more than is free. */
    int64_t free_bytes = rbs__producer_free(v, w, (uint32_t)n);
    if (free_bytes < 0) return (int)free_bytes;
    if ((uint64_t)free_bytes < n) return RBS_ECORRUPT;
    RBS__STORE_OWN(&r->reserved, 0u);
    if (n == 0) return 0;
    rbs__publish(v->ring, w + (uint32_t)n, wake);
    return (int)n;
}

/* ------------------------------------------------------------------------ */
/* Consumer                                                                  */
/* ------------------------------------------------------------------------ */

/* A read of up to n bytes reloads the shared write counter when the cache
 * shows fewer than n (at most the capacity), so it returns everything that
 * is there, as the producer's partial write does for free space. */
static inline uint32_t want_of(size_t n) {
    return n > RBS_MAX_CAPACITY ? RBS_MAX_CAPACITY : (n == 0 ? 1u : (uint32_t)n);
}

enum { READ, PEEK, SKIP };

/* rbs_read, rbs_peek and rbs_skip: up to n bytes now, the general way. */
RBS__SPLIT int read_general(const rbs_view *v, void *dst, size_t n, int how, int wake) {
    if (dst == NULL && n != 0 && how != SKIP) return RBS_EINVAL;
    rbs_ring *r = v->ring;
    uint32_t rd = RBS__LOAD_OWN(&r->read);
    int64_t used = rbs__consumer_used(v, rd, want_of(n));
    if (used < 0) return (int)used;
    if (used == 0) return rbs__empty_and_closed(v, rd) ? RBS_ECLOSED : rbs__nothing_now(v, 0);
    uint32_t k = n < (uint64_t)used ? (uint32_t)n : (uint32_t)used;
    if (k == 0) return 0;
    if (how == PEEK) {
        rbs__copy_out(v, rd, dst, k);
        return (int)k;
    }
    if (how == SKIP) {
        rbs__consume(v->ring, rd + k, wake);
        return (int)k;
    }
    return take(v, rd, dst, k, wake);
}

/* The common case of rbs_read and rbs_read_all, as for writes: 1 to 64 bytes
 * that are there now, before the end of the buffer.  Returns n, or 0 when
 * the general path must decide (nothing or too little there, a wrap, a
 * larger read, an error). */
RBS__HOT int take_now(const rbs_view *v, void *dst, size_t n, int wake) {
    rbs_ring *r = v->ring;
    uint32_t cap = v->capacity;
    if (n - 1u >= 64u || dst == NULL) return 0;
    uint32_t k = (uint32_t)n;
    uint32_t rd = RBS__LOAD_OWN(&r->read);
    uint32_t pos = rd & (cap - 1u);
    if (k > cap - pos) return 0;
    /* k <= cap - pos bounds k by cap; used - k <= cap - k is both
     * used <= cap (I2) and used >= k, in one unsigned comparison */
    if (RBS__LOAD_OWN(&r->cached_write) - rd - k > cap - k) {
        /* acquire: the producer's copy happens-before our read of it */
        uint32_t w = atomic_load_explicit(&r->write, memory_order_acquire);
        if (w - rd - k > cap - k) return 0;
        RBS__STORE_OWN(&r->cached_write, w);
    }
    rbs__move_small(dst, r->data + pos, k);
    rbs__consume(r, rd + k, wake);
    return (int)k;
}

RBS__HOT int read_bytes(const rbs_view *v, void *dst, size_t n, int how, int wake) {
    if (how == READ) {
        int k = take_now(v, dst, n, wake);
        if (k != 0) return k;
    }
    return read_general(v, dst, n, how, wake);
}

RBS__SPLIT int read_all_general(const rbs_view *v, void *dst, size_t n, int wake) {
    if (dst == NULL && n != 0) return RBS_EINVAL;
    if (n > v->capacity) return RBS_ETOOBIG;
    rbs_ring *r = v->ring;
    uint32_t rd = RBS__LOAD_OWN(&r->read);
    int64_t used = rbs__consumer_used(v, rd, (uint32_t)n);
    if (used < 0) return (int)used;
    if ((uint64_t)used < n) {
        if (!atomic_load_explicit(&r->closed, memory_order_acquire))
            return rbs__nothing_now(v, RBS_EAGAIN);
        /* closed: the missing bytes never come, unless written just before */
        uint32_t w = atomic_load_explicit(&r->write, memory_order_acquire);
        if (w - rd > v->capacity) return RBS_ECORRUPT;
        if (w - rd < n) return RBS_ECLOSED;
    }
    if (n == 0) return 0;
    return take(v, rd, dst, (uint32_t)n, wake);
}

RBS__HOT int read_all(const rbs_view *v, void *dst, size_t n, int wake) {
    int k = take_now(v, dst, n, wake);
    return k != 0 ? k : read_all_general(v, dst, n, wake);
}

/* Hands out up to `want` readable bytes at *pos and records the acquire. */
RBS__HOT int acquire(const rbs_view *v, size_t want, uint32_t *pos) {
    rbs_ring *r = v->ring;
    RBS__STORE_OWN(&r->acquired, 0u);
    uint32_t rd = RBS__LOAD_OWN(&r->read);
    int64_t used = rbs__consumer_used(v, rd, want_of(want));
    if (used < 0) return (int)used;
    if (used == 0) return rbs__empty_and_closed(v, rd) ? RBS_ECLOSED : rbs__nothing_now(v, 0);
    uint32_t k = want < (uint64_t)used ? (uint32_t)want : (uint32_t)used;
    if (k == 0) return 0;
    *pos = rd & (v->capacity - 1u);
    RBS__STORE_OWN(&r->acquired_at, rd);
    RBS__STORE_OWN(&r->acquired, k);
    return (int)k;
}

RBS__HOT int release(const rbs_view *v, size_t n, int wake) {
    rbs_ring *r = v->ring;
    uint32_t acquired = RBS__LOAD_OWN(&r->acquired);
    if (n > acquired) return RBS_EINVAL;
    uint32_t rd = RBS__LOAD_OWN(&r->read);
    /* A read or skip since the acquire moved the counter: void (as commit). */
    if (n != 0 && rd != RBS__LOAD_OWN(&r->acquired_at)) {
        RBS__STORE_OWN(&r->acquired, 0u);
        return RBS_EINVAL;
    }
    /* Never release past the producer's counter, whatever `acquired` says. */
    int64_t used = rbs__consumer_used(v, rd, (uint32_t)n);
    if (used < 0) return (int)used;
    if ((uint64_t)used < n) return RBS_ECORRUPT;
    RBS__STORE_OWN(&r->acquired, 0u);
    if (n == 0) return 0;
    rbs__consume(v->ring, rd + (uint32_t)n, wake);
    return (int)n;
}

/* The one or two spans of k bytes from position pos (zero-copy calls). */
static void spans_at(const rbs_view *v, uint32_t pos, uint32_t k, rbs_span out[2]) {
    uint32_t first = v->capacity - pos < k ? v->capacity - pos : k;
    out[0].ptr = v->data + pos;
    out[0].len = first;
    if (k > first) {
        out[1].ptr = v->data;
        out[1].len = k - first;
    }
}

/* ------------------------------------------------------------------------ */
/* C callers: the view, gated                                                */
/* ------------------------------------------------------------------------ */

#define GATE(v, kind)                                                                              \
    do {                                                                                           \
        int gate_ = rbs__gate((v), (kind));                                                        \
        if (gate_ != RBS_OK) return gate_;                                                         \
    } while (0)

int rbs_readable(const rbs_view *v) {
    GATE(v, 0);
    return readable(v);
}

int rbs_writable(const rbs_view *v) {
    GATE(v, 0);
    return writable(v);
}

int rbs_closed(const rbs_view *v) {
    GATE(v, 0);
    return closed(v);
}

int rbs_close(const rbs_view *v) {
    GATE(v, 0);
    return close_ring(v);
}

int rbs_write(const rbs_view *v, const void *src, size_t n) {
    GATE(v, RBS_KIND_BYTES);
    return write_bytes(v, src, n, 0, 0);
}

int rbs_write_all(const rbs_view *v, const void *src, size_t n) {
    GATE(v, RBS_KIND_BYTES);
    return write_bytes(v, src, n, 1, 0);
}

int rbs_write_reserve(const rbs_view *v, size_t want, rbs_span out[2]) {
    GATE(v, RBS_KIND_BYTES);
    if (out == NULL) return RBS_EINVAL;
    out[0].ptr = out[1].ptr = NULL;
    out[0].len = out[1].len = 0;
    uint32_t pos = 0;
    int k = reserve(v, want, &pos);
    if (k > 0) spans_at(v, pos, (uint32_t)k, out);
    return k;
}

int rbs_write_commit(const rbs_view *v, size_t n) {
    GATE(v, RBS_KIND_BYTES);
    return commit(v, n, 0);
}

int rbs_read(const rbs_view *v, void *dst, size_t n) {
    GATE(v, RBS_KIND_BYTES);
    return read_bytes(v, dst, n, READ, 0);
}

int rbs_read_all(const rbs_view *v, void *dst, size_t n) {
    GATE(v, RBS_KIND_BYTES);
    return read_all(v, dst, n, 0);
}

int rbs_peek(const rbs_view *v, void *dst, size_t n) {
    GATE(v, RBS_KIND_BYTES);
    return read_bytes(v, dst, n, PEEK, 0);
}

int rbs_skip(const rbs_view *v, size_t n) {
    GATE(v, RBS_KIND_BYTES);
    return read_bytes(v, NULL, n, SKIP, 0);
}

int rbs_read_acquire(const rbs_view *v, size_t want, rbs_span out[2]) {
    GATE(v, RBS_KIND_BYTES);
    if (out == NULL) return RBS_EINVAL;
    out[0].ptr = out[1].ptr = NULL;
    out[0].len = out[1].len = 0;
    uint32_t pos = 0;
    int k = acquire(v, want, &pos);
    if (k > 0) spans_at(v, pos, (uint32_t)k, out);
    return k;
}

int rbs_read_release(const rbs_view *v, size_t n) {
    GATE(v, RBS_KIND_BYTES);
    return release(v, n, 0);
}

/* ------------------------------------------------------------------------ */
/* The WebAssembly host: trusted geometry in the arguments (wasm_api.h)      */
/* ------------------------------------------------------------------------ */

int rbs_wasm_abi(void) {
    return (int)RBS_ABI_VERSION;
}

int rbs_wasm_init(rbs_ring *ring, uint32_t region_size, uint32_t capacity, uint32_t kind,
                  uint32_t channels, uint32_t sample_rate) {
    if (kind == RBS_KIND_BYTES) return rbs_init(NULL, ring, region_size, capacity);
    if (kind == RBS_KIND_MESSAGES) return rbs_msg_init(NULL, ring, region_size, capacity);
    if (kind == RBS_KIND_AUDIO)
        return rbs_audio_init(NULL, ring, region_size, capacity, channels, sample_rate);
    return RBS_EKIND;
}

int64_t rbs_wasm_attach(rbs_ring *ring, uint32_t region_size) {
    rbs_view v;
    int rc = validate(&v, ring, region_size);
    if (rc != RBS_OK) return rc;
    uint32_t log2 = (uint32_t)__builtin_ctz(v.capacity);
    return (int64_t)rbs__geo(log2, v.kind, v.channels) | (int64_t)v.sample_rate << 32;
}

int rbs_wasm_check(rbs_ring *ring, uint32_t geo, uint32_t sample_rate) {
    rbs_view v = rbs__view_of(ring, geo, sample_rate);
    return check_view(&v);
}

int rbs_wasm_readable(rbs_ring *ring, uint32_t geo) {
    rbs_view v = rbs__view_of(ring, geo, 0);
    return readable(&v);
}

int rbs_wasm_writable(rbs_ring *ring, uint32_t geo) {
    rbs_view v = rbs__view_of(ring, geo, 0);
    return writable(&v);
}

int rbs_wasm_closed(rbs_ring *ring, uint32_t geo) {
    rbs_view v = rbs__view_of(ring, geo, 0);
    return closed(&v);
}

int rbs_wasm_close(rbs_ring *ring, uint32_t geo) {
    rbs_view v = rbs__view_of(ring, geo, 0);
    return close_ring(&v);
}

int rbs_wasm_write(rbs_ring *ring, uint32_t geo, const void *src, uint32_t n) {
    rbs_view v = rbs__view_of(ring, geo, 0);
    return write_bytes(&v, src, n, 0, 1);
}

int rbs_wasm_write_all(rbs_ring *ring, uint32_t geo, const void *src, uint32_t n) {
    rbs_view v = rbs__view_of(ring, geo, 0);
    return write_bytes(&v, src, n, 1, 1);
}

int rbs_wasm_reserve(rbs_ring *ring, uint32_t geo, uint32_t want) {
    rbs_view v = rbs__view_of(ring, geo, 0);
    uint32_t pos = 0;
    int k = reserve(&v, want, &pos);
    rbs__scratch_out(ring, RBS_OFF_PRODUCER_SCRATCH, pos);
    return k;
}

int rbs_wasm_commit(rbs_ring *ring, uint32_t geo, uint32_t n) {
    rbs_view v = rbs__view_of(ring, geo, 0);
    return commit(&v, n, 1);
}

int rbs_wasm_read(rbs_ring *ring, uint32_t geo, void *dst, uint32_t n) {
    rbs_view v = rbs__view_of(ring, geo, 0);
    return read_bytes(&v, dst, n, READ, 1);
}

int rbs_wasm_read_all(rbs_ring *ring, uint32_t geo, void *dst, uint32_t n) {
    rbs_view v = rbs__view_of(ring, geo, 0);
    return read_all(&v, dst, n, 1);
}

int rbs_wasm_peek(rbs_ring *ring, uint32_t geo, void *dst, uint32_t n) {
    rbs_view v = rbs__view_of(ring, geo, 0);
    return read_bytes(&v, dst, n, PEEK, 1);
}

int rbs_wasm_skip(rbs_ring *ring, uint32_t geo, uint32_t n) {
    rbs_view v = rbs__view_of(ring, geo, 0);
    return read_bytes(&v, NULL, n, SKIP, 1);
}

int rbs_wasm_acquire(rbs_ring *ring, uint32_t geo, uint32_t want) {
    rbs_view v = rbs__view_of(ring, geo, 0);
    uint32_t pos = 0;
    int k = acquire(&v, want, &pos);
    rbs__scratch_out(ring, RBS_OFF_CONSUMER_SCRATCH, pos);
    return k;
}

int rbs_wasm_release(rbs_ring *ring, uint32_t geo, uint32_t n) {
    rbs_view v = rbs__view_of(ring, geo, 0);
    return release(&v, n, 1);
}
