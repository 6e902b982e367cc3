/*
 * ring_internal.h — the header's C struct and the checked counter helpers that
 * the byte, message and audio calls share.  Not part of the public API.
 *
 * Invariants (checked, never assumed, because the other side may be buggy):
 *   I1  capacity is a power of two in [RBS_MIN_CAPACITY, RBS_MAX_CAPACITY] and
 *       meta_check == rbs__meta_check(...) -- else RBS_ECORRUPT.
 *   I2  used = write - read (mod 2^32) <= capacity -- else RBS_ECORRUPT.
 *   I3  every data access is at (counter & mask) + k with k < capacity, and
 *       is split at the end of the buffer, so it stays inside the region.
 *   I4  only the producer stores `write`, only the consumer stores `read`.
 *
 * Memory ordering (the only two orderings that matter):
 *   - producer: copy data, then store `write` with release;
 *     consumer: load `write` with acquire, then copy data out.
 *   - consumer: copy data out, then store `read` with release;
 *     producer: load `read` with acquire, then overwrite that space.
 * A side's own counter is loaded relaxed: only that side stores it.
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
#define RBS__HOT static inline __attribute__((always_inline))

struct rbs_ring {
    /* meta line: written by init, read-only after */
    uint32_t magic;
    uint32_t abi_version;
    uint32_t header_size;
    uint32_t capacity;
    uint32_t kind;
    uint32_t channels;
    uint32_t sample_rate;
    uint32_t frame_bytes;
    uint32_t meta_check;
    uint32_t meta_pad[7];

    /* producer line */
    alignas(64) rbs_word write;
    rbs_word closed;
    rbs_word overruns;
    rbs_word producer_waiting;
    rbs_word producer_owner;
    rbs_word producer_heartbeat;
    rbs_word frames_written;
    uint32_t producer_pad[9];

    /* consumer line */
    alignas(64) rbs_word read;
    rbs_word underruns;
    rbs_word consumer_waiting;
    rbs_word consumer_owner;
    rbs_word consumer_heartbeat;
    rbs_word frames_read;
    rbs_word audio_started;
    uint32_t consumer_pad[9];

    /* producer-only line: the consumer never reads it */
    alignas(64) rbs_word cached_read;
    rbs_word reserved;
    rbs_word reserved_at; /* byte ring: the write counter when it reserved */
    uint32_t producer_private_pad[13];

    /* consumer-only line: the producer never reads it */
    alignas(64) rbs_word cached_write;
    rbs_word acquired;
    rbs_word acquired_at; /* byte ring: the read counter when it acquired */
    uint32_t consumer_private_pad[13];

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
RBS__AT(producer_waiting, RBS_OFF_PRODUCER_WAITING);
RBS__AT(producer_owner, RBS_OFF_PRODUCER_OWNER);
RBS__AT(producer_heartbeat, RBS_OFF_PRODUCER_HEARTBEAT);
RBS__AT(frames_written, RBS_OFF_FRAMES_WRITTEN);
RBS__AT(read, RBS_OFF_READ);
RBS__AT(underruns, RBS_OFF_UNDERRUNS);
RBS__AT(consumer_waiting, RBS_OFF_CONSUMER_WAITING);
RBS__AT(consumer_owner, RBS_OFF_CONSUMER_OWNER);
RBS__AT(consumer_heartbeat, RBS_OFF_CONSUMER_HEARTBEAT);
RBS__AT(frames_read, RBS_OFF_FRAMES_READ);
RBS__AT(audio_started, RBS_OFF_AUDIO_STARTED);
RBS__AT(cached_read, RBS_OFF_CACHED_READ);
RBS__AT(reserved, RBS_OFF_RESERVED);
RBS__AT(reserved_at, RBS_OFF_RESERVED_AT);
RBS__AT(cached_write, RBS_OFF_CACHED_WRITE);
RBS__AT(acquired, RBS_OFF_ACQUIRED);
RBS__AT(acquired_at, RBS_OFF_ACQUIRED_AT);
RBS__AT(data, RBS_OFF_DATA);
_Static_assert(sizeof(struct rbs_ring) == RBS_HEADER_SIZE, "header size");
/* The JS scratch words sit in the private lines' padding, after every C field. */
_Static_assert(RBS_OFF_PRODUCER_SCRATCH >= offsetof(struct rbs_ring, producer_private_pad) &&
                   RBS_OFF_PRODUCER_SCRATCH + RBS_SCRATCH_SIZE <= RBS_OFF_CACHED_WRITE,
               "producer scratch inside the producer-only line's padding");
_Static_assert(RBS_OFF_CONSUMER_SCRATCH >= offsetof(struct rbs_ring, consumer_private_pad) &&
                   RBS_OFF_CONSUMER_SCRATCH + RBS_SCRATCH_SIZE <= RBS_HEADER_SIZE,
               "consumer scratch inside the consumer-only line's padding");
_Static_assert(sizeof(rbs_word) == 4, "32-bit counters");

/* Loads and stores of this side's private words: relaxed, since one thread
 * owns them; atomic only so that a hostile other thread cannot make them UB. */
#define RBS__LOAD_OWN(p)     atomic_load_explicit((p), memory_order_relaxed)
#define RBS__STORE_OWN(p, v) atomic_store_explicit((p), (v), memory_order_relaxed)

/* Check word over the meta line: catches a stray write to it (invariant I1).
 * Not a defence against a forger, who could rewrite the word as well; the
 * meta line is outside what the other side is allowed to write.
 * Each checked word times its own odd constant, all xor-ed together:
 * multiplying by an odd number is a bijection modulo 2^32, so changing any
 * ONE word -- or the check word itself -- always changes the comparison.
 * The terms are independent (no chain), and a call that knows every word but
 * the capacity (the byte calls: kind bytes, no audio format) folds the check
 * down to one multiply. */
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

