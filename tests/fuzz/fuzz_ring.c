/*
 * fuzz_ring.c — libFuzzer target: the input is a program that drives both
 * sides of one ring (bytes, messages or audio) and is checked against a
 * simple model.  The kinds' ops live in fuzz_bytes.c, fuzz_msg.c and
 * fuzz_audio.c; this file holds the driver, the shared checks and the ops on
 * the header.
 *
 * Input format (a read past the end yields 0; see README.md):
 *   byte 0   capacity: low nibble 0..8 -> 16 << n (16..4096); 9..15 -> an
 *            invalid capacity that every init must refuse with RBS_ECAPACITY
 *            without touching the region, then 16 << (high nibble % 9).
 *   byte 1   kind: bits 0..1 (% 3) -> bytes / messages / audio; bits 2..4 -> channels - 1
 *            (audio, 1..8, fewer when one frame would not fit in the ring:
 *            that init must answer RBS_ECAPACITY); bits 5..7 -> sample rate.
 *   then ops until the input ends: an op byte, then its arguments.  Below
 *            0xF0 it picks from the ring's kind's ops and the common ones
 *            (close, queries, null arguments, header); 0xF0 and up takes the
 *            next byte to pick from every op of every kind, so calls of the
 *            wrong kind are made too (RBS_EKIND).
 * Data bytes and samples come from a PRNG seeded per input, not from the
 * input: they never steer a branch, and distinct values make a lost,
 * duplicated or reordered byte visible.
 *
 * Two modes.
 *   exact    while the shared header holds only what the ring's own calls
 *            wrote, every return code must equal the model's (counts,
 *            RBS_EAGAIN, RBS_ETOOBIG, RBS_ECLOSED, RBS_EINVAL, RBS_EKIND,
 *            RBS_EFORMAT), every byte, message and sample must come out as it
 *            went in, and after every op the data area must equal the model's
 *            mirror of it and the published counters the model's.
 *   hostile  once an op stores an arbitrary value into the producer line,
 *            the consumer line or a private line (offsets 64..319), as a
 *            buggy or hostile other side could, calls may answer errors, but
 *            every answer is a count bounded by the request or a data error
 *            code, every pointer handed out lies inside the data area, and
 *            nothing reads or writes outside the region: the region is
 *            allocated exactly rbs_region_size() bytes, and every buffer
 *            handed to a call ends exactly where the call must stop, so ASan
 *            reports any overrun.  A reinit op formats the ring again and
 *            returns to exact mode.  Writes into the data area (a hostile
 *            producer's) are data on a byte or audio ring -- the model takes
 *            them and stays exact -- and hostile on a message ring, where
 *            they forge length words.
 *
 * The meta line (offsets 0..63) is written once by init and covered by a
 * check word (rbs__meta_check).  Threat model: a party that rewrites two or
 * more meta words consistently -- the capacity and the check word, say --
 * can make the ring claim a larger capacity, and no call that takes only an
 * `rbs_ring *` can tell; such a forger is out of scope (the meta line is
 * outside what the other side may write).  The rule here: before each meta
 * write the line is restored to what init wrote, so it differs in at most
 * ONE word.  The check word xors in each of capacity, kind, channels,
 * sample rate and frame bytes times its own odd constant (a bijection mod
 * 2^32), and the magic is compared as it is, so a change to any one checked
 * word, the check word included, is always detected: while one is
 * changed, every call must answer exactly RBS_ECORRUPT (after
 * its own null-argument checks) and change nothing, and after a heal op
 * restores the line the model carries on exactly.  A change to an unchecked
 * word (ABI version, header size, padding) must not change what data calls
 * do; rbs_attach answers RBS_EVERSION for the first two.
 *
 * Precedences the header leaves open (RBS_ECLOSED before RBS_ETOOBIG, say)
 * are modelled on the implementation and commented where they are.
 */
#define _POSIX_C_SOURCE 200112L /* posix_memalign */
#include "fuzz.h"

#include <string.h>

/* ------------------------------------------------------------------------ */
/* Reading the program, buffers, lengths                                     */
/* ------------------------------------------------------------------------ */

