/*
 * ring_internal.h — the header's C struct, and the primitives every call is
 * built from: the gate (the view's kind), the counters with their caches,
 * the one place that publishes each counter, the copies, and the waker.
 * Not part of the public API.
 *
 * Invariants (checked, never assumed, because the other side may be buggy or
 * hostile; docs/design.md has the threat model):
 *   I1  every bound comes from the caller's view, validated once by
 *       rbs_attach/rbs_*_init: capacity a power of two in [RBS_MIN_CAPACITY,
 *       RBS_MAX_CAPACITY], the region that large, the kind and frame shape.
 *       Nothing read from shared memory is ever used as a size or an address.
 *   I2  used = write - read (mod 2^32) <= capacity, checked on every load of
 *       the other side's counter -- else RBS_ECORRUPT.
 *   I3  every data access is at (counter & (capacity - 1)) + k with
 *       k < capacity, split at the end of the buffer: it stays in the data.
 *   I4  only the producer stores `write` (rbs__publish), only the consumer
 *       stores `read` (rbs__consume).
 *
 * Memory ordering (the only two orderings that matter):
 *   - producer: copy data, then store `write` with release;
 *     consumer: load `write` with acquire, then copy data out.
 *   - consumer: copy data out, then store `read` with release;
 *     producer: load `read` with acquire, then overwrite that space.
 * A side's own counter is loaded relaxed: only that side stores it.
 * Waking (rbs.h, "Waking a side that sleeps") adds one sequentially
 * consistent store-then-load to the side that wakes.
 */
#ifndef RBS_RING_INTERNAL_H
#define RBS_RING_INTERNAL_H

#include "rbs.h"

#include <stdalign.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

typedef _Atomic uint32_t rbs_word;

/* Helpers that take pointers to the caller's locals are forced inline: in the
 * WebAssembly build a non-inlined call would put those locals on the shadow
 * stack, and the module must never touch the stack pointer (several instances
 * share one memory and one initial stack pointer; scripts/check-wasm.mjs). */
#ifndef RBS_COVERAGE
#define RBS__HOT static inline __attribute__((always_inline))
#else /* the native coverage build: each source branch counts once, not once per call site */
#define RBS__HOT static inline
#endif
/* A rarely taken piece of a hot call: out of line natively, so the common
 * path stays a leaf; inline in WebAssembly, where its pointer arguments to
 * the caller's locals would otherwise go through the shadow stack. */
#ifdef __wasm__
#define RBS__SPLIT RBS__HOT
#else
#define RBS__SPLIT static __attribute__((noinline, unused))
#endif

struct rbs_ring {
    /* meta line: written by init, read-only after (atomic words, so that a
     * side reads each exactly once even while a hostile thread writes it) */
    rbs_word magic;
    rbs_word abi_version;
    rbs_word header_size;
    rbs_word capacity;
    rbs_word kind;
    rbs_word channels;
    rbs_word sample_rate;
    rbs_word frame_bytes;
    rbs_word meta_check;
    uint32_t meta_pad[7];

    /* producer line */
    alignas(64) rbs_word write;
    rbs_word closed;
    rbs_word overruns;
    rbs_word frames_written;
    rbs_word producer_owner;
    rbs_word producer_heartbeat;
    rbs_word consumer_wake;
    rbs_word consumer_waiters;
    rbs_word consumer_wait_seq;
    uint32_t producer_pad[7];

    /* consumer line */
    alignas(64) rbs_word read;
    rbs_word underruns;
    rbs_word frames_read;
    rbs_word audio_started;
    rbs_word consumer_owner;
    rbs_word consumer_heartbeat;
    rbs_word producer_wake;
    rbs_word producer_waiters;
    rbs_word producer_wait_seq;
    rbs_word fill_target;
    rbs_word fill_min;
    rbs_word fill_max;
    rbs_word fill_low;
    rbs_word near_misses;
    rbs_word events_late;
    rbs_word events_dropped;

    /* producer-only line: the consumer never reads it */
    alignas(64) rbs_word cached_read;
    rbs_word reserved;
    rbs_word reserved_at;
    rbs_word consumer_woken_at;
    uint32_t producer_private_pad[12];

