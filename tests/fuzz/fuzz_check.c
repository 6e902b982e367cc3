/*
 * fuzz_check.c — reading the program, the caller's lengths, and the checks
 * every op shares: the view's gate, the meta line, the bounds of a hostile
 * answer, the mirror of the data area, and the check after every op.
 */
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

size_t fz_arg(const fz *f, size_t n) {
    return f->wasm ? (uint32_t)n : n;
}

/* ------------------------------------------------------------------------ */
/* The view and the meta line                                                */
/* ------------------------------------------------------------------------ */

int fz_gate(const fz *f, uint32_t kind) {
    if (f->wasm || kind == 0) return 0;
    return kind != f->view.kind ? RBS_EKIND : 0;
}

/* The meta words that bound an access, and the magic (rbs.h). */
int fz_meta_off(const fz *f) {
    static const uint32_t offs[] = {RBS_OFF_MAGIC, RBS_OFF_CAPACITY, RBS_OFF_KIND, RBS_OFF_CHANNELS,
                                    RBS_OFF_FRAME_BYTES};
    for (unsigned i = 0; i < sizeof offs / sizeof offs[0]; i++)
        if (memcmp(f->region + offs[i], f->meta0 + offs[i], 4) != 0) return 1;
    return 0;
}

int fz_meta_stale(const fz *f) {
    return memcmp(f->region, f->meta0, FZ_META_WORDS_END) != 0;
}

int fz_nothing(const fz *f, int code) {
    return fz_meta_off(f) ? RBS_ECORRUPT : code;
}

/* ------------------------------------------------------------------------ */
/* Hostile answers                                                           */
/* ------------------------------------------------------------------------ */

/* Codes a data call may answer past the view's gate: never a setup code such
 * as RBS_ERANGE, nor RBS_EKIND/RBS_EFORMAT, which only the gate gives. */
static int data_code(long long rc) {
    return rc == RBS_EINVAL || rc == RBS_EAGAIN || rc == RBS_ETOOBIG || rc == RBS_ECLOSED ||
           rc == RBS_ECORRUPT;
}

int fz_trace;

void fz_sane(fz *f, long long rc, long long max, const char *what) {
    if (fz_trace) fprintf(stderr, "  %s -> %lld (hostile)\n", what, rc);
    if (rc >= 0 ? rc > max : !data_code(rc))
        FAIL("%s: answered %lld, neither a count <= %lld nor a data error code (op %u)", what, rc,
             max, f->op_no);
    const char *sentence = rbs_strerror((int)rc);
    if (sentence == NULL || sentence[0] == 0) FAIL("rbs_strerror(%lld) has no sentence", rc);
}

void fz_looked(fz *f, long long rc, int asked, int zero_is_nothing, const char *what) {
    if (!asked || !fz_meta_off(f)) return;
    if (rc == RBS_EAGAIN || (zero_is_nothing && rc == 0))
        FAIL("%s: answered %lld on a meta line that no longer matches the view, not "
             "RBS_ECORRUPT (op %u)",
             what, rc, f->op_no);
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

/* ------------------------------------------------------------------------ */
/* The mirror                                                                */
/* ------------------------------------------------------------------------ */

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

/* ------------------------------------------------------------------------ */
/* After every op                                                            */
/* ------------------------------------------------------------------------ */

static const uint32_t sleeper_offs[2][4] = {{RBS_OFF_CONSUMER_WAKE, RBS_OFF_CONSUMER_WAITERS,
                                             RBS_OFF_CONSUMER_WAIT_SEQ, RBS_OFF_CONSUMER_WOKEN_AT},
                                            {RBS_OFF_PRODUCER_WAKE, RBS_OFF_PRODUCER_WAITERS,
                                             RBS_OFF_PRODUCER_WAIT_SEQ, RBS_OFF_PRODUCER_WOKEN_AT}};

static void check_sleepers(fz *f) {
    static const char *const names[2][4] = {
        {"CONSUMER_WAKE", "CONSUMER_WAITERS", "CONSUMER_WAIT_SEQ", "CONSUMER_WOKEN_AT"},
        {"PRODUCER_WAKE", "PRODUCER_WAITERS", "PRODUCER_WAIT_SEQ", "PRODUCER_WOKEN_AT"}};
    for (int side = 0; side < 2; side++) {
        const fz_sleeper *s = &f->sleeper[side];
        const uint32_t want[4] = {s->wake, s->waiters, s->seq, s->woken_at};
        for (int i = 0; i < 4; i++)
            EXPECT(fz_word(f, sleeper_offs[side][i]), want[i], names[side][i]);
    }
}

void fz_check_after_op(fz *f) {
    /* in both modes: no call writes the meta line (ASan cannot see a stray
     * store that lands in the header: it is inside the allocation) */
    if (memcmp(f->region, f->meta_now, sizeof f->meta_now) != 0)
        FAIL("the meta line changed during op %u, which does not write it", f->op_no);
    /* in both modes: only a wasm reserve/acquire writes its role's first
     * scratch word (fuzz_api.c takes it into the model) */
    for (uint32_t i = 0; i < RBS_SCRATCH_SIZE / 4u; i++) {
        if (fz_word(f, RBS_OFF_CONSUMER_SCRATCH + 4u * i) != f->scratch[FZ_CONSUMER][i] ||
            fz_word(f, RBS_OFF_PRODUCER_SCRATCH + 4u * i) != f->scratch[FZ_PRODUCER][i])
            FAIL("scratch word %u changed during op %u, which does not write it", i, f->op_no);
    }
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
    check_sleepers(f);
    fz_exact_audio(f);
}
