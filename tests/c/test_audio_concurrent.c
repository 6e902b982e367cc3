/*
 * test_audio_concurrent.c — two real threads through a small audio ring.  The
 * producer writes a ramp whose every sample encodes its frame and channel
 * (exact in float32) in random frame counts, planar and interleaved; the
 * consumer reads with rbs_audio_read, rbs_audio_read_or_silence and the
 * prefill variant in random frame counts and checks every sample: nothing
 * lost, repeated, torn or swapped between channels, silence exactly where
 * frames were missing, and the underrun and overrun counters exact at the
 * end.  Each side also watches the other side's counters while it runs.
 * Volume: RBS_STRESS_BYTES / 8 of audio per test.  Also run under TSan.
 */
#define _GNU_SOURCE
#include "test_helpers.h"

#include <pthread.h>
#include <sched.h>
#include <stdio.h>

/* The ramp: frame (mod 2^18) plus channel / 64, exact in float32. */
static float ramp(uint64_t frame, uint32_t channel) {
    return (float)(frame % (1u << 18)) + (float)channel / 64.0f;
}

enum { READ_PLAIN = 1, READ_SILENCE = 2, READ_PREFILL = 4 };

typedef struct {
    void *region; /* each thread attaches its own view to it */
    size_t region_size;
    uint32_t channels, max_frames;
    uint64_t total; /* frames to move */
    uint64_t seed;
    unsigned read_modes; /* READ_* the consumer picks from */
    uint32_t quantum;    /* consumer: fixed frames per call, 0 for random */
    uint32_t prefill;    /* for READ_PREFILL */
    /* producer results */
    uint32_t overruns; /* frames refused, summed from return values (mod 2^32) */
    int p_error;       /* an unexpected return code or a bad counter */
    /* consumer results */
    uint64_t checked;   /* frames verified */
    uint64_t bad_frame; /* first wrong frame, NO_BAD if none */
    uint32_t bad_channel;
    float bad_value;
    uint64_t bad_silence; /* a call's frame index where silence was expected */
    uint32_t underruns;   /* missing frames, summed (mod 2^32) */
    int c_error;
} audio_ctx;

#define NO_BAD    UINT64_MAX
#define E_COUNTER 1000 /* a counter seen out of its bounds */

static void wait_a_little(unsigned *spins) {
    if (++*spins > 32) {
        *spins = 0;
        sched_yield(); /* stay fair when both threads share one core */
    }
}

static void *producer_main(void *arg) {
    audio_ctx *c = arg;
    rbs_view v; /* this thread's own view, as a second party gets it */
    if ((c->p_error = rbs_attach(&v, c->region, c->region_size)) != RBS_OK) return NULL;
    uint32_t ch = c->channels, chunk = 2 * c->max_frames + 1;
    float *buf = malloc((size_t)chunk * ch * sizeof(float));
    float *planes[RBS_MAX_CHANNELS];
    uint64_t rng = c->seed, sent = 0;
    unsigned spins = 0;
    while (sent < c->total) {
        uint32_t n = 1 + (uint32_t)(rbs_test_rand(&rng) % chunk);
        if (n > c->total - sent) n = (uint32_t)(c->total - sent);
        int interleaved = (int)(rbs_test_rand(&rng) & 1);
        if (interleaved) {
            for (uint32_t i = 0; i < n; i++)
                for (uint32_t k = 0; k < ch; k++)
                    buf[(size_t)i * ch + k] = ramp(sent + i, k);
        } else {
            for (uint32_t k = 0; k < ch; k++) {
                planes[k] = buf + (size_t)k * n;
                for (uint32_t i = 0; i < n; i++)
                    planes[k][i] = ramp(sent + i, k);
            }
        }
        uint32_t done = 0;
        while (done < n) {
            int got;
            if (interleaved) {
                got = rbs_audio_write_interleaved(&v, buf + (size_t)done * ch, n - done);
            } else {
                const float *at[RBS_MAX_CHANNELS];
                for (uint32_t k = 0; k < ch; k++)
                    at[k] = planes[k] + done;
                got = rbs_audio_write(&v, at, ch, n - done);
            }
            if (got < 0 || (uint32_t)got > n - done) {
                c->p_error = got < 0 ? got : E_COUNTER;
                free(buf);
                return NULL;
            }
            c->overruns += n - done - (uint32_t)got;
            done += (uint32_t)got;
            /* The consumer never reads more than was published, nor lags by
             * more than the ring holds. */
            uint32_t lag = (uint32_t)(sent + done) - rbs_frames_read(&v);
            if (lag > c->max_frames) {
                c->p_error = E_COUNTER;
                free(buf);
                return NULL;
            }
            if (got == 0) wait_a_little(&spins);
        }
        sent += n;
    }
    free(buf);
    return NULL;
}