    /* consumer-only line: the producer never reads it */
    alignas(64) rbs_word cached_write;
    rbs_word acquired;
    rbs_word acquired_at;
    rbs_word producer_woken_at;
    rbs_word fill_window_at;
    rbs_word fill_window_low;
    rbs_word fill_dip_base;
    rbs_word event_gain;
    uint32_t consumer_private_pad[8];

    alignas(64) unsigned char data[];
};

/* The C struct and the published offsets must never drift apart. */
#define RBS__AT(field, off) _Static_assert(offsetof(struct rbs_ring, field) == (off), #field)
RBS__AT(magic, RBS_OFF_MAGIC);
RBS__AT(abi_version, RBS_OFF_ABI_VERSION);
RBS__AT(header_size, RBS_OFF_HEADER_SIZE);
RBS__AT(capacity, RBS_OFF_CAPACITY);
RBS__AT(kind, RBS_OFF_KIND);
RBS__AT(channels, RBS_OFF_CHANNELS);
RBS__AT(sample_rate, RBS_OFF_SAMPLE_RATE);
RBS__AT(frame_bytes, RBS_OFF_FRAME_BYTES);
RBS__AT(meta_check, RBS_OFF_META_CHECK);
RBS__AT(write, RBS_OFF_WRITE);
RBS__AT(closed, RBS_OFF_CLOSED);
RBS__AT(overruns, RBS_OFF_OVERRUNS);
RBS__AT(frames_written, RBS_OFF_FRAMES_WRITTEN);
RBS__AT(producer_owner, RBS_OFF_PRODUCER_OWNER);
RBS__AT(producer_heartbeat, RBS_OFF_PRODUCER_HEARTBEAT);
RBS__AT(consumer_wake, RBS_OFF_CONSUMER_WAKE);
RBS__AT(consumer_waiters, RBS_OFF_CONSUMER_WAITERS);
RBS__AT(consumer_wait_seq, RBS_OFF_CONSUMER_WAIT_SEQ);
RBS__AT(read, RBS_OFF_READ);
RBS__AT(underruns, RBS_OFF_UNDERRUNS);
RBS__AT(frames_read, RBS_OFF_FRAMES_READ);
RBS__AT(audio_started, RBS_OFF_AUDIO_STARTED);
RBS__AT(consumer_owner, RBS_OFF_CONSUMER_OWNER);
RBS__AT(consumer_heartbeat, RBS_OFF_CONSUMER_HEARTBEAT);
RBS__AT(producer_wake, RBS_OFF_PRODUCER_WAKE);
RBS__AT(producer_waiters, RBS_OFF_PRODUCER_WAITERS);
RBS__AT(producer_wait_seq, RBS_OFF_PRODUCER_WAIT_SEQ);
RBS__AT(fill_target, RBS_OFF_FILL_TARGET);
RBS__AT(fill_min, RBS_OFF_FILL_MIN);
RBS__AT(fill_max, RBS_OFF_FILL_MAX);
RBS__AT(fill_low, RBS_OFF_FILL_LOW);
RBS__AT(near_misses, RBS_OFF_NEAR_MISSES);
RBS__AT(events_late, RBS_OFF_EVENTS_LATE);
RBS__AT(events_dropped, RBS_OFF_EVENTS_DROPPED);
RBS__AT(cached_read, RBS_OFF_CACHED_READ);
RBS__AT(reserved, RBS_OFF_RESERVED);
RBS__AT(reserved_at, RBS_OFF_RESERVED_AT);
RBS__AT(consumer_woken_at, RBS_OFF_CONSUMER_WOKEN_AT);
RBS__AT(cached_write, RBS_OFF_CACHED_WRITE);
RBS__AT(acquired, RBS_OFF_ACQUIRED);
RBS__AT(acquired_at, RBS_OFF_ACQUIRED_AT);
RBS__AT(producer_woken_at, RBS_OFF_PRODUCER_WOKEN_AT);
RBS__AT(fill_window_at, RBS_OFF_FILL_WINDOW_AT);
RBS__AT(fill_window_low, RBS_OFF_FILL_WINDOW_LOW);
RBS__AT(fill_dip_base, RBS_OFF_FILL_DIP_BASE);
RBS__AT(event_gain, RBS_OFF_EVENT_GAIN);
RBS__AT(data, RBS_OFF_DATA);
_Static_assert(sizeof(struct rbs_ring) == RBS_HEADER_SIZE, "header size");
/* The scratch words sit in the private lines' padding, after every C field. */
_Static_assert(RBS_OFF_PRODUCER_SCRATCH >= offsetof(struct rbs_ring, producer_private_pad) &&
                   RBS_OFF_PRODUCER_SCRATCH + RBS_SCRATCH_SIZE <= RBS_OFF_CACHED_WRITE,
               "producer scratch inside the producer-only line's padding");
