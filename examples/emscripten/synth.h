/*
 * synth.h — the example synth's entry points, which the page calls as
 * Module._synth_*: make a synth with its ring, find the ring and its staging
 * block in Module.wasmMemory, start and stop the render thread.
 */
#ifndef SYNTH_H
#define SYNTH_H

#include <stdint.h>

typedef struct synth synth;

/* A synth with an audio ring of at least `capacity_frames` frames of
 * `channels` (1..8) at `rate`, both in this program's heap; NULL on failure. */
synth *synth_create(uint32_t channels, uint32_t capacity_frames, uint32_t rate);

/* Where the ring and its staging block (rbs_audio_scratch_size bytes) are:
 * what AudioRing.attach takes as offset, scratchOffset and scratchSize. */
uintptr_t synth_ring_offset(const synth *s);
uintptr_t synth_scratch_offset(const synth *s);
uint32_t synth_scratch_size(const synth *s);

/* Starts the render thread: `frames_total` frames (0: until synth_stop),
 * giving up on a reader silent for `peer_timeout_ms` (0: never).  0 or an
 * errno value from pthread_create. */
int synth_start(synth *s, uint32_t frames_total, uint32_t peer_timeout_ms);

/* Asks the render thread to end the stream (it closes the ring soon). */
void synth_stop(synth *s);

/* 0 while rendering, 1 once the stream ended, else the RBS_E* code that ended it. */
int synth_result(const synth *s);

/* Frames written so far. */
uint32_t synth_frames(const synth *s);

/* Frame `frame` of channel `channel` at `rate`: a sawtooth of 220 * (channel
 * + 1) Hz, a quarter of full scale, never exactly 0, exact from its inputs. */
float synth_sample(uint32_t frame, uint32_t channel, uint32_t rate);

#endif /* SYNTH_H */