uint8_t in_u8(input *in) {
    if (in->n == 0) return 0;
    in->n--;
    return *in->p++;
}

uint16_t in_u16(input *in) {
    uint16_t lo = in_u8(in);
    return (uint16_t)(lo | (uint16_t)in_u8(in) << 8);
}

uint32_t in_u32(input *in) {
    uint32_t lo = in_u16(in);
    return lo | (uint32_t)in_u16(in) << 16;
}

uint32_t fz_rand(fz *f) {
    uint32_t x = f->rng;
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    return f->rng = x;
}

void fz_fill_random(fz *f, unsigned char *p, size_t n) {
    size_t i = 0;
    for (; i + 4 <= n; i += 4) {
        uint32_t v = fz_rand(f);
        memcpy(p + i, &v, 4);
    }
    for (; i < n; i++)
        p[i] = (unsigned char)fz_rand(f);
}

unsigned char *fz_tail(unsigned char *buf, size_t n) {
    return buf + FZ_MAX_CAP - (n < FZ_MAX_CAP ? n : FZ_MAX_CAP);
}

uint32_t fz_word(const fz *f, uint32_t off) {
    return __atomic_load_n((const uint32_t *)(const void *)(f->region + off), __ATOMIC_RELAXED);
}

void fz_set_word(fz *f, uint32_t off, uint32_t v) {
    __atomic_store_n((uint32_t *)(void *)(f->region + off), v, __ATOMIC_RELAXED);
}

size_t fz_min(size_t a, size_t b) {
    return a < b ? a : b;
}

size_t fz_len(fz *f, input *in) {
    uint8_t b = in_u8(in);
    switch (b >> 6) {
    case 0: return b & 63u;
    case 1: return in_u16(in) % (f->cap + 1u);
    case 2: return f->cap + (b & 63u) - 2u;
    default: {
        static const size_t huge[] = {SIZE_MAX,
                                      (size_t)1 << 32,
                                      ((size_t)1 << 32) + 16,
                                      (size_t)INT32_MAX,
                                      (size_t)INT32_MAX + 1,
                                      UINT32_MAX,
                                      (size_t)UINT32_MAX + 17,
                                      SIZE_MAX / 2 + 1};
        return huge[b % (sizeof huge / sizeof huge[0])];
    }
    }
}

size_t fz_len_near(fz *f, input *in, uint32_t ref) {
    uint8_t b = in_u8(in);
    switch (b >> 6) {
    case 0: return ref > (b & 63u) ? ref - (b & 63u) : 0;
    case 1: return ref;
    case 2: return (size_t)ref + 1u + (b & 63u);
    default: return fz_len(f, in);
    }
}

/* ------------------------------------------------------------------------ */
/* Checks                                                                    */
/* ------------------------------------------------------------------------ */

int fz_gate(const fz *f, uint32_t kind) {
    if (f->meta_bad) return RBS_ECORRUPT;
    if (kind != 0 && kind != f->kind) return RBS_EKIND;
    return 0;
}

/* Codes a data call may answer: never a setup code such as RBS_ERANGE. */
static int data_code(long long rc) {
    return rc == RBS_EINVAL || rc == RBS_EAGAIN || rc == RBS_ETOOBIG || rc == RBS_ECLOSED ||
           rc == RBS_ECORRUPT || rc == RBS_EKIND || rc == RBS_EFORMAT;
}

int fz_trace;

void fz_sane(fz *f, long long rc, long long max, const char *what) {
    if (fz_trace) fprintf(stderr, "  %s -> %lld (hostile)\n", what, rc);
    if (f->meta_bad && rc != RBS_ECORRUPT)
        FAIL("%s: answered %lld on a changed meta line, not RBS_ECORRUPT (op %u)", what, rc,
             f->op_no);
    if (rc >= 0 ? rc > max : !data_code(rc))
        FAIL("%s: answered %lld, neither a count <= %lld nor a data error code (op %u)", what, rc,
             max, f->op_no);
    const char *sentence = rbs_strerror((int)rc);
    if (sentence == NULL || sentence[0] == 0) FAIL("rbs_strerror(%lld) has no sentence", rc);
}