/* Checks frames [0, k) of the planes against the ramp from c->checked and
 * frames [k, n) for silence (exactly +0.0f). */
static void check(audio_ctx *c, float *const planes[], uint32_t k, uint32_t n) {
    for (uint32_t ch = 0; ch < c->channels; ch++) {
        for (uint32_t i = 0; i < k && c->bad_frame == NO_BAD; i++) {
            if (planes[ch][i] != ramp(c->checked + i, ch)) {
                c->bad_frame = c->checked + i;
                c->bad_channel = ch;
                c->bad_value = planes[ch][i];
            }
        }
        for (uint32_t i = k; i < n && c->bad_silence == NO_BAD; i++) {
            uint32_t bits;
            memcpy(&bits, &planes[ch][i], 4);
            if (bits != 0) c->bad_silence = c->checked + i;
        }
    }
    c->checked += k;
}

static void *consumer_main(void *arg) {
    audio_ctx *c = arg;
    rbs_view v;
    if ((c->c_error = rbs_attach(&v, c->region, c->region_size)) != RBS_OK) return NULL;
    uint32_t ch = c->channels, chunk = c->quantum ? c->quantum : 2 * c->max_frames + 1;
    float *buf = malloc((size_t)chunk * ch * sizeof(float));
    float *planes[RBS_MAX_CHANNELS];
    for (uint32_t k = 0; k < ch; k++)
        planes[k] = buf + (size_t)k * chunk;
    unsigned modes[3], n_modes = 0;
    for (unsigned m = READ_PLAIN; m <= READ_PREFILL; m <<= 1)
        if (c->read_modes & m) modes[n_modes++] = m;
    uint64_t rng = c->seed ^ 0xA0D10u;
    uint32_t last_overruns = 0;
    unsigned spins = 0;
    while (c->checked < c->total) {
        uint32_t n = c->quantum ? c->quantum : 1 + (uint32_t)(rbs_test_rand(&rng) % chunk);
        unsigned mode = modes[rbs_test_rand(&rng) % n_modes];
        for (size_t i = 0; i < (size_t)chunk * ch; i++)
            buf[i] = -1.0f; /* not silence */
        int got;
        if (mode == READ_PLAIN) {
            got = rbs_audio_read(&v, planes, ch, n);
        } else if (mode == READ_SILENCE) {
            got = rbs_audio_read_or_silence(&v, planes, ch, n);
        } else {
            got = rbs_audio_read_or_silence_prefill(&v, planes, ch, n, c->prefill);
        }
        if (got < 0 || (uint32_t)got > n) {
            c->c_error = got < 0 ? got : E_COUNTER;
            break;
        }
        /* Missing frames are underruns once playing (a plain read never
         * counts; the prefill call counts only after it started). */
        if (mode == READ_SILENCE || (mode == READ_PREFILL && rbs_audio_started(&v) == 1))
            c->underruns += n - (uint32_t)got;
        check(c, planes, (uint32_t)got, mode == READ_PLAIN ? (uint32_t)got : n);
        if (c->bad_frame != NO_BAD || c->bad_silence != NO_BAD) break;
        /* frames_written is bumped before the frames are published: it is at
         * least what we consumed and at most a ring's worth ahead of it. */
        uint32_t ahead = rbs_frames_written(&v) - (uint32_t)c->checked;
        uint32_t overruns = rbs_overruns(&v);
        if (ahead > c->max_frames || overruns - last_overruns > 0x80000000u) {
            c->c_error = E_COUNTER;
            break;
        }
        last_overruns = overruns;
        if (got == 0) wait_a_little(&spins);
    }
    free(buf);
    return NULL;
}

