/*
 * synth.c — a small audio engine in C, compiled with Emscripten (-pthread),
 * that owns its memory: it allocates an audio ring and the ring's staging
 * block in its own heap, and a pthread renders into the ring, paced by
 * rbs_wait_writable (the page's AudioWorklet reads the ring and wakes it),
 * holding the producer role and beating its heartbeat so that the page sees
 * it alive.  The page attaches the ring and plays it through
 * createRingSourceNode (main.js; README, "From an Emscripten program").
 *
 * The sound: one sawtooth per channel (220 Hz times the channel number plus
 * one), from an integer phase, so every sample is an exact function of its
 * frame number that a test can recompute (synth_sample).
 */
#include "synth.h"

#include "rbs.h"

#include <emscripten/emscripten.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>

/* Any nonzero number that no other party of the ring uses as its token. */
#define SYNTH_TOKEN 0x53594e54u
#define BLOCK       128u /* frames rendered per write: one render quantum */
#define MAX_VOICES  8u
/* How long a wait for room lasts before the thread looks at synth_stop. */
#define STOP_POLL_MS 50u

struct synth {
    rbs_view ring;
    void *region;  /* the ring: header and samples */
    void *scratch; /* the staging block the JS side copies planes through */
    uint32_t scratch_size;
    uint32_t rate;
    uint32_t frames_total; /* 0: until synth_stop */
    uint32_t peer_timeout_ms;
    pthread_t thread;
    int running;
    _Atomic uint32_t frames; /* frames written so far */
    _Atomic int stop;
    _Atomic int result; /* 0 while rendering, 1 when done, else the RBS_E* code that ended it */
};

/* The integer phase wraps once per period; its top 16 bits are the saw. */
EMSCRIPTEN_KEEPALIVE float synth_sample(uint32_t frame, uint32_t channel, uint32_t rate) {
    uint32_t increment = (uint32_t)(220.0 * (channel + 1u) * 4294967296.0 / rate);
    uint32_t phase = frame * increment;
    return ((float)(phase >> 16) - 32767.5f) * (0.25f / 32768.0f);
}

static double now_ms(void) {
    return emscripten_get_now();
}

static void *render(void *arg) {
    synth *s = arg;
    const rbs_view *v = &s->ring;
    uint32_t channels = v->channels;
    float block[MAX_VOICES][BLOCK];
    const float *planes[MAX_VOICES];
    for (uint32_t c = 0; c < channels; c++)
        planes[c] = block[c];
    rbs_side side = RBS_SIDE_INIT(SYNTH_TOKEN, s->peer_timeout_ms);
    int rc = rbs_claim(v, RBS_PRODUCER, SYNTH_TOKEN);
    uint32_t frame = 0;
    double beat_at = now_ms();
    while (rc == RBS_OK && !atomic_load(&s->stop) &&
           (s->frames_total == 0 || frame < s->frames_total)) {
        uint32_t n = BLOCK;
        if (s->frames_total != 0 && s->frames_total - frame < n) n = s->frames_total - frame;
        /* Sleep until the reader made room for a block; it wakes us. */
        int room = rbs_wait_writable(v, n, STOP_POLL_MS, &side);
        if (room == RBS_EAGAIN) continue;
        if (room < 0) {
            rc = room;
            break;
        }
        for (uint32_t c = 0; c < channels; c++)
            for (uint32_t i = 0; i < n; i++)
                block[c][i] = synth_sample(frame + i, c, s->rate);
        int k = rbs_audio_write(v, planes, channels, n);
        if (k < 0) {
            rc = k;
            break;
        }
        rbs_wake_consumer(v); /* a JS reader may be asleep waiting for frames */
        frame += (uint32_t)k;
        atomic_store(&s->frames, frame);
        /* Alive between waits too: a beat per heartbeat, not per block. */
        if (now_ms() - beat_at >= RBS_HEARTBEAT_MS) {
            beat_at = now_ms();
            rc = rbs_beat(v, RBS_PRODUCER, SYNTH_TOKEN);
        }
    }
    if (rc != RBS_EBUSY) { /* still ours: end the stream, give the role back */
        rbs_close(v);
        rbs_release(v, RBS_PRODUCER, SYNTH_TOKEN);
    }
    atomic_store(&s->result, rc == RBS_OK ? 1 : rc);
    return NULL;
}

EMSCRIPTEN_KEEPALIVE synth *synth_create(uint32_t channels, uint32_t capacity_frames,
                                         uint32_t rate) {
    if (channels == 0 || channels > MAX_VOICES || capacity_frames == 0) return NULL;
    uint32_t capacity = 16u;
    while (capacity < capacity_frames * 4u * channels && capacity < RBS_MAX_CAPACITY)
        capacity *= 2u;
    synth *s = calloc(1, sizeof *s);
    size_t size = rbs_region_size(capacity);
    if (s == NULL || size == 0) goto fail;
    s->region = aligned_alloc(64, size); /* rings are 64-byte aligned */
    if (s->region == NULL) goto fail;
    if (rbs_audio_init(&s->ring, s->region, size, capacity, channels, rate) != RBS_OK) goto fail;
    /* The JS side (worklet or AudioReader) stages planes here: its size is
     * rbs_audio_scratch_size, what AudioRing.attach checks scratchSize against. */
    s->scratch_size = rbs_audio_scratch_size(channels, s->ring.max_frames);
    s->scratch = aligned_alloc(64, s->scratch_size);
    if (s->scratch == NULL) goto fail;
    s->rate = rate;
    return s;
fail:
    if (s != NULL) {
        free(s->region);
        free(s);
    }
    return NULL;
}

EMSCRIPTEN_KEEPALIVE uintptr_t synth_ring_offset(const synth *s) {
    return (uintptr_t)s->region;
}
EMSCRIPTEN_KEEPALIVE uintptr_t synth_scratch_offset(const synth *s) {
    return (uintptr_t)s->scratch;
}
EMSCRIPTEN_KEEPALIVE uint32_t synth_scratch_size(const synth *s) {
    return s->scratch_size;
}

EMSCRIPTEN_KEEPALIVE int synth_start(synth *s, uint32_t frames_total, uint32_t peer_timeout_ms) {
    if (s->running) return 0;
    s->frames_total = frames_total;
    s->peer_timeout_ms = peer_timeout_ms;
    int e = pthread_create(&s->thread, NULL, render, s);
    if (e == 0) {
        s->running = 1;
        pthread_detach(s->thread);
    }
    return e;
}

/* The thread looks at the flag at least every STOP_POLL_MS. */
EMSCRIPTEN_KEEPALIVE void synth_stop(synth *s) {
    atomic_store(&s->stop, 1);
}

EMSCRIPTEN_KEEPALIVE int synth_result(const synth *s) {
    return atomic_load(&s->result);
}
EMSCRIPTEN_KEEPALIVE uint32_t synth_frames(const synth *s) {
    return atomic_load(&s->frames);
}