/* Consumer calls that move "up to n" bytes: the consumer loads the
 * producer's counter again only when its cached copy shows nothing to read,
 * so it may answer fewer bytes than are there -- the contract says "up to n"
 * -- but never none while there are some, and never more than the model.
 * `want` is the model's answer for a consumer that looked. */
void fz_expect_upto(fz *f, int rc, int want, const char *what) {
    if (fz_trace) fprintf(stderr, "  %s -> %d\n", what, rc);
    if (want > 0 ? rc < 1 || rc > want : rc != want)
        FAIL("%s: got %d, model says %s%d (op %u)", what, rc, want > 0 ? "1.." : "", want,
             f->op_no);
}

void fz_check_span(fz *f, const void *p, size_t len, const char *what) {
    if (len == 0) return;
    const unsigned char *b = p;
    if (b < f->data || b > f->data + f->cap || len > (size_t)(f->data + f->cap - b))
        FAIL("%s: [%p, +%zu) is outside the data area [%p, +%u) (op %u)", what, p, len,
             (void *)f->data, f->cap, f->op_no);
}

static volatile unsigned sink;

void fz_touch(const void *p, size_t n) {
    unsigned sum = 0;
    for (size_t i = 0; i < n; i++)
        sum += ((const unsigned char *)p)[i];
    sink = sum;
}

void fz_mirror_put(fz *f, uint32_t at, const void *src, uint32_t n) {
    for (uint32_t i = 0; i < n; i++)
        f->mirror[(at + i) & f->mask] = ((const unsigned char *)src)[i];
}

void fz_expect_mirror(fz *f, uint32_t at, const void *got, uint32_t n, const char *what) {
    for (uint32_t i = 0; i < n; i++) {
        unsigned char g = ((const unsigned char *)got)[i], w = f->mirror[(at + i) & f->mask];
        if (g != w)
            FAIL("%s: byte %u of %u is %u, was written as %u (op %u)", what, i, n, g, w, f->op_no);
    }
}

/* Exact mode, after every op: the data area equals the mirror (a call wrote
 * only what it was asked to, a read changed nothing) and the header's
 * counters equal the model's. */
static void check_exact(fz *f) {
    /* in both modes: no call writes the meta line (ASan cannot see a stray
     * store that lands in the header: it is inside the allocation) */
    if (memcmp(f->region, f->meta_now, sizeof f->meta_now) != 0)
        FAIL("the meta line changed during op %u, which does not write it", f->op_no);
    if (!f->exact) return;
    if (memcmp(f->data, f->mirror, f->cap) != 0) {
        for (uint32_t i = 0; i < f->cap; i++)
            if (f->data[i] != f->mirror[i])
                FAIL("data byte %u is %u, the model's mirror has %u (op %u)", i, f->data[i],
                     f->mirror[i], f->op_no);
    }
    EXPECT(fz_word(f, RBS_OFF_WRITE), f->mw, "write counter in the header");
    EXPECT(fz_word(f, RBS_OFF_READ), f->mr, "read counter in the header");
    EXPECT(fz_word(f, RBS_OFF_CLOSED) != 0, f->closed, "closed flag in the header");
    fz_exact_audio(f);
}

/* ------------------------------------------------------------------------ */
/* Common ops: close, queries, null arguments                                */
/* ------------------------------------------------------------------------ */

static void op_close(fz *f, input *in) {
    /* rare on purpose: a close ends the producer's part of the program */
    if (in_u8(in) < 0xE0) return;
    int rc = rbs_close(f->r);
    if (!f->exact) {
        fz_sane(f, rc, 0, "rbs_close");
        return;
    }
    EXPECT(rc, fz_gate(f, 0), "rbs_close");
    if (rc == 0) f->closed = 1;
}

