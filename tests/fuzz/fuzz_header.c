/*
 * fuzz_header.c — the ops on shared memory that no call of this side makes:
 * what a buggy or hostile other thread writes (single words, the meta line,
 * a forged meta line with the counters moved, random scratch and private
 * lines, data), the counter rebase to the 32-bit wrap, and formatting (with
 * the model of what rbs_attach then answers).
 */
#include "fuzz.h"
#include "ring_internal.h" /* the check word's formula, which a forger may know */

#include <string.h>

/* ------------------------------------------------------------------------ */
/* Genuine meta lines, and what rbs_attach answers                           */
/* ------------------------------------------------------------------------ */

int fz_genuine_meta(uint32_t capacity, uint32_t kind, uint32_t channels, uint32_t rate,
                    unsigned char line[64]) {
    /* Init writes only the header, so a header-sized buffer stands in for a
     * ring of any capacity (ASan would report a write past it). */
    static _Alignas(64) unsigned char header[RBS_HEADER_SIZE];
    size_t size = rbs_region_size(capacity);
    int rc = kind == RBS_KIND_BYTES      ? rbs_init(NULL, header, size, capacity)
             : kind == RBS_KIND_MESSAGES ? rbs_msg_init(NULL, header, size, capacity)
             : kind == RBS_KIND_AUDIO ? rbs_audio_init(NULL, header, size, capacity, channels, rate)
                                      : RBS_EKIND;
    if (rc != RBS_OK) return 0;
    memcpy(line, header, 64);
    return 1;
}

int fz_model_attach(const fz *f, size_t size, rbs_view *want) {
    memset(want, 0, sizeof *want);
    if (size < RBS_HEADER_SIZE) return RBS_ERANGE;
    if (fz_word(f, RBS_OFF_MAGIC) != RBS_MAGIC) return RBS_ENOTRING;
    if (fz_word(f, RBS_OFF_ABI_VERSION) != RBS_ABI_VERSION ||
        fz_word(f, RBS_OFF_HEADER_SIZE) != RBS_HEADER_SIZE)
        return RBS_EVERSION;
    uint32_t cap = fz_word(f, RBS_OFF_CAPACITY), kind = fz_word(f, RBS_OFF_KIND);
    uint32_t ch = fz_word(f, RBS_OFF_CHANNELS), rate = fz_word(f, RBS_OFF_SAMPLE_RATE);
    unsigned char line[64];
    /* an init of that geometry would have written exactly these words */
    if (!fz_genuine_meta(cap, kind, ch, rate, line) ||
        memcmp(line, f->region, FZ_META_WORDS_END) != 0)
        return RBS_ECORRUPT;
    if (size < rbs_region_size(cap)) return RBS_ERANGE;
    if (fz_word(f, RBS_OFF_WRITE) - fz_word(f, RBS_OFF_READ) > cap) return RBS_ECORRUPT;
    want->ring = (rbs_ring *)(void *)f->region;
    want->data = f->region + RBS_OFF_DATA;
    want->capacity = cap;
    want->kind = kind;
    want->channels = ch;
    want->sample_rate = rate;
    want->frame_bytes = 4u * ch;
    want->max_frames = ch != 0 ? cap / (4u * ch) : 0;
    want->meta_check = fz_word(f, RBS_OFF_META_CHECK);
    return RBS_OK;
}

void fz_expect_view(fz *f, const rbs_view *v, const rbs_view *want, const char *what) {
    if (v->ring != want->ring || v->data != want->data)
        FAIL("%s: view of (%p, data %p), expected (%p, data %p) (op %u)", what, (void *)v->ring,
             (void *)v->data, (void *)want->ring, (void *)want->data, f->op_no);
    EXPECT(v->capacity, want->capacity, what);
    EXPECT(v->kind, want->kind, what);
    EXPECT(v->channels, want->channels, what);
    EXPECT(v->sample_rate, want->sample_rate, what);
    EXPECT(v->frame_bytes, want->frame_bytes, what);
    EXPECT(v->max_frames, want->max_frames, what);
    EXPECT(v->meta_check, want->meta_check, what);
}

/* ------------------------------------------------------------------------ */
/* Formatting                                                                */
/* ------------------------------------------------------------------------ */

