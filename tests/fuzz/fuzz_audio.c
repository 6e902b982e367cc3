/*
 * fuzz_audio.c — the audio calls against a frame model: interleaved float32
 * samples in the model's mirror of the data area (a frame is 4 * channels
 * bytes at byte counter w, split at the end of the buffer between two samples
 * when it straddles), plus the four counters and the started flag.  Samples
 * are random bit patterns and are compared bit for bit.  Through the
 * rbs_wasm_* calls the planes go through a staging block whose stride bounds
 * what a call moves (fuzz_api.c), and the channel count is the view's.
 */
#include "fuzz.h"

#include <string.h>

#define POISON 0xA5u

void fz_audio_reset(fz *f) {
    f->fb = 4u * f->channels;
    f->max_frames = f->fb ? f->cap / f->fb : 0;
    f->underruns = f->overruns = f->frames_written = f->frames_read = 0;
    f->started = 0;
}

void fz_exact_audio(fz *f) {
    EXPECT(fz_word(f, RBS_OFF_UNDERRUNS), f->underruns, "underrun counter in the header");
    EXPECT(fz_word(f, RBS_OFF_OVERRUNS), f->overruns, "overrun counter in the header");
    EXPECT(fz_word(f, RBS_OFF_FRAMES_WRITTEN), f->frames_written, "frames_written in the header");
    EXPECT(fz_word(f, RBS_OFF_FRAMES_READ), f->frames_read, "frames_read in the header");
    EXPECT(fz_word(f, RBS_OFF_AUDIO_STARTED) != 0, f->started, "started flag in the header");
}

/* ------------------------------------------------------------------------ */
/* Arguments                                                                 */
/* ------------------------------------------------------------------------ */

/* A frame count: small, up to what the ring holds, around that, or huge. */
static uint32_t in_frames(fz *f, input *in) {
    uint8_t b = in_u8(in);
    switch (b >> 6) {
    case 0: return b & 63u;
    case 1: return in_u16(in) % (f->max_frames + 3u);
    case 2: {
        uint32_t d = b & 7u;
        return f->max_frames + d >= 2u ? f->max_frames + d - 2u : 0u;
    }
    default: {
        static const uint32_t huge[] = {UINT32_MAX,  0x80000000u, 0x7FFFFFFFu,
                                        0x40000001u, 0x10000u,    FZ_PLANE_FRAMES};
        return huge[b % (sizeof huge / sizeof huge[0])];
    }
    }
}

/* The channel count passed to a planar call: nearly always the ring's, now
 * and then another (RBS_EFORMAT), 0 or over RBS_MAX_CHANNELS. */
static uint32_t in_channels(fz *f, input *in) {
    uint8_t b = in_u8(in);
    if (b < 0xF0) return f->channels;
    static const uint32_t odd[] = {0, 1, 2, 3, 5, 8, 9, 31, 32, RBS_MAX_CHANNELS + 1};
    return odd[(b - 0xF0u) % (sizeof odd / sizeof odd[0])];
}

/* The caller's planes for `frames` frames: each ends where its buffer ends. */
static void planes_for(fz *f, uint32_t frames, float *p[FZ_MAX_PLANES]) {
    uint32_t n = frames < FZ_PLANE_FRAMES ? frames : FZ_PLANE_FRAMES;
    for (uint32_t c = 0; c < FZ_MAX_PLANES; c++)
        p[c] = f->planes[c] + FZ_PLANE_FRAMES - n;
}

static uint32_t planes_len(uint32_t frames) {
    return frames < FZ_PLANE_FRAMES ? frames : FZ_PLANE_FRAMES;
}

static void poison_planes(float *p[FZ_MAX_PLANES], uint32_t frames) {
    for (uint32_t c = 0; c < FZ_MAX_PLANES; c++)
        memset(p[c], POISON, (size_t)planes_len(frames) * 4u);
}

/* Frames [from, to) of plane c hold `byte` in every byte. */
static void expect_fill(fz *f, float *p[], uint32_t c, uint32_t from, uint32_t to,
                        unsigned char byte, const char *what) {
    const unsigned char *b = (const unsigned char *)p[c];
    for (size_t i = (size_t)from * 4u; i < (size_t)to * 4u; i++)
        if (b[i] != byte)
            FAIL("%s: channel %u frame %zu should be %s (op %u)", what, c, i / 4u,
                 byte ? "untouched" : "silence", f->op_no);
}

