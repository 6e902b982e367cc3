/*
 * audio.c — audio frames on a ring: float32 samples stored interleaved,
 * `channels` per frame, moved in whole frames only, for C callers (planes
 * given as pointers in their own memory) and for the WebAssembly host
 * (planes in a staging block whose bounds it passes: wasm_api.h).
 *
 * Frames on a byte ring.  The ring is still counted in bytes (see
 * ring_internal.h for the counters and the memory ordering).  A frame is
 * frame_bytes = 4 * channels bytes and every call moves a whole number of
 * frames, so used = write - read is always a multiple of frame_bytes; a ring
 * where it is not is RBS_ECORRUPT, so no call ever reads half a frame.
 *
 * The wrap.  When frame_bytes does not divide the capacity (3, 5, 6, 7...
 * channels) the ring holds floor(capacity / frame_bytes) frames and a frame
 * may straddle the physical end of the buffer: its first samples at the end,
 * the rest at the start.  A sample never straddles (the capacity and every
 * counter are multiples of 4), so a copy is at most three pieces: whole frames
 * up to the end, one straddling frame sample by sample, whole frames from the
 * start.
 *
 * Hot path.  One call per 128-frame render quantum in an AudioWorklet: no
 * allocation, no libc beyond what __builtin_memcpy/memset lower to, and loops
 * over frames with the channel count fixed (mono is a copy, stereo gets its
 * own unrolled loops).
 */
#include "events.h"
#include "fill.h"
#include "planes.h"
#include "wasm_api.h"

/* Bytes used -> whole frames, or RBS_ECORRUPT when `used` is not a whole
 * number of frames (someone wrote part of a frame: never hand it out). */
RBS__HOT int64_t used_frames(const rbs_view *v, uint32_t used) {
    if (v->frame_bytes == 0 || used % v->frame_bytes != 0) return RBS_ECORRUPT;
    return used / v->frame_bytes;
}

static inline float *ring_samples(const rbs_view *v) {
    /* data is 64-byte aligned and every position a multiple of 4 */
    return (float *)(void *)v->data;
}

/* ------------------------------------------------------------------------ */
/* Interleaving                                                              */
/* ------------------------------------------------------------------------ */

/* In WebAssembly each copy loop is one function, called once per piece (at
 * most three per call): the module keeps one copy of each loop instead of
 * one per call site (8.7 KB instead of 13.5), for ~5% of a quantum's ~150 ns.
 * Its planes come as scalars, since a struct argument would pass through the
 * stack pointer, which no entry point may touch (scripts/check-wasm.mjs). */
#ifdef __wasm__
#define RBS__COPY static __attribute__((noinline))
#else
#define RBS__COPY RBS__HOT
#endif

/* n frames from the planes, starting at frame f, into interleaved dst. */
RBS__COPY void interleave_planes(float *restrict dst, float *const *ptrs, float *base,
                                 uint32_t stride, uint32_t ch, uint32_t f, uint32_t n) {
    planes_t planes = {ptrs, base, stride};
    if (ch == 2) {
        const float *restrict left = plane(planes, 0) + f;
        const float *restrict right = plane(planes, 1) + f;
        size_t i = 0;
        /* Four frames per turn, loads before stores: the wasm build has no
         * SIMD and V8 does not unroll (about 15% faster there), and gcc -O2
         * vectorises this form but not the plain loop. */
        for (; i + 4 <= n; i += 4) {
            float l0 = left[i], l1 = left[i + 1], l2 = left[i + 2], l3 = left[i + 3];
            float r0 = right[i], r1 = right[i + 1], r2 = right[i + 2], r3 = right[i + 3];
            float *d = dst + 2 * i;
            d[0] = l0;
            d[1] = r0;
            d[2] = l1;
            d[3] = r1;
            d[4] = l2;
            d[5] = r2;
            d[6] = l3;
            d[7] = r3;
        }
        for (; i < n; i++) {
            dst[2 * i] = left[i];
            dst[2 * i + 1] = right[i];
        }
    } else if (ch == 1) {
        __builtin_memcpy(dst, plane(planes, 0) + f, (size_t)n * 4u);
    } else {
        for (uint32_t c = 0; c < ch; c++) {
            const float *restrict src = plane(planes, c) + f;
            float *restrict d = dst + c;
            for (uint32_t i = 0; i < n; i++)
                d[(size_t)i * ch] = src[i];
        }
    }
}

