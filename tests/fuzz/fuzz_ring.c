/*
 * fuzz_ring.c — libFuzzer target: the input is a program that drives both
 * sides of one ring (bytes, messages or audio) and is checked against a
 * simple model.  The kinds' ops live in fuzz_bytes.c, fuzz_msg.c and
 * fuzz_audio.c, the shared ones in fuzz_common.c, the ops on shared memory
 * in fuzz_header.c, the checks in fuzz_check.c, and the choice between the
 * C API and the rbs_wasm_* entry points in fuzz_api.c; this file sets up and
 * runs the program.
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
 *            (close, queries, null arguments, waking, the wasm entry points,
 *            the header); 0xF0 and up takes the next byte to pick from every
 *            op of every kind, so calls of the wrong kind are made too
 *            (RBS_EKIND from the view).
 * Data bytes and samples come from a PRNG seeded per input, not from the
 * input: they never steer a branch, and distinct values make a lost,
 * duplicated or reordered byte visible.
 *
 * This side's view is filled once by init (or by rbs_attach after
 * rbs_wasm_init) and lives in the fuzzer's own memory; the other side's
 * writes are the header ops.  Two modes.
 *   exact    while the counters hold only what the ring's own calls wrote,
 *            every return code must equal the model's (counts, RBS_EAGAIN,
 *            RBS_ETOOBIG, RBS_ECLOSED, RBS_EINVAL, RBS_EKIND, RBS_EFORMAT),
 *            every byte, message and sample must come out as it went in,
 *            and after every op the data area must equal the model's mirror
 *            of it, and the counters, audio statistics and waiting words the
 *            model's.  A stray word the calls only count with, test as a
 *            flag, keep for the waker or never read (the scratch areas) is
 *            taken into the model.  So is the meta line: whatever it holds
 *            (one stray word, or a forged line of another ring), every call
 *            works on the view as before, except that rbs_check, the queries
 *            and a call that finds nothing to do (0 or RBS_EAGAIN) answer
 *            RBS_ECORRUPT while the line does not match the view.
 *   hostile  once an op moves a counter, a cached copy or a zero-copy word
 *            (a forged meta line moves the counters near its end), calls may
 *            answer errors, but every answer is a count bounded by the
 *            request and the view or a data error code, every span handed
 *            out (and every scratch position a wasm call leaves) lies inside
 *            the data area, a call that looked for data or room on a meta
 *            line that does not match the view never answers 0 or
 *            RBS_EAGAIN, and nothing reads or writes outside the region: the
 *            region is allocated exactly rbs_region_size() bytes, and every
 *            buffer handed to a call ends exactly where the call must stop,
 *            so ASan reports any overrun.  The queries, rbs_check and
 *            rbs_attach are predicted from the header in both modes; a
 *            fresh view from rbs_attach must fit the region.  A reinit op
 *            formats the ring again and returns to exact mode.  Writes into
 *            the data area (a hostile producer's) are data on a byte or
 *            audio ring -- the model takes them and stays exact -- and
 *            hostile on a message ring, where they forge length words.
 * In both modes no call writes the meta line or a scratch word other than
 * the one a wasm reserve/acquire hands a position out in.
 *
 * Precedences the header leaves open (RBS_ECLOSED before RBS_ETOOBIG, say)
 * are modelled on the implementation and commented where they are.
 */
#define _POSIX_C_SOURCE 200112L /* posix_memalign */
#include "fuzz.h"

#include <string.h>

/* ------------------------------------------------------------------------ */
/* The init errors                                                           */
/* ------------------------------------------------------------------------ */