static void op_query(fz *f, input *in) {
    int g = fz_gate(f, 0), rc;
    switch (in_u8(in) % 6u) {
    case 0:
        rc = rbs_readable(f->r);
        if (!f->exact)
            fz_sane(f, rc, f->cap, "rbs_readable");
        else
            EXPECT(rc, g ? g : (int)fz_used(f), "rbs_readable");
        break;
    case 1:
        rc = rbs_writable(f->r);
        if (!f->exact)
            fz_sane(f, rc, f->cap, "rbs_writable");
        else
            EXPECT(rc, g ? g : (int)fz_free(f), "rbs_writable");
        break;
    case 2:
        rc = rbs_closed(f->r);
        if (!f->exact)
            fz_sane(f, rc, 1, "rbs_closed");
        else
            EXPECT(rc, g ? g : f->closed, "rbs_closed");
        break;
    case 3: /* the meta line is never in the hostile scope: exact in both modes */
        EXPECT(rbs_capacity(f->r), g ? g : (int)f->cap, "rbs_capacity");
        EXPECT(rbs_kind(f->r), g ? g : (int)f->kind, "rbs_kind");
        break;
    case 4: {
        rc = rbs_attach(f->r, f->region_size);
        int want = f->meta_magic_bad     ? RBS_ENOTRING
                   : f->meta_version_bad ? RBS_EVERSION
                   : f->meta_bad         ? RBS_ECORRUPT
                                         : 0;
        if (!f->exact && want == 0) {
            if (rc != 0 && rc != RBS_ECORRUPT)
                FAIL("rbs_attach on a disturbed header: %d, not 0 or RBS_ECORRUPT", rc);
        } else {
            EXPECT(rc, want, "rbs_attach");
        }
        break;
    }
    default:
        /* a region one byte short never attaches, whatever it holds */
        rc = rbs_attach(f->r, f->region_size - 1);
        if (!f->meta_bad && !f->meta_magic_bad && !f->meta_version_bad)
            EXPECT(rc, RBS_ERANGE, "rbs_attach(region_size - 1)");
        else if (rc >= 0)
            FAIL("rbs_attach on a changed meta line answered %d", rc);
        break;
    }
}

/* A null pointer where a call needs one: RBS_EINVAL, or the ring's own
 * refusal for calls that look at the ring first (the order is open), and
 * nothing changes. */
