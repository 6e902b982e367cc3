/*
 * ring.c — the byte ring: setting up, the producer's and the consumer's calls.
 * See ring_internal.h for the invariants and the memory-ordering argument.
 */
#include "ring_internal.h"

size_t rbs_region_size(uint32_t capacity) {
    if (!rbs__valid_capacity(capacity)) return 0;
    return (size_t)RBS_HEADER_SIZE + capacity;
}

int rbs__format(rbs_ring *r, size_t region_size, uint32_t capacity, uint32_t kind,
                uint32_t channels, uint32_t sample_rate, uint32_t frame_bytes) {
    if (r == NULL) return RBS_EINVAL;
    if (((uintptr_t)r & (RBS_LINE_SIZE - 1u)) != 0) return RBS_EALIGN;
    if (!rbs__valid_capacity(capacity)) return RBS_ECAPACITY;
    if (region_size < rbs_region_size(capacity)) return RBS_ERANGE;

    __builtin_memset(r, 0, RBS_HEADER_SIZE);
    r->abi_version = RBS_ABI_VERSION;
    r->header_size = RBS_HEADER_SIZE;
    r->capacity = capacity;
    r->kind = kind;
    r->channels = channels;
    r->sample_rate = sample_rate;
    r->frame_bytes = frame_bytes;
    r->meta_check = rbs__meta_check(capacity, kind, channels, sample_rate, frame_bytes);
    /* Magic last, with release: a party that sees the magic sees the rest.
     * (Normally the ring is handed over by a message, which orders it too.) */
    atomic_store_explicit((_Atomic uint32_t *)&r->magic, RBS_MAGIC, memory_order_release);
    return RBS_OK;
}

int rbs_init(rbs_ring *r, size_t region_size, uint32_t capacity) {
    return rbs__format(r, region_size, capacity, RBS_KIND_BYTES, 0, 0, 0);
}

int rbs_attach(const rbs_ring *r, size_t region_size) {
    if (r == NULL) return RBS_EINVAL;
    if (((uintptr_t)r & (RBS_LINE_SIZE - 1u)) != 0) return RBS_EALIGN;
    if (region_size < RBS_HEADER_SIZE) return RBS_ERANGE;
    if (atomic_load_explicit((_Atomic uint32_t *)&r->magic, memory_order_acquire) != RBS_MAGIC)
        return RBS_ENOTRING;
    if (r->abi_version != RBS_ABI_VERSION || r->header_size != RBS_HEADER_SIZE) return RBS_EVERSION;
    int64_t cap = rbs__meta(r, 0);
    if (cap < 0) return (int)cap;
    if (region_size < rbs_region_size((uint32_t)cap)) return RBS_ERANGE;
    if (r->kind < RBS_KIND_BYTES || r->kind > RBS_KIND_AUDIO) return RBS_ECORRUPT;
    uint32_t w = atomic_load_explicit(&r->write, memory_order_acquire);
    uint32_t rd = atomic_load_explicit(&r->read, memory_order_acquire);
    if (w - rd > (uint32_t)cap) return RBS_ECORRUPT;
    return RBS_OK;
}

int rbs_capacity(const rbs_ring *r) {
    return (int)rbs__meta(r, 0);
}

int rbs_kind(const rbs_ring *r) {
    int64_t cap = rbs__meta(r, 0);
    return cap < 0 ? (int)cap : (int)r->kind;
}

/* ------------------------------------------------------------------------ */
/* The byte calls' meta check                                                */
/* ------------------------------------------------------------------------ */

/* rbs__meta(r, RBS_KIND_BYTES) for every call on the byte path, cheaper: a
 * byte ring's meta line is exactly {magic, capacity, kind bytes, channels 0,
 * sample rate 0, frame bytes 0, check word over those}, so comparing each
 * word with those values and the check word with rbs__meta_check(capacity,
 * bytes, 0, 0, 0) -- which the compiler folds to one multiply and one xor --
 * checks the same thing (invariant I1).  Anything else -- a stray write,
 * another kind, a null ring -- takes the full check, which names the error
 * exactly as before. */
static __attribute__((noinline)) int64_t meta_bytes_full(const rbs_ring *r) {
    return rbs__meta(r, RBS_KIND_BYTES);
}

static inline __attribute__((always_inline)) int64_t meta_bytes(const rbs_ring *r) {
    if (r != NULL) {
        uint32_t cap = r->capacity;
        if (rbs__valid_capacity(cap) && r->magic == RBS_MAGIC && r->kind == RBS_KIND_BYTES &&
            (r->channels | r->sample_rate | r->frame_bytes) == 0 &&
            r->meta_check == rbs__meta_check(cap, RBS_KIND_BYTES, 0u, 0u, 0u))
            return cap;
    }
    return meta_bytes_full(r);
}