/* Frames [0, k) of the planes are the k frames at counter rd in the mirror. */
static void expect_frames(fz *f, float *p[], uint32_t rd, uint32_t k, const char *what) {
    for (uint32_t i = 0; i < k; i++)
        for (uint32_t c = 0; c < f->channels; c++) {
            uint32_t at = rd + i * f->fb + c * 4u;
            unsigned char want[4];
            for (uint32_t j = 0; j < 4; j++)
                want[j] = f->mirror[(at + j) & f->mask];
            if (memcmp(&p[c][i], want, 4) != 0)
                FAIL("%s: channel %u frame %u differs from what was written (op %u)", what, c, i,
                     f->op_no);
        }
}

/* The model's frames available now. */
static uint32_t avail(const fz *f) {
    return fz_used(f) / f->fb;
}

/* The channels a planar call passes: the view's through the wasm calls,
 * which take none. */
static uint32_t call_channels(const fz *f, uint32_t ch) {
    return f->wasm ? f->channels : ch;
}

/* The view's refusal, then the channel count's (RBS_EFORMAT): both before
 * the ring is looked at, so they hold in both modes. */
static int planar_refusal(const fz *f, uint32_t ch) {
    int g = fz_gate(f, RBS_KIND_AUDIO);
    return g ? g : ch != f->channels ? RBS_EFORMAT : 0;
}

/* ------------------------------------------------------------------------ */
/* Producer                                                                  */
/* ------------------------------------------------------------------------ */

/* The model of both writes, after the argument checks: frames taken now, at
 * most `limit` (the ring's frames, or a wasm staging block's). */
static int model_write(fz *f, uint32_t frames, uint32_t limit, const unsigned char *interleaved) {
    if (f->closed) return RBS_ECLOSED; /* nothing counted */
    uint32_t want = frames < limit ? frames : limit;
    uint32_t room = f->max_frames - avail(f);
    uint32_t k = want < room ? want : room;
    if (k == 0 && want != 0 && fz_meta_off(f)) return RBS_ECORRUPT; /* nothing counted */
    f->overruns += frames - k;
    f->frames_written += k;
    fz_mirror_put(f, f->mw, interleaved, k * f->fb);
    f->mw += k * f->fb;
    return (int)k;
}

void op_audio_write(fz *f, input *in) {
    uint32_t frames = in_frames(f, in);
    uint32_t ch = call_channels(f, in_channels(f, in));
    uint32_t stride = fz_stride(f, frames);
    uint32_t limit = f->wasm && stride < f->max_frames ? stride : f->max_frames;
    float *p[FZ_MAX_PLANES];
    planes_for(f, frames, p);
    uint32_t n = planes_len(frames);
    for (uint32_t c = 0; c < FZ_MAX_PLANES && c < ch; c++)
        fz_fill_random(f, (unsigned char *)p[c], (size_t)n * 4u);
    int rc = api_audio_write(f, p, ch, frames, stride);
    int want = planar_refusal(f, ch);
    if (want == 0 && !f->exact) {
        fz_sane(f, rc, fz_min(frames, limit), "rbs_audio_write");
        fz_looked(f, rc, fz_min(frames, limit) > 0, 1, "rbs_audio_write");
        return;
    }
    if (want == 0) {
        /* the frames the ring can take, interleaved as the ring stores them */
        uint32_t k = n < limit ? n : limit;
        float *il = (float *)(void *)f->tmp;
        for (uint32_t i = 0; i < k; i++)
            for (uint32_t c = 0; c < ch; c++)
                memcpy(&il[i * ch + c], &p[c][i], 4);
        want = model_write(f, frames, limit, f->tmp);
    }
    EXPECT(rc, want, "rbs_audio_write");
}

void op_audio_write_interleaved(fz *f, input *in) {
    uint32_t frames = in_frames(f, in);
    size_t bytes =
        fz_min(frames, f->max_frames ? f->max_frames : 1u) * (size_t)(f->fb ? f->fb : 4u);
    unsigned char *src = fz_tail(f->src, bytes);
    fz_fill_random(f, src, fz_min(bytes, FZ_MAX_CAP));
    int rc = api_audio_write_interleaved(f, (const float *)(const void *)src, frames);
    int want = fz_gate(f, RBS_KIND_AUDIO);
    if (want == 0 && !f->exact) {
        fz_sane(f, rc, fz_min(frames, f->max_frames), "rbs_audio_write_interleaved");
        fz_looked(f, rc, frames > 0, 1, "rbs_audio_write_interleaved");
        return;
    }
    if (want == 0) want = model_write(f, frames, f->max_frames, src);
    EXPECT(rc, want, "rbs_audio_write_interleaved");
}

