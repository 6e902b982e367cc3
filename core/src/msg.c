/*
 * msg.c — framed messages on a ring (kind RBS_KIND_MESSAGES).
 *
 * Frame format, in the data area:
 *
 *   [len: u32 little-endian][payload: len bytes][0..3 bytes of padding]
 *
 * so a frame takes frame_size(len) = 4 + round_up(len, 4) bytes and every
 * frame starts 4-byte aligned.  A message is always contiguous in the ring:
 * when its frame does not fit between the write position and the end of the
 * buffer, the producer writes a padding frame there (length word
 * RBS_MSG_PADDING: "skip to the end of the buffer") and the message at
 * position 0.  Because positions are 4-aligned and capacity >= 16, at least
 * 4 bytes remain before the end, so a length word never wraps either.
 *
 * All or nothing: the padding frame and the message after it are published by
 * ONE release store of the write counter, and consumed by ONE release store of
 * the read counter.  So every published write counter is a frame boundary,
 * the consumer never sees a padding frame without its message, and a frame
 * that claims more bytes than are published is corruption, never "not yet".
 *
 * Trust: the length word lives in shared memory and is checked before it is
 * used (not above the largest message, not crossing the end of the buffer,
 * not more than the published bytes; a padding frame never at position 0);
 * anything else answers RBS_ECORRUPT and no pointer leaves the ring.
 *
 * Zero-copy bookkeeping uses the side-private header words (shared memory,
 * so checked before use like everything else there):
 *   reserved (producer-only): 0 = nothing reserved, else reserved length + 1
 *                             (zero-length messages are valid, so 0 cannot
 *                             mean "reserved 0 bytes");
 *   acquired (consumer-only): 0 = nothing acquired, else the bytes the
 *                             acquired message takes (padding + frame, >= 4).
 * A plain send drops a pending reservation and a plain receive drops a
 * pending acquire, so a later commit/release cannot act on stale positions.
 */
#include "msg_frames.h"
#include "wasm_api.h"

/* ------------------------------------------------------------------------ */
/* Frame arithmetic                                                          */
/* ------------------------------------------------------------------------ */

/* Where a message of `len` bytes goes when the write counter is at w: sets
 * *at to its frame's position and returns the bytes it takes (the padding
 * frame, if the frame does not fit in the tail, plus the frame). */
RBS__HOT uint32_t place(uint32_t cap, uint32_t w, uint32_t len, uint32_t *at) {
    uint32_t pos = w & (cap - 1u);
    uint32_t f = frame_size(len);
    if (f <= cap - pos) {
        *at = pos;
        return f;
    }
    *at = 0;
    return (cap - pos) + f;
}

/* ------------------------------------------------------------------------ */
/* Setting up                                                                */
/* ------------------------------------------------------------------------ */

int rbs_msg_init(rbs_view *v, void *region, size_t region_size, uint32_t capacity) {
    return rbs__format(v, region, region_size, capacity, RBS_KIND_MESSAGES, 0, 0);
}

/* ------------------------------------------------------------------------ */
/* Producer                                                                  */
/* ------------------------------------------------------------------------ */

/* Finds room for a message of `len` bytes at write counter w: returns its
 * frame's position and sets *need to the bytes it takes, or returns
 * RBS_EAGAIN (no room now) / RBS_ECORRUPT.  Costs no shared load when the
 * cached read counter already shows enough room. */
RBS__HOT int64_t producer_room(const rbs_view *v, uint32_t w, uint32_t len, uint32_t *need) {
    uint32_t at;
    uint32_t n = place(v->capacity, w, len, &at);
    int64_t free_bytes = rbs__producer_free(v, w, n);
    if (free_bytes < 0) return free_bytes;
    if ((uint64_t)free_bytes < n) return rbs__nothing_now(v, RBS_EAGAIN);
    *need = n;
    return at;
}

/* Writes the frame's length word (and the padding frame before it, if the
 * frame was moved to position 0).  Nothing is visible until the publish. */
RBS__HOT void write_headers(const rbs_view *v, uint32_t w, uint32_t at, uint32_t len) {
    uint32_t pos = w & (v->capacity - 1u);
    if (at != pos) store_le32(v->data + pos, RBS_MSG_PADDING);
    store_le32(v->data + at, len);
}

/* The checks shared by send and reserve: RBS_OK and our write counter in
 * *w, or a code. */
RBS__HOT int producer_checks(const rbs_view *v, size_t len, uint32_t *w) {
    rbs_ring *r = v->ring;
    if (RBS__LOAD_OWN(&r->closed)) return RBS_ECLOSED;
    if (len > max_payload(v->capacity)) return RBS_ETOOBIG;
    *w = RBS__LOAD_OWN(&r->write);
    if ((*w & 3u) != 0) return RBS_ECORRUPT; /* we only ever advance by whole frames */
    return RBS_OK;
}