/* ------------------------------------------------------------------------ */
/* Moving the bytes and publishing the counter                               */
/* ------------------------------------------------------------------------ */
/* The end of every byte write (read): copy k bytes in (out) at counter w (rd)
 * and store the counter with release.  An item of at most 64 bytes that does
 * not wrap is moved inline; a wrap or a larger copy goes to an out-of-line
 * tail call, so the common path is a leaf that saves no registers. */

static __attribute__((noinline)) int publish_split(rbs_ring *r, uint32_t cap, uint32_t w,
                                                   const void *src, uint32_t k) {
    rbs__copy_in(r, cap, w, src, k);
    /* release: the copy above is visible before the consumer sees w + k */
    atomic_store_explicit(&r->write, w + k, memory_order_release);
    return (int)k;
}

static inline int publish(rbs_ring *r, uint32_t cap, uint32_t w, const void *src, uint32_t k) {
    uint32_t pos = w & (cap - 1u);
    if (k > 64u || k > cap - pos) return publish_split(r, cap, w, src, k);
    rbs__move_small(r->data + pos, src, k);
    atomic_store_explicit(&r->write, w + k, memory_order_release); /* as publish_split */
    return (int)k;
}

static __attribute__((noinline)) int consume_split(rbs_ring *r, uint32_t cap, uint32_t rd,
                                                   void *dst, uint32_t k) {
    rbs__copy_out(r, cap, rd, dst, k);
    /* release: our copy-out is done before the producer may reuse the space */
    atomic_store_explicit(&r->read, rd + k, memory_order_release);
    return (int)k;
}

static inline int consume(rbs_ring *r, uint32_t cap, uint32_t rd, void *dst, uint32_t k) {
    uint32_t pos = rd & (cap - 1u);
    if (k > 64u || k > cap - pos) return consume_split(r, cap, rd, dst, k);
    rbs__move_small(dst, r->data + pos, k);
    atomic_store_explicit(&r->read, rd + k, memory_order_release); /* as consume_split */
    return (int)k;
}

/* ------------------------------------------------------------------------ */
/* Producer                                                                  */
/* ------------------------------------------------------------------------ */

/* Clamps a size_t request to what a 32-bit ring can move in one call. */
static inline uint32_t clamp_request(size_t n, uint32_t cap) {
    return n > cap ? cap : (uint32_t)n;
}

int rbs_write(rbs_ring *r, const void *src, size_t n) {
    int64_t cap = meta_bytes(r);
    if (cap < 0) return (int)cap;
    if (src == NULL && n != 0) return RBS_EINVAL;
    if (RBS__LOAD_OWN(&r->closed)) return RBS_ECLOSED;
    uint32_t want = clamp_request(n, (uint32_t)cap);
    uint32_t w = RBS__LOAD_OWN(&r->write);
    int64_t free_bytes = rbs__producer_free(r, (uint32_t)cap, w, want);
    if (free_bytes < 0) return (int)free_bytes;
    uint32_t k = want < free_bytes ? want : (uint32_t)free_bytes;
    if (k == 0) return 0;
    return publish(r, (uint32_t)cap, w, src, k);
}

int rbs_write_all(rbs_ring *r, const void *src, size_t n) {
    int64_t cap = meta_bytes(r);
    if (cap < 0) return (int)cap;
    if (src == NULL && n != 0) return RBS_EINVAL;
    if (RBS__LOAD_OWN(&r->closed)) return RBS_ECLOSED;
    if (n > (uint64_t)cap) return RBS_ETOOBIG;
    uint32_t w = RBS__LOAD_OWN(&r->write);
    int64_t free_bytes = rbs__producer_free(r, (uint32_t)cap, w, (uint32_t)n);
    if (free_bytes < 0) return (int)free_bytes;
    if ((uint64_t)free_bytes < n) return RBS_EAGAIN;
    if (n == 0) return 0;
    return publish(r, (uint32_t)cap, w, src, (uint32_t)n);
}

int rbs_writable(const rbs_ring *r) {
    int64_t cap = rbs__meta(r, 0);
    if (cap < 0) return (int)cap;
    /* Either side may ask (acquire loads, to be safe for a producer that
     * then writes into the space it was told is free). */
    int64_t used = rbs__used_snapshot(r, (uint32_t)cap);
    return used < 0 ? (int)used : (int)(cap - used);
}