RBS__HOT void interleave(float *restrict dst, planes_t p, uint32_t ch, uint32_t f, uint32_t n) {
    interleave_planes(dst, p.ptrs, p.base, p.stride, ch, f, n);
}

/* n interleaved frames from src into the planes, starting at frame f. */
RBS__COPY void deinterleave_planes(float *const *ptrs, float *base, uint32_t stride,
                                   const float *restrict src, uint32_t ch, uint32_t f, uint32_t n) {
    planes_t planes = {ptrs, base, stride};
    if (ch == 2) {
        float *restrict left = plane(planes, 0) + f;
        float *restrict right = plane(planes, 1) + f;
        size_t i = 0;
        for (; i + 4 <= n; i += 4) { /* as in interleave() */
            const float *s = src + 2 * i;
            float l0 = s[0], r0 = s[1], l1 = s[2], r1 = s[3];
            float l2 = s[4], r2 = s[5], l3 = s[6], r3 = s[7];
            left[i] = l0;
            left[i + 1] = l1;
            left[i + 2] = l2;
            left[i + 3] = l3;
            right[i] = r0;
            right[i + 1] = r1;
            right[i + 2] = r2;
            right[i + 3] = r3;
        }
        for (; i < n; i++) {
            left[i] = src[2 * i];
            right[i] = src[2 * i + 1];
        }
    } else if (ch == 1) {
        __builtin_memcpy(plane(planes, 0) + f, src, (size_t)n * 4u);
    } else {
        for (uint32_t c = 0; c < ch; c++) {
            float *restrict d = plane(planes, c) + f;
            const float *restrict s = src + c;
            for (uint32_t i = 0; i < n; i++)
                d[i] = s[(size_t)i * ch];
        }
    }
}

RBS__HOT void deinterleave(planes_t p, const float *restrict src, uint32_t ch, uint32_t f,
                           uint32_t n) {
    deinterleave_planes(p.ptrs, p.base, p.stride, src, ch, f, n);
}

/* Where k frames starting at byte counter `at` lie: `head` whole frames
 * before the end, then (if the end falls inside a frame) `split` samples of
 * frame `head` at the end and the rest of it at the start, then the frames
 * after it from sample `tail_at` of the buffer. */
typedef struct {
    uint32_t slot;    /* sample index of the first frame */
    uint32_t head;    /* whole frames before the end (may exceed k) */
    uint32_t split;   /* samples of the straddling frame before the end, 0 if none */
    uint32_t tail_at; /* sample index where the frames after the end begin */
} pieces;

RBS__HOT pieces locate(const rbs_view *v, uint32_t at) {
    uint32_t pos = at & (v->capacity - 1u);
    uint32_t to_end = v->capacity - pos;
    pieces p;
    p.slot = pos / 4u;
    p.head = to_end / v->frame_bytes;
    p.split = (to_end - p.head * v->frame_bytes) / 4u;
    p.tail_at = p.split == 0 ? 0 : v->channels - p.split;
    return p;
}

/* Copies k planar frames into the ring at counter w (k fits: checked). */
RBS__HOT void put_planar(const rbs_view *v, uint32_t w, planes_t planes, uint32_t k) {
    float *ring = ring_samples(v);
    uint32_t ch = v->channels;
    pieces p = locate(v, w);
    if (p.head >= k) {
        interleave(ring + p.slot, planes, ch, 0, k);
        return;
    }
    interleave(ring + p.slot, planes, ch, 0, p.head);
    uint32_t f = p.head;
    if (p.split != 0) {
        float *end = ring + p.slot + (size_t)p.head * ch;
        for (uint32_t c = 0; c < p.split; c++)
            end[c] = plane(planes, c)[f];
        for (uint32_t c = p.split; c < ch; c++)
            ring[c - p.split] = plane(planes, c)[f];
        f++;
    }
    interleave(ring + p.tail_at, planes, ch, f, k - f);
}