static const uint32_t rates[] = {
    48000, 44100, 8000, 96000, RBS_MIN_SAMPLE_RATE, RBS_MAX_SAMPLE_RATE, 22050, 192000};
static const uint32_t kinds[] = {RBS_KIND_BYTES, RBS_KIND_MESSAGES, RBS_KIND_AUDIO};

void fz_pick_kind(fz *f, uint8_t b) {
    f->kind = kinds[(b & 3u) % 3u];
    f->channels = f->kind == RBS_KIND_AUDIO ? 1u + ((b >> 2) & 7u) : 0u;
    f->rate = f->kind == RBS_KIND_AUDIO ? rates[(b >> 5) & 7u] : 0u;
    if (f->channels * 4u > f->cap) {
        /* a ring that cannot hold one frame is refused */
        rbs_view v;
        EXPECT(rbs_audio_init(&v, f->region, f->region_size, f->cap, f->channels, f->rate),
               RBS_ECAPACITY, "rbs_audio_init(frame larger than the ring)");
        f->channels = f->cap / 4u;
    }
}

static int format(fz *f, rbs_view *v) {
    switch (f->kind) {
    case RBS_KIND_BYTES: return rbs_init(v, f->region, f->region_size, f->cap);
    case RBS_KIND_MESSAGES: return rbs_msg_init(v, f->region, f->region_size, f->cap);
    default: return rbs_audio_init(v, f->region, f->region_size, f->cap, f->channels, f->rate);
    }
}

void fz_reinit(fz *f, int via_wasm) {
    int rc = via_wasm ? fz_wasm_init(f) : format(f, &f->view);
    if (rc != 0) FAIL("init of kind %u, capacity %u: %d", f->kind, f->cap, rc);
    rbs_view want, fresh;
    EXPECT(fz_model_attach(f, f->region_size, &want), RBS_OK, "the model's attach after init");
    if (via_wasm) EXPECT(rbs_attach(&f->view, f->region, f->region_size), RBS_OK, "rbs_attach");
    fz_expect_view(f, &f->view, &want, via_wasm ? "rbs_attach's view" : "init's view");
    EXPECT(rbs_attach(&fresh, f->region, f->region_size), RBS_OK, "rbs_attach after init");
    fz_expect_view(f, &fresh, &f->view, "rbs_attach after init");
    /* the JS package's geometry: what rbs_wasm_attach answers */
    int64_t g = fz_wasm_attach(f, f->region_size);
    EXPECT(g, (int64_t)fz_geo(f->cap, f->kind, f->channels) | (int64_t)f->rate << 32,
           "rbs_wasm_attach after init");
    f->geo = (uint32_t)g;

    memcpy(f->meta0, f->region, sizeof f->meta0);
    memcpy(f->meta_now, f->meta0, sizeof f->meta0);
    memcpy(f->mirror, f->data, f->cap); /* init leaves the data area as it was */
    f->exact = 1;
    f->mw = f->mr = 0;
    f->closed = 0;
    memset(f->scratch, 0, sizeof f->scratch); /* init zeroes the whole header */
    memset(f->sleeper, 0, sizeof f->sleeper);
    fz_bytes_reset(f);
    fz_msg_reset(f);
    fz_audio_reset(f);
}

/* ------------------------------------------------------------------------ */
/* Single words                                                              */
/* ------------------------------------------------------------------------ */

/* A value to store over `old`: anything, near it, one bit flipped, or a
 * value at a boundary of the capacity. */
static uint32_t in_value(fz *f, input *in, uint32_t old) {
    uint8_t mode = in_u8(in);
    switch (mode & 3u) {
    case 0: return in_u32(in);
    case 1: return old + (uint32_t)(int32_t)(int8_t)in_u8(in);
    case 2: return old ^ (1u << (in_u8(in) & 31u));
    default: {
        const uint32_t edge[] = {0,
                                 1,
                                 f->cap - 1,
                                 f->cap,
                                 f->cap + 1,
                                 2 * f->cap,
                                 0x7FFFFFFF,
                                 0x80000000,
                                 0xFFFFFFFF,
                                 old + 4,
                                 old + f->cap,
                                 old - f->cap,
                                 old + f->cap + 1};
        return edge[(mode >> 2) % (sizeof edge / sizeof edge[0])];
    }
    }
}

