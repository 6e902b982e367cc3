/*
 * audio.c — audio frames on a ring: float32 samples stored interleaved,
 * `channels` per frame, moved in whole frames only.
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
#include "ring_internal.h"

/* ------------------------------------------------------------------------ */
/* Shape of the ring                                                         */
/* ------------------------------------------------------------------------ */

/* What a call needs from the meta line, validated once per call. */
typedef struct {
    uint32_t cap;        /* data bytes */
    uint32_t channels;   /* samples per frame */
    uint32_t fb;         /* frame bytes, 4 * channels */
    uint32_t max_frames; /* frames the ring can hold: cap / fb */
} shape;

/* Validates the meta line of an audio ring; 0 or a code.  The check word
 * proves that an init wrote these words, not that the init was honest: a
 * forged meta line must not divide by zero or make a frame bigger than the
 * ring, so the audio words are checked too. */
RBS__HOT int audio_shape(const rbs_ring *r, shape *s) {
    int64_t cap = rbs__meta(r, RBS_KIND_AUDIO);
    if (cap < 0) return (int)cap;
    uint32_t ch = r->channels;
    if (ch == 0 || ch > RBS_MAX_CHANNELS || r->frame_bytes != 4u * ch ||
        r->frame_bytes > (uint32_t)cap || r->sample_rate < RBS_MIN_SAMPLE_RATE ||
        r->sample_rate > RBS_MAX_SAMPLE_RATE) {
        return RBS_ECORRUPT;
    }
    s->cap = (uint32_t)cap;
    s->channels = ch;
    s->fb = 4u * ch;
    s->max_frames = (uint32_t)cap / s->fb;
    return RBS_OK;
}

/* The caller's planes: `channels` must be the ring's (RBS_EFORMAT) and every
 * plane present when frames are to be moved (RBS_EINVAL). */
RBS__HOT int check_planes(const shape *s, const float *const *p, uint32_t channels,
                          uint32_t frames) {
    if (channels != s->channels) return RBS_EFORMAT;
    if (frames == 0) return RBS_OK;
    if (p == NULL) return RBS_EINVAL;
    for (uint32_t c = 0; c < channels; c++) {
        if (p[c] == NULL) return RBS_EINVAL;
    }
    return RBS_OK;
}

/* Bytes used -> whole frames, or RBS_ECORRUPT when `used` is not a whole
 * number of frames (someone wrote part of a frame: never hand it out). */
RBS__HOT int64_t used_frames(const shape *s, uint32_t used) {
    if (used % s->fb != 0) return RBS_ECORRUPT;
    return used / s->fb;
}

static inline float *ring_samples(rbs_ring *r) {
    /* data is 64-byte aligned and every position a multiple of 4 */
    return (float *)(void *)r->data;
}

/* ------------------------------------------------------------------------ */
/* Interleaving                                                              */
/* ------------------------------------------------------------------------ */

/* n frames from the planes, starting at frame f, into interleaved dst. */
RBS__HOT void interleave(float *restrict dst, const float *const planes[], uint32_t ch, uint32_t f,
                         uint32_t n) {
    if (ch == 2) {
        const float *restrict left = planes[0] + f;
        const float *restrict right = planes[1] + f;
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
        __builtin_memcpy(dst, planes[0] + f, (size_t)n * 4u);
    } else {
        for (uint32_t c = 0; c < ch; c++) {
            const float *restrict src = planes[c] + f;
            float *restrict d = dst + c;
            for (uint32_t i = 0; i < n; i++)
                d[(size_t)i * ch] = src[i];
        }
    }
}