/* Copies k frames out of the ring at counter rd into the planes. */
RBS__HOT void get_planar(const rbs_view *v, uint32_t rd, planes_t planes, uint32_t k) {
    const float *ring = ring_samples(v);
    uint32_t ch = v->channels;
    pieces p = locate(v, rd);
    if (p.head >= k) {
        deinterleave(planes, ring + p.slot, ch, 0, k);
        return;
    }
    deinterleave(planes, ring + p.slot, ch, 0, p.head);
    uint32_t f = p.head;
    if (p.split != 0) {
        const float *end = ring + p.slot + (size_t)p.head * ch;
        for (uint32_t c = 0; c < p.split; c++)
            plane(planes, c)[f] = end[c];
        for (uint32_t c = p.split; c < ch; c++)
            plane(planes, c)[f] = ring[c - p.split];
        f++;
    }
    deinterleave(planes, ring + p.tail_at, ch, f, k - f);
}

/* ------------------------------------------------------------------------ */
/* Setting up and queries                                                    */
/* ------------------------------------------------------------------------ */

int rbs_audio_init(rbs_view *v, void *region, size_t region_size, uint32_t capacity,
                   uint32_t channels, uint32_t sample_rate) {
    if (channels < 1 || channels > RBS_MAX_CHANNELS || sample_rate < RBS_MIN_SAMPLE_RATE ||
        sample_rate > RBS_MAX_SAMPLE_RATE) {
        return RBS_EFORMAT;
    }
    /* A ring that cannot hold one frame could never move anything. */
    if (rbs__valid_capacity(capacity) && capacity < 4u * channels) return RBS_ECAPACITY;
    return rbs__format(v, region, region_size, capacity, RBS_KIND_AUDIO, channels, sample_rate);
}

uint32_t rbs_audio_scratch_size(uint32_t channels, uint32_t capacity_frames) {
    if (channels == 0 || capacity_frames == 0) return 0;
    uint64_t block = ((uint64_t)channels * capacity_frames * 4u + 63u) & ~(uint64_t)63u;
    return 2u * block > (1u << 31) ? 0 : (uint32_t)(2u * block);
}

/* Frames in the ring now (either side may ask: the snapshot of rbs_readable). */
RBS__HOT int64_t frames_used_now(const rbs_view *v) {
    if (!rbs__meta_intact(v)) return RBS_ECORRUPT;
    int64_t used = rbs__used_snapshot(v);
    return used < 0 ? used : used_frames(v, (uint32_t)used);
}

RBS__HOT int frames_available(const rbs_view *v) {
    return (int)frames_used_now(v);
}

RBS__HOT int frames_writable(const rbs_view *v) {
    int64_t used = frames_used_now(v);
    return used < 0 ? (int)used : (int)(v->max_frames - (uint32_t)used);
}

RBS__HOT int started(const rbs_view *v) {
    if (!rbs__meta_intact(v)) return RBS_ECORRUPT;
    return atomic_load_explicit(&v->ring->audio_started, memory_order_relaxed) ? 1 : 0;
}

/* Adds n to a counter that only this side writes. */
RBS__HOT void bump_own(rbs_word *word, uint32_t n) {
    RBS__STORE_OWN(word, RBS__LOAD_OWN(word) + n);
}

/* ------------------------------------------------------------------------ */
/* Producer                                                                  */
/* ------------------------------------------------------------------------ */

/* The common start of both writes: our write counter, and how many of
 * `frames` fit now (*k), at most `limit`.  0 or a code. */
RBS__HOT int begin_write(const rbs_view *v, uint32_t frames, uint32_t limit, uint32_t *w,
                         uint32_t *k) {
    rbs_ring *r = v->ring;
    if (RBS__LOAD_OWN(&r->closed)) return RBS_ECLOSED;
    *w = RBS__LOAD_OWN(&r->write);
    if (*w & 3u) return RBS_ECORRUPT; /* a float would be misaligned */
    uint32_t want = frames < limit ? frames : limit;
    int64_t free_bytes = rbs__producer_free(v, *w, want * v->frame_bytes);
    if (free_bytes < 0) return (int)free_bytes;
    int64_t used = used_frames(v, v->capacity - (uint32_t)free_bytes);
    if (used < 0) return (int)used;
    uint32_t room = v->max_frames - (uint32_t)used;
    *k = want < room ? want : room;
    if (*k == 0 && want != 0 && !rbs__meta_intact(v)) return RBS_ECORRUPT;
    return RBS_OK;
}

