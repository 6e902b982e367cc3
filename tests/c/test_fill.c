/*
 * test_fill.c — the adaptive fill (rbs.h, "Adaptive fill"), one thread
 * playing both sides: a producer that keeps the ring at the target, the
 * prefill read once per 128-frame quantum.  The target rises at once after a
 * stall that came close or underran, by exactly what rbs.h says, and decays
 * by 1/16 of the surplus per calm window; bounds, errors and forged words.
 */
#include "test_helpers.h"

#include "wasm_api.h" /* rbs_wasm_audio_set_fill natively */

#include <stdio.h>

#define Q 128u /* frames per read, as the worklet */

static float zeros[16384];
static float sink[Q];

/* A mono ring of 16384 frames with the fill set to [lo, hi], target t. */
static rbs_view fill_ring(uint32_t lo, uint32_t hi, uint32_t t) {
    rbs_view v = rbs_test_audio_ring(65536, 1);
    cr_assert_eq(rbs_audio_set_fill(&v, lo, hi, t), RBS_OK);
    return v;
}

static rbs_fill_stats stats(const rbs_view *v) {
    rbs_fill_stats s;
    cr_assert_eq(rbs_audio_fill_stats(v, &s), RBS_OK);
    return s;
}

/* Tops the ring up to its target (what a paced producer does). */
static void top_up(const rbs_view *v) {
    int have = rbs_audio_frames_available(v);
    uint32_t t = stats(v).target;
    if (t > v->max_frames) t = v->max_frames; /* a forged target */
    if ((uint32_t)have < t)
        cr_assert_eq(rbs_audio_write_interleaved(v, zeros, t - have), (int)(t - have));
}

/* One quantum: the prefill read; returns the frames it played. */
static int quantum(const rbs_view *v, uint32_t prefill) {
    float *planes[1] = {sink};
    return rbs_audio_read_or_silence_prefill(v, planes, 1, Q, prefill);
}

/* n quanta with the producer keeping up. */
static void calm(const rbs_view *v, uint32_t n) {
    for (uint32_t i = 0; i < n; i++) {
        top_up(v);
        quantum(v, Q);
    }
}

#define WINDOW_QUANTA (RBS_FILL_WINDOW_FRAMES / Q)

Test(fill, set_fill_checks_its_arguments) {
    rbs_view v = rbs_test_audio_ring(65536, 1);
    cr_assert_eq(rbs_audio_set_fill(&v, 100, 50, 60), RBS_EINVAL, "min above max");
    cr_assert_eq(rbs_audio_set_fill(&v, 100, 200, 50), RBS_EINVAL, "target below min");
    cr_assert_eq(rbs_audio_set_fill(&v, 100, 200, 300), RBS_EINVAL, "target above max");
    cr_assert_eq(rbs_audio_set_fill(&v, 0, 16385, 100), RBS_ETOOBIG, "more than the ring holds");
    cr_assert_eq(rbs_audio_set_fill(&v, 0, 0, 16385), RBS_ETOOBIG);
    cr_assert_eq(rbs_audio_set_fill(&v, 10, 16384, 16384), RBS_OK);
    cr_assert_eq(rbs_audio_set_fill(&v, 0, 0, 500), RBS_OK, "max 0: not adapting");
    rbs_fill_stats s = stats(&v);
    cr_assert(s.target == 500 && s.min == 0 && s.max == 0);
    cr_assert_eq(rbs_audio_set_fill(NULL, 0, 0, 0), RBS_EINVAL);
    rbs_view b = rbs_test_ring(64);
    cr_assert_eq(rbs_audio_set_fill(&b, 0, 0, 0), RBS_EKIND);
    cr_assert_eq(rbs_audio_fill_stats(&b, &s), RBS_EKIND);
    cr_assert_eq(s.target, 0u, "zeroed on error");
    cr_assert_eq(rbs_audio_fill_stats(&v, NULL), RBS_EINVAL);
    free(v.ring);
    free(b.ring);
}

