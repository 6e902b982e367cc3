/*
 * test_audio.c — audio frames on a ring, one thread: planar in, interleaved
 * stored (checked in the raw data bytes), planar out, sample-exact for 1 to 8
 * and 32 channels; frames that straddle the end of the buffer (3 and 5
 * channels); never a partial frame; exact underrun and overrun counters;
 * silence; the start-up prefill; close; every error code.
 */
#include "test_helpers.h"

#include "ring_internal.h" /* rbs__meta_check, to forge a meta line */

#include <stdio.h>

/* ---- helpers --------------------------------------------------------------- */

/* The test signal: exact in float32 (18 + 6 bits fit the 24-bit mantissa)
 * and different for every frame (mod 2^18) and channel (up to 63). */
static float sample(uint64_t frame, uint32_t channel) {
    return (float)(frame % (1u << 18)) + (float)channel / 64.0f;
}

/* Planes of `frames` floats for `channels` channels, in one allocation. */
typedef struct {
    float *buf;
    float *p[RBS_MAX_CHANNELS];
    uint32_t channels, frames;
} planes_t;

static planes_t planes_new(uint32_t channels, uint32_t frames) {
    planes_t pl = {.channels = channels, .frames = frames};
    pl.buf = malloc((size_t)channels * frames * sizeof(float) + 1);
    cr_assert_not_null(pl.buf);
    for (uint32_t c = 0; c < channels; c++)
        pl.p[c] = pl.buf + (size_t)c * frames;
    return pl;
}

static void planes_fill_signal(planes_t *pl, uint64_t first, uint32_t n) {
    for (uint32_t c = 0; c < pl->channels; c++)
        for (uint32_t i = 0; i < n; i++)
            pl->p[c][i] = sample(first + i, c);
}

static void planes_fill(planes_t *pl, float v) {
    for (uint32_t c = 0; c < pl->channels; c++)
        for (uint32_t i = 0; i < pl->frames; i++)
            pl->p[c][i] = v;
}

/* Frames [from, from + n) of the planes hold the signal from frame `first`. */
static void assert_signal(const planes_t *pl, uint32_t from, uint64_t first, uint32_t n) {
    for (uint32_t i = 0; i < n; i++)
        for (uint32_t c = 0; c < pl->channels; c++)
            cr_assert_eq(pl->p[c][from + i], sample(first + i, c),
                         "frame %llu channel %u: got %f, want %f", (unsigned long long)(first + i),
                         c, (double)pl->p[c][from + i], (double)sample(first + i, c));
}

/* Frames [from, from + n) of the planes are exactly +0.0f (not -0.0, not NaN). */
static void assert_silence(const planes_t *pl, uint32_t from, uint32_t n) {
    for (uint32_t c = 0; c < pl->channels; c++)
        for (uint32_t i = from; i < from + n; i++) {
            uint32_t bits;
            memcpy(&bits, &pl->p[c][i], 4);
            cr_assert_eq(bits, 0u, "frame %u channel %u should be silence, got %f", i, c,
                         (double)pl->p[c][i]);
        }
}

/* The float at sample slot `slot` of the raw data area. */
static float raw_sample(const rbs_view *v, uint32_t slot) {
    float f;
    memcpy(&f, v->data + 4u * slot, 4);
    return f;
}

/* ---- setting up ------------------------------------------------------------ */

Test(audio_setup, init_formats_the_meta_line) {
    const uint32_t counts[] = {1, 2, 3, 5, 8, 32};
    for (size_t i = 0; i < sizeof counts / sizeof counts[0]; i++) {
        uint32_t ch = counts[i];
        rbs_view v = rbs_test_audio_ring(1024, ch);
        cr_assert_eq(rbs_test_word(v.ring, RBS_OFF_KIND), RBS_KIND_AUDIO);
        cr_assert_eq(rbs_test_word(v.ring, RBS_OFF_CHANNELS), ch);
        cr_assert_eq(rbs_test_word(v.ring, RBS_OFF_SAMPLE_RATE), 48000u);
        cr_assert_eq(rbs_test_word(v.ring, RBS_OFF_FRAME_BYTES), 4u * ch);
        cr_assert_eq(rbs_test_word(v.ring, RBS_OFF_AUDIO_STARTED), 0u);
        cr_assert_eq(rbs_test_word(v.ring, RBS_OFF_META_CHECK), v.meta_check);
        cr_assert_eq(v.kind, RBS_KIND_AUDIO);
        cr_assert_eq(v.capacity, 1024u);
        cr_assert_eq(v.channels, ch);
        cr_assert_eq(v.sample_rate, 48000u);
        cr_assert_eq(v.frame_bytes, 4u * ch);
        cr_assert_eq(v.max_frames, 1024u / (4u * ch));
        rbs_view other;
        cr_assert_eq(rbs_attach(&other, v.ring, rbs_region_size(1024)), RBS_OK);
        cr_assert(rbs_test_same_view(&other, &v), "attach sees what init made");
        cr_assert_eq(rbs_check(&v), RBS_OK);
        cr_assert_eq(rbs_audio_frames_available(&v), 0);
        cr_assert_eq(rbs_audio_frames_writable(&v), (int)(1024u / (4u * ch)), "%u channels", ch);
        cr_assert_eq(rbs_audio_started(&v), 0);
        cr_assert_eq(rbs_underruns(&v), 0u);
        cr_assert_eq(rbs_overruns(&v), 0u);
        cr_assert_eq(rbs_frames_written(&v), 0u);
        cr_assert_eq(rbs_frames_read(&v), 0u);
        free(v.ring);
    }
}

