/*
 * item_floor.c — the yardstick beside item_loop.c: the same 1-byte workload
 * through the least a correct SPSC byte ring in WebAssembly can do per item
 * (no header checks, no error paths, no API): the counters on their own
 * cache lines, each side's cached copy of the other's counter, one byte
 * moved, one release store of the counter.  WebAssembly has only
 * sequentially consistent atomics, so that store is an xchg on x86, as it is
 * for rbs.  What the floor reaches is what any ring could reach in this
 * browser on this machine; the gap to rbs is the cost of rbs's calls.
 *
 * The floor's 8192-byte ring lives at an address the caller picks (a
 * 64-aligned region of struct floor_ring's size, zeroed); nothing touches
 * the stack, as in item_loop.c.
 */
#include <stdatomic.h>
#include <stdint.h>

#define FLOOR_CAPACITY 8192u

struct floor_ring {
    _Atomic uint32_t write; /* producer's line */
    unsigned char pad0[60];
    _Atomic uint32_t read; /* consumer's line */
    unsigned char pad1[60];
    uint32_t cached_read; /* producer-only line */
    unsigned char pad2[60];
    uint32_t cached_write; /* consumer-only line */
    unsigned char pad3[60];
    unsigned char data[FLOOR_CAPACITY];
};

uint32_t bench_floor_size(void);
void bench_pingpong(_Atomic uint32_t *word, uint32_t n, uint32_t starter);
int bench_floor_produce(struct floor_ring *q, uint32_t count, uint32_t *waits, uint32_t backoff);
int bench_floor_consume(struct floor_ring *q, uint32_t count, uint32_t first, uint32_t *waits,
                        uint32_t backoff);

/* As item_loop.c's spin(): about a cycle per step. */
static inline void spin(uint32_t steps) {
#pragma clang loop unroll(disable)
    for (uint32_t k = 0; k < steps; k++)
        __asm__ volatile("");
}

/* Bytes the caller must reserve (64-aligned, zeroed) for one floor ring. */
uint32_t bench_floor_size(void) {
    return (uint32_t)sizeof(struct floor_ring);
}

/* Items 0..count-1 (item i is the byte i mod 256), spinning while full. */
int bench_floor_produce(struct floor_ring *q, uint32_t count, uint32_t *waits, uint32_t backoff) {
    uint32_t w = atomic_load_explicit(&q->write, memory_order_relaxed), full = 0;
    for (uint32_t i = 0; i < count; i++) {
        while (w - q->cached_read >= FLOOR_CAPACITY) {
            q->cached_read = atomic_load_explicit(&q->read, memory_order_acquire);
            if (w - q->cached_read >= FLOOR_CAPACITY) {
                full++;
                spin(backoff);
            }
        }
        q->data[w & (FLOOR_CAPACITY - 1u)] = (unsigned char)i;
        atomic_store_explicit(&q->write, ++w, memory_order_release);
    }
    *waits = full;
    return 0;
}

/* Reads count items and returns how many were not (first + i) mod 256. */
int bench_floor_consume(struct floor_ring *q, uint32_t count, uint32_t first, uint32_t *waits,
                        uint32_t backoff) {
    uint32_t r = atomic_load_explicit(&q->read, memory_order_relaxed), empty = 0, wrong = 0;
    for (uint32_t i = 0; i < count; i++) {
        while (q->cached_write == r) {
            q->cached_write = atomic_load_explicit(&q->write, memory_order_acquire);
            if (q->cached_write == r) {
                empty++;
                spin(backoff);
            }
        }
        wrong += q->data[r & (FLOOR_CAPACITY - 1u)] != (unsigned char)(first + i);
        atomic_store_explicit(&q->read, ++r, memory_order_release);
    }
    *waits = empty;
    return (int)wrong;
}

/* The cache-line round trip between the two Workers (the yardstick of
 * how near the two cores are this time): the starter stores 2i+1 and waits
 * for 2i+2, the other side waits for 2i+1 and stores 2i+2; n times, polling
 * flat out (here the wait is what is measured).  *word must be 0 first. */
void bench_pingpong(_Atomic uint32_t *word, uint32_t n, uint32_t starter) {
    for (uint32_t i = 0; i < n; i++) {
        if (starter) {
            atomic_store_explicit(word, 2u * i + 1u, memory_order_release);
            while (atomic_load_explicit(word, memory_order_acquire) != 2u * i + 2u) {
            }
        } else {
            while (atomic_load_explicit(word, memory_order_acquire) != 2u * i + 1u) {
            }
            atomic_store_explicit(word, 2u * i + 2u, memory_order_release);
        }
    }
}
