/*
 * fuzz.h — what the fuzz target's files share: the program reader, the state
 * (the region, this side's view of it, the model, the caller's buffers), the
 * checks and the ops.  The input format and the checking modes are described
 * in fuzz_ring.c.
 */
#ifndef RBS_FUZZ_H
#define RBS_FUZZ_H

#include "rbs.h"

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#define FAIL(...)                                                                                  \
    do {                                                                                           \
        fprintf(stderr, "fuzz_ring: " __VA_ARGS__);                                                \
        fputc('\n', stderr);                                                                       \
        abort();                                                                                   \
    } while (0)

/* FUZZ_TRACE=1 in the environment prints every checked answer (to see what
 * a seed or a crash input does). */
extern int fz_trace;

/* got == want, else a report naming the call and the op number. */
#define EXPECT(got, want, what)                                                                    \
    do {                                                                                           \
        long long g_ = (long long)(got), w_ = (long long)(want);                                   \
        if (fz_trace) fprintf(stderr, "  %s -> %lld\n", (what), g_);                               \
        if (g_ != w_) FAIL("%s: got %lld, model says %lld (op %u)", (what), g_, w_, f->op_no);     \
    } while (0)

/* ------------------------------------------------------------------------ */
/* The program                                                               */
/* ------------------------------------------------------------------------ */

typedef struct {
    const uint8_t *p;
    size_t n;
} input;

uint8_t in_u8(input *in); /* 0 past the end */
uint16_t in_u16(input *in);
uint32_t in_u32(input *in);

/* ------------------------------------------------------------------------ */
/* State                                                                     */
/* ------------------------------------------------------------------------ */

/* The largest capacity the fuzzer uses, and the frames a plane buffer holds
 * (every audio request is at most that, or is one the ring clamps). */
#define FZ_MAX_CAP      4096u
#define FZ_PLANE_FRAMES (FZ_MAX_CAP / 4u + 64u)
#define FZ_MAX_PLANES   (RBS_MAX_CHANNELS + 1u)
/* The meta line's words that a view is made from: magic to the check word. */
#define FZ_META_WORDS_END (RBS_OFF_META_CHECK + 4u)

typedef struct {
    uint32_t len;   /* payload bytes */
    uint32_t at;    /* position of its length word in the data area */
    uint32_t total; /* bytes it takes: padding frame (if any) + frame */
} fz_msg;

/* One side's waiting words (rbs.h, "Waking a side that sleeps"). */
typedef struct {
    uint32_t wake, waiters, seq, woken_at;
} fz_sleeper;

enum { FZ_CONSUMER = 0, FZ_PRODUCER = 1 };

typedef struct {
    /* the region and this side's view of it */
    uint32_t cap, mask, kind, channels, rate;
    size_t region_size;
    unsigned char *region;      /* exactly region_size bytes, 64-byte aligned */
    unsigned char *data;        /* region + RBS_OFF_DATA */
    rbs_view view;              /* the trusted geometry, in the fuzzer's own memory */
    uint32_t geo;               /* the same for the rbs_wasm_* calls (wasm_api.h) */
    unsigned char meta0[64];    /* the meta line init wrote: what the view was made from */
    unsigned char meta_now[64]; /* as the fuzzer's ops left it: no call writes it */
    int exact;                  /* counters untouched: every answer must match the model */
    int wasm;                   /* the ops call the rbs_wasm_* entry points (fuzz_api.c) */
    uint32_t stride_sel;        /* wasm audio: picks the staging block's stride */
    unsigned op_no;             /* numbers the ops in failure reports */

    /* the model, for every kind: a mirror of the data area and the counters */
    unsigned char *mirror;
    uint32_t mw, mr;
    int closed;
    uint32_t scratch[2][RBS_SCRATCH_SIZE / 4u]; /* [FZ_CONSUMER] and [FZ_PRODUCER] areas */
    fz_sleeper sleeper[2];                      /* the consumer's and the producer's */

    /* bytes: what the last reserve handed out / the last acquire */
    uint32_t reserved, acquired;

    /* messages: a queue of frames in the order sent */
    fz_msg *q;
    uint32_t q_head, q_count, q_size;
    uint32_t msg_res;                 /* 0: none reserved, else reserved length + 1 */
    uint32_t msg_res_at, msg_res_pos; /* where its frame goes / where w pointed */
    int msg_acq;                      /* the queue's front message is acquired */

    /* audio */
    uint32_t fb, max_frames;
    uint32_t underruns, overruns, frames_written, frames_read;
    int started;

    /* caller buffers of FZ_MAX_CAP bytes, handed to calls at their tail */
    unsigned char *src, *dst, *tmp;
    float *planes[FZ_MAX_PLANES]; /* FZ_PLANE_FRAMES floats each */
    float *staging;               /* FZ_STAGING_FLOATS: a WebAssembly host's staging block */
    uint32_t rng;
} fz;