Test(audio_setup, init_errors) {
    size_t size = rbs_region_size(1024);
    unsigned char *r = rbs_test_region(size + 64);
    rbs_view v;
    cr_assert_eq(rbs_audio_init(&v, r, size, 1024, 0, 48000), RBS_EFORMAT, "no channels");
    cr_assert_eq(rbs_audio_init(&v, r, size, 1024, RBS_MAX_CHANNELS + 1, 48000), RBS_EFORMAT);
    cr_assert_eq(rbs_audio_init(&v, r, size, 1024, 2, 0), RBS_EFORMAT, "sample rate 0");
    cr_assert_eq(rbs_audio_init(&v, r, size, 1024, 2, RBS_MAX_SAMPLE_RATE + 1), RBS_EFORMAT);
    cr_assert_eq(rbs_audio_init(&v, r, size, 1000, 2, 48000), RBS_ECAPACITY, "not a power of 2");
    cr_assert_eq(rbs_audio_init(&v, r, size, 8, 1, 48000), RBS_ECAPACITY, "below the minimum");
    cr_assert_eq(rbs_audio_init(&v, r, size, 64, 32, 48000), RBS_ECAPACITY,
                 "64 bytes cannot hold one 128-byte frame");
    cr_assert_eq(rbs_audio_init(&v, NULL, size, 1024, 2, 48000), RBS_EINVAL);
    cr_assert_eq(rbs_audio_init(&v, r + 4, size, 1024, 2, 48000), RBS_EALIGN);
    cr_assert_eq(rbs_audio_init(&v, r, size - 1, 1024, 2, 48000), RBS_ERANGE);
    cr_assert_eq(rbs_test_word(r, RBS_OFF_MAGIC), 0xA5A5A5A5u, "nothing was formatted");

    /* the limits themselves are fine */
    cr_assert_eq(rbs_audio_init(&v, r, size, 1024, 2, RBS_MIN_SAMPLE_RATE), RBS_OK);
    cr_assert_eq(v.sample_rate, RBS_MIN_SAMPLE_RATE);
    cr_assert_eq(rbs_audio_init(&v, r, size, 1024, 2, RBS_MAX_SAMPLE_RATE), RBS_OK);
    cr_assert_eq(v.sample_rate, RBS_MAX_SAMPLE_RATE);
    rbs_view other;
    cr_assert_eq(rbs_attach(&other, r, size), RBS_OK);
    cr_assert_eq(other.sample_rate, RBS_MAX_SAMPLE_RATE);
    cr_assert_eq(rbs_audio_init(&v, r, size, 128, 32, 44100), RBS_OK, "exactly one frame");
    cr_assert_eq(v.max_frames, 1u);
    cr_assert_eq(rbs_audio_frames_writable(&v), 1);
    cr_assert_eq(rbs_audio_init(&v, r, size, 16, 3, 44100), RBS_OK, "one 12-byte frame in 16");
    cr_assert_eq(rbs_audio_frames_writable(&v), 1);
    cr_assert_eq(rbs_audio_init(NULL, r, size, 16, 3, 44100), RBS_OK, "no view: format only");
    free(r);
}

Test(audio_setup, scratch_size_is_two_blocks_of_planes_rounded_to_64_bytes) {
    cr_assert_eq(rbs_audio_scratch_size(2, 128), 2u * 1024u);
    cr_assert_eq(rbs_audio_scratch_size(1, 1), 2u * 64u, "4 bytes round up to a line");
    cr_assert_eq(rbs_audio_scratch_size(3, 5), 2u * 64u, "60 bytes");
    cr_assert_eq(rbs_audio_scratch_size(3, 6), 2u * 128u, "72 bytes");
    cr_assert_eq(rbs_audio_scratch_size(32, 8192), 2u * 32u * 8192u * 4u);
    cr_assert_eq(rbs_audio_scratch_size(0, 128), 0u);
    cr_assert_eq(rbs_audio_scratch_size(2, 0), 0u);
    cr_assert_eq(rbs_audio_scratch_size(1, 1u << 28), 1u << 31, "exactly 2^31 is fine");
    cr_assert_eq(rbs_audio_scratch_size(1, (1u << 28) + 1u), 0u, "beyond 2^31");
    cr_assert_eq(rbs_audio_scratch_size(32, UINT32_MAX), 0u, "no overflow");
    cr_assert_eq(rbs_audio_scratch_size(UINT32_MAX, UINT32_MAX), 0u);
    /* what a ring of every shape needs: its whole capacity for each role */
    for (uint32_t ch = 1; ch <= RBS_MAX_CHANNELS; ch++) {
        uint32_t frames = 4096u / (4u * ch);
        cr_assert_geq(rbs_audio_scratch_size(ch, frames), 2u * 4u * ch * frames);
    }
}

/* ---- layout ------------------------------------------------------------------ */

Test(audio_layout, planar_in_interleaved_stored_planar_out) {
    rbs_view v = rbs_test_audio_ring(256, 2);
    planes_t in = planes_new(2, 5), out = planes_new(2, 5);
    planes_fill_signal(&in, 0, 5);
    cr_assert_eq(rbs_audio_write(&v, (const float *const *)in.p, 2, 5), 5);
    for (uint32_t i = 0; i < 5; i++) {
        cr_assert_eq(raw_sample(&v, 2 * i), sample(i, 0), "frame %u left", i);
        cr_assert_eq(raw_sample(&v, 2 * i + 1), sample(i, 1), "frame %u right", i);
    }
    cr_assert_eq(rbs_test_word(v.ring, RBS_OFF_DATA + 40), 0xA5A5A5A5u, "nothing past the frames");
    cr_assert_eq(rbs_test_word(v.ring, RBS_OFF_WRITE), 40u, "write counter in bytes");
    cr_assert_eq(rbs_readable(&v), 40);
    cr_assert_eq(rbs_audio_frames_available(&v), 5);
    cr_assert_eq(rbs_audio_frames_writable(&v), 32 - 5);

    planes_fill(&out, -1.0f);
    cr_assert_eq(rbs_audio_read(&v, out.p, 2, 5), 5);
    assert_signal(&out, 0, 0, 5);
    cr_assert_eq(rbs_test_word(v.ring, RBS_OFF_READ), 40u);
    cr_assert_eq(rbs_audio_frames_available(&v), 0);
    free(in.buf);
    free(out.buf);
    free(v.ring);
}

Test(audio_layout, interleaved_write_is_stored_as_given) {
    rbs_view v = rbs_test_audio_ring(64, 3);
    float src[9];
    for (uint32_t i = 0; i < 9; i++)
        src[i] = sample(i / 3, i % 3);
    cr_assert_eq(rbs_audio_write_interleaved(&v, src, 3), 3);
    for (uint32_t s = 0; s < 9; s++)
        cr_assert_eq(raw_sample(&v, s), src[s], "sample %u", s);
    planes_t out = planes_new(3, 3);
    cr_assert_eq(rbs_audio_read(&v, out.p, 3, 3), 3);
    assert_signal(&out, 0, 0, 3);
    free(out.buf);
    free(v.ring);
}

/* 3 channels in 64 bytes: 5 frames (60 bytes); the 6th frame written starts
 * at byte 60, so its channel 0 is the last sample of the buffer and its
 * channels 1 and 2 are the first two. */
