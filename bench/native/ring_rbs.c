/*
 * ring_rbs.c — this project's byte ring under the benchmark, through its
 * public calls (out of line, in build/native/librbs.a), exactly as a user
 * links it.  1-byte items: rbs_write/rbs_read; larger items and chunks move
 * whole: rbs_write_all/rbs_read_all.  Both sides pass the view that
 * rbs_init filled, kept in memory of its own that no ring word shares.
 */
#include "bench.h"
#include "rbs.h"

#include <stdio.h>
#include <stdlib.h>

typedef struct {
    rbs_view v;           /* read-only after rbs_init, by both threads */
    unsigned char *block; /* the allocation that holds the region */
} q_t;

/* The header goes just before a page boundary so the data starts on one, as
 * ck_ring's slots do here (see BENCH_PAGE): a 4 KiB chunk then covers one
 * page instead of straddling two, which cost rbs ~2% against ck_ring.  Any
 * 64-byte-aligned place in a shared mapping is valid for a ring. */
#define DATA_SHIFT (BENCH_PAGE - RBS_HEADER_SIZE)

static q_t *q_new(size_t item_bytes, size_t items) {
    uint32_t cap = (uint32_t)(item_bytes * items);
    size_t size = rbs_region_size(cap);
    if (size == 0) return NULL;
    /* its own cache lines, so the view never shares one with a counter */
    q_t *q = aligned_alloc(64, (sizeof(q_t) + 63u) & ~(size_t)63u);
    if (q == NULL) return NULL;
    /* DATA_SHIFT bytes of padding, then the region (header and data) */
    size_t block_size = (DATA_SHIFT + size + BENCH_PAGE - 1) & ~(size_t)(BENCH_PAGE - 1);
    q->block = aligned_alloc(BENCH_PAGE, block_size);
    if (q->block == NULL) {
        free(q);
        return NULL;
    }
    int rc = rbs_init(&q->v, q->block + DATA_SHIFT, size, cap);
    if (rc != RBS_OK) {
        fprintf(stderr, "bench: rbs_init: %s\n", rbs_strerror(rc));
        free(q->block);
        free(q);
        return NULL;
    }
    return q;
}

static void q_free(q_t *q) {
    free(q->block);
    free(q);
}

/* A negative code other than "try again" is a failure of the ring. */
BENCH_INLINE int rbs_outcome(int rc, size_t n) {
    if (rc == (int)n) return 1;
    if (rc == 0 || rc == RBS_EAGAIN) return 0;
    fprintf(stderr, "bench: rbs: %s\n", rbs_strerror(rc));
    return -1;
}

BENCH_INLINE int q_put(q_t *q, const unsigned char *item, size_t n) {
    return rbs_outcome(n == 1 ? rbs_write(&q->v, item, 1) : rbs_write_all(&q->v, item, n), n);
}

BENCH_INLINE int q_get(q_t *q, unsigned char *item, size_t n) {
    return rbs_outcome(n == 1 ? rbs_read(&q->v, item, 1) : rbs_read_all(&q->v, item, n), n);
}

#include "loops.h"

const struct bench_impl bench_rbs = {"rbs", loops_stream, loops_pingpong, loops_solo};