_Static_assert(RBS_OFF_CONSUMER_SCRATCH >= offsetof(struct rbs_ring, consumer_private_pad) &&
                   RBS_OFF_CONSUMER_SCRATCH + RBS_SCRATCH_SIZE <= RBS_HEADER_SIZE,
               "consumer scratch inside the consumer-only line's padding");
/* Each waiting word sits on the line of the side that reads it on every call. */
_Static_assert(RBS_OFF_CONSUMER_WAITERS / 64u == RBS_OFF_WRITE / 64u, "consumer waiters");
_Static_assert(RBS_OFF_PRODUCER_WAITERS / 64u == RBS_OFF_READ / 64u, "producer waiters");
/* The fill words and the event counters are the consumer's: on its line. */
_Static_assert(RBS_OFF_FILL_TARGET / 64u == RBS_OFF_READ / 64u &&
                   RBS_OFF_EVENTS_DROPPED / 64u == RBS_OFF_READ / 64u,
               "fill words on the consumer line");
_Static_assert(RBS_OFF_FILL_WINDOW_AT / 64u == RBS_OFF_CACHED_WRITE / 64u &&
                   RBS_OFF_EVENT_GAIN / 64u == RBS_OFF_CACHED_WRITE / 64u,
               "the consumer's private fill state on its own line");
_Static_assert(sizeof(rbs_event) == RBS_EVENT_SIZE &&
                   offsetof(rbs_event, payload) == RBS_EVENT_OFF_PAYLOAD &&
                   offsetof(rbs_event, flags) == RBS_EVENT_OFF_FLAGS &&
                   offsetof(rbs_event, value) == RBS_EVENT_OFF_VALUE,
               "the event record's layout");
_Static_assert(sizeof(rbs_word) == 4, "32-bit counters");

/* Loads and stores of this side's private words: relaxed, since one thread
 * owns them; atomic only so that a hostile other thread cannot make them UB.
 * A meta word: read-only after init, so relaxed; read once into a local. */
#ifdef __wasm__
/* WebAssembly has only sequentially consistent atomics, and V8 checks each
 * one's alignment (four more instructions on x86) and makes each store an
 * xchg.  A race is not undefined in WebAssembly (a load yields some value,
 * and every use of one checks it), so these words are plain accesses,
 * volatile so that the compiler reads and writes each exactly once. */
#define RBS__LOAD_OWN(p)     (*(volatile const uint32_t *)(const void *)(p))
#define RBS__STORE_OWN(p, v) (*(volatile uint32_t *)(void *)(p) = (v))
#define RBS__LOAD_META(p)    RBS__LOAD_OWN(p)
#else
#define RBS__LOAD_OWN(p)     atomic_load_explicit((p), memory_order_relaxed)
#define RBS__STORE_OWN(p, v) atomic_store_explicit((p), (v), memory_order_relaxed)
#define RBS__LOAD_META(p)    atomic_load_explicit((p), memory_order_relaxed)
#endif

/* ------------------------------------------------------------------------ */
/* The meta line and the view                                                */
/* ------------------------------------------------------------------------ */

/* Check word over the meta line: proves that an init wrote it (a stray write
 * to one word is caught).  Each word times its own odd constant, all xor-ed:
 * multiplying by an odd number is a bijection modulo 2^32, so changing any
 * ONE word -- or the check word itself -- always changes the comparison.  It
 * is no defence against a forger; the view is. */