Test(audio_layout, a_frame_straddles_the_end_of_the_buffer) {
    rbs_view v = rbs_test_audio_ring(64, 3);
    planes_t in = planes_new(3, 5), out = planes_new(3, 5);
    planes_fill_signal(&in, 0, 5);
    cr_assert_eq(rbs_audio_write(&v, (const float *const *)in.p, 3, 5), 5);
    cr_assert_eq(rbs_audio_frames_writable(&v), 0, "4 bytes free are not a frame");
    cr_assert_eq(rbs_audio_read(&v, out.p, 3, 5), 5);
    assert_signal(&out, 0, 0, 5);

    planes_fill_signal(&in, 5, 2);
    cr_assert_eq(rbs_audio_write(&v, (const float *const *)in.p, 3, 2), 2);
    cr_assert_eq(raw_sample(&v, 15), sample(5, 0), "channel 0 of frame 5 at the end");
    cr_assert_eq(raw_sample(&v, 0), sample(5, 1), "channel 1 of frame 5 at the start");
    cr_assert_eq(raw_sample(&v, 1), sample(5, 2));
    cr_assert_eq(raw_sample(&v, 2), sample(6, 0), "frame 6 follows");
    cr_assert_eq(raw_sample(&v, 3), sample(6, 1));
    cr_assert_eq(raw_sample(&v, 4), sample(6, 2));
    planes_fill(&out, -1.0f);
    cr_assert_eq(rbs_audio_read(&v, out.p, 3, 5), 2);
    assert_signal(&out, 0, 5, 2);

    /* now at byte 84 = 20 mod 64: the 4th frame from here straddles with two
     * samples before the end (bytes 56 and 60), written interleaved */
    float src[15];
    for (uint32_t i = 0; i < 15; i++)
        src[i] = sample(7 + i / 3, i % 3);
    cr_assert_eq(rbs_audio_write_interleaved(&v, src, 5), 5);
    cr_assert_eq(raw_sample(&v, 14), sample(10, 0));
    cr_assert_eq(raw_sample(&v, 15), sample(10, 1));
    cr_assert_eq(raw_sample(&v, 0), sample(10, 2));
    cr_assert_eq(raw_sample(&v, 1), sample(11, 0));
    cr_assert_eq(rbs_audio_read(&v, out.p, 3, 5), 5);
    assert_signal(&out, 0, 7, 5);
    free(in.buf);
    free(out.buf);
    free(v.ring);
}

/* 5 channels (20-byte frames) in 128 bytes: 6 frames, 8 bytes spare, so the
 * straddle point moves through every sample boundary as the ring turns. */
Test(audio_layout, five_channel_frames_straddle_at_every_offset) {
    rbs_view v = rbs_test_audio_ring(128, 5);
    planes_t in = planes_new(5, 6), out = planes_new(5, 6);
    uint64_t next_w = 0, next_r = 0;
    for (int round = 0; round < 200; round++) {
        uint32_t n = 1 + (uint32_t)(round % 6);
        planes_fill_signal(&in, next_w, n);
        cr_assert_eq(rbs_audio_write(&v, (const float *const *)in.p, 5, n), (int)n);
        next_w += n;
        planes_fill(&out, -1.0f);
        cr_assert_eq(rbs_audio_read(&v, out.p, 5, 6), (int)n);
        assert_signal(&out, 0, next_r, n);
        next_r += n;
    }
    cr_assert_eq(rbs_frames_written(&v), (uint32_t)next_w);
    cr_assert_eq(rbs_frames_read(&v), (uint32_t)next_r);
    free(in.buf);
    free(out.buf);
    free(v.ring);
}

/* Every channel count from 1 to 8, and 32, through rings whose frame size
 * does and does not divide the capacity: random chunk sizes, both writes,
 * both reads, many turns of the ring, every sample checked, and the fill
 * always a whole number of frames. */
Test(audio_layout, round_trip_sample_exact_for_1_to_8_and_32_channels) {
    const uint32_t counts[] = {1, 2, 3, 4, 5, 6, 7, 8, 32};
    const uint32_t capacities[] = {256, 1024};
    for (size_t ci = 0; ci < sizeof counts / sizeof counts[0]; ci++) {
        for (size_t ki = 0; ki < 2; ki++) {
            uint32_t ch = counts[ci], cap = capacities[ki], fb = 4u * ch;
            uint32_t max_frames = cap / fb;
            rbs_view v = rbs_test_audio_ring(cap, ch);
            uint32_t chunk = 2 * max_frames + 1;
            planes_t in = planes_new(ch, chunk), out = planes_new(ch, chunk);
            float *inter = malloc((size_t)chunk * fb);
            uint64_t next_w = 0, next_r = 0, rng = 0x1234 + ch * 7 + ki, total = 40ull * max_frames;
            uint32_t underruns = 0, overruns = 0;
            while (next_r < total) {
                uint32_t n = 1 + (uint32_t)(rbs_test_rand(&rng) % chunk);
                int got;
                if (rbs_test_rand(&rng) & 1) {
                    planes_fill_signal(&in, next_w, n);
                    got = rbs_audio_write(&v, (const float *const *)in.p, ch, n);
                } else {
                    for (uint32_t i = 0; i < n * ch; i++)
                        inter[i] = sample(next_w + i / ch, i % ch);
                    got = rbs_audio_write_interleaved(&v, inter, n);
                }
                cr_assert_geq(got, 0);
                uint32_t room = max_frames - (uint32_t)(next_w - next_r);
                cr_assert_eq((uint32_t)got, n < room ? n : room, "%u ch: whole frames that fit",
                             ch);
                overruns += n - (uint32_t)got;
                next_w += (uint32_t)got;
                cr_assert_eq(rbs_readable(&v) % (int)fb, 0, "never a partial frame");
                cr_assert_eq(rbs_audio_frames_available(&v) + rbs_audio_frames_writable(&v),
                             (int)max_frames);

                n = 1 + (uint32_t)(rbs_test_rand(&rng) % chunk);
                uint32_t have = (uint32_t)(next_w - next_r);
                planes_fill(&out, -1.0f);
                if (rbs_test_rand(&rng) & 1) {
                    got = rbs_audio_read(&v, out.p, ch, n);
                } else {
                    got = rbs_audio_read_or_silence(&v, out.p, ch, n);
                    uint32_t k = n < have ? n : have;
                    assert_silence(&out, k, n - k);
                    underruns += n - k;
                }
                cr_assert_eq(got, (int)(n < have ? n : have), "%u ch: frames read", ch);
                assert_signal(&out, 0, next_r, (uint32_t)got);
                next_r += (uint32_t)got;
            }
            cr_assert_eq(rbs_underruns(&v), underruns);
            cr_assert_eq(rbs_overruns(&v), overruns);
            cr_assert_eq(rbs_frames_written(&v), (uint32_t)next_w);
            cr_assert_eq(rbs_frames_read(&v), (uint32_t)next_r);
            free(inter);
            free(in.buf);
            free(out.buf);
            free(v.ring);
        }
    }
}