int rbs_close(rbs_ring *r) {
    int64_t cap = rbs__meta(r, 0);
    if (cap < 0) return (int)cap;
    /* release: every write before the close is visible to a consumer that
     * sees the flag (it re-reads `write` after seeing it). */
    atomic_store_explicit(&r->closed, 1u, memory_order_release);
    return RBS_OK;
}

int rbs_write_reserve(rbs_ring *r, size_t want, rbs_span out[2]) {
    int64_t cap = meta_bytes(r);
    if (cap < 0) return (int)cap;
    if (out == NULL) return RBS_EINVAL;
    out[0].ptr = out[1].ptr = NULL;
    out[0].len = out[1].len = 0;
    RBS__STORE_OWN(&r->reserved, 0u);
    if (RBS__LOAD_OWN(&r->closed)) return RBS_ECLOSED;
    uint32_t w = RBS__LOAD_OWN(&r->write);
    uint32_t n = clamp_request(want, (uint32_t)cap);
    int64_t free_bytes = rbs__producer_free(r, (uint32_t)cap, w, n);
    if (free_bytes < 0) return (int)free_bytes;
    uint32_t k = n < free_bytes ? n : (uint32_t)free_bytes;
    if (k == 0) return 0;
    uint32_t pos = w & ((uint32_t)cap - 1u);
    uint32_t first = (uint32_t)cap - pos < k ? (uint32_t)cap - pos : k;
    out[0].ptr = r->data + pos;
    out[0].len = first;
    if (k > first) {
        out[1].ptr = r->data;
        out[1].len = k - first;
    }
    RBS__STORE_OWN(&r->reserved_at, w);
    RBS__STORE_OWN(&r->reserved, k);
    return (int)k;
}

int rbs_write_commit(rbs_ring *r, size_t n) {
    int64_t cap = meta_bytes(r);
    if (cap < 0) return (int)cap;
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
    /* Re-check against the consumer's counter: a corrupt `reserved` word
     * must not let us publish more than is free. */
    int64_t free_bytes = rbs__producer_free(r, (uint32_t)cap, w, (uint32_t)n);
    if (free_bytes < 0) return (int)free_bytes;
    if ((uint64_t)free_bytes < n) return RBS_ECORRUPT;
    RBS__STORE_OWN(&r->reserved, 0u);
    if (n == 0) return 0;
    /* release: the caller's writes into the spans are visible first */
    atomic_store_explicit(&r->write, w + (uint32_t)n, memory_order_release);
    return (int)n;
}

/* ------------------------------------------------------------------------ */
/* Consumer                                                                  */
/* ------------------------------------------------------------------------ */

int rbs__empty_and_closed(rbs_ring *r, uint32_t rd) {
    /* acquire: pairs with the release in rbs_close */
    if (!atomic_load_explicit(&r->closed, memory_order_acquire)) return 0;
    /* Writes made before the close are now visible; look once more. */
    uint32_t w = atomic_load_explicit(&r->write, memory_order_acquire);
    return w == rd;
}

/* The common start of every consumer call: validated capacity, our read
 * counter and the bytes readable (at least `need` if the cache can tell). */
#define CONSUMER_PROLOGUE(need)                                                                    \
    int64_t cap = meta_bytes(r);                                                                   \
    if (cap < 0) return (int)cap;                                                                  \
    uint32_t rd = RBS__LOAD_OWN(&r->read);                                                         \
    int64_t used =                                                                                 \
        rbs__consumer_used(r, (uint32_t)cap, rd, (need) < cap ? (need) : (uint32_t)cap);           \
    if (used < 0) return (int)used;

/* A read of up to n bytes reloads the shared write counter when the cache
 * shows fewer than n (at most the capacity), so it returns everything that
 * is there, as the producer's partial write does for free space. */
static inline uint32_t want_of(size_t n) {
    return n > RBS_MAX_CAPACITY ? RBS_MAX_CAPACITY : (n == 0 ? 1u : (uint32_t)n);
}

int rbs_read(rbs_ring *r, void *dst, size_t n) {
    if (dst == NULL && n != 0) return RBS_EINVAL;
    CONSUMER_PROLOGUE(want_of(n))
    if (used == 0) return rbs__empty_and_closed(r, rd) ? RBS_ECLOSED : 0;
    uint32_t k = n < (uint64_t)used ? (uint32_t)n : (uint32_t)used;
    if (k == 0) return 0;
    return consume(r, (uint32_t)cap, rd, dst, k);
}