/* ------------------------------------------------------------------------ */
/* Consumer                                                                  */
/* ------------------------------------------------------------------------ */

static void consume(fz *f, uint32_t k) {
    f->frames_read += k;
    f->mr += k * f->fb;
}

void op_audio_read(fz *f, input *in) {
    uint32_t frames = in_frames(f, in);
    uint32_t ch = call_channels(f, in_channels(f, in));
    uint32_t stride = fz_stride(f, frames);
    if (f->wasm && frames > stride) frames = stride; /* what the staging block holds */
    float *p[FZ_MAX_PLANES];
    planes_for(f, frames, p);
    poison_planes(p, frames);
    int rc = api_audio_read(f, p, ch, frames, stride);
    int want = planar_refusal(f, ch);
    if (want == 0 && !f->exact) {
        fz_sane(f, rc, fz_min(frames, f->max_frames), "rbs_audio_read");
        fz_looked(f, rc, frames > 0, 1, "rbs_audio_read");
        return;
    }
    if (want == 0) {
        uint32_t a = avail(f);
        want =
            a == 0 ? (f->closed ? RBS_ECLOSED : fz_nothing(f, 0)) : (int)(frames < a ? frames : a);
    }
    EXPECT(rc, want, "rbs_audio_read");
    uint32_t k = rc > 0 ? (uint32_t)rc : 0;
    expect_frames(f, p, f->mr, k, "rbs_audio_read");
    for (uint32_t c = 0; c < FZ_MAX_PLANES; c++)
        expect_fill(f, p, c, c < f->channels ? k : 0, planes_len(frames), POISON, "rbs_audio_read");
    consume(f, k);
}

/* Frames the consumer finds for a request that needs `need` frames: it
 * loads the producer's counter only when its own cached copy (consumer-only
 * line, RBS_OFF_CACHED_WRITE) shows fewer, so a request that needs none sees
 * the cached count. */
static uint32_t frames_seen(const fz *f, uint32_t need) {
    uint32_t cached = fz_word(f, RBS_OFF_CACHED_WRITE) - f->mr;
    return need == 0 && cached <= f->cap ? cached / f->fb : avail(f);
}

/* The model of rbs_audio_read_or_silence (prefill < 0) and of its prefill
 * variant: the frames read, or a code; counts and the started flag too. */
static int model_read_or_silence(fz *f, uint32_t frames, int64_t prefill) {
    int started = prefill < 0 || f->started;
    uint32_t target = prefill < 0 ? 0u : (uint32_t)fz_min((size_t)prefill, f->max_frames);
    uint32_t a = frames_seen(f, started || frames > target ? frames : target);
    int looked = -1; /* -1: the closed flag was not needed */
    if (!started && a < target) {
        looked = f->closed;
        /* still filling up: silence, nothing consumed, no underrun */
        if (!looked) return fz_nothing(f, 0);
    }
    if (a < frames && looked < 0) looked = f->closed;
    if (a == 0 && looked != 1 && fz_meta_off(f)) return RBS_ECORRUPT; /* nothing counted */
    if (prefill >= 0) f->started = 1;                                 /* for the ring's lifetime */
    uint32_t got = frames < a ? frames : a;
    /* silence after the close is the end of the stream, not an underrun */
    if (got < frames && looked != 1) f->underruns += frames - got;
    return got == 0 && looked == 1 ? RBS_ECLOSED : (int)got;
}

/* rbs_audio_read_or_silence and its prefill variant (prefill >= 0); through
 * the wasm calls always the prefill variant, 0 for none. */
static void read_or_silence(fz *f, input *in, int64_t prefill) {
    const char *what = prefill < 0 ? "rbs_audio_read_or_silence"
                                   : "rbs_audio_read_or_silence_"
                                     "prefill";
    /* this call writes `frames` frames of every plane: keep them in the buffers */
    uint32_t frames = in_frames(f, in) % (FZ_PLANE_FRAMES + 1u);
    uint32_t ch = call_channels(f, in_channels(f, in));
    uint32_t stride = fz_stride(f, frames);
    if (f->wasm) {
        if (frames > stride) frames = stride;
        if (prefill < 0) prefill = 0;
    }
    float *p[FZ_MAX_PLANES];
    planes_for(f, frames, p);
    poison_planes(p, frames);
    int rc = api_audio_read_or_silence(f, p, ch, frames, stride, prefill);
    /* Whatever the answer, the planes hold no stale sample: what was read,
     * then silence (all silence on an error). */
    uint32_t k = rc > 0 ? (uint32_t)rc : 0;
    uint32_t filled = ch <= RBS_MAX_CHANNELS ? ch : 0;
    if (rc > (int)frames) FAIL("%s: answered %d for %u frames", what, rc, frames);
    for (uint32_t c = 0; c < filled; c++)
        expect_fill(f, p, c, k, frames, 0, what);
    for (uint32_t c = filled; c < FZ_MAX_PLANES; c++)
        expect_fill(f, p, c, 0, frames, POISON, what);
    int want = planar_refusal(f, ch);
    if (want == 0 && !f->exact) {
        fz_sane(f, rc, fz_min(frames, f->max_frames), what);
        fz_looked(f, rc, frames > 0, 1, what);
        return;
    }
    if (want == 0) want = model_read_or_silence(f, frames, prefill);
    EXPECT(rc, want, what);
    expect_frames(f, p, f->mr, k, what);
    consume(f, k);
}