/* The byte counters run past 2^32 (which is not a multiple of 12): the
 * frame positions must stay continuous. */
Test(audio_layout, counters_wrap_past_2_pow_32) {
    rbs_view v = rbs_test_audio_ring(64, 3);
    rbs_test_set_word(v.ring, RBS_OFF_WRITE, 0xFFFFFFE8u); /* 24 bytes before 2^32 */
    rbs_test_set_word(v.ring, RBS_OFF_READ, 0xFFFFFFE8u);
    rbs_test_set_word(v.ring, RBS_OFF_FRAMES_WRITTEN, 0xFFFFFFFFu);
    planes_t in = planes_new(3, 4), out = planes_new(3, 4);
    uint64_t next = 0;
    for (int round = 0; round < 20; round++) {
        planes_fill_signal(&in, next, 4);
        cr_assert_eq(rbs_audio_write(&v, (const float *const *)in.p, 3, 4), 4);
        cr_assert_eq(rbs_audio_frames_available(&v), 4);
        cr_assert_eq(rbs_audio_read(&v, out.p, 3, 4), 4);
        assert_signal(&out, 0, next, 4);
        next += 4;
    }
    cr_assert_lt(rbs_test_word(v.ring, RBS_OFF_WRITE), 0x1000u, "the write counter wrapped");
    cr_assert_eq(rbs_frames_written(&v), 79u, "frames_written counts mod 2^32");
    free(in.buf);
    free(out.buf);
    free(v.ring);
}

/* ---- whole frames and counters ----------------------------------------------- */

Test(audio_counters, writes_near_full_move_whole_frames_and_count_overruns) {
    rbs_view v = rbs_test_audio_ring(64, 3); /* 5 frames, 4 bytes that can never be used */
    planes_t in = planes_new(3, 8), out = planes_new(3, 8);
    planes_fill_signal(&in, 0, 8);
    cr_assert_eq(rbs_audio_write(&v, (const float *const *)in.p, 3, 4), 4);
    cr_assert_eq(rbs_audio_write(&v, (const float *const *)in.p, 3, 3), 1, "one whole frame fits");
    cr_assert_eq(rbs_overruns(&v), 2u);
    cr_assert_eq(rbs_readable(&v), 60, "5 frames, not 64 bytes");
    cr_assert_eq(rbs_audio_frames_writable(&v), 0);
    cr_assert_eq(rbs_audio_write(&v, (const float *const *)in.p, 3, 1), 0, "full");
    cr_assert_eq(rbs_overruns(&v), 3u);
    cr_assert_eq(rbs_audio_read(&v, out.p, 3, 2), 2);
    float src[12] = {0};
    cr_assert_eq(rbs_audio_write_interleaved(&v, src, 4), 2);
    cr_assert_eq(rbs_overruns(&v), 5u);
    cr_assert_eq(rbs_audio_write(&v, (const float *const *)in.p, 3, 1000), 0);
    cr_assert_eq(rbs_overruns(&v), 1005u, "a request beyond the ring counts whole");
    cr_assert_eq(rbs_audio_write(&v, (const float *const *)in.p, 3, 0), 0);
    cr_assert_eq(rbs_overruns(&v), 1005u, "writing nothing refuses nothing");
    cr_assert_eq(rbs_frames_written(&v), 7u);
    cr_assert_eq(rbs_frames_read(&v), 2u);
    cr_assert_eq(rbs_underruns(&v), 0u, "plain reads never count underruns");
    cr_assert_eq(rbs_test_word(v.ring, RBS_OFF_OVERRUNS), 1005u, "in the producer line");
    free(in.buf);
    free(out.buf);
    free(v.ring);
}

Test(audio_counters, reads_never_take_part_of_a_frame) {
    rbs_view v = rbs_test_audio_ring(128, 5);
    planes_t in = planes_new(5, 6), out = planes_new(5, 6);
    planes_fill_signal(&in, 0, 6);
    cr_assert_eq(rbs_audio_write(&v, (const float *const *)in.p, 5, 6), 6);
    cr_assert_eq(rbs_readable(&v), 120);
    cr_assert_eq(rbs_audio_read(&v, out.p, 5, 4), 4);
    cr_assert_eq(rbs_readable(&v), 40);
    cr_assert_eq(rbs_audio_read(&v, out.p, 5, 6), 2);
    cr_assert_eq(rbs_readable(&v), 0);
    cr_assert_eq(rbs_audio_read(&v, out.p, 5, 6), 0, "empty, not closed");
    free(in.buf);
    free(out.buf);
    free(v.ring);
}

Test(audio_counters, read_or_silence_fills_silence_and_counts_underruns) {
    rbs_view v = rbs_test_audio_ring(4096, 2);
    planes_t in = planes_new(2, 128), out = planes_new(2, 128);
    planes_fill(&out, 123.0f);
    cr_assert_eq(rbs_audio_read_or_silence(&v, out.p, 2, 128), 0);
    assert_silence(&out, 0, 128);
    cr_assert_eq(rbs_underruns(&v), 128u);

    planes_fill_signal(&in, 0, 50);
    cr_assert_eq(rbs_audio_write(&v, (const float *const *)in.p, 2, 50), 50);
    planes_fill(&out, 123.0f);
    cr_assert_eq(rbs_audio_read_or_silence(&v, out.p, 2, 128), 50);
    assert_signal(&out, 0, 0, 50);
    assert_silence(&out, 50, 78);
    cr_assert_eq(rbs_underruns(&v), 128u + 78u);
    cr_assert_eq(rbs_test_word(v.ring, RBS_OFF_UNDERRUNS), 206u, "in the consumer line");

    planes_fill_signal(&in, 50, 128);
    cr_assert_eq(rbs_audio_write(&v, (const float *const *)in.p, 2, 128), 128);
    cr_assert_eq(rbs_audio_write(&v, (const float *const *)in.p, 2, 10), 10);
    cr_assert_eq(rbs_audio_read_or_silence(&v, out.p, 2, 128), 128);
    assert_signal(&out, 0, 50, 128);
    cr_assert_eq(rbs_underruns(&v), 206u, "a full quantum is no underrun");
    cr_assert_eq(rbs_frames_read(&v), 178u);
    cr_assert_eq(rbs_audio_frames_available(&v), 10);
    cr_assert_eq(rbs_audio_read_or_silence(&v, out.p, 2, 0), 0);
    cr_assert_eq(rbs_underruns(&v), 206u, "reading nothing misses nothing");
    free(in.buf);
    free(out.buf);
    free(v.ring);
}