#define FZ_STAGING_FLOATS (RBS_MAX_CHANNELS * FZ_PLANE_FRAMES)

uint32_t fz_rand(fz *f);
void fz_fill_random(fz *f, unsigned char *p, size_t n);

/* n bytes (at most FZ_MAX_CAP) of `buf` ending where its allocation ends,
 * so a call that touches byte n is caught by ASan. */
unsigned char *fz_tail(unsigned char *buf, size_t n);

uint32_t fz_word(const fz *f, uint32_t off);
void fz_set_word(fz *f, uint32_t off, uint32_t v);

size_t fz_min(size_t a, size_t b);

/* A request length: small, up to the capacity, just over it, or huge (over
 * 2^32 too, to catch a size_t truncated to 32 bits). */
size_t fz_len(fz *f, input *in);
/* A length a bit under, equal to, a bit over `ref`, or anything. */
size_t fz_len_near(fz *f, input *in, uint32_t ref);
/* The length a call gets: the rbs_wasm_* calls take 32 bits, as JS passes. */
size_t fz_arg(const fz *f, size_t n);

/* ------------------------------------------------------------------------ */
/* Checks                                                                    */
/* ------------------------------------------------------------------------ */

/* The code a call must answer before anything else: RBS_EKIND for a call of
 * another kind than the view's (kind 0: any kind), else 0.  The rbs_wasm_*
 * calls take the geometry as trusted and have no gate. */
int fz_gate(const fz *f, uint32_t kind);

/* 1 when a meta word that bounds an access (or the magic) no longer says
 * what the view was made from: the queries and a call that finds nothing to
 * do answer RBS_ECORRUPT. */
int fz_meta_off(const fz *f);
/* 1 when any word from the magic to the check word does: rbs_check answers
 * RBS_ECORRUPT (the ABI version, header size, sample rate and check word
 * only it and rbs_attach look at). */
int fz_meta_stale(const fz *f);

/* What a call that found nothing to do answers: `code`, or RBS_ECORRUPT
 * while the meta line does not match the view. */
int fz_nothing(const fz *f, int code);

/* Hostile mode: a count in [0, max] or a data error code. */
void fz_sane(fz *f, long long rc, long long max, const char *what);

/* Hostile mode, a call that looked for data or room (`asked`): on a meta
 * line that does not match the view it never answers RBS_EAGAIN, nor 0 when
 * `zero_is_nothing` (0 bytes or frames moved; a message may be empty). */
void fz_looked(fz *f, long long rc, int asked, int zero_is_nothing, const char *what);

/* Every non-empty span inside the data area. */
void fz_check_span(fz *f, const void *p, size_t len, const char *what);

/* Reads every byte so that ASan checks each address. */
void fz_touch(const void *p, size_t n);

/* The model's mirror of the data area. */
void fz_mirror_put(fz *f, uint32_t at, const void *src, uint32_t n);
void fz_expect_mirror(fz *f, uint32_t at, const void *got, uint32_t n, const char *what);

/* After every op: the meta line and the scratch areas as the model has
 * them; in exact mode the data area, counters and waiting words too. */
void fz_check_after_op(fz *f);

static inline uint32_t fz_used(const fz *f) {
    return f->mw - f->mr;
}

static inline uint32_t fz_free(const fz *f) {
    return f->cap - fz_used(f);
}

/* ------------------------------------------------------------------------ */
/* Calls: the C API with the view, or the rbs_wasm_* entry points with the   */
/* view's geometry (fuzz_api.c)                                              */
/* ------------------------------------------------------------------------ */

int api_write(fz *f, const void *src, size_t n, int all);
int api_reserve(fz *f, size_t want, rbs_span s[2]);
int api_commit(fz *f, size_t n);
int api_read(fz *f, void *dst, size_t n, int how); /* how: FZ_READ... below */
int api_acquire(fz *f, size_t want, rbs_span s[2]);
int api_release(fz *f, size_t n);
enum { FZ_READ, FZ_READ_ALL, FZ_PEEK, FZ_SKIP };

int api_msg_send(fz *f, const void *src, size_t len);
int api_msg_reserve(fz *f, size_t len, void **ptr);
int api_msg_commit(fz *f, size_t len);
int api_msg_recv(fz *f, void *dst, size_t cap);
int api_msg_peek_size(fz *f);
int api_msg_acquire(fz *f, const void **ptr, size_t *len);
int api_msg_release(fz *f);