/* Publishes k frames and counts the refused ones.  The counter goes before
 * the publish, so a consumer that sees the frames also sees them counted. */
RBS__HOT int end_write(const rbs_view *v, uint32_t w, uint32_t k, uint32_t frames, int wake) {
    rbs_ring *r = v->ring;
    if (frames > k) bump_own(&r->overruns, frames - k);
    if (k == 0) return 0;
    bump_own(&r->frames_written, k);
    rbs__publish(v->ring, w + k * v->frame_bytes, wake);
    return (int)k;
}

RBS__HOT int write_planar(const rbs_view *v, planes_t planes, uint32_t frames, uint32_t limit,
                          int wake) {
    uint32_t w, k;
    int err = begin_write(v, frames, limit, &w, &k);
    if (err < 0) return err;
    if (k != 0) put_planar(v, w, planes, k);
    return end_write(v, w, k, frames, wake);
}

RBS__HOT int write_interleaved(const rbs_view *v, const float *src, uint32_t frames, int wake) {
    if (src == NULL && frames != 0) return RBS_EINVAL;
    uint32_t w, k;
    int err = begin_write(v, frames, v->max_frames, &w, &k);
    if (err < 0) return err;
    /* Interleaved in, interleaved stored: a byte copy split at the end,
     * which splits a straddling frame between two samples. */
    if (k != 0) rbs__copy_in(v, w, src, k * v->frame_bytes);
    return end_write(v, w, k, frames, wake);
}

/* ------------------------------------------------------------------------ */
/* Consumer                                                                  */
/* ------------------------------------------------------------------------ */

/* Frames readable now for a consumer at counter rd, loading the shared write
 * counter only when the cached one shows fewer than `need` frames. */
RBS__HOT int64_t readable_frames(const rbs_view *v, uint32_t rd, uint32_t need) {
    if (rd & 3u) return RBS_ECORRUPT; /* a float would be misaligned */
    if (need > v->max_frames) need = v->max_frames;
    int64_t used = rbs__consumer_used(v, rd, need * v->frame_bytes);
    if (used < 0) return used;
    return used_frames(v, (uint32_t)used);
}

/* When fewer than wanted frames are there: 1 if the producer closed the ring
 * (then *avail is the final count: `closed` is loaded before `write` again,
 * so frames written just before the close are seen), 0 if not. */
RBS__HOT int closed_recheck(const rbs_view *v, uint32_t rd, int64_t *avail) {
    rbs_ring *r = v->ring;
    if (!atomic_load_explicit(&r->closed, memory_order_acquire)) return 0;
    uint32_t w = atomic_load_explicit(&r->write, memory_order_acquire);
    uint32_t used = w - rd;
    *avail = used > v->capacity ? RBS_ECORRUPT : used_frames(v, used);
    return 1;
}

/* Consumes k frames: the counter goes before the consume. */
RBS__HOT void end_read(const rbs_view *v, uint32_t rd, uint32_t k, int wake) {
    if (k == 0) return;
    bump_own(&v->ring->frames_read, k);
    rbs__consume(v->ring, rd + k * v->frame_bytes, wake);
}

RBS__HOT int read_planar(const rbs_view *v, planes_t planes, uint32_t frames, int wake) {
    uint32_t rd = RBS__LOAD_OWN(&v->ring->read);
    int64_t avail = readable_frames(v, rd, frames == 0 ? 1u : frames);
    if (avail < 0) return (int)avail;
    if (avail == 0) {
        if (!closed_recheck(v, rd, &avail)) return rbs__nothing_now(v, 0);
        if (avail < 0) return (int)avail;
        if (avail == 0) return RBS_ECLOSED;
    }
    uint32_t k = frames < avail ? frames : (uint32_t)avail;
    if (k != 0) get_planar(v, rd, planes, k);
    end_read(v, rd, k, wake);
    return (int)k;
}

