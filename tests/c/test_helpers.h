/*
 * test_helpers.h — what every Criterion test file needs: rings in regions
 * allocated exactly to size (so AddressSanitizer catches any access past
 * them) with the test's own view of each, raw access to header words through
 * the published offsets, a deterministic byte sequence, and the stress volume
 * from the environment.
 */
#ifndef RBS_TEST_HELPERS_H
#define RBS_TEST_HELPERS_H

#include "rbs.h"

#include <criterion/criterion.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* A 64-byte aligned region of exactly `size` bytes (rounded up to 64 only
 * because aligned_alloc needs it; region sizes are multiples of 64 anyway). */
static inline void *rbs_test_region(size_t size) {
    size_t rounded = (size + 63u) & ~(size_t)63u;
    void *p = aligned_alloc(64, rounded);
    cr_assert_not_null(p, "aligned_alloc(%zu) failed", rounded);
    memset(p, 0xA5, rounded); /* garbage, as fresh shared memory might hold */
    return p;
}

/* A byte ring of `capacity` in a fresh region; free(view.ring) frees it. */
static inline rbs_view rbs_test_ring(uint32_t capacity) {
    size_t size = rbs_region_size(capacity);
    cr_assert_gt(size, 0u, "capacity %u should be valid", capacity);
    rbs_view v;
    cr_assert_eq(rbs_init(&v, rbs_test_region(size), size, capacity), RBS_OK);
    return v;
}

/* A message ring, likewise. */
static inline rbs_view rbs_test_msg_ring(uint32_t capacity) {
    size_t size = rbs_region_size(capacity);
    cr_assert_gt(size, 0u, "capacity %u should be valid", capacity);
    rbs_view v;
    cr_assert_eq(rbs_msg_init(&v, rbs_test_region(size), size, capacity), RBS_OK);
    return v;
}

/* An audio ring at 48 kHz, likewise. */
static inline rbs_view rbs_test_audio_ring(uint32_t capacity, uint32_t channels) {
    size_t size = rbs_region_size(capacity);
    cr_assert_gt(size, 0u, "capacity %u should be valid", capacity);
    rbs_view v;
    cr_assert_eq(rbs_audio_init(&v, rbs_test_region(size), size, capacity, channels, 48000), RBS_OK,
                 "init %u bytes, %u channels", capacity, channels);
    return v;
}

/* Two views hold the same geometry (field by field: a struct's padding is
 * not part of it). */
static inline int rbs_test_same_view(const rbs_view *a, const rbs_view *b) {
    return a->ring == b->ring && a->data == b->data && a->capacity == b->capacity &&
           a->kind == b->kind && a->channels == b->channels && a->sample_rate == b->sample_rate &&
           a->frame_bytes == b->frame_bytes && a->max_frames == b->max_frames &&
           a->meta_check == b->meta_check;
}

/* A header word, read or written through its documented offset, as the JS
 * side or a hostile other party would do it. */
static inline uint32_t rbs_test_word(const void *region, uint32_t off) {
    uint32_t v;
    memcpy(&v, (const unsigned char *)region + off, sizeof v);
    return v;
}
static inline void rbs_test_set_word(void *region, uint32_t off, uint32_t v) {
    memcpy((unsigned char *)region + off, &v, sizeof v);
}

/* The byte at stream position i of the deterministic test sequence: a
 * position-dependent hash, so a lost, repeated or swapped byte is caught. */
static inline uint8_t rbs_test_byte(uint64_t i) {
    uint64_t x = i * 0x9E3779B97F4A7C15ull;
    return (uint8_t)((x >> 56) ^ (x >> 24) ^ i);
}

static inline void rbs_test_fill(uint8_t *dst, uint64_t start, size_t n) {
    for (size_t k = 0; k < n; k++)
        dst[k] = rbs_test_byte(start + k);
}

/* Checks n bytes read at stream position `start` against rbs_test_fill's
 * stream: the first wrong position goes to *first_bad unless one is there
 * already (UINT64_MAX: none yet). */
static inline void rbs_test_check(const uint8_t *src, uint64_t start, size_t n,
                                  uint64_t *first_bad) {
    for (size_t k = 0; k < n && *first_bad == UINT64_MAX; k++)
        if (src[k] != rbs_test_byte(start + k)) *first_bad = start + k;
}

/* A small deterministic PRNG (xorshift64*) for chunk sizes. */
static inline uint64_t rbs_test_rand(uint64_t *state) {
    uint64_t x = *state;
    x ^= x >> 12;
    x ^= x << 25;
    x ^= x >> 27;
    *state = x;
    return x * 0x2545F4914F6CDD1Dull;
}

/* Bytes to push through a stress test: RBS_STRESS_BYTES, or `fallback`. */
static inline uint64_t rbs_test_stress_bytes(uint64_t fallback) {
    const char *s = getenv("RBS_STRESS_BYTES");
    if (s == NULL || *s == '\0') return fallback;
    return strtoull(s, NULL, 10);
}

#endif /* RBS_TEST_HELPERS_H */