Test(fill, words_are_where_rbs_h_says) {
    rbs_view v = fill_ring(256, 8192, 2400);
    cr_assert_eq(rbs_test_word(v.ring, RBS_OFF_FILL_TARGET), 2400u);
    cr_assert_eq(rbs_test_word(v.ring, RBS_OFF_FILL_MIN), 256u);
    cr_assert_eq(rbs_test_word(v.ring, RBS_OFF_FILL_MAX), 8192u);
    cr_assert_eq(rbs_test_word(v.ring, RBS_OFF_EVENT_GAIN), 0x3F800000u, "gain 1.0 at init");
    free(v.ring);
}

Test(fill, nothing_moves_while_not_adapting) {
    rbs_view v = fill_ring(0, 0, 1000);
    for (int i = 0; i < 600; i++)
        quantum(&v, Q); /* underruns, never adapts */
    rbs_fill_stats s = stats(&v);
    cr_assert(s.target == 1000 && s.near_misses == 0 && s.low == 0);
    free(v.ring);
}

Test(fill, settling_is_no_dip) {
    rbs_view v = fill_ring(256, 8192, 2400);
    cr_assert_eq(rbs_audio_write_interleaved(&v, zeros, 256), 256);
    for (int i = 0; i < 3; i++)
        quantum(&v, 256); /* starts at 256 queued, well below 2400 */
    rbs_fill_stats s = stats(&v);
    cr_assert_eq(s.near_misses, 0u, "a ring filling up after the prefill is not a stall");
    cr_assert_eq(s.target, 2400u);
    free(v.ring);
}

Test(fill, holds_then_decays_by_a_sixteenth_of_the_surplus_per_calm_window) {
    rbs_view v = fill_ring(960, 12000, 4800);
    calm(&v, RBS_FILL_HOLD_WINDOWS * WINDOW_QUANTA);
    cr_assert_eq(stats(&v).target, 4800u, "held for RBS_FILL_HOLD_WINDOWS calm windows");
    uint32_t t = 4800;
    for (int w = 0; w < 3; w++) {
        calm(&v, WINDOW_QUANTA);
        rbs_fill_stats s = stats(&v);
        /* the producer keeps the fill at the target: the lowest fill before a read is it */
        uint32_t surplus = t - 5 * Q;
        uint32_t want = t - (surplus + 15) / 16;
        cr_assert_eq(s.target, want, "window %d: %u -> %u, want %u", w, t, s.target, want);
        cr_assert_eq(s.low, t, "window low");
        t = s.target;
    }
    calm(&v, 200 * WINDOW_QUANTA);
    cr_assert_eq(stats(&v).target, 960u, "down to the lower bound, no further");
    cr_assert_eq(stats(&v).near_misses, 0u);
    cr_assert_eq(rbs_underruns(&v), 0u);
    free(v.ring);
}

Test(fill, a_stall_that_came_close_raises_the_target_so_the_same_stall_leaves_four_reads) {
    rbs_view v = fill_ring(256, 12000, 2048);
    calm(&v, 2 * WINDOW_QUANTA);
    uint32_t t0 = stats(&v).target;
    cr_assert_eq(t0, 2048u, "held");
    /* the producer stalls: reads go on until less than a read is left after one */
    uint32_t fill = (uint32_t)rbs_audio_frames_available(&v);
    uint32_t stall = fill / Q - 1;
    for (uint32_t i = 0; i < stall; i++)
        cr_assert_eq(quantum(&v, Q), (int)Q);
    int64_t low = (int64_t)fill - (int64_t)stall * Q;
    rbs_fill_stats s = stats(&v);
    cr_assert_eq(s.near_misses, 1u, "one dip, counted once");
    cr_assert_eq(rbs_underruns(&v), 0u);
    uint32_t depth = t0 - (uint32_t)low;
    cr_assert_eq(s.target, depth + depth / 2 + 4 * Q, "rises at once to 1.5 depth + 4f");
    /* the producer catches up, then a stall as deep again */
    calm(&v, 4);
    uint32_t t1 = stats(&v).target;
    top_up(&v);
    for (uint32_t i = 0; i < stall; i++)
        cr_assert_eq(quantum(&v, Q), (int)Q);
    cr_assert_eq(rbs_audio_frames_available(&v), (int)(t1 - stall * Q));
    cr_assert_geq(t1 - stall * Q, depth / 2 + 4 * Q, "half the depth and four reads left");
    cr_assert_eq(stats(&v).near_misses, 1u, "no new dip");
    free(v.ring);
}