#define RBS__META_SEED          0x9E3779B9u
#define RBS__META_K_CAPACITY    0x85EBCA6Bu
#define RBS__META_K_KIND        0xC2B2AE35u
#define RBS__META_K_CHANNELS    0x27D4EB2Fu
#define RBS__META_K_SAMPLE_RATE 0x165667B1u
#define RBS__META_K_FRAME_BYTES 0x9E3779B1u
static inline uint32_t rbs__meta_check(uint32_t capacity, uint32_t kind, uint32_t channels,
                                       uint32_t sample_rate, uint32_t frame_bytes) {
    return (RBS__META_SEED ^ RBS_MAGIC) ^ capacity * RBS__META_K_CAPACITY ^
           kind * RBS__META_K_KIND ^ channels * RBS__META_K_CHANNELS ^
           sample_rate * RBS__META_K_SAMPLE_RATE ^ frame_bytes * RBS__META_K_FRAME_BYTES;
}

static inline int rbs__valid_capacity(uint32_t capacity) {
    return capacity >= RBS_MIN_CAPACITY && capacity <= RBS_MAX_CAPACITY &&
           (capacity & (capacity - 1u)) == 0;
}

/* A view made from trusted parts (the geometry rbs_attach validated); shared
 * by the init calls and the WebAssembly entry points. */
RBS__HOT rbs_view rbs__make_view(rbs_ring *r, uint32_t capacity, uint32_t kind, uint32_t channels,
                                 uint32_t sample_rate) {
    rbs_view v;
    v.ring = r;
    v.data = r->data;
    v.capacity = capacity;
    v.kind = kind;
    v.channels = channels;
    v.sample_rate = sample_rate;
    v.frame_bytes = 4u * channels;
    v.max_frames = channels != 0 ? capacity / (4u * channels) : 0u;
    v.meta_check = rbs__meta_check(capacity, kind, channels, sample_rate, 4u * channels);
    return v;
}

/* Which views a call accepts: NULL or unfilled -> RBS_EINVAL, another kind ->
 * RBS_EKIND.  `kind` 0 accepts every kind.  The error is worked out inline,
 * not called: a call would make every caller set up a stack frame. */
RBS__HOT int rbs__gate(const rbs_view *v, uint32_t kind) {
    if (__builtin_expect(v == NULL || (kind != 0 ? v->kind != kind : v->kind == 0), 0))
        return v == NULL || v->kind == 0 ? RBS_EINVAL : RBS_EKIND;
    return RBS_OK;
}

/* The words of the meta line that bound an access still say what the view
 * says.  Asked when a call finds nothing to do and by the queries, so a
 * rewritten meta line is reported; safety never depends on it (I1). */
RBS__HOT int rbs__meta_intact(const rbs_view *v) {
    const rbs_ring *r = v->ring;
    return RBS__LOAD_META(&r->magic) == RBS_MAGIC && RBS__LOAD_META(&r->capacity) == v->capacity &&
           RBS__LOAD_META(&r->kind) == v->kind && RBS__LOAD_META(&r->channels) == v->channels &&
           RBS__LOAD_META(&r->frame_bytes) == v->frame_bytes;
}

/* What a call that found nothing to do answers: `code` (0 or RBS_EAGAIN), or
 * RBS_ECORRUPT when the meta line no longer matches the view. */
RBS__HOT int rbs__nothing_now(const rbs_view *v, int code) {
    return rbs__meta_intact(v) ? code : RBS_ECORRUPT;
}

/* ------------------------------------------------------------------------ */
/* Counters                                                                  */
/* ------------------------------------------------------------------------ */

/* Producer: bytes free now.  Uses the cached read counter first and loads the
 * shared one (acquire: the consumer finished copying out of that space) only
 * when the cache says fewer than `need` bytes are free. */
