/*
 * wasm_api.h — the entry points the JavaScript package calls in its
 * WebAssembly instances.  Each kind of ring has its own module, which exports
 * those of these that its JS calls (scripts/wasm-exports.mjs); the rest are
 * for C callers and tests.
 *
 * JS keeps a side's view as two numbers of its own, where the other thread
 * cannot write them: the ring's address and `geo`, the geometry that
 * rbs_wasm_attach validated.  Every call takes both as arguments and builds
 * its rbs_view from them, so no bound comes from shared memory (rbs.h,
 * "Safety by construction").  Out-parameters are positions in the data area,
 * never addresses, written to the calling role's scratch word
 * (RBS_OFF_PRODUCER_SCRATCH / RBS_OFF_CONSUMER_SCRATCH); JS masks them with
 * its own capacity before it makes a view.  The calls that publish or free
 * data wake the other side if it sleeps (rbs.h, "Waking a side that sleeps").
 *
 * Audio planes come from a staging block the caller owns the bounds of:
 * plane c is `stride` floats at staging + 4 * c * stride.  No pointer is read
 * from memory.
 */
#ifndef RBS_WASM_API_H
#define RBS_WASM_API_H

#include "ring_internal.h"

/* geo: log2(capacity) in bits 0..7, kind in 8..15, channels in 16..23. */
RBS__HOT uint32_t rbs__geo(uint32_t capacity_log2, uint32_t kind, uint32_t channels) {
    return capacity_log2 | kind << 8 | channels << 16;
}
RBS__HOT rbs_view rbs__view_of(rbs_ring *ring, uint32_t geo, uint32_t sample_rate) {
    return rbs__make_view(ring, 1u << (geo & 31u), (geo >> 8) & 0xFFu, (geo >> 16) & 0xFFu,
                          sample_rate);
}

/* Hands a position out to JS in the role's scratch word at `off`. */
RBS__HOT void rbs__scratch_out(rbs_ring *ring, uint32_t off, uint32_t pos) {
    RBS__STORE_OWN((rbs_word *)(void *)((unsigned char *)ring + off), pos);
}

/* RBS_ABI_VERSION: lets JS refuse a module that is not this build's. */
int rbs_wasm_abi(void);

/* Formats a ring of `kind` (channels and rate for audio, else 0): a code. */
int rbs_wasm_init(rbs_ring *ring, uint32_t region_size, uint32_t capacity, uint32_t kind,
                  uint32_t channels, uint32_t sample_rate);
/* rbs_attach: geo in bits 0..31 and the sample rate in 32..63, or a code. */
int64_t rbs_wasm_attach(rbs_ring *ring, uint32_t region_size);
int rbs_wasm_check(rbs_ring *ring, uint32_t geo, uint32_t sample_rate);

/* any kind */
int rbs_wasm_readable(rbs_ring *ring, uint32_t geo);
int rbs_wasm_writable(rbs_ring *ring, uint32_t geo);
int rbs_wasm_closed(rbs_ring *ring, uint32_t geo);
int rbs_wasm_close(rbs_ring *ring, uint32_t geo);

/* bytes; reserve/acquire leave the first span's position in the scratch word */
int rbs_wasm_write(rbs_ring *ring, uint32_t geo, const void *src, uint32_t n);
int rbs_wasm_write_all(rbs_ring *ring, uint32_t geo, const void *src, uint32_t n);
int rbs_wasm_reserve(rbs_ring *ring, uint32_t geo, uint32_t want);
int rbs_wasm_commit(rbs_ring *ring, uint32_t geo, uint32_t n);
int rbs_wasm_read(rbs_ring *ring, uint32_t geo, void *dst, uint32_t n);
int rbs_wasm_read_all(rbs_ring *ring, uint32_t geo, void *dst, uint32_t n);
int rbs_wasm_peek(rbs_ring *ring, uint32_t geo, void *dst, uint32_t n);
int rbs_wasm_skip(rbs_ring *ring, uint32_t geo, uint32_t n);
int rbs_wasm_acquire(rbs_ring *ring, uint32_t geo, uint32_t want);
int rbs_wasm_release(rbs_ring *ring, uint32_t geo, uint32_t n);

/* messages; reserve/acquire leave the payload's position in the scratch word */
int rbs_wasm_msg_send(rbs_ring *ring, uint32_t geo, const void *src, uint32_t len);
int rbs_wasm_msg_reserve(rbs_ring *ring, uint32_t geo, uint32_t len);
int rbs_wasm_msg_commit(rbs_ring *ring, uint32_t geo, uint32_t len);
int rbs_wasm_msg_recv(rbs_ring *ring, uint32_t geo, void *dst, uint32_t cap);
int rbs_wasm_msg_peek_size(rbs_ring *ring, uint32_t geo);
int rbs_wasm_msg_acquire(rbs_ring *ring, uint32_t geo);
int rbs_wasm_msg_release(rbs_ring *ring, uint32_t geo);

/* audio */
int rbs_wasm_audio_write(rbs_ring *ring, uint32_t geo, float *staging, uint32_t stride,
                         uint32_t frames);
int rbs_wasm_audio_write_interleaved(rbs_ring *ring, uint32_t geo, const float *src,
                                     uint32_t frames);
int rbs_wasm_audio_read(rbs_ring *ring, uint32_t geo, float *staging, uint32_t stride,
                        uint32_t frames);
int rbs_wasm_audio_read_or_silence(rbs_ring *ring, uint32_t geo, float *staging, uint32_t stride,
                                   uint32_t frames, uint32_t prefill_frames);
/* rbs_audio_render: events from the message ring ev_ring (NULL: none) into
 * ev_cap records at ev_out; how many went there in the consumer scratch word */
int rbs_wasm_audio_render(rbs_ring *ring, uint32_t geo, float *staging, uint32_t stride,
                          uint32_t frames, uint32_t prefill_frames, rbs_ring *ev_ring,
                          uint32_t ev_geo, rbs_event *ev_out, uint32_t ev_cap);
int rbs_wasm_audio_set_fill(rbs_ring *ring, uint32_t geo, uint32_t min_frames, uint32_t max_frames,
                            uint32_t target_frames);
int rbs_wasm_audio_available(rbs_ring *ring, uint32_t geo);
int rbs_wasm_audio_writable(rbs_ring *ring, uint32_t geo);
int rbs_wasm_audio_started(rbs_ring *ring, uint32_t geo);
uint32_t rbs_wasm_audio_scratch_size(uint32_t channels, uint32_t capacity_frames);

#endif /* RBS_WASM_API_H */
