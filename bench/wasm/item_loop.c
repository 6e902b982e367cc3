/*
 * item_loop.c — the native benchmark's 1-byte items workload
 * (bench/native/loops.h: produce/consume with n == 1, one byte per call) as
 * WebAssembly, for two Workers that each instantiate this module over one
 * shared memory (bench/browser/items.*).
 *
 * Built like the library's module (mk/wasm.mk's flags, linked with the same
 * core objects, the memory imported and shared) plus these loops, so the
 * calls are the library's own rbs_write/rbs_read (wasm-opt may inline them
 * into the loops, as it does the floor's).  Each side passes its own
 * rbs_view, filled by rbs_attach in memory its Worker hands in: measured
 * against rbs_wasm_write/rbs_wasm_read (the JS package's entry points, the
 * geometry as an argument), the view was faster, about 0.78x the floor
 * against 0.70x in Chromium, since those entry points also check after
 * every publication whether the other side sleeps, and decode the geometry.
 *
 * No loop touches the stack: every instance starts with the same
 * __stack_pointer, so a local whose address is taken would be the same bytes
 * in both threads.  The view, the item byte and the wait counter therefore
 * live in memory the caller hands each side (its own cache line).
 *
 * Waiting: WebAssembly has no pause instruction, so a loop that finds the
 * ring full or empty spins `backoff` empty steps before it polls again (0:
 * polls at once), for the reason given at BENCH_PAUSE in
 * bench/native/bench.h: polling flat out steals the cache line the other
 * side is writing, and the ring runs nearly empty.  The call is retried by
 * the item loop itself, as in the floor's loop, not by a wait loop around
 * it: V8 gives every loop header a stack check, and a wait loop entered for
 * every item costs one more per item.
 */
#include "rbs.h"

int bench_items_produce(const rbs_view *v, unsigned char *item, uint32_t count, uint32_t *waits,
                        uint32_t backoff);
int bench_items_consume(const rbs_view *v, unsigned char *item, uint32_t count, uint32_t first,
                        uint32_t *waits, uint32_t backoff);

/* `steps` empty loop turns, about a cycle each: the asm statement is volatile,
 * so the compiler keeps every turn, and not unrolled, so a step is a turn. */
static inline void spin(uint32_t steps) {
#pragma clang loop unroll(disable)
    for (uint32_t k = 0; k < steps; k++)
        __asm__ volatile("");
}

/* Writes items 0..count-1 (item i is the byte i mod 256), one rbs_write of
 * one byte each, retrying while the ring is full.  Returns 0, or the
 * negative code of a call that failed.  *waits: how many calls found the ring
 * full. */
int bench_items_produce(const rbs_view *v, unsigned char *item, uint32_t count, uint32_t *waits,
                        uint32_t backoff) {
    uint32_t full = 0;
    for (uint32_t i = 0; i < count;) {
        *item = (unsigned char)i;
        int rc = rbs_write(v, item, 1);
        if (rc == 1) {
            i++;
        } else if (rc == 0) {
            full++;
            spin(backoff);
        } else {
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
int bench_items_consume(const rbs_view *v, unsigned char *item, uint32_t count, uint32_t first,
                        uint32_t *waits, uint32_t backoff) {
    uint32_t empty = 0, wrong = 0;
    for (uint32_t i = 0; i < count;) {
        int rc = rbs_read(v, item, 1);
        if (rc == 1) {
            wrong += *item != (unsigned char)(first + i);
            i++;
        } else if (rc == 0) {
            empty++;
            spin(backoff);
        } else {
            *waits = empty;
            return rc < 0 ? rc : RBS_EINVAL;
        }
    }
    *waits = empty;
    return (int)wrong;
}