RBS__HOT int64_t rbs__producer_free(const rbs_view *v, uint32_t w, uint32_t need) {
    rbs_ring *r = v->ring;
    uint32_t cap = v->capacity;
    uint32_t rd = RBS__LOAD_OWN(&r->cached_read);
    uint32_t used = w - rd;
    if (used > cap || cap - used < need) {
        rd = atomic_load_explicit(&r->read, memory_order_acquire);
        used = w - rd;
        if (used > cap) return RBS_ECORRUPT;
        RBS__STORE_OWN(&r->cached_read, rd);
    }
    return (int64_t)(cap - used);
}

/* Consumer: bytes readable now, with the same caching (acquire on the shared
 * write counter: the producer's data copy happens-before our read of it). */
RBS__HOT int64_t rbs__consumer_used(const rbs_view *v, uint32_t rd, uint32_t need) {
    rbs_ring *r = v->ring;
    uint32_t cap = v->capacity;
    uint32_t w = RBS__LOAD_OWN(&r->cached_write);
    uint32_t used = w - rd;
    if (used > cap || used < need) {
        w = atomic_load_explicit(&r->write, memory_order_acquire);
        used = w - rd;
        if (used > cap) return RBS_ECORRUPT;
        RBS__STORE_OWN(&r->cached_write, w);
    }
    return (int64_t)used;
}

/* Bytes in the ring as seen by anyone, for the queries either side (or a
 * third thread) may make.  Two separate loads are not a snapshot: between
 * them the consumer can move `read` past the `write` already loaded, which
 * would look like corruption.  So `read` is loaded before and after `write`;
 * when it did not move, write - read is the fill at the moment `write` was
 * loaded and must be <= capacity.  A ring whose consumer keeps moving is
 * retried a few times; the last try is checked like the others. */
RBS__HOT int64_t rbs__used_snapshot(const rbs_view *v) {
    const rbs_ring *r = v->ring;
    uint32_t used = 0;
    for (int tries = 0; tries < 16; tries++) {
        uint32_t rd = atomic_load_explicit(&r->read, memory_order_acquire);
        uint32_t w = atomic_load_explicit(&r->write, memory_order_acquire);
        used = w - rd;
        if (atomic_load_explicit(&r->read, memory_order_acquire) == rd) break;
    }
    return used > v->capacity ? RBS_ECORRUPT : (int64_t)used;
}

/* Consumer: 1 when the ring is empty and closed, re-checking the write
 * counter after seeing the flag (the producer stores `write` before `closed`). */
RBS__HOT int rbs__empty_and_closed(const rbs_view *v, uint32_t rd) {
    rbs_ring *r = v->ring;
    /* acquire: pairs with the release in rbs_close */
    if (!atomic_load_explicit(&r->closed, memory_order_acquire)) return 0;
    return atomic_load_explicit(&r->write, memory_order_acquire) == rd;
}

/* ------------------------------------------------------------------------ */
/* Waking                                                                    */
/* ------------------------------------------------------------------------ */

/* The words of the side being woken, and the waker's record of its last wake. */
typedef struct {
    rbs_word *wake;
    rbs_word *waiters;
    rbs_word *wait_seq;
    rbs_word *woken_at;
} rbs__sleeper;

RBS__HOT rbs__sleeper rbs__consumer_sleeper(rbs_ring *r) {
    rbs__sleeper s = {&r->consumer_wake, &r->consumer_waiters, &r->consumer_wait_seq,
                      &r->consumer_woken_at};
    return s;
}
RBS__HOT rbs__sleeper rbs__producer_sleeper(rbs_ring *r) {
    rbs__sleeper s = {&r->producer_wake, &r->producer_waiters, &r->producer_wait_seq,
                      &r->producer_woken_at};
    return s;
}

/* Wakes every thread sleeping on `word` (memory.atomic.notify in WebAssembly,
 * a futex wake on Linux; elsewhere nothing: a waiter there sleeps in slices). */
void rbs__notify_all(rbs_word *word);

/* The waker's half of the protocol, after a sequentially consistent publish
 * (or fence): 1 if it woke a wait, else 0.  Each wait number is woken once. */
