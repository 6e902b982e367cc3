/*
 * peer.c — the C side of the tests that pit C against the JS package over
 * one Emscripten memory (linked with the example synth): byte rings in this
 * program's heap, a C producer and a C consumer on pthreads that use rbs.h's
 * waits and liveness calls -- each able to stall (beating), to die without a
 * word, or to grow the heap mid-stream -- and heap growth from C.
 *
 * The byte at stream position i is pattern[i % PEER_PERIOD] (peer_pattern
 * says how it is made), so both sides copy whole chunks and every byte is
 * checked.
 */
#define _POSIX_C_SOURCE 200809L /* nanosleep */
#include "rbs.h"

#include <emscripten/emscripten.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define PEER_PERIOD    65521u /* a prime: no chunk or capacity divides it */
#define PEER_MAX_CHUNK 65536u
#define NONE           0xFFFFFFFFu

typedef struct peer {
    rbs_view view;
    uint32_t token;
    uint32_t total, chunk, peer_timeout_ms;
    uint32_t stall_at, stall_ms; /* stall once there, beating (NONE: never) */
    uint32_t die_at;             /* stop there without a word (NONE: never) */
    uint32_t grow_at, grow_bytes; /* malloc that much there (NONE: never) */
    int quiet;                    /* a producer that never wakes its consumer */
    pthread_t thread;
    _Atomic uint32_t moved;
    _Atomic int result; /* 0 while running, 1 at the end of the stream, else a code */
    uint32_t first_bad; /* NONE: every byte right */
    uint32_t waits, slept_out;
    double ms;        /* from the first byte moved to the end */
    uintptr_t grown;  /* what grow_at allocated (kept: an unused allocation may be optimized out) */
} peer;

static unsigned char pattern[PEER_PERIOD + PEER_MAX_CHUNK];

/* The pattern byte j: the top byte of j times a large odd number. */
EMSCRIPTEN_KEEPALIVE uint32_t peer_pattern(uint32_t j) {
    return (j * 2654435761u) >> 24;
}

static void make_pattern(void) {
    for (uint32_t j = 0; j < sizeof pattern; j++)
        pattern[j] = (unsigned char)peer_pattern(j % PEER_PERIOD);
}

/* A byte ring of `capacity` in this heap: its offset, 0 on failure. */
EMSCRIPTEN_KEEPALIVE uintptr_t peer_byte_ring(uint32_t capacity) {
    size_t size = rbs_region_size(capacity);
    void *region = size != 0 ? aligned_alloc(64, size) : NULL;
    if (region == NULL) return 0;
    if (rbs_init(NULL, region, size, capacity) != RBS_OK) {
        free(region);
        return 0;
    }
    return (uintptr_t)region;
}

/* Grows the heap by allocating `bytes` (and touching both ends): its
 * address, 0 if malloc failed.  Never freed, like an engine's buffers. */
EMSCRIPTEN_KEEPALIVE uintptr_t peer_grow(uint32_t bytes) {
    unsigned char *p = malloc(bytes);
    if (p != NULL) {
        p[0] = 1;
        p[bytes - 1u] = 1;
    }
    return (uintptr_t)p;
}

EMSCRIPTEN_KEEPALIVE uint32_t peer_heap_size(void) {
    return (uint32_t)__builtin_wasm_memory_size(0) * 65536u;
}

/* A side for the ring at `ring` (it attaches its own view): 0 on failure. */
EMSCRIPTEN_KEEPALIVE peer *peer_new(uintptr_t ring, uint32_t total, uint32_t chunk,
                                    uint32_t peer_timeout_ms) {
    peer *p = calloc(1, sizeof *p);
    if (p == NULL || chunk == 0 || chunk > PEER_MAX_CHUNK) goto fail;
    if (rbs_attach(&p->view, (void *)ring, peer_heap_size() - ring) != RBS_OK) goto fail;
    p->token = (uint32_t)(uintptr_t)p; /* unique in this program, nonzero */
    p->total = total;
    p->chunk = chunk;
    p->peer_timeout_ms = peer_timeout_ms;
    p->stall_at = p->die_at = p->grow_at = NONE;
    p->first_bad = NONE;
    if (pattern[1] == 0) make_pattern();
    return p;
fail:
    free(p);
    return NULL;
}

EMSCRIPTEN_KEEPALIVE void peer_stall(peer *p, uint32_t at, uint32_t ms) {
    p->stall_at = at;
    p->stall_ms = ms;
}
EMSCRIPTEN_KEEPALIVE void peer_die(peer *p, uint32_t at) {
    p->die_at = at;
}
/* The producer as C was before rbs.h had the waiter's calls: it publishes
 * without waking and polls for room every millisecond, so a JS consumer
 * that went to sleep sleeps out its slice. */
EMSCRIPTEN_KEEPALIVE void peer_quiet(peer *p) {
    p->quiet = 1;
}
EMSCRIPTEN_KEEPALIVE void peer_grow_at(peer *p, uint32_t at, uint32_t bytes) {
    p->grow_at = at;
    p->grow_bytes = bytes;
}

static void nap_ms(uint32_t ms) {
    struct timespec ts = {.tv_sec = ms / 1000u, .tv_nsec = (long)(ms % 1000u) * 1000000L};
    nanosleep(&ts, NULL);
}

/* Faults at position `at`: 1 if the side must die here. */
static int faults(peer *p, uint32_t role, uint32_t at) {
    if (at >= p->die_at) return 1;
    if (at >= p->grow_at) {
        p->grown = peer_grow(p->grow_bytes);
        p->grow_at = NONE;
    }
    if (at >= p->stall_at) {
        for (double until = emscripten_get_now() + p->stall_ms; emscripten_get_now() < until;) {
            nap_ms(50);
            rbs_beat(&p->view, role, p->token);
        }
        p->stall_at = NONE;
    }
    return 0;
}