/* Init and attach calls that must refuse, and leave the region as it was. */
static void check_init_errors(fz *f, int have_bad, uint32_t bad_cap) {
    unsigned char *before = malloc(f->region_size);
    if (before == NULL) abort();
    memcpy(before, f->region, f->region_size);
    size_t size = f->region_size;
    void *region = f->region;
    rbs_view v;
    if (have_bad) {
        EXPECT(rbs_region_size(bad_cap), 0, "rbs_region_size(invalid capacity)");
        EXPECT(rbs_init(&v, region, size, bad_cap), RBS_ECAPACITY, "rbs_init(invalid capacity)");
        EXPECT(rbs_msg_init(&v, region, size, bad_cap), RBS_ECAPACITY,
               "rbs_msg_init(invalid capacity)");
        EXPECT(rbs_audio_init(&v, region, size, bad_cap, 2, 48000), RBS_ECAPACITY,
               "rbs_audio_init(invalid capacity)");
    }
    EXPECT(rbs_region_size(f->cap), (long long)RBS_HEADER_SIZE + f->cap, "rbs_region_size");
    EXPECT(rbs_init(&v, region, size - 1, f->cap), RBS_ERANGE, "rbs_init(region too small)");
    EXPECT(rbs_msg_init(NULL, region, size - 1, f->cap), RBS_ERANGE,
           "rbs_msg_init(region too small)");
    /* misaligned by 8: a store through it would run past the region */
    unsigned char *off8 = f->region + 8;
    EXPECT(rbs_init(&v, off8, size - 8, f->cap), RBS_EALIGN, "rbs_init(misaligned)");
    EXPECT(rbs_audio_init(&v, off8, size - 8, f->cap, 1, 48000), RBS_EALIGN,
           "rbs_audio_init(misaligned)");
    EXPECT(rbs_init(&v, NULL, size, f->cap), RBS_EINVAL, "rbs_init(NULL)");
    EXPECT(rbs_attach(&v, off8, size - 8), RBS_EALIGN, "rbs_attach(misaligned)");
    EXPECT(rbs_attach(&v, region, RBS_HEADER_SIZE - 1), RBS_ERANGE,
           "rbs_attach(shorter than a header)");
    static const uint32_t bad_format[][2] = {
        {0, 48000}, {RBS_MAX_CHANNELS + 1, 48000}, {2, 0}, {2, RBS_MAX_SAMPLE_RATE + 1}};
    for (unsigned i = 0; i < 4; i++)
        EXPECT(rbs_audio_init(&v, region, size, f->cap, bad_format[i][0], bad_format[i][1]),
               RBS_EFORMAT, "rbs_audio_init(bad format)");
    EXPECT(fz_wasm_attach(f, size), RBS_ENOTRING, "rbs_wasm_attach before any init");
    memset(&v, 0xAB, sizeof v);
    EXPECT(rbs_attach(&v, region, size), RBS_ENOTRING, "rbs_attach before any init");
    rbs_view zero;
    memset(&zero, 0, sizeof zero);
    fz_expect_view(f, &v, &zero, "the view a failed rbs_attach leaves");
    if (memcmp(before, f->region, f->region_size) != 0) FAIL("a refused init changed the region");
    free(before);
}

/* ------------------------------------------------------------------------ */
/* Buffers                                                                   */
/* ------------------------------------------------------------------------ */

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
    float *staging;
} bufs;

static void attach_buffers(fz *f) {
    if (bufs.src == NULL) {
        bufs.src = xmalloc(FZ_MAX_CAP);
        bufs.dst = xmalloc(FZ_MAX_CAP);
        bufs.tmp = xmalloc(FZ_MAX_CAP);
        bufs.q = xmalloc((FZ_MAX_CAP / RBS_MSG_HEADER + 1u) * sizeof *bufs.q);
        for (unsigned c = 0; c < FZ_MAX_PLANES; c++)
            bufs.planes[c] = xmalloc(FZ_PLANE_FRAMES * sizeof(float));
        bufs.staging = xmalloc(FZ_STAGING_FLOATS * sizeof(float));
    }
    f->src = bufs.src;
    f->dst = bufs.dst;
    f->tmp = bufs.tmp;
    f->q = bufs.q;
    f->q_size = f->cap / RBS_MSG_HEADER + 1u; /* a frame takes at least 4 bytes */
    memcpy(f->planes, bufs.planes, sizeof f->planes);
    f->staging = bufs.staging;
}

/* ------------------------------------------------------------------------ */
/* The program                                                               */
/* ------------------------------------------------------------------------ */

/* New ops go at the end of a table, so that the seeds keep their meaning. */
static const fz_op bytes_ops[] = {
    op_write,   op_write_all, op_reserve, op_commit, op_read, op_read_all, op_peek, op_skip,
    op_acquire, op_release,   op_close,   op_query,  op_null, op_header,   op_wake, op_wasm};
static const fz_op msg_ops[] = {op_msg_send,   op_msg_recv,    op_msg_peek_size, op_msg_reserve,
                                op_msg_commit, op_msg_acquire, op_msg_release,   op_msg_query,
                                op_close,      op_query,       op_null,          op_header,
                                op_wake,       op_wasm};
static const fz_op audio_ops[] = {op_audio_write,
                                  op_audio_write_interleaved,
                                  op_audio_read,
                                  op_audio_read_or_silence,
                                  op_audio_read_prefill,
                                  op_audio_query,
                                  op_close,
                                  op_query,
                                  op_null,
                                  op_header,
                                  op_wake,
                                  op_wasm};
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
    f->data = f->region + RBS_OFF_DATA;
    f->mirror = xmalloc(f->cap);
    attach_buffers(f);
    /* nothing may rely on zeroed memory */
    fz_fill_random(f, f->region, f->region_size);
    if (fz_word(f, RBS_OFF_MAGIC) == RBS_MAGIC) fz_set_word(f, RBS_OFF_MAGIC, 0);

    check_init_errors(f, have_bad, bad_cap);
    fz_pick_kind(f, in_u8(&in));
    fz_reinit(f, 0);

    while (in.n > 0) {
        f->op_no++;
        if (fz_trace)
            fprintf(stderr, "op %u (%s): w=%u r=%u\n", f->op_no, f->exact ? "exact" : "hostile",
                    fz_word(f, RBS_OFF_WRITE), fz_word(f, RBS_OFF_READ));
        pick_op(f, &in)(f, &in);
        fz_check_after_op(f);
    }
    free(f->region);
    free(f->mirror);
    return 0;
}