RBS__HOT int send(const rbs_view *v, const void *src, size_t len, int wake) {
    if (src == NULL && len != 0) return RBS_EINVAL;
    uint32_t w = 0, need = 0;
    int rc = producer_checks(v, len, &w);
    if (rc != RBS_OK) return rc;
    int64_t at = producer_room(v, w, (uint32_t)len, &need);
    if (at < 0) return (int)at;
    write_headers(v, w, (uint32_t)at, (uint32_t)len);
    if (len != 0) __builtin_memcpy(v->data + at + RBS_MSG_HEADER, src, len);
    /* This send moves the write counter: a pending reservation is void. */
    rbs_ring *r = v->ring;
    if (RBS__LOAD_OWN(&r->reserved) != 0) RBS__STORE_OWN(&r->reserved, 0u);
    rbs__publish(v->ring, w + need, wake); /* padding, length word and payload first */
    return (int)len;
}

/* Reserves a message of `len` bytes; *pos is its payload's position. */
RBS__HOT int reserve(const rbs_view *v, size_t len, uint32_t *pos) {
    rbs_ring *r = v->ring;
    RBS__STORE_OWN(&r->reserved, 0u); /* a new reserve replaces the last one */
    uint32_t w = 0, need = 0;
    int rc = producer_checks(v, len, &w);
    if (rc != RBS_OK) return rc;
    int64_t at = producer_room(v, w, (uint32_t)len, &need);
    if (at < 0) return (int)at;
    /* The headers are written at commit, when the final length is known. */
    *pos = (uint32_t)at + RBS_MSG_HEADER;
    RBS__STORE_OWN(&r->reserved, (uint32_t)len + 1u);
    return (int)len;
}

RBS__HOT int commit(const rbs_view *v, size_t len, int wake) {
    rbs_ring *r = v->ring;
    uint32_t reserved = RBS__LOAD_OWN(&r->reserved);
    if (reserved == 0 || len > reserved - 1u) return RBS_EINVAL;
    if (RBS__LOAD_OWN(&r->closed)) return RBS_ECLOSED;
    uint32_t w = RBS__LOAD_OWN(&r->write);
    if ((w & 3u) != 0 || reserved - 1u > max_payload(v->capacity)) return RBS_ECORRUPT;
    /* Recompute where the reservation was (same w, same length, same answer)
     * and re-check the room against the consumer's counter, so a corrupt
     * `reserved` word cannot make us publish over unread data. */
    uint32_t need = 0;
    int64_t at = producer_room(v, w, reserved - 1u, &need);
    if (at == RBS_EAGAIN) return RBS_ECORRUPT; /* the consumer can only have freed more */
    if (at < 0) return (int)at;
    /* The final frame stays where the caller wrote it; only its end moves. */
    uint32_t pos = w & (v->capacity - 1u);
    uint32_t skip = (uint32_t)at == pos ? 0u : v->capacity - pos;
    write_headers(v, w, (uint32_t)at, (uint32_t)len);
    RBS__STORE_OWN(&r->reserved, 0u);
    rbs__publish(r, w + skip + frame_size((uint32_t)len), wake); /* payload and headers first */
    return (int)len;
}

/* ------------------------------------------------------------------------ */
/* Consumer                                                                  */
/* ------------------------------------------------------------------------ */

RBS__HOT int recv(const rbs_view *v, void *dst, size_t cap_bytes, int wake) {
    if (dst == NULL && cap_bytes != 0) return RBS_EINVAL;
    rbs_ring *r = v->ring;
    uint32_t rd = RBS__LOAD_OWN(&r->read);
    next_msg m;
    int rc = next_frame(v, rd, &m);
    if (rc != RBS_OK) return rc;
    if (m.len > cap_bytes) return RBS_ETOOBIG; /* nothing consumed */
    if (m.len != 0) __builtin_memcpy(dst, v->data + m.at, m.len);
    /* This receive moves the read counter: a pending acquire is void. */
    if (RBS__LOAD_OWN(&r->acquired) != 0) RBS__STORE_OWN(&r->acquired, 0u);
    rbs__consume(v->ring, rd + m.total, wake);
    return (int)m.len;
}

RBS__HOT int peek_size(const rbs_view *v) {
    next_msg m;
    int rc = next_frame(v, RBS__LOAD_OWN(&v->ring->read), &m);
    return rc != RBS_OK ? rc : (int)m.len;
}

/* The next message in place: its length, and its payload's position in *pos. */
RBS__HOT int acquire(const rbs_view *v, uint32_t *pos) {
    rbs_ring *r = v->ring;
    RBS__STORE_OWN(&r->acquired, 0u);
    next_msg m;
    int rc = next_frame(v, RBS__LOAD_OWN(&r->read), &m);
    if (rc != RBS_OK) return rc;
    *pos = m.at;
    RBS__STORE_OWN(&r->acquired, m.total);
    return (int)m.len;
}