RBS__HOT int rbs__wake_sleeper(rbs__sleeper s) {
    uint32_t seq = atomic_load_explicit(s.wait_seq, memory_order_seq_cst);
    if (seq == RBS__LOAD_OWN(s.woken_at)) return 0;
    RBS__STORE_OWN(s.woken_at, seq);
    atomic_fetch_add_explicit(s.wake, 1u, memory_order_seq_cst);
    rbs__notify_all(s.wake);
    return 1;
}
RBS__HOT int rbs__wake_if_waiting(rbs__sleeper s) {
    if (atomic_load_explicit(s.waiters, memory_order_seq_cst) == 0) return 0;
    return rbs__wake_sleeper(s);
}

/* ------------------------------------------------------------------------ */
/* Publishing: the one place each counter is stored (invariant I4)           */
/* ------------------------------------------------------------------------ */

/* Producer: makes `write` = w_new visible after the data.  The ring is an
 * argument, loaded before the copy: a byte store may alias the view, so
 * v->ring read after it would be loaded again.  With `wake`, the
 * store is sequentially consistent and a sleeping consumer is woken (the
 * protocol's waker; in WebAssembly every atomic store already is). */
RBS__HOT void rbs__publish(rbs_ring *r, uint32_t w_new, int wake) {
    if (!wake) {
        /* release: the data copied in is visible before the consumer sees w_new */
        atomic_store_explicit(&r->write, w_new, memory_order_release);
        return;
    }
    atomic_store_explicit(&r->write, w_new, memory_order_seq_cst);
    rbs__wake_if_waiting(rbs__consumer_sleeper(r));
}

/* Consumer: frees the space up to rd_new once our copy-out is done. */
RBS__HOT void rbs__consume(rbs_ring *r, uint32_t rd_new, int wake) {
    if (!wake) {
        /* release: our copy-out is done before the producer may reuse the space */
        atomic_store_explicit(&r->read, rd_new, memory_order_release);
        return;
    }
    atomic_store_explicit(&r->read, rd_new, memory_order_seq_cst);
    rbs__wake_if_waiting(rbs__producer_sleeper(r));
}

/* ------------------------------------------------------------------------ */
/* Copies                                                                    */
/* ------------------------------------------------------------------------ */

/* Sanitizer builds must see every access to the ring's bytes, so they never
 * take the inline-assembly copy below. */
#if defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer) ||                         \
    __has_feature(memory_sanitizer)
#define RBS__SANITIZED 1
#endif
#endif
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define RBS__SANITIZED 1
#endif

/* memcpy, except that a large copy on x86-64 is one `rep movsb`, which writes
 * whole cache lines without first reading them when the other core holds
 * them (level with ck_ring's inline `rep movsq`).  Below 2 KiB, memcpy's
 * vector loop is as fast. */
static inline void rbs__copy_bytes(void *dst, const void *src, size_t n) {
#if defined(__x86_64__) && defined(__GNUC__) && !defined(RBS__SANITIZED)
    if (n >= 2048u) {
        __asm__ volatile("rep movsb" : "+D"(dst), "+S"(src), "+c"(n) : : "memory");
        return;
    }
#endif
    __builtin_memcpy(dst, src, n);
}

/* Copies n <= capacity bytes into the ring at counter w, split at the end (I3). */
RBS__HOT void rbs__copy_in(const rbs_view *v, uint32_t w, const void *src, uint32_t n) {
    uint32_t cap = v->capacity;
    uint32_t pos = w & (cap - 1u);
    uint32_t first = cap - pos < n ? cap - pos : n;
    rbs__copy_bytes(v->data + pos, src, first);
    if (n > first) rbs__copy_bytes(v->data, (const unsigned char *)src + first, n - first);
}

RBS__HOT void rbs__copy_out(const rbs_view *v, uint32_t rd, void *dst, uint32_t n) {
    uint32_t cap = v->capacity;
    uint32_t pos = rd & (cap - 1u);
    uint32_t first = cap - pos < n ? cap - pos : n;
    rbs__copy_bytes(dst, v->data + pos, first);
    if (n > first) rbs__copy_bytes((unsigned char *)dst + first, v->data, n - first);
}

