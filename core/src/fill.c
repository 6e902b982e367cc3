/*
 * fill.c — setting and reading the adaptive fill's words (rbs.h, "Adaptive
 * fill"); the adapting itself is in fill.h, inlined into the prefill read.
 */
#include "wasm_api.h"

RBS__HOT int set_fill(const rbs_view *v, uint32_t lo, uint32_t hi, uint32_t target) {
    if (hi > v->max_frames || target > v->max_frames) return RBS_ETOOBIG;
    if (hi != 0 && (lo > hi || target < lo || target > hi)) return RBS_EINVAL;
    rbs_ring *r = v->ring;
    /* release: a reader of the bounds sees a target set before them */
    atomic_store_explicit(&r->fill_target, target, memory_order_release);
    atomic_store_explicit(&r->fill_min, lo, memory_order_release);
    atomic_store_explicit(&r->fill_max, hi, memory_order_release);
    return RBS_OK;
}

int rbs_audio_set_fill(const rbs_view *v, uint32_t min_frames, uint32_t max_frames,
                       uint32_t target_frames) {
    int g = rbs__gate(v, RBS_KIND_AUDIO);
    return g != RBS_OK ? g : set_fill(v, min_frames, max_frames, target_frames);
}

int rbs_wasm_audio_set_fill(rbs_ring *ring, uint32_t geo, uint32_t min_frames, uint32_t max_frames,
                            uint32_t target_frames) {
    rbs_view v = rbs__view_of(ring, geo, 0);
    return set_fill(&v, min_frames, max_frames, target_frames);
}

int rbs_audio_fill_stats(const rbs_view *v, rbs_fill_stats *out) {
    if (out == NULL) return RBS_EINVAL;
    __builtin_memset(out, 0, sizeof *out);
    int g = rbs__gate(v, RBS_KIND_AUDIO);
    if (g != RBS_OK) return g;
    const rbs_ring *r = v->ring;
    /* statistics: relaxed loads, each word as the consumer last stored it */
    out->target = atomic_load_explicit(&r->fill_target, memory_order_relaxed);
    out->min = atomic_load_explicit(&r->fill_min, memory_order_relaxed);
    out->max = atomic_load_explicit(&r->fill_max, memory_order_relaxed);
    out->low = atomic_load_explicit(&r->fill_low, memory_order_relaxed);
    out->near_misses = atomic_load_explicit(&r->near_misses, memory_order_relaxed);
    out->events_late = atomic_load_explicit(&r->events_late, memory_order_relaxed);
    out->events_dropped = atomic_load_explicit(&r->events_dropped, memory_order_relaxed);
    return RBS_OK;
}
