/*
 * bench.h — what the native benchmark's parts share: the two-thread harness,
 * the item stamping and checking, and the interface every ring under test
 * (rbs, ck_ring, jack) exports.
 */
#ifndef RBS_BENCH_H
#define RBS_BENCH_H

#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

/* Busy-wait steps, the same for every ring.
 * BENCH_PAUSE: the throughput loops, when a ring is full or empty, pause
 * before trying again, as spin-wait loops should (Intel's optimisation
 * manual): polling flat out keeps stealing the cache line the other side is
 * writing, and a ring then runs nearly empty with both threads on one line.
 * Measured here with flat polling: rbs's 4-byte items fell from ~90 to ~30 M
 * items/s and ck_ring's 1-byte items from ~160 to ~33, depending on which
 * side happened to be faster.
 * BENCH_SPIN: the latency loops (round trip, floors) spin flat out: there the
 * wait is what is measured. */
#if defined(__x86_64__) || defined(__i386__)
#define BENCH_PAUSE() __builtin_ia32_pause()
#else
#define BENCH_PAUSE() atomic_signal_fence(memory_order_seq_cst)
#endif
#define BENCH_SPIN() atomic_signal_fence(memory_order_seq_cst)

#define BENCH_INLINE static inline __attribute__((always_inline))

/* Item sizes the stream workloads move, and the ping-pong's item size. */
#define ITEM_CHUNK_SMALL 64u
#define ITEM_CHUNK_LARGE 4096u
#define PINGPONG_ITEM    4u

/* Ring sizes: the item workloads give every ring room for STREAM_ITEMS items,
 * the chunk workloads the same CHUNK_RING_BYTES of data, the ping-pong
 * PINGPONG_ITEMS items per direction. */
#define STREAM_ITEMS     8192u
#define CHUNK_RING_BYTES 65536u
#define PINGPONG_ITEMS   1024u

/* Each ring's data starts on a page boundary (rbs: its header just before
 * one; ck_ring: its slots; jack allocates its own): where a 4 KiB copy lands
 * relative to a page changed its speed by up to a third on this machine (4K
 * aliasing, copies straddling pages), so the rings get the same placement. */
#define BENCH_PAGE 4096u

/* How one run checks what it consumed. */
struct run_opts {
    uint64_t count;       /* items (or round trips) to move */
    uint64_t first;       /* sequence number the consumer expects first; 0 unless
                             the checker is being tested (then every item fails) */
    int verify_all_bytes; /* chunks: also compare every middle byte */
};

struct run_result {
    double seconds;   /* from the producer's first put to the consumer's last get */
    uint64_t checked; /* items the consumer checked */
    uint64_t errors;  /* items that were not what was sent */
};

/* One ring implementation under test.  Each call runs one measurement on two
 * pinned threads and returns 0, or -1 with a message on stderr when the ring
 * itself failed (an error code, an allocation). */
struct bench_impl {
    const char *name;
    int (*stream)(size_t item_bytes, const struct run_opts *o, struct run_result *res);
    int (*pingpong)(const struct run_opts *o, struct run_result *res);
    int (*solo)(size_t item_bytes, const struct run_opts *o, struct run_result *res);
};

extern const struct bench_impl bench_rbs, bench_ck, bench_jack;

/* The cache-line floor: two threads pass one line back and forth. */
int bench_floor(const struct run_opts *o, struct run_result *res);
/* The same with data and counter on separate lines, as in a ring. */
int bench_two_line_floor(const struct run_opts *o, struct run_result *res);

/* ---- harness.c ---------------------------------------------------------- */

/* Pins the calling thread to `cpu`; returns 0, or -1 when the platform does
 * not allow it (then every thread runs unpinned). */
int bench_pin(int cpu);
/* 1 when both threads are pinned (cores 0 and 1). */
int bench_pinned(void);
double bench_now(void);

/* Runs main_fn on this thread and peer_fn on a second thread pinned to the
 * other core; both start together (peer_fn is already spinning when main_fn
 * starts).  Returns 0, or -1 if the thread could not be created. */
int bench_pair(void (*main_fn)(void *), void (*peer_fn)(void *), void *arg);

/* The source bytes of a chunk: a fixed pattern that the consumer compares
 * when verify_all_bytes is set. */
extern unsigned char bench_pattern[ITEM_CHUNK_LARGE];
void bench_pattern_init(void);

/* ---- stamping and checking (the same code for every ring) --------------- */

/* The producer writes sequence number i into an item: the whole item for 1
 * and 4 bytes; the first and the last 8 bytes of a chunk (i and ~i). */
BENCH_INLINE void bench_stamp(unsigned char *item, size_t n, uint64_t i) {
    if (n == 1) {
        item[0] = (unsigned char)i;
    } else if (n == 4) {
        uint32_t v = (uint32_t)i;
        memcpy(item, &v, 4);
    } else {
        uint64_t head = i, tail = ~i;
        memcpy(item, &head, 8);
        memcpy(item + n - 8, &tail, 8);
    }
}

/* The consumer's check: 1 when the item is not sequence number i (a lost,
 * repeated, reordered or torn item). */
BENCH_INLINE int bench_bad(const unsigned char *item, size_t n, uint64_t i, int all_bytes) {
    if (n == 1) return item[0] != (unsigned char)i;
    if (n == 4) {
        uint32_t v;
        memcpy(&v, item, 4);
        return v != (uint32_t)i;
    }
    uint64_t head, tail;
    memcpy(&head, item, 8);
    memcpy(&tail, item + n - 8, 8);
    if (head != i || tail != ~i) return 1;
    return all_bytes && memcmp(item + 8, bench_pattern + 8, n - 16) != 0;
}

#endif /* RBS_BENCH_H */