/* Moves n <= 64 bytes with fixed-size loads and stores instead of a call to
 * memcpy: small items are the hot path's common case.  The pieces follow the
 * bits of n, so every byte is loaded and stored once: a second, overlapping
 * load of bytes the other core is writing costs the reader a pipeline flush.
 * Every access stays within dst[0..n) and src[0..n). */
#define RBS__MOVE_PIECE(size)                                                                      \
    do {                                                                                           \
        unsigned char piece[size];                                                                 \
        __builtin_memcpy(piece, src, size);                                                        \
        __builtin_memcpy(dst, piece, size);                                                        \
        src += (size);                                                                             \
        dst += (size);                                                                             \
    } while (0)
#define RBS__MOVE_WORD(type)                                                                       \
    do {                                                                                           \
        type word_;                                                                                \
        __builtin_memcpy(&word_, src, sizeof word_);                                               \
        __builtin_memcpy(dst, &word_, sizeof word_);                                               \
        src += sizeof word_;                                                                       \
        dst += sizeof word_;                                                                       \
    } while (0)
RBS__HOT void rbs__move_small(unsigned char *dst, const unsigned char *src, uint32_t n) {
#ifdef __wasm__
    /* memory.copy is a call out of the engine's code (V8: a C function, its
     * arguments through memory), dearer than the item; words of at most 8
     * bytes, since a local array would live on the shadow stack. */
    if (n == 1) {
        *dst = *src;
        return;
    }
    /* straight code by the bits of n: a loop would become memory.copy again */
    if (n & 64u) { /* then n is 64 */
        RBS__MOVE_WORD(uint64_t);
        RBS__MOVE_WORD(uint64_t);
        RBS__MOVE_WORD(uint64_t);
        RBS__MOVE_WORD(uint64_t);
        RBS__MOVE_WORD(uint64_t);
        RBS__MOVE_WORD(uint64_t);
        RBS__MOVE_WORD(uint64_t);
        RBS__MOVE_WORD(uint64_t);
        return;
    }
    if (n & 32u) {
        RBS__MOVE_WORD(uint64_t);
        RBS__MOVE_WORD(uint64_t);
        RBS__MOVE_WORD(uint64_t);
        RBS__MOVE_WORD(uint64_t);
    }
    if (n & 16u) {
        RBS__MOVE_WORD(uint64_t);
        RBS__MOVE_WORD(uint64_t);
    }
    if (n & 8u) RBS__MOVE_WORD(uint64_t);
    if (n & 4u) RBS__MOVE_WORD(uint32_t);
    if (n & 2u) RBS__MOVE_WORD(uint16_t);
    if (n & 1u) *dst = *src;
#else
    if (n == 4) { /* the commonest items: straight to them */
        RBS__MOVE_PIECE(4);
        return;
    }
    if (n == 1) {
        *dst = *src;
        return;
    }
    if (n & 64u) { /* 16-byte pieces: gcc keeps larger ones on the stack */
        RBS__MOVE_PIECE(16);
        RBS__MOVE_PIECE(16);
        RBS__MOVE_PIECE(16);
        RBS__MOVE_PIECE(16);
    }
    if (n & 32u) {
        RBS__MOVE_PIECE(16);
        RBS__MOVE_PIECE(16);
    }
    if (n & 16u) RBS__MOVE_PIECE(16);
    if (n & 8u) RBS__MOVE_PIECE(8);
    if (n & 4u) RBS__MOVE_PIECE(4);
    if (n & 2u) RBS__MOVE_PIECE(2);
    if (n & 1u) *dst = *src;
#endif
}
#undef RBS__MOVE_WORD
#undef RBS__MOVE_PIECE

/* ------------------------------------------------------------------------ */
/* Shared by the kinds                                                       */
/* ------------------------------------------------------------------------ */

/* Formats the header and fills `v` (if not NULL); shared by the three inits. */
int rbs__format(rbs_view *v, void *region, size_t region_size, uint32_t capacity, uint32_t kind,
                uint32_t channels, uint32_t sample_rate);

#endif /* RBS_RING_INTERNAL_H */