static void op_null(fz *f, input *in) {
    uint8_t which = in_u8(in) % 18u;
    int g = 0, rc;
    size_t len = 0;
    const void *cp = NULL;
    void *p = NULL;
    float *planes[FZ_MAX_PLANES] = {NULL};
    switch (which) {
    case 0: rc = rbs_write(f->r, NULL, 5), g = fz_gate(f, RBS_KIND_BYTES); break;
    case 1: rc = rbs_write_all(f->r, NULL, 5), g = fz_gate(f, RBS_KIND_BYTES); break;
    case 2: rc = rbs_read(f->r, NULL, 5), g = fz_gate(f, RBS_KIND_BYTES); break;
    case 3: rc = rbs_read_all(f->r, NULL, 5), g = fz_gate(f, RBS_KIND_BYTES); break;
    case 4: rc = rbs_peek(f->r, NULL, 5), g = fz_gate(f, RBS_KIND_BYTES); break;
    case 5: rc = rbs_write_reserve(f->r, 5, NULL), g = fz_gate(f, RBS_KIND_BYTES); break;
    case 6: rc = rbs_read_acquire(f->r, 5, NULL), g = fz_gate(f, RBS_KIND_BYTES); break;
    case 7: rc = rbs_msg_send(f->r, NULL, 5), g = fz_gate(f, RBS_KIND_MESSAGES); break;
    case 8: rc = rbs_msg_recv(f->r, NULL, 5), g = fz_gate(f, RBS_KIND_MESSAGES); break;
    case 9: rc = rbs_msg_reserve(f->r, 5, NULL), g = fz_gate(f, RBS_KIND_MESSAGES); break;
    case 10:
        rc = (in_u8(in) & 1) ? rbs_msg_acquire(f->r, NULL, &len) : rbs_msg_acquire(f->r, &cp, NULL);
        g = fz_gate(f, RBS_KIND_MESSAGES);
        break;
    case 11:
        rc = rbs_audio_write(f->r, NULL, f->channels, 5), g = fz_gate(f, RBS_KIND_AUDIO);
        break;
    case 12: rc = rbs_audio_write_interleaved(f->r, NULL, 5), g = fz_gate(f, RBS_KIND_AUDIO); break;
    case 13:
        /* planes present but the last one missing */
        for (uint32_t c = 0; c + 1 < f->channels; c++)
            planes[c] = f->planes[c];
        rc = (in_u8(in) & 1) ? rbs_audio_read(f->r, planes, f->channels, 5)
                             : rbs_audio_read_or_silence(f->r, planes, f->channels, 5);
        g = fz_gate(f, RBS_KIND_AUDIO);
        break;
    case 16:
    case 17: {
        /* NULL with a zero length is a valid call that moves nothing */
        int producer = which == 16, audio = in_u8(in) & 1;
        uint32_t kind = audio ? RBS_KIND_AUDIO : RBS_KIND_BYTES;
        rc = producer
                 ? (audio ? rbs_audio_write_interleaved(f->r, NULL, 0) : rbs_write(f->r, NULL, 0))
                 : (audio ? rbs_audio_read(f->r, NULL, f->channels, 0) : rbs_read(f->r, NULL, 0));
        if (!f->exact) {
            fz_sane(f, rc, 0, "a zero-length call with NULL");
            return;
        }
        int want = fz_gate(f, kind);
        if (want == 0) {
            if (producer)
                want = f->closed ? RBS_ECLOSED : 0;
            else
                want = fz_used(f) == 0 && f->closed ? RBS_ECLOSED : 0;
        }
        EXPECT(rc, want, "a zero-length call with NULL");
        return;
    }
    case 14:
        rc = rbs_audio_read_or_silence(f->r, NULL, f->channels, 5), g = fz_gate(f, RBS_KIND_AUDIO);
        break;
    default: {
        /* a null ring: every call refuses, counters read 0 */
        rbs_span s[2];
        const int all[] = {rbs_attach(NULL, f->region_size),
                           rbs_capacity(NULL),
                           rbs_kind(NULL),
                           rbs_write(NULL, f->src, 1),
                           rbs_read(NULL, f->dst, 1),
                           rbs_readable(NULL),
                           rbs_writable(NULL),
                           rbs_close(NULL),
                           rbs_closed(NULL),
                           rbs_write_reserve(NULL, 1, s),
                           rbs_read_acquire(NULL, 1, s),
                           rbs_msg_send(NULL, f->src, 1),
                           rbs_msg_recv(NULL, f->dst, 1),
                           rbs_msg_reserve(NULL, 1, &p),
                           rbs_msg_acquire(NULL, &cp, &len),
                           rbs_msg_release(NULL),
                           rbs_audio_frames_available(NULL),
                           rbs_audio_channels(NULL)};
        for (unsigned i = 0; i < sizeof all / sizeof all[0]; i++)
            EXPECT(all[i], RBS_EINVAL, "a call on a NULL ring");
        EXPECT(rbs_underruns(NULL) | rbs_overruns(NULL) | rbs_frames_written(NULL) |
                   rbs_frames_read(NULL),
               0, "counters of a NULL ring");
        EXPECT(rbs_strerror(12345) != NULL && rbs_strerror(12345)[0] != 0, 1,
               "rbs_strerror(unknown code) has a sentence");
        return;
    }
    }
    /* model and header are unchanged: check_exact after the op proves it */
    if (rc != RBS_EINVAL && (g == 0 || rc != g))
        FAIL("null argument %u: answered %d, not RBS_EINVAL%s (op %u)", which, rc,
             g ? " nor the ring's refusal" : "", f->op_no);
}

/* ------------------------------------------------------------------------ */
/* Ops on the header                                                         */
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

