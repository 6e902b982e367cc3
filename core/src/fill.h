/*
 * fill.h — the adaptive fill (rbs.h, "Adaptive fill"): one step per prefill
 * read, on the consumer's words, inlined into the read (RBS__HOT).
 */
#ifndef RBS_FILL_H
#define RBS_FILL_H

#include "ring_internal.h"

/* FILL_DIP_BASE while playback settles: the first window only measures. */
#define RBS__FILL_SETTLING 0xFFFFFFFFu
/* The most a dip's base may carry (below RBS__FILL_SETTLING). */
#define RBS__FILL_DIP_CAP 0x7FFFFFFFu
/* FILL_WINDOW_AT: frames read in the window below bit 20, calm windows in a row above. */
#define RBS__FILL_AT_MASK    0xFFFFFu
#define RBS__FILL_CALM_SHIFT 20u

/* The target's bounds as this read may use them: max cut to the ring, min to max. */
RBS__HOT uint32_t rbs__fill_clamp(uint32_t x, uint32_t lo, uint32_t hi) {
    return x < lo ? lo : x > hi ? hi : x;
}

/* Playback just started: the window restarts and the first one settles. */
RBS__HOT void rbs__fill_start(rbs_ring *r) {
    RBS__STORE_OWN(&r->fill_window_at, 0u);
    RBS__STORE_OWN(&r->fill_window_low, UINT32_MAX);
    RBS__STORE_OWN(&r->fill_dip_base, RBS__FILL_SETTLING);
}

/* One read of `frames` frames took k of the `fill` that were there (out of line
 * natively: one copy, however many reads inline it). */
RBS__SPLIT void rbs__fill_step(const rbs_view *v, uint32_t frames, uint32_t fill, uint32_t k) {
    rbs_ring *r = v->ring;
    uint32_t hi = RBS__LOAD_OWN(&r->fill_max);
    if (hi == 0 || frames == 0) return;
    if (hi > v->max_frames) hi = v->max_frames;
    uint32_t lo = RBS__LOAD_OWN(&r->fill_min);
    if (lo > hi) lo = hi;
    uint32_t target = rbs__fill_clamp(RBS__LOAD_OWN(&r->fill_target), lo, hi);
    uint32_t base = RBS__LOAD_OWN(&r->fill_dip_base);
    uint32_t wlow = RBS__LOAD_OWN(&r->fill_window_low);
    if (fill < wlow) wlow = fill;
    int64_t guard = 2 * (int64_t)frames;
    uint32_t after = fill - k, missing = frames - k;
    if (base == RBS__FILL_SETTLING) {
        if (fill >= target) base = 0; /* filled up: from now on a dip is a dip */
    } else {
        int close = (int64_t)after - missing < guard;
        if (base == 0 && close) {
            base = target;
            RBS__STORE_OWN(&r->near_misses, RBS__LOAD_OWN(&r->near_misses) + 1u);
        }
        if (base != 0) {
            /* base carries the frames missing since the dip began: low = after - them */
            int64_t b = (int64_t)base + missing;
            base = b > (int64_t)RBS__FILL_DIP_CAP ? RBS__FILL_DIP_CAP : (uint32_t)b;
            /* the dip's depth, base - low = base - after: rise to 1.5 depth + 4f */
            int64_t depth = (int64_t)base - after;
            int64_t want = depth + depth / 2 + 2 * guard;
            if (close && want > (int64_t)target) target = want > (int64_t)hi ? hi : (uint32_t)want;
            if (!close && after >= target / 2u) base = 0; /* the dip is over */
        }
    }
    uint32_t word = RBS__LOAD_OWN(&r->fill_window_at);
    uint32_t calm = word >> RBS__FILL_CALM_SHIFT;
    uint32_t at = (word & RBS__FILL_AT_MASK) +
                  (frames < RBS_FILL_WINDOW_FRAMES ? frames : RBS_FILL_WINDOW_FRAMES);
    if (base != 0 && base != RBS__FILL_SETTLING) calm = 0;
    if (at >= RBS_FILL_WINDOW_FRAMES) {
        RBS__STORE_OWN(&r->fill_low, wlow);
        int64_t surplus = (int64_t)wlow - (int64_t)frames - 2 * guard;
        if (base == RBS__FILL_SETTLING) {
            base = 0;
        } else if (base == 0 && surplus > 0) {
            /* calm: hold the target RBS_FILL_HOLD_WINDOWS windows, then give back */
            if (calm < RBS_FILL_HOLD_WINDOWS) {
                calm++;
            } else {
                uint32_t give =
                    (uint32_t)((surplus + (1 << RBS_FILL_DECAY_SHIFT) - 1) >> RBS_FILL_DECAY_SHIFT);
                target = target - lo > give ? target - give : lo;
            }
        } else {
            calm = 0;
        }
        at = 0;
        wlow = UINT32_MAX;
    }
    at |= calm << RBS__FILL_CALM_SHIFT;
    RBS__STORE_OWN(&r->fill_window_at, at);
    RBS__STORE_OWN(&r->fill_window_low, wlow);
    RBS__STORE_OWN(&r->fill_dip_base, base);
    RBS__STORE_OWN(&r->fill_target, target);
}

#endif /* RBS_FILL_H */
