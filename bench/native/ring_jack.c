/*
 * ring_jack.c — JACK's jack_ringbuffer (libjack, out of line, as JACK
 * clients link it; only the ring buffer functions are used, no server).
 * It is a byte stream that may accept part of a write, so an item is one
 * jack_ringbuffer_write (one jack_ringbuffer_read) in the common case, and
 * the rest of a partly accepted item is finished before the next -- the
 * cheapest correct way to move whole items through it.  jack rounds its
 * size up to a power of two and holds one byte less.
 */
#include "bench.h"

#include <jack/ringbuffer.h>

typedef jack_ringbuffer_t q_t;

static q_t *q_new(size_t item_bytes, size_t items) {
    return jack_ringbuffer_create(item_bytes * items);
}

static void q_free(q_t *q) {
    jack_ringbuffer_free(q);
}

BENCH_INLINE int q_put(q_t *q, const unsigned char *item, size_t n) {
    size_t done = jack_ringbuffer_write(q, (const char *)item, n);
    if (done == 0) return 0;
    while (done < n)
        done += jack_ringbuffer_write(q, (const char *)item + done, n - done);
    return 1;
}

BENCH_INLINE int q_get(q_t *q, unsigned char *item, size_t n) {
    size_t done = jack_ringbuffer_read(q, (char *)item, n);
    if (done == 0) return 0;
    while (done < n)
        done += jack_ringbuffer_read(q, (char *)item + done, n - done);
    return 1;
}

#include "loops.h"

const struct bench_impl bench_jack = {"jack", loops_stream, loops_pingpong, loops_solo};