/* Validates the meta line and the kind; returns the capacity or a code.
 * Reads only the meta line (read-only after init, so it stays in every
 * core's cache and costs no coherence traffic). */
static inline int64_t rbs__meta(const rbs_ring *r, uint32_t kind) {
    if (r == NULL) return RBS_EINVAL;
    uint32_t cap = r->capacity;
    if (!rbs__valid_capacity(cap) || r->magic != RBS_MAGIC ||
        r->meta_check !=
            rbs__meta_check(cap, r->kind, r->channels, r->sample_rate, r->frame_bytes)) {
        return RBS_ECORRUPT;
    }
    if (kind != 0 && r->kind != kind) return RBS_EKIND;
    return cap;
}

/* Producer: bytes free now.  Uses the cached read counter first and loads the
 * shared one (acquire: the consumer finished copying out of that space) only
 * when the cache says fewer than `need` bytes are free. */
static inline int64_t rbs__producer_free(rbs_ring *r, uint32_t cap, uint32_t w, uint32_t need) {
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
static inline int64_t rbs__consumer_used(rbs_ring *r, uint32_t cap, uint32_t rd, uint32_t need) {
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

/* memcpy, except that a large copy on x86-64 is one `rep movsb`: on CPUs
 * with fast string moves it writes whole cache lines without first reading
 * them (no read-for-ownership), which matters when the other core holds the
 * lines it last read -- it made 4 KiB chunks ~6% faster here, level with
 * ck_ring's inline `rep movsq`.  Below 2 KiB, memcpy's vector loop is as fast. */
static inline void rbs__copy_bytes(void *dst, const void *src, size_t n) {
#if defined(__x86_64__) && defined(__GNUC__) && !defined(RBS__SANITIZED)
    if (n >= 2048u) {
        __asm__ volatile("rep movsb" : "+D"(dst), "+S"(src), "+c"(n) : : "memory");
        return;
    }
#endif
    __builtin_memcpy(dst, src, n);
}

/* Bytes in the ring as seen by anyone, for the queries either side (or a
 * third thread) may make.  Two separate loads are not a snapshot: between
 * them the consumer can move `read` past the `write` already loaded, which
 * would look like corruption.  So `read` is loaded before and after `write`;
 * when it did not move, write - read is the fill at the moment `write` was
 * loaded and must be <= capacity.  A ring whose consumer keeps moving is
 * retried a few times; the last try is checked like the others. */
static inline int64_t rbs__used_snapshot(const rbs_ring *r, uint32_t cap) {
    uint32_t used = 0;
    for (int tries = 0; tries < 16; tries++) {
        uint32_t rd = atomic_load_explicit(&r->read, memory_order_acquire);
        uint32_t w = atomic_load_explicit(&r->write, memory_order_acquire);
        used = w - rd;
        if (atomic_load_explicit(&r->read, memory_order_acquire) == rd) break;
    }
    return used > cap ? RBS_ECORRUPT : (int64_t)used;
}

/* Copies n bytes into the ring at counter w, split at the end (invariant I3). */
static inline void rbs__copy_in(rbs_ring *r, uint32_t cap, uint32_t w, const void *src,
                                uint32_t n) {
    uint32_t pos = w & (cap - 1u);
    uint32_t first = cap - pos < n ? cap - pos : n;
    rbs__copy_bytes(r->data + pos, src, first);
    if (n > first) rbs__copy_bytes(r->data, (const unsigned char *)src + first, n - first);
}

static inline void rbs__copy_out(const rbs_ring *r, uint32_t cap, uint32_t rd, void *dst,
                                 uint32_t n) {
    uint32_t pos = rd & (cap - 1u);
    uint32_t first = cap - pos < n ? cap - pos : n;
    rbs__copy_bytes(dst, r->data + pos, first);
    if (n > first) rbs__copy_bytes((unsigned char *)dst + first, r->data, n - first);
}

/* Moves n <= 64 bytes with fixed-size loads and stores instead of a call to
 * memcpy: small items are the hot path's common case.  The pieces follow the
 * bits of n (64, 32, 16, 8, 4, 2, 1 bytes), so every byte is loaded once and
 * stored once -- never an overlapping second access: a second load of bytes
 * the other core is writing costs the reader a pipeline flush, and it halved
 * the rate of 4-byte items here.  Every access stays within dst[0..n) and
 * src[0..n). */
#define RBS__MOVE_PIECE(size)                                                                      \
    do {                                                                                           \
        unsigned char piece[size];                                                                 \
        __builtin_memcpy(piece, src, size);                                                        \
        __builtin_memcpy(dst, piece, size);                                                        \
        src += (size);                                                                             \
        dst += (size);                                                                             \
    } while (0)
static inline void rbs__move_small(unsigned char *dst, const unsigned char *src, uint32_t n) {
#ifdef __wasm__
    /* WebAssembly has the copy as one instruction (memory.copy, bulk memory),
     * and local buffers would live on its shadow stack. */
    __builtin_memcpy(dst, src, n);
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
#undef RBS__MOVE_PIECE

/* Formats the header; shared by the three init calls. */
int rbs__format(rbs_ring *r, size_t region_size, uint32_t capacity, uint32_t kind,
                uint32_t channels, uint32_t sample_rate, uint32_t frame_bytes);

/* Consumer: 1 when the ring is empty and closed, re-checking the write
 * counter after seeing the flag (the producer stores `write` before `closed`). */
int rbs__empty_and_closed(rbs_ring *r, uint32_t rd);

#endif /* RBS_RING_INTERNAL_H */