Test(audio_counters, read_or_silence_asking_more_than_the_ring_holds) {
    rbs_view v = rbs_test_audio_ring(256, 2); /* 32 frames */
    planes_t in = planes_new(2, 32), out = planes_new(2, 128);
    planes_fill_signal(&in, 0, 32);
    cr_assert_eq(rbs_audio_write(&v, (const float *const *)in.p, 2, 32), 32);
    planes_fill(&out, 1.0f);
    cr_assert_eq(rbs_audio_read_or_silence(&v, out.p, 2, 128), 32);
    assert_signal(&out, 0, 0, 32);
    assert_silence(&out, 32, 96);
    cr_assert_eq(rbs_underruns(&v), 96u);
    free(in.buf);
    free(out.buf);
    free(v.ring);
}

Test(audio_counters, counters_are_zero_for_what_is_not_a_ring) {
    cr_assert_eq(rbs_underruns(NULL), 0u);
    cr_assert_eq(rbs_overruns(NULL), 0u);
    cr_assert_eq(rbs_frames_written(NULL), 0u);
    cr_assert_eq(rbs_frames_read(NULL), 0u);
    rbs_view zero;
    memset(&zero, 0, sizeof zero); /* never filled */
    cr_assert_eq(rbs_underruns(&zero), 0u);
    cr_assert_eq(rbs_frames_read(&zero), 0u);
    rbs_view b = rbs_test_ring(64); /* another kind, whatever its words hold */
    rbs_test_set_word(b.ring, RBS_OFF_UNDERRUNS, 7);
    rbs_test_set_word(b.ring, RBS_OFF_OVERRUNS, 7);
    rbs_test_set_word(b.ring, RBS_OFF_FRAMES_WRITTEN, 7);
    rbs_test_set_word(b.ring, RBS_OFF_FRAMES_READ, 7);
    cr_assert_eq(rbs_underruns(&b), 0u);
    cr_assert_eq(rbs_overruns(&b), 0u);
    cr_assert_eq(rbs_frames_written(&b), 0u);
    cr_assert_eq(rbs_frames_read(&b), 0u);
    free(b.ring);
}

/* ---- start-up prefill ----------------------------------------------------------- */

Test(audio_prefill, silence_without_underruns_until_the_prefill_is_reached) {
    rbs_view v = rbs_test_audio_ring(4096, 2); /* 512 frames */
    planes_t in = planes_new(2, 256), out = planes_new(2, 128);
    planes_fill(&out, 9.0f);
    cr_assert_eq(rbs_audio_read_or_silence_prefill(&v, out.p, 2, 128, 256), 0);
    assert_silence(&out, 0, 128);
    planes_fill_signal(&in, 0, 200);
    cr_assert_eq(rbs_audio_write(&v, (const float *const *)in.p, 2, 200), 200);
    cr_assert_eq(rbs_audio_read_or_silence_prefill(&v, out.p, 2, 128, 256), 0);
    assert_silence(&out, 0, 128);
    cr_assert_eq(rbs_underruns(&v), 0u, "waiting for the prefill is not an underrun");
    cr_assert_eq(rbs_audio_frames_available(&v), 200, "nothing consumed while waiting");
    cr_assert_eq(rbs_audio_started(&v), 0);
    cr_assert_eq(rbs_frames_read(&v), 0u);

    planes_fill_signal(&in, 200, 56);
    cr_assert_eq(rbs_audio_write(&v, (const float *const *)in.p, 2, 56), 56);
    cr_assert_eq(rbs_audio_read_or_silence_prefill(&v, out.p, 2, 128, 256), 128,
                 "plays from the call that sees the prefill");
    assert_signal(&out, 0, 0, 128);
    cr_assert_eq(rbs_audio_started(&v), 1);
    cr_assert_eq(rbs_test_word(v.ring, RBS_OFF_AUDIO_STARTED), 1u);

    /* started for good: below the prefill it plays, and misses count */
    cr_assert_eq(rbs_audio_read_or_silence_prefill(&v, out.p, 2, 128, 256), 128);
    assert_signal(&out, 0, 128, 128);
    cr_assert_eq(rbs_audio_read_or_silence_prefill(&v, out.p, 2, 128, 256), 0);
    cr_assert_eq(rbs_underruns(&v), 128u);
    planes_fill_signal(&in, 256, 10);
    cr_assert_eq(rbs_audio_write(&v, (const float *const *)in.p, 2, 10), 10);
    cr_assert_eq(rbs_audio_read_or_silence_prefill(&v, out.p, 2, 128, 256), 10);
    assert_signal(&out, 0, 256, 10);
    assert_silence(&out, 10, 118);
    cr_assert_eq(rbs_underruns(&v), 246u);
    free(in.buf);
    free(out.buf);
    free(v.ring);
}

Test(audio_prefill, a_prefill_beyond_the_ring_waits_for_a_full_ring) {
    rbs_view v = rbs_test_audio_ring(256, 2); /* 32 frames */
    planes_t in = planes_new(2, 32), out = planes_new(2, 16);
    planes_fill_signal(&in, 0, 32);
    cr_assert_eq(rbs_audio_write(&v, (const float *const *)in.p, 2, 31), 31);
    cr_assert_eq(rbs_audio_read_or_silence_prefill(&v, out.p, 2, 16, 1000), 0);
    cr_assert_eq(rbs_audio_started(&v), 0);
    const float *last[2] = {in.p[0] + 31, in.p[1] + 31};
    cr_assert_eq(rbs_audio_write(&v, last, 2, 1), 1);
    cr_assert_eq(rbs_audio_read_or_silence_prefill(&v, out.p, 2, 16, 1000), 16);
    assert_signal(&out, 0, 0, 16);
    cr_assert_eq(rbs_underruns(&v), 0u);
    free(in.buf);
    free(out.buf);
    free(v.ring);
}