void op_audio_read_or_silence(fz *f, input *in) {
    read_or_silence(f, in, -1);
}

void op_audio_read_prefill(fz *f, input *in) {
    read_or_silence(f, in, in_frames(f, in));
}

/* ------------------------------------------------------------------------ */
/* Queries                                                                   */
/* ------------------------------------------------------------------------ */

/* Frames a query finds in the header (both modes, as seen_used in
 * fuzz_common.c): RBS_ECORRUPT also when the bytes are not whole frames. */
static long long seen_frames(const fz *f) {
    uint32_t used = fz_word(f, RBS_OFF_WRITE) - fz_word(f, RBS_OFF_READ);
    if (fz_meta_off(f) || used > f->cap || used % f->fb != 0) return RBS_ECORRUPT;
    return used / f->fb;
}

/* The staging size the JS package allocates: one block of channels x frames
 * floats per role, each rounded up to 64 bytes; 0 when empty or too big. */
static uint32_t model_scratch_size(uint32_t channels, uint32_t frames) {
    uint64_t block = ((uint64_t)channels * frames * 4u + 63u) & ~(uint64_t)63u;
    return channels == 0 || frames == 0 || 2u * block > (1u << 31) ? 0 : (uint32_t)(2u * block);
}

static void expect_scratch_size(fz *f, uint32_t channels, uint32_t frames) {
    EXPECT(api_audio_scratch_size(f, channels, frames), model_scratch_size(channels, frames),
           "rbs_audio_scratch_size");
}

void op_audio_query(fz *f, input *in) {
    uint8_t which = in_u8(in) % 6u;
    int g = fz_gate(f, RBS_KIND_AUDIO);
    long long frames = g ? g : seen_frames(f);
    switch (which) {
    case 0: EXPECT(api_audio_available(f), frames, "rbs_audio_frames_available"); break;
    case 1:
        EXPECT(api_audio_writable(f), frames < 0 ? frames : f->max_frames - frames,
               "rbs_audio_frames_writable");
        break;
    case 2: /* the view's shape (the caller's own: exact always), and the staging sizes */
        EXPECT(f->view.channels, f->channels, "the view's channels");
        EXPECT(f->view.sample_rate, f->rate, "the view's sample rate");
        EXPECT(f->view.frame_bytes, f->fb, "the view's frame bytes");
        EXPECT(f->view.max_frames, f->max_frames, "the view's frames");
        expect_scratch_size(f, f->channels, f->max_frames);
        expect_scratch_size(f, 0, 128);
        expect_scratch_size(f, 2, 0);
        expect_scratch_size(f, RBS_MAX_CHANNELS, RBS_MAX_CAPACITY / 4u);
        expect_scratch_size(f, 1, 1u << 28); /* exactly 2^31 */
        expect_scratch_size(f, 1, (1u << 28) + 1u);
        break;
    case 3:
        EXPECT(api_audio_started(f),
               g                ? g
               : fz_meta_off(f) ? RBS_ECORRUPT
                                : fz_word(f, RBS_OFF_AUDIO_STARTED) != 0,
               "rbs_audio_started");
        break;
    default: {
        /* statistics, read as they are on any ring; 0 for a view of another kind */
        const rbs_view *v = &f->view;
        uint32_t got[4] = {rbs_underruns(v), rbs_overruns(v), rbs_frames_written(v),
                           rbs_frames_read(v)};
        uint32_t want[4] = {f->underruns, f->overruns, f->frames_written, f->frames_read};
        for (int i = 0; i < 4; i++) {
            if (g)
                EXPECT(got[i], 0, "audio counter of a view of another kind");
            else if (f->exact)
                EXPECT(got[i], want[i], "audio counter");
        }
        break;
    }
    }
}