static void run_audio_stress(uint32_t capacity, uint32_t channels, unsigned read_modes,
                             uint32_t quantum, uint32_t prefill, uint64_t seed) {
    rbs_view v = rbs_test_audio_ring(capacity, channels);
    audio_ctx c = {
        .region = v.ring,
        .region_size = rbs_region_size(capacity),
        .channels = channels,
        .max_frames = v.max_frames,
        .total = rbs_test_stress_bytes(1ull << 27) / 8u / (4u * channels),
        .seed = seed,
        .read_modes = read_modes,
        .quantum = quantum,
        .prefill = prefill,
        .bad_frame = NO_BAD,
        .bad_silence = NO_BAD,
    };
    pthread_t tp, tc;
    cr_assert_eq(pthread_create(&tc, NULL, consumer_main, &c), 0);
    cr_assert_eq(pthread_create(&tp, NULL, producer_main, &c), 0);
    pthread_join(tp, NULL);
    pthread_join(tc, NULL);
    cr_assert_eq(c.p_error, 0, "producer got %d (%s)", c.p_error, rbs_strerror(c.p_error));
    cr_assert_eq(c.c_error, 0, "consumer got %d (%s)", c.c_error, rbs_strerror(c.c_error));
    cr_assert_eq(c.bad_frame, NO_BAD, "frame %llu channel %u: got %f, want %f",
                 (unsigned long long)c.bad_frame, c.bad_channel, (double)c.bad_value,
                 (double)ramp(c.bad_frame, c.bad_channel));
    cr_assert_eq(c.bad_silence, NO_BAD, "no silence after frame %llu",
                 (unsigned long long)c.bad_silence);
    cr_assert_eq(c.checked, c.total, "verified %llu of %llu frames", (unsigned long long)c.checked,
                 (unsigned long long)c.total);
    cr_assert_eq(rbs_audio_frames_available(&v), 0);
    cr_assert_eq(rbs_frames_written(&v), (uint32_t)c.total);
    cr_assert_eq(rbs_frames_read(&v), (uint32_t)c.total);
    cr_assert_eq(rbs_overruns(&v), c.overruns, "overruns exact");
    cr_assert_eq(rbs_underruns(&v), c.underruns, "underruns exact");
    if (read_modes & READ_PREFILL) cr_assert_eq(rbs_audio_started(&v), 1);

    /* The end of the stream: silence, no underrun, RBS_ECLOSED. */
    cr_assert_eq(rbs_close(&v), RBS_OK);
    float tail[4 * RBS_MAX_CHANNELS];
    float *planes[RBS_MAX_CHANNELS];
    for (uint32_t k = 0; k < channels; k++)
        planes[k] = tail + 4 * k;
    cr_assert_eq(rbs_audio_read_or_silence(&v, planes, channels, 4), RBS_ECLOSED);
    cr_assert_eq(rbs_underruns(&v), c.underruns);
    fprintf(stderr,
            "audio stress: %llu frames of %u channels through %u bytes, %u underruns, %u "
            "overruns\n",
            (unsigned long long)c.total, channels, capacity, c.underruns, c.overruns);
    free(v.ring);
}

TestSuite(concurrent_audio, .timeout = 600);

Test(concurrent_audio, stereo_ramp_through_a_small_ring) {
    run_audio_stress(256, 2, READ_PLAIN | READ_SILENCE, 0, 0, 0x57E4E0u);
}

Test(concurrent_audio, three_channel_frames_straddle_the_end) {
    /* 21 frames of 12 bytes in 256: the straddle point moves every turn */
    run_audio_stress(256, 3, READ_PLAIN | READ_SILENCE, 0, 0, 0x3C4u);
}

Test(concurrent_audio, five_and_eight_channels) {
    run_audio_stress(512, 5, READ_PLAIN | READ_SILENCE, 0, 0, 0x5C4u);
    run_audio_stress(128, 8, READ_PLAIN | READ_SILENCE, 0, 0, 0x8C4u);
}

Test(concurrent_audio, worklet_quanta_with_prefill) {
    /* What the AudioWorklet does: 128 frames per call, prefill first. */
    run_audio_stress(4096, 2, READ_PREFILL, 128, 256, 0x128u);
}

Test(concurrent_audio, mono_random_reads_with_prefill) {
    run_audio_stress(64, 1, READ_PLAIN | READ_SILENCE | READ_PREFILL, 0, 8, 0x1C4u);
}