/* How far the next chunk may go: to the total, and not past a fault. */
static uint32_t next_len(const peer *p, uint32_t at) {
    uint32_t n = p->chunk;
    uint32_t stops[4] = {p->total, p->die_at, p->grow_at, p->stall_at};
    for (int k = 0; k < 4; k++)
        if (stops[k] > at && stops[k] - at < n) n = stops[k] - at;
    return n;
}

/* A wait of 300 ms at a time (the peer's silence adds up in `side`).  One
 * that lasted a whole heartbeat slice and returned ready while its wake word
 * never moved slept out its slice unwoken: a lost wake-up, counted.  (A peer
 * merely stalled on a busy machine moves the word when it publishes.) */
static int wait_once(peer *p, int producer, rbs_side *side) {
    _Atomic uint32_t *wake = (_Atomic uint32_t *)(void *)((unsigned char *)p->view.ring +
                                                          (producer ? RBS_OFF_PRODUCER_WAKE
                                                                    : RBS_OFF_CONSUMER_WAKE));
    for (;;) {
        uint32_t seen = atomic_load(wake);
        double t0 = emscripten_get_now();
        int got = producer ? rbs_wait_writable(&p->view, 1, 300, side)
                           : rbs_wait_readable(&p->view, 1, 300, side);
        p->waits++;
        if (got > 0 && emscripten_get_now() - t0 >= RBS_HEARTBEAT_MS && atomic_load(wake) == seen)
            p->slept_out++;
        if (got != RBS_EAGAIN) return got;
    }
}

static void *produce(void *arg) {
    peer *p = arg;
    rbs_side side = RBS_SIDE_INIT(p->token, p->peer_timeout_ms);
    int rc = rbs_claim(&p->view, RBS_PRODUCER, p->token);
    uint32_t at = 0;
    double t0 = 0;
    while (rc == RBS_OK && at < p->total) {
        if (faults(p, RBS_PRODUCER, at)) return NULL; /* killed: no close, no release */
        int k = rbs_write(&p->view, pattern + at % PEER_PERIOD, next_len(p, at));
        if (k > 0) {
            if (at == 0) t0 = emscripten_get_now();
            at += (uint32_t)k;
            atomic_store(&p->moved, at);
            if (!p->quiet) rbs_wake_consumer(&p->view);
        } else if (k == 0 && p->quiet) {
            nap_ms(1);
        } else if (k == 0) {
            int room = wait_once(p, 1, &side);
            if (room < 0) rc = room;
        } else {
            rc = k;
        }
    }
    if (rc == RBS_OK) rc = rbs_close(&p->view);
    p->ms = emscripten_get_now() - t0;
    rbs_release(&p->view, RBS_PRODUCER, p->token);
    atomic_store(&p->result, rc == RBS_OK ? 1 : rc);
    return NULL;
}

static void *consume(void *arg) {
    peer *p = arg;
    unsigned char *buf = malloc(PEER_MAX_CHUNK);
    rbs_side side = RBS_SIDE_INIT(p->token, p->peer_timeout_ms);
    int rc = buf != NULL ? rbs_claim(&p->view, RBS_CONSUMER, p->token) : RBS_EINVAL;
    uint32_t at = 0;
    double t0 = 0;
    while (rc == RBS_OK) {
        if (faults(p, RBS_CONSUMER, at)) {
            free(buf);
            return NULL;
        }
        int k = rbs_read(&p->view, buf, next_len(p, at));
        if (k > 0) {
            if (at == 0) t0 = emscripten_get_now();
            if (p->first_bad == NONE && memcmp(buf, pattern + at % PEER_PERIOD, (size_t)k) != 0)
                for (int i = 0; i < k && p->first_bad == NONE; i++)
                    if (buf[i] != pattern[(at + (uint32_t)i) % PEER_PERIOD])
                        p->first_bad = at + (uint32_t)i;
            at += (uint32_t)k;
            atomic_store(&p->moved, at);
            rbs_wake_producer(&p->view);
        } else if (k == 0) {
            int ready = wait_once(p, 0, &side);
            if (ready < 0) rc = ready;
        } else {
            rc = k;
        }
    }
    p->ms = emscripten_get_now() - t0;
    free(buf);
    rbs_release(&p->view, RBS_CONSUMER, p->token);
    atomic_store(&p->result, rc == RBS_ECLOSED ? 1 : rc);
    return NULL;
}

/* Starts the producer (the pattern, `total` bytes, then the close) or the
 * consumer (checks every byte until the close): 0 or an errno value. */
EMSCRIPTEN_KEEPALIVE int peer_start(peer *p, int producer) {
    int e = pthread_create(&p->thread, NULL, producer ? produce : consume, p);
    if (e == 0) pthread_detach(p->thread);
    return e;
}

EMSCRIPTEN_KEEPALIVE uint32_t peer_moved(const peer *p) {
    return atomic_load(&p->moved);
}
EMSCRIPTEN_KEEPALIVE int peer_result(const peer *p) {
    return atomic_load(&p->result);
}
EMSCRIPTEN_KEEPALIVE uint32_t peer_first_bad(const peer *p) {
    return p->first_bad;
}
EMSCRIPTEN_KEEPALIVE uint32_t peer_waits(const peer *p) {
    return p->waits;
}
EMSCRIPTEN_KEEPALIVE uint32_t peer_slept_out(const peer *p) {
    return p->slept_out;
}
EMSCRIPTEN_KEEPALIVE double peer_ms(const peer *p) {
    return p->ms;
}
EMSCRIPTEN_KEEPALIVE uintptr_t peer_grown(const peer *p) {
    return p->grown;
}