/* n interleaved frames from src into the planes, starting at frame f. */
RBS__HOT void deinterleave(float *const planes[], const float *restrict src, uint32_t ch,
                           uint32_t f, uint32_t n) {
    if (ch == 2) {
        float *restrict left = planes[0] + f;
        float *restrict right = planes[1] + f;
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
        __builtin_memcpy(planes[0] + f, src, (size_t)n * 4u);
    } else {
        for (uint32_t c = 0; c < ch; c++) {
            float *restrict d = planes[c] + f;
            const float *restrict s = src + c;
            for (uint32_t i = 0; i < n; i++)
                d[i] = s[(size_t)i * ch];
        }
    }
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

RBS__HOT pieces locate(const shape *s, uint32_t at) {
    uint32_t pos = at & (s->cap - 1u);
    uint32_t to_end = s->cap - pos;
    pieces p;
    p.slot = pos / 4u;
    p.head = to_end / s->fb;
    p.split = (to_end - p.head * s->fb) / 4u;
    p.tail_at = p.split == 0 ? 0 : s->channels - p.split;
    return p;
}

/* Copies k planar frames into the ring at counter w (k fits: checked). */
RBS__HOT void put_planar(rbs_ring *r, const shape *s, uint32_t w, const float *const planes[],
                         uint32_t k) {
    float *ring = ring_samples(r);
    uint32_t ch = s->channels;
    pieces p = locate(s, w);
    if (p.head >= k) {
        interleave(ring + p.slot, planes, ch, 0, k);
        return;
    }
    interleave(ring + p.slot, planes, ch, 0, p.head);
    uint32_t f = p.head;
    if (p.split != 0) {
        float *end = ring + p.slot + (size_t)p.head * ch;
        for (uint32_t c = 0; c < p.split; c++)
            end[c] = planes[c][f];
        for (uint32_t c = p.split; c < ch; c++)
            ring[c - p.split] = planes[c][f];
        f++;
    }
    interleave(ring + p.tail_at, planes, ch, f, k - f);
}

/* Copies k frames out of the ring at counter rd into the planes. */
RBS__HOT void get_planar(rbs_ring *r, const shape *s, uint32_t rd, float *const planes[],
                         uint32_t k) {
    const float *ring = ring_samples(r);
    uint32_t ch = s->channels;
    pieces p = locate(s, rd);
    if (p.head >= k) {
        deinterleave(planes, ring + p.slot, ch, 0, k);
        return;
    }
    deinterleave(planes, ring + p.slot, ch, 0, p.head);
    uint32_t f = p.head;
    if (p.split != 0) {
        const float *end = ring + p.slot + (size_t)p.head * ch;
        for (uint32_t c = 0; c < p.split; c++)
            planes[c][f] = end[c];
        for (uint32_t c = p.split; c < ch; c++)
            planes[c][f] = ring[c - p.split];
        f++;
    }
    deinterleave(planes, ring + p.tail_at, ch, f, k - f);
}

/* Frames [from, from + n) of every plane become silence.  With n == 0 the
 * planes may be absent (a zero-frame call needs none). */
RBS__HOT void silence(float *const planes[], uint32_t ch, uint32_t from, uint32_t n) {
    if (n == 0) return;
    for (uint32_t c = 0; c < ch; c++)
        __builtin_memset(planes[c] + from, 0, (size_t)n * 4u);
}

/* ------------------------------------------------------------------------ */
/* Setting up and queries                                                    */
/* ------------------------------------------------------------------------ */

int rbs_audio_init(rbs_ring *r, size_t region_size, uint32_t capacity, uint32_t channels,
                   uint32_t sample_rate) {
    if (channels < 1 || channels > RBS_MAX_CHANNELS || sample_rate < RBS_MIN_SAMPLE_RATE ||
        sample_rate > RBS_MAX_SAMPLE_RATE) {
        return RBS_EFORMAT;
    }
    /* A ring that cannot hold one frame could never move anything. */
    if (rbs__valid_capacity(capacity) && capacity < 4u * channels) return RBS_ECAPACITY;
    return rbs__format(r, region_size, capacity, RBS_KIND_AUDIO, channels, sample_rate,
                       4u * channels);
}

int rbs_audio_channels(const rbs_ring *r) {
    shape s;
    int err = audio_shape(r, &s);
    return err < 0 ? err : (int)s.channels;
}

int rbs_audio_sample_rate(const rbs_ring *r) {
    shape s;
    int err = audio_shape(r, &s);
    return err < 0 ? err : (int)r->sample_rate;
}

/* Either side may ask: both shared counters, with acquire as rbs_readable. */
RBS__HOT int64_t frames_used_now(const rbs_ring *r, shape *s) {
    int err = audio_shape(r, s);
    if (err < 0) return err;
    int64_t used = rbs__used_snapshot(r, s->cap);
    return used < 0 ? used : used_frames(s, (uint32_t)used);
}

int rbs_audio_frames_available(const rbs_ring *r) {
    shape s;
    return (int)frames_used_now(r, &s);
}

int rbs_audio_frames_writable(const rbs_ring *r) {
    shape s;
    int64_t used = frames_used_now(r, &s);
    return used < 0 ? (int)used : (int)(s.max_frames - (uint32_t)used);
}

int rbs_audio_started(const rbs_ring *r) {
    shape s;
    int err = audio_shape(r, &s);
    if (err < 0) return err;
    return atomic_load_explicit(&r->audio_started, memory_order_relaxed) ? 1 : 0;
}

/* The counters are statistics: a relaxed load is enough, and a ring that is
 * not valid reads as 0 (the return type has no room for a code). */
RBS__HOT uint32_t counter(const rbs_ring *r, const rbs_word *word) {
    if (rbs__meta(r, 0) < 0) return 0;
    return atomic_load_explicit(word, memory_order_relaxed);
}

uint32_t rbs_underruns(const rbs_ring *r) {
    return r == NULL ? 0 : counter(r, &r->underruns);
}
uint32_t rbs_overruns(const rbs_ring *r) {
    return r == NULL ? 0 : counter(r, &r->overruns);
}
uint32_t rbs_frames_written(const rbs_ring *r) {
    return r == NULL ? 0 : counter(r, &r->frames_written);
}
uint32_t rbs_frames_read(const rbs_ring *r) {
    return r == NULL ? 0 : counter(r, &r->frames_read);
}

/* Adds n to a counter that only this side writes. */
RBS__HOT void bump_own(rbs_word *word, uint32_t n) {
    RBS__STORE_OWN(word, RBS__LOAD_OWN(word) + n);
}

/* ------------------------------------------------------------------------ */
/* Producer                                                                  */
/* ------------------------------------------------------------------------ */

/* The common start of both writes: the validated shape, our write counter,
 * and how many of `frames` fit now (*k).  0 or a code. */
RBS__HOT int begin_write(rbs_ring *r, const shape *s, uint32_t frames, uint32_t *w, uint32_t *k) {
    if (RBS__LOAD_OWN(&r->closed)) return RBS_ECLOSED;
    *w = RBS__LOAD_OWN(&r->write);
    if (*w & 3u) return RBS_ECORRUPT; /* a float would be misaligned */
    uint32_t want = frames < s->max_frames ? frames : s->max_frames;
    int64_t free_bytes = rbs__producer_free(r, s->cap, *w, want * s->fb);
    if (free_bytes < 0) return (int)free_bytes;
    int64_t used = used_frames(s, s->cap - (uint32_t)free_bytes);
    if (used < 0) return (int)used;
    uint32_t room = s->max_frames - (uint32_t)used;
    *k = want < room ? want : room;
    return RBS_OK;
}

/* Publishes k frames and counts the refused ones.  The counter goes before
 * the release store of `write`, so a consumer that sees the frames also sees
 * frames_written count them. */
RBS__HOT int end_write(rbs_ring *r, const shape *s, uint32_t w, uint32_t k, uint32_t frames) {
    if (frames > k) bump_own(&r->overruns, frames - k);
    if (k == 0) return 0;
    bump_own(&r->frames_written, k);
    atomic_store_explicit(&r->write, w + k * s->fb, memory_order_release);
    return (int)k;
}

int rbs_audio_write(rbs_ring *r, const float *const planes[], uint32_t channels, uint32_t frames) {
    shape s;
    int err = audio_shape(r, &s);
    if (err < 0) return err;
    err = check_planes(&s, planes, channels, frames);
    if (err < 0) return err;
    uint32_t w, k;
    err = begin_write(r, &s, frames, &w, &k);
    if (err < 0) return err;
    if (k != 0) put_planar(r, &s, w, planes, k);
    return end_write(r, &s, w, k, frames);
}

int rbs_audio_write_interleaved(rbs_ring *r, const float *src, uint32_t frames) {
    shape s;
    int err = audio_shape(r, &s);
    if (err < 0) return err;
    if (src == NULL && frames != 0) return RBS_EINVAL;
    uint32_t w, k;
    err = begin_write(r, &s, frames, &w, &k);
    if (err < 0) return err;
    /* Interleaved in, interleaved stored: a byte copy split at the end,
     * which splits a straddling frame between two samples. */
    if (k != 0) rbs__copy_in(r, s.cap, w, src, k * s.fb);
    return end_write(r, &s, w, k, frames);
}

/* ------------------------------------------------------------------------ */
/* Consumer                                                                  */
/* ------------------------------------------------------------------------ */

/* Frames readable now for a consumer at counter rd, loading the shared write
 * counter only when the cached one shows fewer than `need` frames. */
RBS__HOT int64_t readable_frames(rbs_ring *r, const shape *s, uint32_t rd, uint32_t need) {
    if (rd & 3u) return RBS_ECORRUPT; /* a float would be misaligned */
    if (need > s->max_frames) need = s->max_frames;
    int64_t used = rbs__consumer_used(r, s->cap, rd, need * s->fb);
    if (used < 0) return used;
    return used_frames(s, (uint32_t)used);
}

/* When fewer than wanted frames are there: 1 if the producer closed the ring
 * (then *avail is the final count: `closed` is loaded before `write` again,
 * so frames written just before the close are seen), 0 if not. */
RBS__HOT int closed_recheck(rbs_ring *r, const shape *s, uint32_t rd, int64_t *avail) {
    if (!atomic_load_explicit(&r->closed, memory_order_acquire)) return 0;
    uint32_t w = atomic_load_explicit(&r->write, memory_order_acquire);
    uint32_t used = w - rd;
    *avail = used > s->cap ? RBS_ECORRUPT : used_frames(s, used);
    return 1;
}

/* Consumes k frames: the counter goes before the release of `read`. */
RBS__HOT void end_read(rbs_ring *r, const shape *s, uint32_t rd, uint32_t k) {
    if (k == 0) return;
    bump_own(&r->frames_read, k);
    atomic_store_explicit(&r->read, rd + k * s->fb, memory_order_release);
}

int rbs_audio_read(rbs_ring *r, float *const planes[], uint32_t channels, uint32_t frames) {
    shape s;
    int err = audio_shape(r, &s);
    if (err < 0) return err;
    err = check_planes(&s, (const float *const *)planes, channels, frames);
    if (err < 0) return err;
    uint32_t rd = RBS__LOAD_OWN(&r->read);
    int64_t avail = readable_frames(r, &s, rd, frames == 0 ? 1u : frames);
    if (avail < 0) return (int)avail;
    if (avail == 0) {
        if (closed_recheck(r, &s, rd, &avail)) {
            if (avail < 0) return (int)avail;
            if (avail == 0) return RBS_ECLOSED;
        }
    }
    uint32_t k = frames < avail ? frames : (uint32_t)avail;
    if (k != 0) get_planar(r, &s, rd, planes, k);
    end_read(r, &s, rd, k);
    return (int)k;
}

/* rbs_audio_read_or_silence, and its prefill variant when with_prefill. */
RBS__HOT int read_or_silence(rbs_ring *r, float *const planes[], uint32_t channels, uint32_t frames,
                             int with_prefill, uint32_t prefill) {
    shape s;
    int err = audio_shape(r, &s);
    if (err == 0) err = check_planes(&s, (const float *const *)planes, channels, frames);
    if (err < 0) {
        /* A real-time caller plays whatever is in its planes: never leave
         * stale samples there, whatever went wrong. */
        if (planes != NULL && channels <= RBS_MAX_CHANNELS) {
            for (uint32_t c = 0; c < channels; c++) {
                if (planes[c] != NULL && frames != 0)
                    __builtin_memset(planes[c], 0, (size_t)frames * 4u);
            }
        }
        return err;
    }
    uint32_t rd = RBS__LOAD_OWN(&r->read);
    int started = !with_prefill || RBS__LOAD_OWN(&r->audio_started) != 0;
    uint32_t target = prefill < s.max_frames ? prefill : s.max_frames;
    uint32_t need = started || frames > target ? frames : target;
    int64_t avail = readable_frames(r, &s, rd, need);
    int closed = -1; /* not looked at yet */
    if (avail >= 0 && !started && avail < target) {
        closed = closed_recheck(r, &s, rd, &avail);
        if (!closed) {
            silence(planes, channels, 0, frames); /* still filling up: not an underrun */
            return 0;
        }
    }
    if (avail >= 0 && avail < frames && closed < 0) closed = closed_recheck(r, &s, rd, &avail);
    if (avail < 0) {
        silence(planes, channels, 0, frames);
        return (int)avail;
    }
    if (!started) RBS__STORE_OWN(&r->audio_started, 1u);
    uint32_t k = frames < avail ? frames : (uint32_t)avail;
    if (k != 0) get_planar(r, &s, rd, planes, k);
    if (k < frames) {
        silence(planes, channels, k, frames - k);
        /* After the close the stream has ended: silence is no underrun. */
        if (closed != 1) bump_own(&r->underruns, frames - k);
    }
    end_read(r, &s, rd, k);
    if (k == 0 && closed == 1) return RBS_ECLOSED;
    return (int)k;
}

int rbs_audio_read_or_silence(rbs_ring *r, float *const planes[], uint32_t channels,
                              uint32_t frames) {
    return read_or_silence(r, planes, channels, frames, 0, 0);
}

int rbs_audio_read_or_silence_prefill(rbs_ring *r, float *const planes[], uint32_t channels,
                                      uint32_t frames, uint32_t prefill_frames) {
    return read_or_silence(r, planes, channels, frames, 1, prefill_frames);
}