Test(audio_prefill, zero_prefill_starts_at_once_and_close_ends_the_wait) {
    rbs_view v = rbs_test_audio_ring(256, 1);
    planes_t in = planes_new(1, 8), out = planes_new(1, 8);
    cr_assert_eq(rbs_audio_read_or_silence_prefill(&v, out.p, 1, 8, 0), 0);
    cr_assert_eq(rbs_audio_started(&v), 1);
    cr_assert_eq(rbs_underruns(&v), 8u, "started, so an empty ring underruns");
    free(v.ring);

    v = rbs_test_audio_ring(256, 1);
    planes_fill_signal(&in, 0, 3);
    cr_assert_eq(rbs_audio_write(&v, (const float *const *)in.p, 1, 3), 3);
    cr_assert_eq(rbs_close(&v), RBS_OK);
    planes_fill(&out, 5.0f);
    cr_assert_eq(rbs_audio_read_or_silence_prefill(&v, out.p, 1, 8, 32), 3,
                 "the producer closed: play what there is");
    assert_signal(&out, 0, 0, 3);
    assert_silence(&out, 3, 5);
    cr_assert_eq(rbs_underruns(&v), 0u, "silence after the end is not an underrun");
    cr_assert_eq(rbs_audio_read_or_silence_prefill(&v, out.p, 1, 8, 32), RBS_ECLOSED);
    free(in.buf);
    free(out.buf);
    free(v.ring);
}

/* ---- close ---------------------------------------------------------------------- */

Test(audio_close, written_frames_stay_readable_then_closed) {
    rbs_view v = rbs_test_audio_ring(256, 2);
    planes_t in = planes_new(2, 8), out = planes_new(2, 8);
    planes_fill_signal(&in, 0, 8);
    cr_assert_eq(rbs_audio_write(&v, (const float *const *)in.p, 2, 8), 8);
    cr_assert_eq(rbs_close(&v), RBS_OK);
    cr_assert_eq(rbs_audio_write(&v, (const float *const *)in.p, 2, 8), RBS_ECLOSED);
    cr_assert_eq(rbs_audio_write_interleaved(&v, in.buf, 1), RBS_ECLOSED);
    cr_assert_eq(rbs_overruns(&v), 0u, "a write after close is no overrun");
    cr_assert_eq(rbs_frames_written(&v), 8u);

    cr_assert_eq(rbs_audio_read(&v, out.p, 2, 5), 5);
    assert_signal(&out, 0, 0, 5);
    planes_fill(&out, 7.0f);
    cr_assert_eq(rbs_audio_read_or_silence(&v, out.p, 2, 8), 3);
    assert_signal(&out, 0, 5, 3);
    assert_silence(&out, 3, 5);
    cr_assert_eq(rbs_underruns(&v), 0u);
    planes_fill(&out, 7.0f);
    cr_assert_eq(rbs_audio_read_or_silence(&v, out.p, 2, 8), RBS_ECLOSED);
    assert_silence(&out, 0, 8);
    cr_assert_eq(rbs_audio_read(&v, out.p, 2, 8), RBS_ECLOSED);
    cr_assert_eq(rbs_underruns(&v), 0u);
    cr_assert_eq(rbs_frames_read(&v), 8u);
    free(in.buf);
    free(out.buf);
    free(v.ring);
}

/* ---- errors ------------------------------------------------------------------------ */

Test(audio_errors, wrong_channel_count_is_a_format_error_and_moves_nothing) {
    rbs_view v = rbs_test_audio_ring(256, 2);
    planes_t in = planes_new(3, 4), out = planes_new(3, 4);
    planes_fill_signal(&in, 0, 4);
    cr_assert_eq(rbs_audio_write(&v, (const float *const *)in.p, 3, 4), RBS_EFORMAT);
    cr_assert_eq(rbs_audio_write(&v, (const float *const *)in.p, 1, 4), RBS_EFORMAT);
    cr_assert_eq(rbs_audio_write(&v, (const float *const *)in.p, 2, 4), 4);
    cr_assert_eq(rbs_audio_read(&v, out.p, 1, 4), RBS_EFORMAT);
    cr_assert_eq(rbs_audio_read(&v, out.p, 0, 4), RBS_EFORMAT);
    planes_fill(&out, 3.0f);
    cr_assert_eq(rbs_audio_read_or_silence(&v, out.p, 3, 4), RBS_EFORMAT);
    assert_silence(&out, 0, 4); /* all 3 of the caller's planes */
    planes_fill(&out, 3.0f);
    cr_assert_eq(rbs_audio_read_or_silence_prefill(&v, out.p, 1, 4, 0), RBS_EFORMAT);
    cr_assert_eq(out.p[0][0], 0.0f);
    cr_assert_eq(out.p[1][0], 3.0f, "only the planes the caller named are touched");
    cr_assert_eq(rbs_audio_frames_available(&v), 4);
    cr_assert_eq(rbs_overruns(&v), 0u);
    cr_assert_eq(rbs_underruns(&v), 0u);
    cr_assert_eq(rbs_audio_started(&v), 0);
    free(in.buf);
    free(out.buf);
    free(v.ring);
}