/* A buggy or hostile other side stores one word of lines 1..4. */
static void hdr_disturb(fz *f, input *in) {
    uint32_t off = RBS_LINE_SIZE + 4u * (in_u8(in) % 64u);
    uint32_t old = fz_word(f, off);
    uint32_t v = in_value(f, in, old);
    if (v == old) return;
    fz_set_word(f, off, v);
    f->exact = 0;
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

static int meta_word_checked(uint32_t off) {
    return off == RBS_OFF_MAGIC || off == RBS_OFF_CAPACITY || off == RBS_OFF_KIND ||
           off == RBS_OFF_CHANNELS || off == RBS_OFF_SAMPLE_RATE || off == RBS_OFF_FRAME_BYTES ||
           off == RBS_OFF_META_CHECK;
}

/* One meta word differs from what init wrote, never two (see the top). */
static void hdr_meta(fz *f, input *in) {
    memcpy(f->region, f->meta0, sizeof f->meta0);
    uint32_t off = 4u * (in_u8(in) % 16u);
    uint32_t old = fz_word(f, off);
    uint32_t v = in_value(f, in, old);
    fz_set_word(f, off, v);
    memcpy(f->meta_now, f->region, sizeof f->meta_now);
    int changed = v != old;
    f->meta_bad = changed && meta_word_checked(off);
    f->meta_magic_bad = changed && off == RBS_OFF_MAGIC;
    f->meta_version_bad = changed && (off == RBS_OFF_ABI_VERSION || off == RBS_OFF_HEADER_SIZE);
}

static void hdr_heal(fz *f) {
    memcpy(f->region, f->meta0, sizeof f->meta0);
    memcpy(f->meta_now, f->meta0, sizeof f->meta0);
    f->meta_bad = f->meta_magic_bad = f->meta_version_bad = 0;
}

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

/* Picks kind, channels and sample rate from one byte (see the top). */
static void pick_kind(fz *f, uint8_t b) {
    static const uint32_t rates[] = {
        48000, 44100, 8000, 96000, RBS_MIN_SAMPLE_RATE, RBS_MAX_SAMPLE_RATE, 22050, 192000};
    const uint32_t kinds[] = {RBS_KIND_BYTES, RBS_KIND_MESSAGES, RBS_KIND_AUDIO};
    f->kind = kinds[(b & 3u) % 3u];
    f->channels = f->kind == RBS_KIND_AUDIO ? 1u + ((b >> 2) & 7u) : 0u;
    f->rate = f->kind == RBS_KIND_AUDIO ? rates[(b >> 5) & 7u] : 0u;
    if (f->channels * 4u > f->cap) {
        /* a ring that cannot hold one frame is refused */
        EXPECT(rbs_audio_init(f->r, f->region_size, f->cap, f->channels, f->rate), RBS_ECAPACITY,
               "rbs_audio_init(frame larger than the ring)");
        f->channels = f->cap / 4u;
    }
}

/* Formats the ring as f->kind and resets the model: exact mode again. */
static void reinit(fz *f) {
    int rc = f->kind == RBS_KIND_BYTES ? rbs_init(f->r, f->region_size, f->cap)
             : f->kind == RBS_KIND_MESSAGES
                 ? rbs_msg_init(f->r, f->region_size, f->cap)
                 : rbs_audio_init(f->r, f->region_size, f->cap, f->channels, f->rate);
    if (rc != 0) FAIL("init of kind %u, capacity %u: %d", f->kind, f->cap, rc);
    memcpy(f->meta0, f->region, sizeof f->meta0);
    memcpy(f->meta_now, f->meta0, sizeof f->meta0);
    memcpy(f->mirror, f->data, f->cap); /* init leaves the data area as it was */
    f->exact = 1;
    f->meta_bad = f->meta_magic_bad = f->meta_version_bad = 0;
    f->mw = f->mr = 0;
    f->closed = 0;
    fz_bytes_reset(f);
    fz_msg_reset(f);
    fz_audio_reset(f);
}

/* The ops on shared memory that no call of the ring makes. */
static void op_header(fz *f, input *in) {
    switch (in_u8(in) % 6u) {
    case 0: hdr_disturb(f, in); break;
    case 5: hdr_scribble(f, in); break;
    case 1: hdr_meta(f, in); break;
    case 2: hdr_heal(f); break;
    case 3: hdr_rebase(f, in); break;
    default:
        pick_kind(f, in_u8(in));
        reinit(f);
        break;
    }
}

/* ------------------------------------------------------------------------ */
/* Setting up, and the init errors                                           */
/* ------------------------------------------------------------------------ */

/* Init calls that must refuse, and leave the region as it was. */
static void check_init_errors(fz *f, int have_bad, uint32_t bad_cap) {
    unsigned char *before = malloc(f->region_size);
    if (before == NULL) abort();
    memcpy(before, f->region, f->region_size);
    size_t size = f->region_size;
    if (have_bad) {
        EXPECT(rbs_region_size(bad_cap), 0, "rbs_region_size(invalid capacity)");
        EXPECT(rbs_init(f->r, size, bad_cap), RBS_ECAPACITY, "rbs_init(invalid capacity)");
        EXPECT(rbs_msg_init(f->r, size, bad_cap), RBS_ECAPACITY, "rbs_msg_init(invalid capacity)");
        EXPECT(rbs_audio_init(f->r, size, bad_cap, 2, 48000), RBS_ECAPACITY,
               "rbs_audio_init(invalid capacity)");
    }
    EXPECT(rbs_region_size(f->cap), (long long)RBS_HEADER_SIZE + f->cap, "rbs_region_size");
    EXPECT(rbs_init(f->r, size - 1, f->cap), RBS_ERANGE, "rbs_init(region too small)");
    EXPECT(rbs_msg_init(f->r, size - 1, f->cap), RBS_ERANGE, "rbs_msg_init(region too small)");
    /* misaligned by 8: a store through it would run past the region */
    rbs_ring *off8 = (rbs_ring *)(void *)(f->region + 8);
    EXPECT(rbs_init(off8, size - 8, f->cap), RBS_EALIGN, "rbs_init(misaligned)");
    EXPECT(rbs_audio_init(off8, size - 8, f->cap, 1, 48000), RBS_EALIGN,
           "rbs_audio_init(misaligned)");
    EXPECT(rbs_init(NULL, size, f->cap), RBS_EINVAL, "rbs_init(NULL)");
    EXPECT(rbs_attach(off8, size - 8), RBS_EALIGN, "rbs_attach(misaligned)");
    EXPECT(rbs_attach(f->r, RBS_HEADER_SIZE - 1), RBS_ERANGE, "rbs_attach(shorter than a header)");
    static const uint32_t bad_format[][2] = {
        {0, 48000}, {RBS_MAX_CHANNELS + 1, 48000}, {2, 0}, {2, RBS_MAX_SAMPLE_RATE + 1}};
    for (unsigned i = 0; i < 4; i++)
        EXPECT(rbs_audio_init(f->r, size, f->cap, bad_format[i][0], bad_format[i][1]), RBS_EFORMAT,
               "rbs_audio_init(bad format)");
    EXPECT(rbs_attach(f->r, size), RBS_ENOTRING, "rbs_attach before any init");
    if (memcmp(before, f->region, f->region_size) != 0) FAIL("a refused init changed the region");
    free(before);
}

static void *xmalloc(size_t n) {
    void *p = malloc(n);
    if (p == NULL) abort();
    return p;
}

/* The caller's buffers do not depend on the input: allocated once. */
static struct {
    unsigned char *src, *dst, *tmp;
    fz_msg *q;
    float *planes[FZ_MAX_PLANES];
} bufs;

static void attach_buffers(fz *f) {
    if (bufs.src == NULL) {
        bufs.src = xmalloc(FZ_MAX_CAP);
        bufs.dst = xmalloc(FZ_MAX_CAP);
        bufs.tmp = xmalloc(FZ_MAX_CAP);
        bufs.q = xmalloc((FZ_MAX_CAP / RBS_MSG_HEADER + 1u) * sizeof *bufs.q);
        for (unsigned c = 0; c < FZ_MAX_PLANES; c++)
            bufs.planes[c] = xmalloc(FZ_PLANE_FRAMES * sizeof(float));
    }
    f->src = bufs.src;
    f->dst = bufs.dst;
    f->tmp = bufs.tmp;
    f->q = bufs.q;
    f->q_size = f->cap / RBS_MSG_HEADER + 1u; /* a frame takes at least 4 bytes */
    memcpy(f->planes, bufs.planes, sizeof f->planes);
}

/* ------------------------------------------------------------------------ */
/* The program                                                               */
/* ------------------------------------------------------------------------ */

static const fz_op bytes_ops[] = {op_write,    op_write_all, op_reserve, op_commit,  op_read,
                                  op_read_all, op_peek,      op_skip,    op_acquire, op_release,
                                  op_close,    op_query,     op_null,    op_header};
static const fz_op msg_ops[] = {op_msg_send,   op_msg_recv,    op_msg_peek_size, op_msg_reserve,
                                op_msg_commit, op_msg_acquire, op_msg_release,   op_msg_query,
                                op_close,      op_query,       op_null,          op_header};
static const fz_op audio_ops[] = {op_audio_write,
                                  op_audio_write_interleaved,
                                  op_audio_read,
                                  op_audio_read_or_silence,
                                  op_audio_read_prefill,
                                  op_audio_query,
                                  op_close,
                                  op_query,
                                  op_null,
                                  op_header};
static const fz_op any_ops[] = {op_write,
                                op_write_all,
                                op_reserve,
                                op_commit,
                                op_read,
                                op_read_all,
                                op_peek,
                                op_skip,
                                op_acquire,
                                op_release,
                                op_msg_send,
                                op_msg_recv,
                                op_msg_peek_size,
                                op_msg_reserve,
                                op_msg_commit,
                                op_msg_acquire,
                                op_msg_release,
                                op_msg_query,
                                op_audio_write,
                                op_audio_write_interleaved,
                                op_audio_read,
                                op_audio_read_or_silence,
                                op_audio_read_prefill,
                                op_audio_query};
#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

static fz_op pick_op(const fz *f, input *in) {
    uint8_t b = in_u8(in);
    if (b >= 0xF0) return any_ops[in_u8(in) % COUNT(any_ops)];
    switch (f->kind) {
    case RBS_KIND_BYTES: return bytes_ops[b % COUNT(bytes_ops)];
    case RBS_KIND_MESSAGES: return msg_ops[b % COUNT(msg_ops)];
    default: return audio_ops[b % COUNT(audio_ops)];
    }
}

static const uint32_t bad_caps[] = {0, 8, 15, 24, 4095, 0x80000000u, 0xFFFFFFFFu};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    input in = {data, size};
    fz st;
    memset(&st, 0, sizeof st);
    fz *f = &st;
    f->rng = 0x9E3779B9u;
    static int trace_read;
    if (!trace_read) {
        trace_read = 1;
        fz_trace = getenv("FUZZ_TRACE") != NULL;
    }

    uint8_t cb = in_u8(&in);
    int have_bad = (cb & 15u) > 8u;
    uint32_t bad_cap = have_bad ? bad_caps[(cb & 15u) - 9u] : 0;
    f->cap = 16u << (have_bad ? (cb >> 4) % 9u : cb & 15u);
    f->mask = f->cap - 1u;
    f->region_size = rbs_region_size(f->cap);

    void *mem = NULL;
    if (posix_memalign(&mem, RBS_LINE_SIZE, f->region_size) != 0) abort();
    f->region = mem;
    f->r = mem;
    f->data = f->region + RBS_OFF_DATA;
    f->mirror = xmalloc(f->cap);
    attach_buffers(f);
    /* nothing may rely on zeroed memory */
    fz_fill_random(f, f->region, f->region_size);
    if (fz_word(f, RBS_OFF_MAGIC) == RBS_MAGIC) fz_set_word(f, RBS_OFF_MAGIC, 0);

    check_init_errors(f, have_bad, bad_cap);
    pick_kind(f, in_u8(&in));
    reinit(f);
    EXPECT(rbs_attach(f->r, f->region_size), 0, "rbs_attach after init");

    while (in.n > 0) {
        f->op_no++;
        if (fz_trace)
            fprintf(stderr, "op %u (%s): w=%u r=%u\n", f->op_no, f->exact ? "exact" : "hostile",
                    fz_word(f, RBS_OFF_WRITE), fz_word(f, RBS_OFF_READ));
        pick_op(f, &in)(f, &in);
        check_exact(f);
    }
    free(f->region);
    free(f->mirror);
    return 0;
}