/* The staging block's stride for a wasm audio call of `frames` frames. */
uint32_t fz_stride(const fz *f, uint32_t frames);
int api_audio_write(fz *f, float *const p[], uint32_t ch, uint32_t frames, uint32_t stride);
int api_audio_write_interleaved(fz *f, const float *src, uint32_t frames);
int api_audio_read(fz *f, float *const p[], uint32_t ch, uint32_t frames, uint32_t stride);
/* prefill < 0: rbs_audio_read_or_silence; else the prefill variant */
int api_audio_read_or_silence(fz *f, float *const p[], uint32_t ch, uint32_t frames,
                              uint32_t stride, int64_t prefill);

int api_readable(fz *f);
int api_writable(fz *f);
int api_closed(fz *f);
int api_close(fz *f);
int api_check(fz *f);
int api_audio_available(fz *f);
int api_audio_writable(fz *f);
int api_audio_started(fz *f);
uint32_t api_audio_scratch_size(fz *f, uint32_t channels, uint32_t frames);

/* rbs_wasm_attach on `size` bytes of the region, and the formats. */
int64_t fz_wasm_attach(fz *f, size_t size);
int fz_wasm_init(fz *f);
/* geo as wasm_api.h lays it out */
uint32_t fz_geo(uint32_t capacity, uint32_t kind, uint32_t channels);

/* ------------------------------------------------------------------------ */
/* The model of waking (fuzz_common.c)                                       */
/* ------------------------------------------------------------------------ */

/* The waker's half of the protocol on the model: 1 if it wakes a wait. */
int fz_model_wake(fz *f, int side);

/* ------------------------------------------------------------------------ */
/* Setting up (fuzz_header.c)                                                */
/* ------------------------------------------------------------------------ */

/* Picks kind, channels and sample rate from one byte (fuzz_ring.c's top). */
void fz_pick_kind(fz *f, uint8_t b);
/* Formats the region as f->kind and resets the model: exact mode again.
 * via_wasm: formatted by rbs_wasm_init, the view filled by rbs_attach. */
void fz_reinit(fz *f, int via_wasm);
/* Writes into `line` (64 bytes) the meta line an init writes for that
 * geometry; 0 if no init accepts it. */
int fz_genuine_meta(uint32_t capacity, uint32_t kind, uint32_t channels, uint32_t rate,
                    unsigned char line[64]);
/* What rbs_attach must answer for `size` bytes of the region as it is now,
 * and the view it must fill. */
int fz_model_attach(const fz *f, size_t size, rbs_view *want);
/* The view `v` is `want` field by field. */
void fz_expect_view(fz *f, const rbs_view *v, const rbs_view *want, const char *what);

/* ------------------------------------------------------------------------ */
/* Ops: each reads its arguments from the program, calls, checks            */
/* ------------------------------------------------------------------------ */

typedef void (*fz_op)(fz *, input *);

void fz_bytes_reset(fz *f);
void fz_msg_reset(fz *f);
void fz_audio_reset(fz *f);
void fz_exact_audio(fz *f); /* audio counters against the model */

void op_write(fz *f, input *in);
void op_write_all(fz *f, input *in);
void op_reserve(fz *f, input *in);
void op_commit(fz *f, input *in);
void op_read(fz *f, input *in);
void op_read_all(fz *f, input *in);
void op_peek(fz *f, input *in);
void op_skip(fz *f, input *in);
void op_acquire(fz *f, input *in);
void op_release(fz *f, input *in);

void op_msg_send(fz *f, input *in);
void op_msg_recv(fz *f, input *in);
void op_msg_peek_size(fz *f, input *in);
void op_msg_reserve(fz *f, input *in);
void op_msg_commit(fz *f, input *in);
void op_msg_acquire(fz *f, input *in);
void op_msg_release(fz *f, input *in);
void op_msg_query(fz *f, input *in);

void op_audio_write(fz *f, input *in);
void op_audio_write_interleaved(fz *f, input *in);
void op_audio_read(fz *f, input *in);
void op_audio_read_or_silence(fz *f, input *in);
void op_audio_read_prefill(fz *f, input *in);
void op_audio_query(fz *f, input *in);

void op_close(fz *f, input *in);
void op_query(fz *f, input *in);
void op_null(fz *f, input *in);
void op_wake(fz *f, input *in);
void op_wasm(fz *f, input *in);
void op_header(fz *f, input *in);

#endif /* RBS_FUZZ_H */