Test(audio_errors, missing_buffers_are_refused) {
    rbs_view v = rbs_test_audio_ring(256, 2);
    planes_t pl = planes_new(2, 4);
    float *holes[2] = {pl.p[0], NULL};
    cr_assert_eq(rbs_audio_write(&v, NULL, 2, 4), RBS_EINVAL);
    cr_assert_eq(rbs_audio_write(&v, (const float *const *)holes, 2, 4), RBS_EINVAL);
    cr_assert_eq(rbs_audio_write_interleaved(&v, NULL, 4), RBS_EINVAL);
    cr_assert_eq(rbs_overruns(&v), 0u);
    cr_assert_eq(rbs_audio_write(&v, NULL, 2, 0), 0, "nothing to write needs no planes");
    cr_assert_eq(rbs_audio_write_interleaved(&v, NULL, 0), 0);
    cr_assert_eq(rbs_audio_read(&v, NULL, 2, 4), RBS_EINVAL);
    cr_assert_eq(rbs_audio_read(&v, holes, 2, 4), RBS_EINVAL);
    cr_assert_eq(rbs_audio_read(&v, NULL, 2, 0), 0);
    pl.p[0][0] = 8.0f;
    cr_assert_eq(rbs_audio_read_or_silence(&v, holes, 2, 4), RBS_EINVAL);
    cr_assert_eq(pl.p[0][0], 0.0f, "the plane that is there is silenced");
    cr_assert_eq(rbs_audio_read_or_silence(&v, NULL, 2, 4), RBS_EINVAL);
    cr_assert_eq(rbs_audio_read_or_silence(&v, NULL, 2, 0), 0);
    cr_assert_eq(rbs_audio_read_or_silence_prefill(&v, NULL, 2, 0, 64), 0);
    cr_assert_eq(rbs_underruns(&v), 0u);

    cr_assert_eq(rbs_audio_write(NULL, (const float *const *)pl.p, 2, 4), RBS_EINVAL);
    cr_assert_eq(rbs_audio_write_interleaved(NULL, pl.buf, 4), RBS_EINVAL);
    cr_assert_eq(rbs_audio_read(NULL, pl.p, 2, 4), RBS_EINVAL);
    cr_assert_eq(rbs_audio_read_or_silence(NULL, pl.p, 2, 4), RBS_EINVAL);
    cr_assert_eq(rbs_audio_read_or_silence_prefill(NULL, pl.p, 2, 4, 0), RBS_EINVAL);
    cr_assert_eq(rbs_audio_frames_available(NULL), RBS_EINVAL);
    cr_assert_eq(rbs_audio_frames_writable(NULL), RBS_EINVAL);
    cr_assert_eq(rbs_audio_started(NULL), RBS_EINVAL);

    rbs_view zero;
    memset(&zero, 0, sizeof zero); /* never filled */
    cr_assert_eq(rbs_audio_write(&zero, (const float *const *)pl.p, 2, 4), RBS_EINVAL);
    cr_assert_eq(rbs_audio_write_interleaved(&zero, pl.buf, 4), RBS_EINVAL);
    cr_assert_eq(rbs_audio_read(&zero, pl.p, 2, 4), RBS_EINVAL);
    pl.p[1][3] = 8.0f;
    cr_assert_eq(rbs_audio_read_or_silence(&zero, pl.p, 2, 4), RBS_EINVAL);
    cr_assert_eq(pl.p[1][3], 0.0f, "silenced whatever went wrong");
    cr_assert_eq(rbs_audio_read_or_silence_prefill(&zero, pl.p, 2, 4, 0), RBS_EINVAL);
    cr_assert_eq(rbs_audio_frames_available(&zero), RBS_EINVAL);
    cr_assert_eq(rbs_audio_frames_writable(&zero), RBS_EINVAL);
    cr_assert_eq(rbs_audio_started(&zero), RBS_EINVAL);
    free(pl.buf);
    free(v.ring);
}

Test(audio_errors, byte_and_audio_calls_do_not_mix) {
    rbs_view a = rbs_test_audio_ring(256, 2);
    uint8_t bytes[16] = {0};
    rbs_span spans[2];
    cr_assert_eq(rbs_write(&a, bytes, 8), RBS_EKIND);
    cr_assert_eq(rbs_write_all(&a, bytes, 8), RBS_EKIND);
    cr_assert_eq(rbs_write_reserve(&a, 8, spans), RBS_EKIND);
    cr_assert_eq(rbs_read(&a, bytes, 8), RBS_EKIND);
    cr_assert_eq(rbs_read_all(&a, bytes, 8), RBS_EKIND);
    cr_assert_eq(rbs_peek(&a, bytes, 8), RBS_EKIND);
    cr_assert_eq(rbs_skip(&a, 8), RBS_EKIND);
    cr_assert_eq(rbs_read_acquire(&a, 8, spans), RBS_EKIND);
    cr_assert_eq(rbs_readable(&a), 0, "the byte count is a query of any ring");

    rbs_view b = rbs_test_ring(256);
    planes_t pl = planes_new(2, 4);
    planes_fill(&pl, 2.0f);
    cr_assert_eq(rbs_audio_write(&b, (const float *const *)pl.p, 2, 4), RBS_EKIND);
    cr_assert_eq(rbs_audio_write_interleaved(&b, pl.buf, 4), RBS_EKIND);
    cr_assert_eq(rbs_audio_read(&b, pl.p, 2, 4), RBS_EKIND);
    cr_assert_eq(rbs_audio_read_or_silence(&b, pl.p, 2, 4), RBS_EKIND);
    assert_silence(&pl, 0, 4);
    cr_assert_eq(rbs_audio_read_or_silence_prefill(&b, pl.p, 2, 4, 2), RBS_EKIND);
    cr_assert_eq(rbs_audio_frames_available(&b), RBS_EKIND);
    cr_assert_eq(rbs_audio_frames_writable(&b), RBS_EKIND);
    cr_assert_eq(rbs_audio_started(&b), RBS_EKIND);
    cr_assert_eq(rbs_readable(&b), 0);
    cr_assert_eq(rbs_test_word(b.ring, RBS_OFF_UNDERRUNS), 0u);
    free(pl.buf);
    free(a.ring);
    free(b.ring);
}

/* ---- corrupt headers ---------------------------------------------------------------- */

Test(audio_corrupt, a_fill_that_is_not_whole_frames) {
    rbs_view v = rbs_test_audio_ring(256, 2);
    planes_t pl = planes_new(2, 4);
    planes_fill_signal(&pl, 0, 4);
    cr_assert_eq(rbs_audio_write(&v, (const float *const *)pl.p, 2, 4), 4);
    rbs_test_set_word(v.ring, RBS_OFF_WRITE, 36); /* 4.5 frames */
    cr_assert_eq(rbs_audio_frames_available(&v), RBS_ECORRUPT);
    cr_assert_eq(rbs_audio_frames_writable(&v), RBS_ECORRUPT);
    cr_assert_eq(rbs_audio_read(&v, pl.p, 2, 4), RBS_ECORRUPT);
    planes_fill(&pl, 4.0f);
    cr_assert_eq(rbs_audio_read_or_silence(&v, pl.p, 2, 4), RBS_ECORRUPT);
    assert_silence(&pl, 0, 4);
    cr_assert_eq(rbs_audio_write(&v, (const float *const *)pl.p, 2, 4), RBS_ECORRUPT);
    cr_assert_eq(rbs_test_word(v.ring, RBS_OFF_READ), 0u, "nothing consumed");
    cr_assert_eq(rbs_underruns(&v), 0u);

    /* consistent counters that are not multiples of 4 would misalign floats */
    rbs_test_set_word(v.ring, RBS_OFF_WRITE, 2);
    rbs_test_set_word(v.ring, RBS_OFF_READ, 2);
    cr_assert_eq(rbs_audio_write(&v, (const float *const *)pl.p, 2, 4), RBS_ECORRUPT);
    cr_assert_eq(rbs_audio_read(&v, pl.p, 2, 4), RBS_ECORRUPT);

    /* counters far apart */
    rbs_test_set_word(v.ring, RBS_OFF_WRITE, 1024);
    rbs_test_set_word(v.ring, RBS_OFF_READ, 0);
    cr_assert_eq(rbs_audio_read(&v, pl.p, 2, 4), RBS_ECORRUPT);
    cr_assert_eq(rbs_audio_frames_available(&v), RBS_ECORRUPT);
    free(pl.buf);
    free(v.ring);
}

