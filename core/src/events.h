/*
 * events.h — the event drain of rbs_audio_render (rbs.h, "Sample-accurate
 * events"): inlined into the read (RBS__HOT), so the worklet's one call per
 * quantum also applies the events.
 */
#ifndef RBS_EVENTS_H
#define RBS_EVENTS_H

#include "msg_frames.h"
#include "planes.h"

RBS__HOT float rbs__float_of(uint32_t bits) {
    float f;
    __builtin_memcpy(&f, &bits, sizeof f);
    return f;
}

RBS__HOT uint32_t rbs__bits_of(float f) {
    uint32_t bits;
    __builtin_memcpy(&bits, &f, sizeof bits);
    return bits;
}

RBS__HOT void rbs__bump(rbs_word *word) {
    RBS__STORE_OWN(word, RBS__LOAD_OWN(word) + 1u);
}

/* The event taken from the ring, copied out before it is consumed. */
typedef struct {
    uint32_t frame, id, value, size, flags;
} rbs__event_head;

/* The message at `at` (len bytes) as an event: 1, or 0 if it is malformed. */
RBS__HOT int rbs__event_parse(const unsigned char *p, uint32_t len, rbs__event_head *e) {
    if (len < RBS_EVENT_HEADER || len > RBS_EVENT_SIZE) return 0;
    uint32_t sf = load_le32(p + RBS_EVENT_OFF_SIZE);
    e->frame = load_le32(p + RBS_EVENT_OFF_FRAME);
    e->id = load_le32(p + RBS_EVENT_OFF_ID);
    e->value = load_le32(p + RBS_EVENT_OFF_VALUE);
    e->size = sf & 0xFFFFu;
    e->flags = sf >> 16;
    return e->size == len - RBS_EVENT_HEADER;
}

/* Copies an event to the caller's record with its offset in the planes. */
RBS__HOT void rbs__event_stage(rbs_event *out, const rbs__event_head *e, const unsigned char *p,
                               uint32_t off, uint32_t late) {
    out->frame = off;
    out->id = e->id;
    out->value = rbs__float_of(e->value);
    out->size = (uint16_t)e->size;
    out->flags = (uint16_t)(e->flags | (late ? RBS_EVENT_LATE : 0u));
    __builtin_memset(out->payload, 0, RBS_EVENT_MAX_PAYLOAD);
    if (e->size != 0) __builtin_memcpy(out->payload, p + RBS_EVENT_HEADER, e->size);
}

/*
 * Takes the events of `ev` due within the frames [0, k) this read took from
 * the audio ring `a`, whose first frame is stream frame `fr`: the gain ones
 * scale the planes' `frames` frames from their offset on, the others go to
 * out[0 .. out_cap).  Returns how many went there.  `wake`: the wasm calls
 * wake an event producer waiting for room.
 */
RBS__SPLIT uint32_t rbs__events_take(const rbs_view *ev, rbs_ring *a, uint32_t fr, uint32_t k,
                                     planes_t planes, uint32_t ch, uint32_t frames, rbs_event *out,
                                     uint32_t out_cap, int wake) {
    rbs_ring *er = ev->ring;
    uint32_t gain_bits = RBS__LOAD_OWN(&a->event_gain);
    float gain = rbs__float_of(gain_bits);
    uint32_t n = 0, from = 0, last = 0;
    for (;;) {
        uint32_t rd = RBS__LOAD_OWN(&er->read);
        next_msg m;
        if (next_frame(ev, rd, &m) != RBS_OK) break; /* none now, the end, or corrupt */
        const unsigned char *p = ev->data + m.at;
        rbs__event_head e;
        uint32_t off = 0, late = 0;
        if (!rbs__event_parse(p, m.len, &e)) {
            rbs__bump(&a->events_dropped);
        } else {
            int32_t due = (int32_t)(e.frame - fr);
            if ((e.flags & RBS_EVENT_NOW) == 0) {
                if (due < 0)
                    late = 1;
                else if ((uint32_t)due < k)
                    off = (uint32_t)due;
                else
                    break; /* not yet: neither is anything after it */
            }
            if (off < last) off = last;
            if (e.id == RBS_EVENT_GAIN) {
                rbs__scale(planes, ch, from, off, gain);
                from = off;
                gain = rbs__float_of(e.value);
            } else if (out_cap == 0) {
                rbs__bump(&a->events_dropped); /* nowhere to hand it: never blocks the rest */
            } else {
                if (n == out_cap) break; /* the records are full: next read */
                rbs__event_stage(out + n, &e, p, off, late);
                n++;
            }
            last = off;
            if (late) rbs__bump(&a->events_late);
        }
        rbs__consume(ev->ring, rd + m.total, wake);
    }
    rbs__scale(planes, ch, from, frames, gain);
    if (rbs__bits_of(gain) != gain_bits) RBS__STORE_OWN(&a->event_gain, rbs__bits_of(gain));
    return n;
}

#endif /* RBS_EVENTS_H */