static int in_area(uint32_t off, uint32_t start) {
    return off >= start && off < start + RBS_SCRATCH_SIZE;
}

/* Takes a stray value of one word of lines 1..4 into the model, and answers
 * 1, when the calls only count with it, test it as a flag, keep it for the
 * waker, or never read it; 0 for the counters, their cached copies and the
 * zero-copy words, which make the header hostile. */
static int model_takes(fz *f, uint32_t off, uint32_t v) {
    if (in_area(off, RBS_OFF_CONSUMER_SCRATCH)) {
        f->scratch[FZ_CONSUMER][(off - RBS_OFF_CONSUMER_SCRATCH) / 4u] = v;
        return 1;
    }
    if (in_area(off, RBS_OFF_PRODUCER_SCRATCH)) {
        f->scratch[FZ_PRODUCER][(off - RBS_OFF_PRODUCER_SCRATCH) / 4u] = v;
        return 1;
    }
    fz_sleeper *c = &f->sleeper[FZ_CONSUMER], *p = &f->sleeper[FZ_PRODUCER];
    switch (off) {
    case RBS_OFF_CLOSED: f->closed = v != 0; return 1;
    case RBS_OFF_OVERRUNS: f->overruns = v; return 1;
    case RBS_OFF_FRAMES_WRITTEN: f->frames_written = v; return 1;
    case RBS_OFF_UNDERRUNS: f->underruns = v; return 1;
    case RBS_OFF_FRAMES_READ: f->frames_read = v; return 1;
    case RBS_OFF_AUDIO_STARTED: f->started = v != 0; return 1;
    case RBS_OFF_CONSUMER_WAKE: c->wake = v; return 1;
    case RBS_OFF_CONSUMER_WAITERS: c->waiters = v; return 1;
    case RBS_OFF_CONSUMER_WAIT_SEQ: c->seq = v; return 1;
    case RBS_OFF_CONSUMER_WOKEN_AT: c->woken_at = v; return 1;
    case RBS_OFF_PRODUCER_WAKE: p->wake = v; return 1;
    case RBS_OFF_PRODUCER_WAITERS: p->waiters = v; return 1;
    case RBS_OFF_PRODUCER_WAIT_SEQ: p->seq = v; return 1;
    case RBS_OFF_PRODUCER_WOKEN_AT: p->woken_at = v; return 1;
    case RBS_OFF_WRITE:
    case RBS_OFF_READ:
    case RBS_OFF_CACHED_READ:
    case RBS_OFF_RESERVED:
    case RBS_OFF_RESERVED_AT:
    case RBS_OFF_CACHED_WRITE:
    case RBS_OFF_ACQUIRED:
    case RBS_OFF_ACQUIRED_AT: return 0;
    default: return 1; /* role claims, heartbeats, padding: no C call reads them */
    }
}

/* A buggy or hostile other side stores one word of lines 1..4. */
static void hdr_disturb(fz *f, input *in) {
    uint32_t off = RBS_LINE_SIZE + 4u * (in_u8(in) % 64u);
    uint32_t old = fz_word(f, off);
    uint32_t v = in_value(f, in, old);
    if (v == old) return;
    fz_set_word(f, off, v);
    if (!model_takes(f, off, v)) f->exact = 0;
}

/* A hostile producer writes anything into the data area -- for a message
 * ring that includes the length words the consumer walks.  On a byte or
 * audio ring data is only data: the mirror takes the new bytes and the model
 * stays exact.  On a message ring the frames are no longer the model's:
 * hostile mode.  The word goes at the read position (the next frame's
 * length word), the write position, or anywhere. */