/* rbs_audio_read_or_silence, and its prefill variant when with_prefill (out of
 * line natively: one copy for every caller). */
RBS__SPLIT int read_or_silence(const rbs_view *v, planes_t planes, uint32_t frames,
                               int with_prefill, uint32_t prefill, int wake) {
    rbs_ring *r = v->ring;
    uint32_t ch = v->channels;
    uint32_t rd = RBS__LOAD_OWN(&r->read);
    int started_now = !with_prefill || RBS__LOAD_OWN(&r->audio_started) != 0;
    uint32_t target = prefill < v->max_frames ? prefill : v->max_frames;
    uint32_t need = started_now || frames > target ? frames : target;
    /* Adapting needs the true fill: load the write counter every time. */
    int adapt = with_prefill && RBS__LOAD_OWN(&r->fill_max) != 0;
    if (adapt) need = v->max_frames;
    int64_t avail = readable_frames(v, rd, need);
    int closed = -1; /* not looked at yet */
    if (avail >= 0 && !started_now && avail < target) {
        closed = closed_recheck(v, rd, &avail);
        if (!closed) {
            silence(planes, ch, 0, frames); /* still filling up: not an underrun */
            return rbs__nothing_now(v, 0);
        }
    }
    if (avail >= 0 && avail < frames && closed < 0) closed = closed_recheck(v, rd, &avail);
    if (avail == 0 && closed != 1 && !rbs__meta_intact(v)) avail = RBS_ECORRUPT;
    if (avail < 0) {
        silence(planes, ch, 0, frames);
        return (int)avail;
    }
    if (!started_now) RBS__STORE_OWN(&r->audio_started, 1u);
    uint32_t k = frames < avail ? frames : (uint32_t)avail;
    /* The end of the stream drains the ring: no stall to adapt to. */
    if (adapt && closed != 1 &&
        (closed == 0 || !atomic_load_explicit(&r->closed, memory_order_relaxed))) {
        if (!started_now) rbs__fill_start(r);
        rbs__fill_step(v, frames, (uint32_t)avail, k);
    }
    if (k != 0) get_planar(v, rd, planes, k);
    if (k < frames) {
        silence(planes, ch, k, frames - k);
        /* After the close the stream has ended: silence is no underrun. */
        if (closed != 1) bump_own(&r->underruns, frames - k);
    }
    end_read(v, rd, k, wake);
    if (k == 0 && closed == 1) return RBS_ECLOSED;
    return (int)k;
}

/* The prefill read, then the events due within it (events.h); *count: the
 * records staged in out.  The stream frame of the read's first frame is the
 * frames-read count before it. */
RBS__SPLIT int render(const rbs_view *v, planes_t planes, uint32_t frames, uint32_t prefill,
                      const rbs_view *ev, rbs_event *out, uint32_t out_cap, uint32_t *count,
                      int wake) {
    rbs_ring *r = v->ring;
    uint32_t fr = RBS__LOAD_OWN(&r->frames_read);
    int got = read_or_silence(v, planes, frames, 1, prefill, wake);
    *count = 0;
    if (ev == NULL || (got < 0 && got != RBS_ECLOSED)) return got;
    uint32_t k = got > 0 ? (uint32_t)got : 0u;
    *count = rbs__events_take(ev, r, fr, k, planes, v->channels, frames, out, out_cap, wake);
    return got;
}

/* ------------------------------------------------------------------------ */
/* C callers: the view, gated; planes as the caller's pointers               */
/* ------------------------------------------------------------------------ */

#define GATE(v)                                                                                    \
    do {                                                                                           \
        int gate_ = rbs__gate((v), RBS_KIND_AUDIO);                                                \
        if (gate_ != RBS_OK) return gate_;                                                         \
    } while (0)

/* The caller's planes: `channels` must be the ring's (RBS_EFORMAT) and every
 * plane present when frames are to be moved (RBS_EINVAL). */
static int check_planes(const rbs_view *v, const float *const *p, uint32_t channels,
                        uint32_t frames) {
    if (channels != v->channels) return RBS_EFORMAT;
    if (frames == 0) return RBS_OK;
    if (p == NULL) return RBS_EINVAL;
    for (uint32_t c = 0; c < channels; c++) {
        if (p[c] == NULL) return RBS_EINVAL;
    }
    return RBS_OK;
}

