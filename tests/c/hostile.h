/*
 * hostile.h — the harness of the hostile-peer suites (test_hostile_*.c): a
 * ring inside a larger allocation with canary bytes around it, a hostile
 * thread that scribbles over the ring's shared words for a set time, and the
 * honest side's bookkeeping (every result checked, every call timed).
 *
 * The hostile thread writes: random values into random header words; meta
 * lines copied from genuine rings of larger capacities (valid check words)
 * with the counters moved near the forged end and a length word there; random
 * values over both scratch areas and both private lines; random data words.
 * It works in bursts; between them it writes nothing, and the honest side
 * checks content exactly in such a quiet window (hostile_quiet_*).
 */
#ifndef RBS_HOSTILE_H
#define RBS_HOSTILE_H

#include "rbs.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>

/* Canary bytes before and after the region: several KiB each. */
#define HOSTILE_CANARY 8192u
/* Genuine larger rings whose meta lines the hostile thread copies. */
#define HOSTILE_FORGED 6

typedef struct {
    uint32_t kind, capacity, channels;
    unsigned char *alloc; /* canaries, region, canaries: exactly this size */
    size_t alloc_size;
    unsigned char *region;
    size_t region_size;
    uint32_t forged[HOSTILE_FORGED][16]; /* meta lines of larger rings */
    uint32_t forged_capacity[HOSTILE_FORGED];
    double seconds;    /* how long the hostile thread runs */
    double started_at; /* when it started */
    pthread_t thread;
    atomic_int stop;
    atomic_uint seq; /* odd while a burst of hostile writes is under way */
    uint64_t writes; /* hostile words written, read after the join */
} hostile;

/* The honest side's account of every call it made. */
typedef struct {
    uint64_t calls;
    uint64_t ok;              /* counts within their bounds */
    uint64_t errors[16];      /* by -code, RBS_EINVAL .. RBS_EFORMAT */
    uint64_t bad;             /* a count out of bounds, or a code not in rbs.h */
    const char *first_bad;    /* the call that gave it */
    int first_bad_rc;         /* and what it gave */
    uint64_t escapes;         /* spans outside the data area, canary changes */
    const char *first_escape; /* what escaped first */
    uint64_t refused;         /* scratch positions a JS caller refuses (see the tests) */
    uint64_t rounds;          /* content checked exactly in a quiet window */
    uint64_t wrong;           /* rounds whose content was not exact */
    const char *first_wrong;  /* the round that was not */
    uint64_t reformats;       /* the honest side formatted the ring again */
    double slowest;           /* seconds */
    const char *slowest_call;
} honest;

/* A ring of `kind` (audio: `channels` at 48 kHz) with canaries around it,
 * formatted, and the meta lines to forge from; the duration comes from
 * RBS_HOSTILE_MS. */
hostile *hostile_new(uint32_t kind, uint32_t capacity, uint32_t channels);
void hostile_free(hostile *h);
/* Formats the region again (as rbs_*_init for the kind) and fills v. */
int hostile_format(hostile *h, rbs_view *v);
void hostile_start(hostile *h);
int hostile_running(const hostile *h); /* until the duration has passed */
void hostile_stop(hostile *h);
/* Canary bytes that changed (0 when none did). */
uint64_t hostile_canaries_changed(const hostile *h);

/* A quiet window: begin returns a token; end says whether no hostile write
 * happened between the two (only then is the content checked). */
unsigned hostile_quiet_begin(const hostile *h);
int hostile_quiet_end(const hostile *h, unsigned token);

double honest_now(void);
/* Records a call that returned rc after starting at t0: a count in
 * [lo, hi], or an RBS_E* code. */
void honest_result(honest *s, const char *call, int rc, int64_t lo, int64_t hi, double t0);
/* Records a span [p, p + len) handed out: inside `v`'s data area or an escape. */
int honest_span(honest *s, const char *call, const rbs_view *v, const void *p, size_t len);
void honest_escape(honest *s, const char *what);
void honest_round(honest *s, const char *what, int exact);
/* Records content the library promised whatever the ring holds (silence
 * filled in) that was not there. */
void honest_broken(honest *s, const char *what);
/* Prints the figures and asserts what the suite promises. */
void honest_report(const honest *s, const hostile *h, const char *kind);

/* xorshift64*, as in test_helpers.h, usable without Criterion. */
uint64_t hostile_rand(uint64_t *state);
/* A random count in [0, n]. */
uint32_t hostile_upto(uint64_t *state, uint32_t n);

/* Times `expr`, stores its answer in the caller's `rc` and records it in
 * (b)->s: a count in [lo, hi] or an RBS_E* code. */
#define HONEST_CALL(b, name, lo, hi, expr)                                                         \
    do {                                                                                           \
        double t0_ = honest_now();                                                                 \
        rc = (expr);                                                                               \
        honest_result(&(b)->s, (name), rc, (lo), (hi), t0_);                                       \
    } while (0)

/* Bytes after what a read was given, which it must not touch: marked before
 * the call, checked after it. */
#define HONEST_SENTINEL 16u
void honest_guard(unsigned char *after);
void honest_check_guard(honest *s, const unsigned char *after, const char *call);

/* The honest loop of every suite while the hostile thread runs: step(ctx,
 * i % steps) each turn, round(ctx, k) on every 8th turn (the k-th exact
 * content check), and the ring formatted again whenever rbs_check finds it
 * broken.  Starts and stops the hostile thread. */
void honest_run(hostile *h, honest *s, rbs_view *v, unsigned steps,
                void (*step)(void *ctx, unsigned which), void (*round)(void *ctx, uint64_t k),
                void *ctx);

#endif /* RBS_HOSTILE_H */