static void hdr_scribble(fz *f, input *in) {
    uint8_t where = in_u8(in);
    uint32_t pos = (where & 3u) == 0   ? f->mr & f->mask
                   : (where & 3u) == 1 ? f->mw & f->mask
                                       : in_u16(in) & f->mask;
    pos &= ~3u; /* length words are 4-aligned; cap is a multiple of 4 */
    uint32_t old;
    memcpy(&old, f->data + pos, 4);
    uint32_t v;
    if ((where >> 2) & 1u) {
        /* lengths that land on the message checks' edges */
        const uint32_t near[] = {f->cap / 2u - 4u,    f->cap / 2u - 3u,  f->cap / 2u,
                                 f->cap - pos - 4u,   f->cap - pos - 3u, f->cap - pos,
                                 fz_used(f) - 4u,     fz_used(f) - 3u,   RBS_MSG_PADDING,
                                 RBS_MSG_PADDING - 1u};
        v = near[(where >> 3) % (sizeof near / sizeof near[0])];
    } else {
        v = in_value(f, in, old);
    }
    memcpy(f->data + pos, &v, 4);
    if (f->kind == RBS_KIND_MESSAGES)
        f->exact = 0;
    else
        memcpy(f->mirror + pos, &v, 4);
}

/* ------------------------------------------------------------------------ */
/* The meta line                                                             */
/* ------------------------------------------------------------------------ */

static void meta_written(fz *f) {
    memcpy(f->meta_now, f->region, sizeof f->meta_now);
}

/* A stray word over the meta line as it is now.  The view bounds every
 * access, so the model stays exact: only the calls that find nothing to do,
 * the queries and rbs_check answer RBS_ECORRUPT until a heal. */
static void hdr_meta(fz *f, input *in) {
    uint32_t off = 4u * (in_u8(in) % 16u);
    fz_set_word(f, off, in_value(f, in, fz_word(f, off)));
    meta_written(f);
}

static void hdr_heal(fz *f) {
    memcpy(f->region, f->meta0, sizeof f->meta0);
    meta_written(f);
}

/* A forger who knows the check word's formula writes a meta line no init
 * writes: any capacity word, kind 0..7, a channel count and frame size that
 * may disagree, a rate or none -- with a check word that matches them.
 * Returns the capacity to move the counters by (2^30 if the word is none). */
static uint32_t forge_computed(fz *f, input *in, uint8_t a, uint8_t b) {
    uint8_t d = in_u8(in);
    uint32_t cap = (a & 0x20u) ? in_u32(in) : 1u << (4u + (a & 31u) % 27u);
    uint32_t kind = b & 7u, ch = d & 63u;
    uint32_t fb = (d & 0x40u) ? ch + 4u : 4u * ch;
    uint32_t rate = (d & 0x80u) ? 0u : rates[(b >> 5) & 7u];
    const uint32_t words[] = {RBS_MAGIC,
                              RBS_ABI_VERSION,
                              RBS_HEADER_SIZE,
                              cap,
                              kind,
                              ch,
                              rate,
                              fb,
                              rbs__meta_check(cap, kind, ch, rate, fb)};
    memset(f->region, 0, RBS_LINE_SIZE);
    for (uint32_t i = 0; i < sizeof words / sizeof words[0]; i++)
        fz_set_word(f, 4u * i, words[i]);
    return rbs__valid_capacity(cap) ? cap : 1u << 30;
}

/* A forger copies the genuine meta line of another ring -- mostly a larger
 * one, of any kind -- over this one (or computes one, above), and usually
 * moves the counters near that ring's end (read there, write up to a forged
 * capacity ahead), with the caches and the zero-copy words to match: the
 * view must keep every access inside this region all the same. */
static void hdr_forge(fz *f, input *in) {
    uint8_t a = in_u8(in), b = in_u8(in), c = in_u8(in);
    uint32_t fcap = 1u << (4u + (a & 31u) % 27u); /* 2^4 .. 2^30 */
    if (a & 0x40u) {
        fcap = forge_computed(f, in, a, b);
    } else {
        uint32_t kind = kinds[(b & 3u) % 3u];
        uint32_t ch = kind == RBS_KIND_AUDIO ? 1u + ((b >> 2) & 7u) : 0u;
        uint32_t rate = kind == RBS_KIND_AUDIO ? rates[(b >> 5) & 7u] : 0u;
        if (ch * 4u > fcap) ch = fcap / 4u;
        unsigned char line[64];
        if (!fz_genuine_meta(fcap, kind, ch, rate, line)) FAIL("no genuine meta line to forge");
        memcpy(f->region, line, sizeof line);
    }
    meta_written(f);
    if (a & 0x80u) return; /* the meta line alone: the model stays exact */

    uint32_t d = 4u * (c & 15u); /* read this far before the forged end */
    uint32_t rd = fcap - d;
    uint32_t u; /* bytes between the counters */
    switch ((c >> 4) & 3u) {
    case 0: u = 0; break;
    case 1: u = d; break;              /* up to the forged end exactly */
    case 2: u = f->cap; break;         /* full, as the view sees it */
    default: u = fcap - d / 2u; break; /* nearly the forged capacity */
    }
    uint32_t w = rd + u;
    fz_set_word(f, RBS_OFF_READ, rd);
    fz_set_word(f, RBS_OFF_WRITE, w);
    if (c & 0x40u) {
        fz_set_word(f, RBS_OFF_CACHED_READ, rd);
        fz_set_word(f, RBS_OFF_CACHED_WRITE, w);
    }
    if (c & 0x80u) {
        fz_set_word(f, RBS_OFF_RESERVED, fcap - u);
        fz_set_word(f, RBS_OFF_RESERVED_AT, w);
        fz_set_word(f, RBS_OFF_ACQUIRED, u);
        fz_set_word(f, RBS_OFF_ACQUIRED_AT, rd);
    }
    f->exact = 0;
}

