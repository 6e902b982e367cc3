/*
 * ring_ck.c — Concurrency Kit's ck_ring, single producer single consumer,
 * used the way ck_ring is meant to be used (its header-inline functions):
 *   1- and 4-byte items: the value itself in a pointer slot
 *     (ck_ring_enqueue_spsc / ck_ring_dequeue_spsc), one call each;
 *   64-byte and 4 KiB chunks: ck_ring's typed rings (CK_RING_PROTOTYPE), whose
 *     slots are the chunks themselves, so the same bytes are copied in and
 *     out as with the byte rings (a pool of pointers would move 8 bytes, not
 *     the data).
 * A ck_ring of 2^k slots holds 2^k - 1 items.
 */
#include "bench.h"

#include <ck_ring.h>
#include <stdlib.h>

struct bench_c64 {
    unsigned char b[ITEM_CHUNK_SMALL];
};
struct bench_c4k {
    unsigned char b[ITEM_CHUNK_LARGE];
};
CK_RING_PROTOTYPE(c64, bench_c64)
CK_RING_PROTOTYPE(c4k, bench_c4k)

typedef struct {
    ck_ring_t ring;
    void *slots; /* ck_ring_buffer_t[], struct bench_c64[] or struct bench_c4k[] */
} q_t;

static q_t *q_new(size_t item_bytes, size_t items) {
    size_t slot = item_bytes <= 4 ? sizeof(ck_ring_buffer_t) : item_bytes;
    q_t *q = aligned_alloc(64, (sizeof(q_t) + 63u) & ~(size_t)63u);
    if (q == NULL) return NULL;
    q->slots =
        aligned_alloc(BENCH_PAGE, (slot * items + BENCH_PAGE - 1) & ~(size_t)(BENCH_PAGE - 1));
    if (q->slots == NULL) {
        free(q);
        return NULL;
    }
    ck_ring_init(&q->ring, (unsigned int)items);
    return q;
}

static void q_free(q_t *q) {
    free(q->slots);
    free(q);
}

BENCH_INLINE int q_put(q_t *q, const unsigned char *item, size_t n) {
    if (n == ITEM_CHUNK_SMALL)
        return ck_ring_enqueue_spsc_c64(&q->ring, q->slots, (struct bench_c64 *)(uintptr_t)item);
    if (n == ITEM_CHUNK_LARGE)
        return ck_ring_enqueue_spsc_c4k(&q->ring, q->slots, (struct bench_c4k *)(uintptr_t)item);
    uint32_t v = 0;
    memcpy(&v, item, n);
    return ck_ring_enqueue_spsc(&q->ring, q->slots, (void *)(uintptr_t)v);
}

BENCH_INLINE int q_get(q_t *q, unsigned char *item, size_t n) {
    if (n == ITEM_CHUNK_SMALL)
        return ck_ring_dequeue_spsc_c64(&q->ring, q->slots, (struct bench_c64 *)(void *)item);
    if (n == ITEM_CHUNK_LARGE)
        return ck_ring_dequeue_spsc_c4k(&q->ring, q->slots, (struct bench_c4k *)(void *)item);
    void *p;
    if (!ck_ring_dequeue_spsc(&q->ring, q->slots, &p)) return 0;
    uint32_t v = (uint32_t)(uintptr_t)p;
    memcpy(item, &v, n);
    return 1;
}

#include "loops.h"

const struct bench_impl bench_ck = {"ck_ring", loops_stream, loops_pingpong, loops_solo};