static planes_t caller_planes(const float *const *p) {
    planes_t planes = {(float *const *)p, NULL, 0};
    return planes;
}

int rbs_audio_write(const rbs_view *v, const float *const planes[], uint32_t channels,
                    uint32_t frames) {
    GATE(v);
    int err = check_planes(v, planes, channels, frames);
    if (err < 0) return err;
    return write_planar(v, caller_planes(planes), frames, v->max_frames, 0);
}

int rbs_audio_write_interleaved(const rbs_view *v, const float *src, uint32_t frames) {
    GATE(v);
    return write_interleaved(v, src, frames, 0);
}

int rbs_audio_read(const rbs_view *v, float *const planes[], uint32_t channels, uint32_t frames) {
    GATE(v);
    int err = check_planes(v, (const float *const *)planes, channels, frames);
    if (err < 0) return err;
    return read_planar(v, caller_planes((const float *const *)planes), frames, 0);
}

/* A real-time caller plays whatever is in its planes: never leave stale
 * samples there, whatever went wrong with the arguments. */
static int silence_on_error(float *const planes[], uint32_t channels, uint32_t frames, int err) {
    if (planes != NULL && channels <= RBS_MAX_CHANNELS && frames != 0) {
        for (uint32_t c = 0; c < channels; c++) {
            if (planes[c] != NULL) __builtin_memset(planes[c], 0, (size_t)frames * 4u);
        }
    }
    return err;
}

static int read_or_silence_checked(const rbs_view *v, float *const planes[], uint32_t channels,
                                   uint32_t frames, int with_prefill, uint32_t prefill) {
    int err = rbs__gate(v, RBS_KIND_AUDIO);
    if (err == RBS_OK) err = check_planes(v, (const float *const *)planes, channels, frames);
    if (err < 0) return silence_on_error(planes, channels, frames, err);
    return read_or_silence(v, caller_planes((const float *const *)planes), frames, with_prefill,
                           prefill, 0);
}

int rbs_audio_read_or_silence(const rbs_view *v, float *const planes[], uint32_t channels,
                              uint32_t frames) {
    return read_or_silence_checked(v, planes, channels, frames, 0, 0);
}

int rbs_audio_read_or_silence_prefill(const rbs_view *v, float *const planes[], uint32_t channels,
                                      uint32_t frames, uint32_t prefill_frames) {
    return read_or_silence_checked(v, planes, channels, frames, 1, prefill_frames);
}

int rbs_audio_render(const rbs_view *v, float *const planes[], uint32_t channels, uint32_t frames,
                     uint32_t prefill_frames, const rbs_view *events, rbs_event *out,
                     uint32_t out_cap, uint32_t *out_count) {
    if (out_count != NULL) *out_count = 0;
    int err = rbs__gate(v, RBS_KIND_AUDIO);
    if (err == RBS_OK) err = check_planes(v, (const float *const *)planes, channels, frames);
    if (err == RBS_OK && events != NULL) err = rbs__gate(events, RBS_KIND_MESSAGES);
    if (err == RBS_OK && out_cap != 0 && (out == NULL || out_count == NULL)) err = RBS_EINVAL;
    if (err < 0) return silence_on_error(planes, channels, frames, err);
    uint32_t n = 0;
    int got = render(v, caller_planes((const float *const *)planes), frames, prefill_frames, events,
                     out, out_cap, &n, 0);
    if (out_count != NULL) *out_count = n;
    return got;
}

int rbs_audio_frames_available(const rbs_view *v) {
    GATE(v);
    return frames_available(v);
}

int rbs_audio_frames_writable(const rbs_view *v) {
    GATE(v);
    return frames_writable(v);
}

int rbs_audio_started(const rbs_view *v) {
    GATE(v);
    return started(v);
}

/* The counters are statistics: a relaxed load is enough; a view that is not
 * an audio ring's reads as 0 (the return type has no room for a code). */