/* A meta line rewritten with a matching check word (what a forger would do). */
static void forge_meta(const rbs_view *v, uint32_t channels, uint32_t rate, uint32_t frame_bytes) {
    rbs_test_set_word(v->ring, RBS_OFF_CHANNELS, channels);
    rbs_test_set_word(v->ring, RBS_OFF_SAMPLE_RATE, rate);
    rbs_test_set_word(v->ring, RBS_OFF_FRAME_BYTES, frame_bytes);
    rbs_test_set_word(v->ring, RBS_OFF_META_CHECK,
                      rbs__meta_check(v->capacity, RBS_KIND_AUDIO, channels, rate, frame_bytes));
}

/* The frame shape forged under a side that holds a view: its calls keep
 * moving whole frames of its own shape inside the ring (no division by a
 * forged zero, no frame larger than the ring), rbs_check and a new party see
 * the forgery, and so do the queries and a call that finds nothing to do
 * when a word that bounds an access changed. */
Test(audio_corrupt, a_forged_meta_line) {
    const uint32_t bad[][3] = {
        {0, 48000, 0}, {2, 48000, 4}, {2, 48000, 0}, {33, 48000, 132}, {2, 0, 8}, {32, 48000, 128},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        rbs_view v = rbs_test_audio_ring(64, 2); /* 8 frames */
        planes_t in = planes_new(2, 9), out = planes_new(2, 9);
        forge_meta(&v, bad[i][0], bad[i][1], bad[i][2]);
        int shape_changed = bad[i][0] != 2 || bad[i][2] != 8;
        cr_assert_eq(rbs_check(&v), RBS_ECORRUPT, "forgery %zu", i);
        rbs_view other;
        cr_assert_eq(rbs_attach(&other, v.ring, rbs_region_size(64)), RBS_ECORRUPT);
        if (shape_changed) {
            cr_assert_eq(rbs_audio_frames_available(&v), RBS_ECORRUPT, "forgery %zu", i);
            cr_assert_eq(rbs_audio_frames_writable(&v), RBS_ECORRUPT);
            cr_assert_eq(rbs_audio_started(&v), RBS_ECORRUPT);
            cr_assert_eq(rbs_readable(&v), RBS_ECORRUPT);
            cr_assert_eq(rbs_audio_read(&v, out.p, 2, 1), RBS_ECORRUPT, "empty: nothing to do");
            planes_fill(&out, 6.0f);
            cr_assert_eq(rbs_audio_read_or_silence(&v, out.p, 2, 4), RBS_ECORRUPT);
            assert_silence(&out, 0, 4);
        }
        if (bad[i][0] != 2)
            cr_assert_eq(rbs_audio_write(&v, (const float *const *)in.p, bad[i][0], 1), RBS_EFORMAT,
                         "the channel count is checked against the view");
        planes_fill_signal(&in, 0, 9);
        cr_assert_eq(rbs_audio_write(&v, (const float *const *)in.p, 2, 9), 8,
                     "the view's 8 frames of 8 bytes");
        if (shape_changed)
            cr_assert_eq(rbs_audio_write(&v, (const float *const *)in.p, 2, 1), RBS_ECORRUPT,
                         "full: nothing to do");
        cr_assert_eq(rbs_audio_read(&v, out.p, 2, 9), 8);
        assert_signal(&out, 0, 0, 8);
        free(in.buf);
        free(out.buf);
        free(v.ring);
    }
    /* a stray write without a new check word is caught by the check word */
    rbs_view v = rbs_test_audio_ring(64, 2);
    rbs_test_set_word(v.ring, RBS_OFF_CHANNELS, 1);
    cr_assert_eq(rbs_check(&v), RBS_ECORRUPT);
    cr_assert_eq(rbs_audio_frames_available(&v), RBS_ECORRUPT);
    free(v.ring);
}

/* The meta line of a genuine larger audio ring (more channels too) copied
 * over this one, with the counters near the forged end: frames still move
 * whole and exact inside this ring's 64 bytes. */
Test(audio_corrupt, forged_meta_line_of_a_larger_ring) {
    rbs_view v = rbs_test_audio_ring(64, 3); /* 5 frames of 12 bytes */
    size_t big_size = rbs_region_size(1u << 16);
    void *big = rbs_test_region(big_size);
    cr_assert_eq(rbs_audio_init(NULL, big, big_size, 1u << 16, 32, 48000), RBS_OK);
    memcpy(v.ring, big, 64);
    const uint32_t near_end = (1u << 16) - 136u; /* position 56 of the view's 64 */
    rbs_test_set_word(v.ring, RBS_OFF_WRITE, near_end);
    rbs_test_set_word(v.ring, RBS_OFF_READ, near_end);
    rbs_test_set_word(v.ring, RBS_OFF_CACHED_READ, near_end);
    rbs_test_set_word(v.ring, RBS_OFF_CACHED_WRITE, near_end);
    cr_assert_eq(rbs_check(&v), RBS_ECORRUPT);
    cr_assert_eq(rbs_audio_frames_available(&v), RBS_ECORRUPT);
    planes_t in = planes_new(3, 5), out = planes_new(3, 5);
    planes_fill_signal(&in, 0, 5);
    cr_assert_eq(rbs_audio_write(&v, (const float *const *)in.p, 3, 5), 5);
    cr_assert_eq(rbs_audio_read(&v, out.p, 3, 5), 5);
    assert_signal(&out, 0, 0, 5);
    cr_assert_eq(rbs_audio_read(&v, out.p, 3, 1), RBS_ECORRUPT, "empty: nothing to do");
    rbs_view other;
    cr_assert_eq(rbs_attach(&other, v.ring, rbs_region_size(64)), RBS_ERANGE);
    free(in.buf);
    free(out.buf);
    free(big);
    free(v.ring);
}