int rbs_read_all(rbs_ring *r, void *dst, size_t n) {
    if (dst == NULL && n != 0) return RBS_EINVAL;
    int64_t cap = meta_bytes(r);
    if (cap < 0) return (int)cap;
    if (n > (uint64_t)cap) return RBS_ETOOBIG;
    /* as CONSUMER_PROLOGUE, with the meta line checked once */
    uint32_t rd = RBS__LOAD_OWN(&r->read);
    int64_t used = rbs__consumer_used(r, (uint32_t)cap, rd, (uint32_t)n);
    if (used < 0) return (int)used;
    if ((uint64_t)used < n) {
        /* closed: the missing bytes will never come */
        if (atomic_load_explicit(&r->closed, memory_order_acquire)) {
            uint32_t w = atomic_load_explicit(&r->write, memory_order_acquire);
            if ((uint64_t)(w - rd) < n) return RBS_ECLOSED;
            used = w - rd; /* the producer wrote the rest just before closing */
            if (used > cap) return RBS_ECORRUPT;
        } else {
            return RBS_EAGAIN;
        }
    }
    if (n == 0) return 0;
    return consume(r, (uint32_t)cap, rd, dst, (uint32_t)n);
}

int rbs_peek(rbs_ring *r, void *dst, size_t n) {
    if (dst == NULL && n != 0) return RBS_EINVAL;
    CONSUMER_PROLOGUE(want_of(n))
    if (used == 0) return rbs__empty_and_closed(r, rd) ? RBS_ECLOSED : 0;
    uint32_t k = n < (uint64_t)used ? (uint32_t)n : (uint32_t)used;
    rbs__copy_out(r, (uint32_t)cap, rd, dst, k);
    return (int)k;
}

int rbs_skip(rbs_ring *r, size_t n) {
    CONSUMER_PROLOGUE(want_of(n))
    if (used == 0) return rbs__empty_and_closed(r, rd) ? RBS_ECLOSED : 0;
    uint32_t k = n < (uint64_t)used ? (uint32_t)n : (uint32_t)used;
    if (k == 0) return 0;
    atomic_store_explicit(&r->read, rd + k, memory_order_release); /* frees the space */
    return (int)k;
}

int rbs_readable(const rbs_ring *r) {
    int64_t cap = rbs__meta(r, 0);
    if (cap < 0) return (int)cap;
    return (int)rbs__used_snapshot(r, (uint32_t)cap);
}

int rbs_closed(const rbs_ring *r) {
    int64_t cap = rbs__meta(r, 0);
    if (cap < 0) return (int)cap;
    return atomic_load_explicit(&r->closed, memory_order_acquire) ? 1 : 0;
}

int rbs_read_acquire(rbs_ring *r, size_t want, rbs_span out[2]) {
    if (out == NULL) return RBS_EINVAL;
    out[0].ptr = out[1].ptr = NULL;
    out[0].len = out[1].len = 0;
    CONSUMER_PROLOGUE(want_of(want))
    RBS__STORE_OWN(&r->acquired, 0u);
    if (used == 0) return rbs__empty_and_closed(r, rd) ? RBS_ECLOSED : 0;
    uint32_t k = want < (uint64_t)used ? (uint32_t)want : (uint32_t)used;
    if (k == 0) return 0;
    uint32_t pos = rd & ((uint32_t)cap - 1u);
    uint32_t first = (uint32_t)cap - pos < k ? (uint32_t)cap - pos : k;
    out[0].ptr = r->data + pos;
    out[0].len = first;
    if (k > first) {
        out[1].ptr = r->data;
        out[1].len = k - first;
    }
    RBS__STORE_OWN(&r->acquired_at, rd);
    RBS__STORE_OWN(&r->acquired, k);
    return (int)k;
}

int rbs_read_release(rbs_ring *r, size_t n) {
    int64_t cap = meta_bytes(r);
    if (cap < 0) return (int)cap;
    uint32_t acquired = RBS__LOAD_OWN(&r->acquired);
    if (n > acquired) return RBS_EINVAL;
    uint32_t rd = RBS__LOAD_OWN(&r->read);
    /* A read or skip since the acquire moved the counter: void (as commit). */
    if (n != 0 && rd != RBS__LOAD_OWN(&r->acquired_at)) {
        RBS__STORE_OWN(&r->acquired, 0u);
        return RBS_EINVAL;
    }
    /* Never release past the producer's counter, whatever `acquired` says. */
    int64_t used = rbs__consumer_used(r, (uint32_t)cap, rd, (uint32_t)n);
    if (used < 0) return (int)used;
    if ((uint64_t)used < n) return RBS_ECORRUPT;
    RBS__STORE_OWN(&r->acquired, 0u);
    if (n == 0) return 0;
    /* release: the caller finished reading the spans */
    atomic_store_explicit(&r->read, rd + (uint32_t)n, memory_order_release);
    return (int)n;
}