RBS__HOT int release(const rbs_view *v, int wake) {
    rbs_ring *r = v->ring;
    uint32_t n = RBS__LOAD_OWN(&r->acquired);
    if (n == 0) return RBS_EINVAL;
    uint32_t rd = RBS__LOAD_OWN(&r->read);
    /* Never release past the producer's counter or off the frame grid,
     * whatever the `acquired` word says. */
    if ((n & 3u) != 0 || n > v->capacity) return RBS_ECORRUPT;
    int64_t used = rbs__consumer_used(v, rd, n);
    if (used < 0) return (int)used;
    if ((uint64_t)used < n) return RBS_ECORRUPT;
    RBS__STORE_OWN(&r->acquired, 0u);
    rbs__consume(v->ring, rd + n, wake);
    return RBS_OK;
}

/* ------------------------------------------------------------------------ */
/* C callers: the view, gated                                                */
/* ------------------------------------------------------------------------ */

#define GATE(v)                                                                                    \
    do {                                                                                           \
        int gate_ = rbs__gate((v), RBS_KIND_MESSAGES);                                             \
        if (gate_ != RBS_OK) return gate_;                                                         \
    } while (0)

int rbs_msg_max_size(const rbs_view *v) {
    GATE(v);
    return (int)max_payload(v->capacity);
}

int rbs_msg_send(const rbs_view *v, const void *src, size_t len) {
    GATE(v);
    return send(v, src, len, 0);
}

int rbs_msg_reserve(const rbs_view *v, size_t len, void **ptr) {
    if (ptr != NULL) *ptr = NULL;
    GATE(v);
    if (ptr == NULL) return RBS_EINVAL;
    uint32_t pos = 0;
    int rc = reserve(v, len, &pos);
    if (rc >= 0) *ptr = v->data + pos;
    return rc;
}

int rbs_msg_commit(const rbs_view *v, size_t len) {
    GATE(v);
    return commit(v, len, 0);
}

int rbs_msg_recv(const rbs_view *v, void *dst, size_t cap) {
    GATE(v);
    return recv(v, dst, cap, 0);
}

int rbs_msg_peek_size(const rbs_view *v) {
    GATE(v);
    return peek_size(v);
}

int rbs_msg_acquire(const rbs_view *v, const void **ptr, size_t *len) {
    if (ptr != NULL) *ptr = NULL;
    if (len != NULL) *len = 0;
    GATE(v);
    if (ptr == NULL || len == NULL) return RBS_EINVAL;
    uint32_t pos = 0;
    int rc = acquire(v, &pos);
    if (rc >= 0) {
        *ptr = v->data + pos;
        *len = (size_t)rc;
    }
    return rc;
}

int rbs_msg_release(const rbs_view *v) {
    GATE(v);
    return release(v, 0);
}

/* ------------------------------------------------------------------------ */
/* The WebAssembly host (wasm_api.h)                                         */
/* ------------------------------------------------------------------------ */

int rbs_wasm_msg_send(rbs_ring *ring, uint32_t geo, const void *src, uint32_t len) {
    rbs_view v = rbs__view_of(ring, geo, 0);
    return send(&v, src, len, 1);
}

int rbs_wasm_msg_reserve(rbs_ring *ring, uint32_t geo, uint32_t len) {
    rbs_view v = rbs__view_of(ring, geo, 0);
    uint32_t pos = 0;
    int rc = reserve(&v, len, &pos);
    rbs__scratch_out(ring, RBS_OFF_PRODUCER_SCRATCH, pos);
    return rc;
}

int rbs_wasm_msg_commit(rbs_ring *ring, uint32_t geo, uint32_t len) {
    rbs_view v = rbs__view_of(ring, geo, 0);
    return commit(&v, len, 1);
}

int rbs_wasm_msg_recv(rbs_ring *ring, uint32_t geo, void *dst, uint32_t cap) {
    rbs_view v = rbs__view_of(ring, geo, 0);
    return recv(&v, dst, cap, 1);
}

int rbs_wasm_msg_peek_size(rbs_ring *ring, uint32_t geo) {
    rbs_view v = rbs__view_of(ring, geo, 0);
    return peek_size(&v);
}

int rbs_wasm_msg_acquire(rbs_ring *ring, uint32_t geo) {
    rbs_view v = rbs__view_of(ring, geo, 0);
    uint32_t pos = 0;
    int rc = acquire(&v, &pos);
    rbs__scratch_out(ring, RBS_OFF_CONSUMER_SCRATCH, pos);
    return rc;
}

int rbs_wasm_msg_release(rbs_ring *ring, uint32_t geo) {
    rbs_view v = rbs__view_of(ring, geo, 0);
    return release(&v, 1);
}
