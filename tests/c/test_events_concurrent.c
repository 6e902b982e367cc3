/*
 * test_events_concurrent.c — the event ring between two real threads: the
 * producer sends a gain event for stream frame N before it writes the audio
 * frame N, in random chunks; the consumer renders 128-frame reads with
 * rbs_audio_render (the adaptive fill on) and checks every sample is the
 * signal times the gain of the last event at or before its frame.  An event
 * published before the audio it belongs to is never late.  Also under TSan.
 */
#define _GNU_SOURCE
#include "test_helpers.h"

#include <pthread.h>
#include <sched.h>

#define FRAMES  (1u << 18)
#define EVERY   97u /* frames between gain events */
#define CHUNK_Q 128u

static float sig(uint32_t i) {
    return (float)(i % 4096u + 1u);
}
/* The gain the event at frame N sets: exact powers of two. */
static float gain_at(uint32_t n) {
    return (n / EVERY) % 2u ? 0.5f : 2.0f;
}

typedef struct {
    void *audio, *events;
    size_t audio_size, events_size;
    int p_error;
    uint32_t bad_frame;
    float bad_value;
    uint32_t late, checked;
} ev_ctx;

static void *producer(void *arg) {
    ev_ctx *c = arg;
    rbs_view a, e;
    if (rbs_attach(&a, c->audio, c->audio_size) != RBS_OK ||
        rbs_attach(&e, c->events, c->events_size) != RBS_OK) {
        c->p_error = 1;
        return NULL;
    }
    float buf[64];
    uint64_t x = 0x9E3779B97F4A7C15ull;
    uint32_t i = 0, spins = 0;
    while (i < FRAMES) {
        x ^= x << 13, x ^= x >> 7, x ^= x << 17;
        uint32_t n = 1u + (uint32_t)(x % 64u);
        if (n > FRAMES - i) n = FRAMES - i;
        if (rbs_audio_frames_writable(&a) < (int)n) {
            if (++spins > 32) (void)sched_yield(), spins = 0;
            continue;
        }
        /* the events for these frames first, then the frames */
        for (uint32_t f = i; f < i + n; f++) {
            if (f % EVERY != 0) continue;
            rbs_event ev = {.frame = f, .id = RBS_EVENT_GAIN, .value = gain_at(f)};
            int rc;
            while ((rc = rbs_event_send(&e, &ev)) == RBS_EAGAIN)
                (void)sched_yield();
            if (rc < 0) c->p_error = rc;
        }
        for (uint32_t k = 0; k < n; k++)
            buf[k] = sig(i + k);
        if (rbs_audio_write_interleaved(&a, buf, n) != (int)n) c->p_error = 2;
        i += n;
    }
    rbs_close(&a);
    return NULL;
}

Test(concurrent_events, gain_events_apply_at_their_frame_between_two_threads) {
    ev_ctx c = {.audio_size = rbs_region_size(1u << 14),
                .events_size = rbs_region_size(1024),
                .bad_frame = UINT32_MAX};
    c.audio = rbs_test_region(c.audio_size);
    c.events = rbs_test_region(c.events_size);
    rbs_view a, e;
    cr_assert_eq(rbs_audio_init(&a, c.audio, c.audio_size, 1u << 14, 1, 48000), RBS_OK);
    cr_assert_eq(rbs_msg_init(&e, c.events, c.events_size, 1024), RBS_OK);
    cr_assert_eq(rbs_audio_set_fill(&a, 256, 4000, 1024), RBS_OK);
    pthread_t t;
    cr_assert_eq(pthread_create(&t, NULL, producer, &c), 0);
    float out[CHUNK_Q];
    float *planes[1] = {out};
    float g = 1.0f;
    uint32_t i = 0;
    while (i < FRAMES) {
        int got = rbs_audio_render(&a, planes, 1, CHUNK_Q, 0, &e, NULL, 0, NULL);
        if (got == RBS_ECLOSED) break;
        cr_assert_geq(got, 0);
        for (int k = 0; k < got; k++, i++) {
            if (i % EVERY == 0) g = gain_at(i);
            if (out[k] != sig(i) * g && c.bad_frame == UINT32_MAX) {
                c.bad_frame = i;
                c.bad_value = out[k];
            }
        }
        if (got == 0) (void)sched_yield();
    }
    cr_assert_eq(pthread_join(t, NULL), 0);
    cr_assert_eq(c.p_error, 0);
    cr_assert_eq(i, FRAMES, "every frame read");
    cr_assert_eq(c.bad_frame, UINT32_MAX, "frame %u is %f, want %f", c.bad_frame,
                 (double)c.bad_value, (double)(sig(c.bad_frame) * gain_at(c.bad_frame)));
    cr_assert_eq(rbs_test_word(c.audio, RBS_OFF_EVENTS_LATE), 0u, "no event late");
    cr_assert_eq(rbs_test_word(c.audio, RBS_OFF_EVENTS_DROPPED), 0u);
    rbs_fill_stats s;
    cr_assert_eq(rbs_audio_fill_stats(&a, &s), RBS_OK);
    cr_assert(s.target >= 256 && s.target <= 4000, "target %u within its bounds", s.target);
    free(c.audio);
    free(c.events);
}
