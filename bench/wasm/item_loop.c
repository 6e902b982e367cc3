/*
 * item_loop.c — the native benchmark's 1-byte items workload
 * (bench/native/loops.h: produce/consume with n == 1, rbs_write/rbs_read one
 * byte per call) as WebAssembly, for two Workers that each instantiate this
 * module over one shared memory (bench/browser/items.*).
 *
 * Built like the library's module (mk/wasm.mk's flags, linked with the same
 * core objects, the memory imported and shared) plus these two loops, so the
 * calls to rbs_write/rbs_read are the library's own, out of line.
 *
 * No loop touches the stack: every instance starts with the same
 * __stack_pointer, so a local whose address is taken would be the same bytes
 * in both threads.  The item byte and the wait counter therefore live in
 * memory the caller hands each side (its own cache line).
 *
 * Waiting: WebAssembly has no pause instruction.  When the ring is full or
 * empty the loops poll again at once, as the native latency loops do (see
 * BENCH_PAUSE in bench/native/bench.h for why the native throughput loops
 * pause instead).  BENCH_BACKOFF (a compile-time count) spins that many empty
 * steps between polls, to compare.
 */
#include "rbs.h"

#include <stdint.h>

#ifndef BENCH_BACKOFF
#define BENCH_BACKOFF 0
#endif

int bench_items_produce(rbs_ring *r, unsigned char *item, uint32_t count, uint32_t *waits);
int bench_items_consume(rbs_ring *r, unsigned char *item, uint32_t count, uint32_t first,
                        uint32_t *waits);

static inline void backoff(void) {
    for (int k = 0; k < BENCH_BACKOFF; k++)
        __asm__ volatile("");
}

/* Writes items 0..count-1 (item i is the byte i mod 256), one rbs_write of one
 * byte each, retrying while the ring is full.  Returns 0, or the negative code
 * of a call that failed.  *waits: how many calls found the ring full. */
int bench_items_produce(rbs_ring *r, unsigned char *item, uint32_t count, uint32_t *waits) {
    uint32_t full = 0;
    for (uint32_t i = 0; i < count; i++) {
        *item = (unsigned char)i;
        int rc;
        while ((rc = rbs_write(r, item, 1)) == 0) {
            full++;
            backoff();
        }
        if (rc != 1) {
            *waits = full;
            return rc < 0 ? rc : RBS_EINVAL;
        }
    }
    *waits = full;
    return 0;
}

/* Reads `count` items, one rbs_read of one byte each, retrying while the ring
 * is empty, and checks each against the sequence: item i must be
 * (first + i) mod 256 (first is 0 unless the check itself is being tested).
 * Returns how many items were wrong (a lost, repeated or reordered byte), or
 * the negative code of a call that failed. */
int bench_items_consume(rbs_ring *r, unsigned char *item, uint32_t count, uint32_t first,
                        uint32_t *waits) {
    uint32_t empty = 0, wrong = 0;
    for (uint32_t i = 0; i < count; i++) {
        int rc;
        while ((rc = rbs_read(r, item, 1)) == 0) {
            empty++;
            backoff();
        }
        if (rc != 1) {
            *waits = empty;
            return rc < 0 ? rc : RBS_EINVAL;
        }
        wrong += *item != (unsigned char)(first + i);
    }
    *waits = empty;
    return (int)wrong;
}
