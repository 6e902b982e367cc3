/*
 * fuzz.h — what the fuzz target's files share: the program reader, the state
 * (the ring, the model of it, the caller's buffers) and the checks.
 * The input format and the two checking modes are described in fuzz_ring.c.
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

typedef struct {
    uint32_t len;   /* payload bytes */
    uint32_t at;    /* position of its length word in the data area */
    uint32_t total; /* bytes it takes: padding frame (if any) + frame */
} fz_msg;

typedef struct {
    /* the ring */
    uint32_t cap, mask, kind, channels, rate;
    size_t region_size;
    unsigned char *region; /* exactly region_size bytes, 64-byte aligned */
    rbs_ring *r;
    unsigned char *data;        /* region + RBS_OFF_DATA */
    unsigned char meta0[64];    /* the meta line as init wrote it */
    unsigned char meta_now[64]; /* as it must be now: meta0 or one word changed by an op */
    int exact;                  /* header untouched: every answer must match the model */
    int meta_bad;               /* a checked meta word differs from meta0 */
    int meta_version_bad;       /* ABI version or header size differs */
    int meta_magic_bad;         /* the magic differs */
    unsigned op_no;             /* numbers the ops in failure reports */

    /* the model, for every kind: a mirror of the data area and the counters */
    unsigned char *mirror;
    uint32_t mw, mr;
    int closed;

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
    uint32_t rng;
} fz;

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

/* ------------------------------------------------------------------------ */
/* Checks                                                                    */
/* ------------------------------------------------------------------------ */

/* The code a call must answer before its own logic: RBS_ECORRUPT while a
 * checked meta word is changed, RBS_EKIND for a call of another kind (kind
 * 0: any kind), else 0. */
int fz_gate(const fz *f, uint32_t kind);

/* Hostile mode: a count in [0, max] or a data error code (RBS_ECORRUPT
 * exactly while the meta line is changed). */
void fz_sane(fz *f, long long rc, long long max, const char *what);

/* Exact mode, consumer calls that move "up to n": see fz_expect_upto in
 * fuzz_ring.c. */
void fz_expect_upto(fz *f, int rc, int want, const char *what);

/* Every non-empty span inside the data area, `rc` bytes in all. */
void fz_check_span(fz *f, const void *p, size_t len, const char *what);

/* Reads every byte so that ASan checks each address. */
void fz_touch(const void *p, size_t n);

/* The model's mirror of the data area. */
void fz_mirror_put(fz *f, uint32_t at, const void *src, uint32_t n);
void fz_expect_mirror(fz *f, uint32_t at, const void *got, uint32_t n, const char *what);

static inline uint32_t fz_used(const fz *f) {
    return f->mw - f->mr;
}

static inline uint32_t fz_free(const fz *f) {
    return f->cap - fz_used(f);
}

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

#endif /* RBS_FUZZ_H */