Test(fill, an_underrun_raises_it_by_the_missing_frames_too_within_the_bound) {
    rbs_view v = fill_ring(256, 6000, 1024);
    calm(&v, WINDOW_QUANTA + 1);
    uint32_t t0 = stats(&v).target;
    top_up(&v);
    uint32_t fill = (uint32_t)rbs_audio_frames_available(&v);
    for (int i = 0; i < 12; i++)
        quantum(&v, Q); /* the producer is gone: the queue plays, then silence */
    uint32_t missing = 12 * Q - fill;
    cr_assert_eq(rbs_underruns(&v), missing);
    rbs_fill_stats s = stats(&v);
    cr_assert_eq(s.near_misses, 1u);
    uint32_t depth = t0 + missing; /* base - low, low being minus the missing frames */
    cr_assert_eq(s.target, depth + depth / 2 + 4 * Q, "%u", s.target);
    for (int i = 0; i < 60; i++)
        quantum(&v, Q);
    cr_assert_eq(stats(&v).target, 6000u, "a longer drought stops at the upper bound");
    free(v.ring);
}

Test(fill, a_closed_ring_does_not_adapt) {
    rbs_view v = fill_ring(256, 6000, 1024);
    calm(&v, WINDOW_QUANTA + 1);
    uint32_t t0 = stats(&v).target;
    rbs_close(&v);
    for (int i = 0; i < 40; i++)
        quantum(&v, Q);
    rbs_fill_stats s = stats(&v);
    cr_assert(s.target == t0 && s.near_misses == 0, "the end of the stream is no stall");
    free(v.ring);
}

Test(fill, forged_words_keep_the_target_within_the_bounds) {
    rbs_view v = fill_ring(256, 6000, 1024);
    calm(&v, 4);
    uint64_t x = 88172645463325252ull;
    for (int i = 0; i < 20000; i++) {
        x ^= x << 13, x ^= x >> 7, x ^= x << 17;
        uint32_t off = RBS_OFF_FILL_TARGET + 4u * (uint32_t)(x % 7u);
        if (x & 0x100000u) off = RBS_OFF_FILL_WINDOW_AT + 4u * (uint32_t)((x >> 8) % 3u);
        rbs_test_set_word(v.ring, off, (uint32_t)(x >> 32));
        if (i % 3 == 0) top_up(&v);
        quantum(&v, Q);
        uint32_t hi = rbs_test_word(v.ring, RBS_OFF_FILL_MAX);
        uint32_t lo = rbs_test_word(v.ring, RBS_OFF_FILL_MIN);
        uint32_t t = rbs_test_word(v.ring, RBS_OFF_FILL_TARGET);
        if (hi == 0) continue;
        if (hi > v.max_frames) hi = v.max_frames;
        if (lo > hi) lo = hi;
        /* the word the read wrote, unless this round forged it after */
        if (off != RBS_OFF_FILL_TARGET)
            cr_assert(t >= lo && t <= hi, "target %u outside [%u, %u]", t, lo, hi);
    }
    free(v.ring);
}

Test(fill, the_wasm_entry_point_sets_the_words_and_checks_like_the_c_call) {
    rbs_view v = rbs_test_audio_ring(65536, 1);
    uint32_t geo = rbs__geo((uint32_t)__builtin_ctz(v.capacity), RBS_KIND_AUDIO, 1);
    cr_assert_eq(rbs_wasm_audio_set_fill(v.ring, geo, 128, 4096, 1024), RBS_OK);
    cr_assert_eq(stats(&v).target, 1024u);
    cr_assert_eq(stats(&v).max, 4096u);
    cr_assert_eq(rbs_wasm_audio_set_fill(v.ring, geo, 128, 100, 100), RBS_EINVAL);
    cr_assert_eq(rbs_wasm_audio_set_fill(v.ring, geo, 0, 16385, 100), RBS_ETOOBIG);
    free(v.ring);
}