static uint32_t counter(const rbs_view *v, size_t off) {
    if (rbs__gate(v, RBS_KIND_AUDIO) != RBS_OK) return 0;
    return RBS__LOAD_OWN((rbs_word *)(void *)((unsigned char *)v->ring + off));
}

uint32_t rbs_underruns(const rbs_view *v) {
    return counter(v, RBS_OFF_UNDERRUNS);
}
uint32_t rbs_overruns(const rbs_view *v) {
    return counter(v, RBS_OFF_OVERRUNS);
}
uint32_t rbs_frames_written(const rbs_view *v) {
    return counter(v, RBS_OFF_FRAMES_WRITTEN);
}
uint32_t rbs_frames_read(const rbs_view *v) {
    return counter(v, RBS_OFF_FRAMES_READ);
}

/* ------------------------------------------------------------------------ */
/* The WebAssembly host: planes in its staging block (wasm_api.h)            */
/* ------------------------------------------------------------------------ */

RBS__HOT planes_t staging_planes(float *staging, uint32_t stride) {
    planes_t planes = {NULL, staging, stride};
    return planes;
}

int rbs_wasm_audio_write(rbs_ring *ring, uint32_t geo, float *staging, uint32_t stride,
                         uint32_t frames) {
    rbs_view v = rbs__view_of(ring, geo, 0);
    uint32_t limit = stride < v.max_frames ? stride : v.max_frames; /* what the block holds */
    return write_planar(&v, staging_planes(staging, stride), frames, limit, 1);
}

int rbs_wasm_audio_write_interleaved(rbs_ring *ring, uint32_t geo, const float *src,
                                     uint32_t frames) {
    rbs_view v = rbs__view_of(ring, geo, 0);
    return write_interleaved(&v, src, frames, 1);
}

int rbs_wasm_audio_read(rbs_ring *ring, uint32_t geo, float *staging, uint32_t stride,
                        uint32_t frames) {
    rbs_view v = rbs__view_of(ring, geo, 0);
    return read_planar(&v, staging_planes(staging, stride), frames < stride ? frames : stride, 1);
}

int rbs_wasm_audio_read_or_silence(rbs_ring *ring, uint32_t geo, float *staging, uint32_t stride,
                                   uint32_t frames, uint32_t prefill_frames) {
    rbs_view v = rbs__view_of(ring, geo, 0);
    return read_or_silence(&v, staging_planes(staging, stride), frames < stride ? frames : stride,
                           1, prefill_frames, 1);
}

int rbs_wasm_audio_render(rbs_ring *ring, uint32_t geo, float *staging, uint32_t stride,
                          uint32_t frames, uint32_t prefill_frames, rbs_ring *ev_ring,
                          uint32_t ev_geo, rbs_event *ev_out, uint32_t ev_cap) {
    rbs_view v = rbs__view_of(ring, geo, 0);
    uint32_t n = 0;
    int got;
    if (ev_ring != NULL && ((ev_geo >> 8) & 0xFFu) == RBS_KIND_MESSAGES) {
        rbs_view ev = rbs__view_of(ev_ring, ev_geo, 0);
        got = render(&v, staging_planes(staging, stride), frames < stride ? frames : stride,
                     prefill_frames, &ev, ev_out, ev_cap, &n, 1);
    } else {
        got = render(&v, staging_planes(staging, stride), frames < stride ? frames : stride,
                     prefill_frames, NULL, ev_out, 0, &n, 1);
    }
    rbs__scratch_out(ring, RBS_OFF_CONSUMER_SCRATCH, n);
    return got;
}

int rbs_wasm_audio_available(rbs_ring *ring, uint32_t geo) {
    rbs_view v = rbs__view_of(ring, geo, 0);
    return frames_available(&v);
}

int rbs_wasm_audio_writable(rbs_ring *ring, uint32_t geo) {
    rbs_view v = rbs__view_of(ring, geo, 0);
    return frames_writable(&v);
}

int rbs_wasm_audio_started(rbs_ring *ring, uint32_t geo) {
    rbs_view v = rbs__view_of(ring, geo, 0);
    return started(&v);
}

uint32_t rbs_wasm_audio_scratch_size(uint32_t channels, uint32_t capacity_frames) {
    return rbs_audio_scratch_size(channels, capacity_frames);
}