/* ------------------------------------------------------------------------ */
/* Scratch areas and private lines                                           */
/* ------------------------------------------------------------------------ */

/* Random values over both scratch areas -- which no C call reads: the
 * model takes them and stays exact -- or over both private lines whole
 * (cached counters, zero-copy words, the wakers' records): hostile. */
static void hdr_scratch(fz *f, input *in) {
    uint8_t how = in_u8(in);
    if (how & 1u) {
        fz_fill_random(f, f->region + RBS_OFF_CACHED_READ, RBS_HEADER_SIZE - RBS_OFF_CACHED_READ);
        f->exact = 0;
    } else {
        fz_fill_random(f, f->region + RBS_OFF_PRODUCER_SCRATCH, RBS_SCRATCH_SIZE);
        fz_fill_random(f, f->region + RBS_OFF_CONSUMER_SCRATCH, RBS_SCRATCH_SIZE);
    }
    for (uint32_t i = 0; i < RBS_SCRATCH_SIZE / 4u; i++) {
        f->scratch[FZ_PRODUCER][i] = fz_word(f, RBS_OFF_PRODUCER_SCRATCH + 4u * i);
        f->scratch[FZ_CONSUMER][i] = fz_word(f, RBS_OFF_CONSUMER_SCRATCH + 4u * i);
    }
}

/* ------------------------------------------------------------------------ */
/* Counters                                                                  */
/* ------------------------------------------------------------------------ */

/* Moves the counters as far as ~2^32 bytes of traffic would: write, read,
 * both cached copies and the byte ring's reserve/acquire positions shift by
 * one multiple of the capacity, so positions and contents stay and the model
 * stays exact.  This is how the 32-bit wrap of the counters is reached in a
 * short program. */
static void hdr_rebase(fz *f, input *in) {
    uint32_t base = (in_u32(in) & ~f->mask) | (f->mr & f->mask);
    if (!f->exact) return;
    uint32_t delta = base - f->mr;
    const uint32_t offs[] = {RBS_OFF_WRITE,        RBS_OFF_READ,        RBS_OFF_CACHED_READ,
                             RBS_OFF_CACHED_WRITE, RBS_OFF_RESERVED_AT, RBS_OFF_ACQUIRED_AT};
    for (unsigned i = 0; i < sizeof offs / sizeof offs[0]; i++)
        fz_set_word(f, offs[i], fz_word(f, offs[i]) + delta);
    f->mw += delta;
    f->mr += delta;
}

void op_header(fz *f, input *in) {
    uint8_t which = in_u8(in) % 9u;
    switch (which) {
    case 0: hdr_disturb(f, in); break;
    case 1: hdr_meta(f, in); break;
    case 2: hdr_heal(f); break;
    case 3: hdr_rebase(f, in); break;
    case 5: hdr_scribble(f, in); break;
    case 6: hdr_forge(f, in); break;
    case 7: hdr_scratch(f, in); break;
    default: /* 4: the C inits; 8: rbs_wasm_init, then rbs_attach fills the view */
        fz_pick_kind(f, in_u8(in));
        fz_reinit(f, which == 8);
        break;
    }
}
