/*
 * msg_frames.h — reading the frames of a message ring (msg.c has the format
 * and why each check is there), shared by msg.c and the event drain
 * (events.h), which must inline it: see RBS__HOT.
 */
#ifndef RBS_MSG_FRAMES_H
#define RBS_MSG_FRAMES_H

#include "ring_internal.h"

RBS__HOT uint32_t load_le32(const unsigned char *p) {
    uint32_t v;
    __builtin_memcpy(&v, p, sizeof v);
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
    v = __builtin_bswap32(v);
#endif
    return v;
}

RBS__HOT void store_le32(unsigned char *p, uint32_t v) {
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
    v = __builtin_bswap32(v);
#endif
    __builtin_memcpy(p, &v, sizeof v);
}

RBS__HOT uint32_t frame_size(uint32_t len) {
    return RBS_MSG_HEADER + ((len + 3u) & ~3u);
}

/*
 * The largest payload: capacity / 2 - 4, i.e. a frame of at most capacity / 2.
 * Why that bound: once the ring drains (read == write = position p), a frame
 * of f bytes goes either in the tail (f <= capacity - p) or, after a padding
 * frame of capacity - p bytes, at position 0, which needs (capacity - p) + f
 * <= capacity, i.e. f <= p.  So it can always be sent iff
 * f <= max(capacity - p, p) for every 4-aligned p, and the smallest of those
 * maxima is capacity / 2 (at p = capacity / 2).  One byte more and a frame of
 * capacity / 2 + 4 never fits when the ring drains at p = capacity / 2: the
 * bound is tight.  It also keeps padding + frame <= capacity.
 */
RBS__HOT uint32_t max_payload(uint32_t cap) {
    return cap / 2u - RBS_MSG_HEADER;
}

typedef struct {
    uint32_t len;   /* payload bytes */
    uint32_t at;    /* position of the payload in the data area */
    uint32_t total; /* bytes to consume: padding frame (if any) + frame */
} next_msg;

/* Bytes readable from rd, at least `need` if they are published; reloads the
 * shared write counter before a frame is called bigger than what is there. */
RBS__HOT int64_t readable_at_least(const rbs_view *v, uint32_t rd, int64_t used, uint32_t need) {
    if ((uint64_t)used >= need) return used;
    return rbs__consumer_used(v, rd, need);
}

/* Finds the next message at the read counter: RBS_OK and *m, or RBS_EAGAIN,
 * RBS_ECLOSED, RBS_ECORRUPT.  Reads only published bytes inside the ring. */
RBS__HOT int next_frame(const rbs_view *v, uint32_t rd, next_msg *m) {
    uint32_t cap = v->capacity;
    if ((rd & 3u) != 0) return RBS_ECORRUPT; /* we only ever advance by whole frames */
    int64_t used = rbs__consumer_used(v, rd, RBS_MSG_HEADER);
    if (used < (int64_t)RBS_MSG_HEADER) {
        if (used < 0) return (int)used;
        if (used == 0)
            return rbs__empty_and_closed(v, rd) ? RBS_ECLOSED : rbs__nothing_now(v, RBS_EAGAIN);
        return RBS_ECORRUPT; /* 1..3 bytes: never a whole frame */
    }
    uint32_t pos = rd & (cap - 1u), skip = 0;
    uint32_t len = load_le32(v->data + pos);
    if (len == RBS_MSG_PADDING) {
        /* A padding frame at 0 would span the whole buffer; one is always
         * published with the message after it, so that message's length
         * word must be there too. */
        if (pos == 0) return RBS_ECORRUPT;
        skip = cap - pos;
        pos = 0;
        used = readable_at_least(v, rd, used, skip + RBS_MSG_HEADER);
        if (used < 0) return (int)used;
        if ((uint64_t)used < skip + RBS_MSG_HEADER) return RBS_ECORRUPT;
        len = load_le32(v->data); /* a second padding word fails the next check */
    }
    if (len > max_payload(cap)) return RBS_ECORRUPT;
    uint32_t f = frame_size(len);
    if (f > cap - pos) return RBS_ECORRUPT; /* a frame never crosses the end */
    uint32_t total = skip + f;
    if ((uint64_t)used < total) {
        used = readable_at_least(v, rd, used, total);
        if (used < 0) return (int)used;
        if ((uint64_t)used < total) return RBS_ECORRUPT; /* frames are published whole */
    }
    m->len = len;
    m->at = pos + RBS_MSG_HEADER;
    m->total = total;
    return RBS_OK;
}

#endif /* RBS_MSG_FRAMES_H */
