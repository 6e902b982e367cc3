/*
 * test_ring.c — the byte ring, one thread: every error code, every byte of
 * capacity usable, wrapping data, wrapping 32-bit counters, partial against
 * all-or-nothing, peek/skip, zero-copy spans, close, corrupt headers.
 */
#include "test_helpers.h"

#include <stdio.h>

/* ---- producer and consumer on one thread --------------------------------- */

Test(ring_bytes, every_byte_of_capacity_is_usable) {
    rbs_view v = rbs_test_ring(64);
    uint8_t in[64], out[64];
    rbs_test_fill(in, 0, 64);
    cr_assert_eq(rbs_write(&v, in, 64), 64);
    cr_assert_eq(rbs_readable(&v), 64);
    cr_assert_eq(rbs_writable(&v), 0);
    cr_assert_eq(rbs_write(&v, in, 1), 0, "full: a partial write writes nothing");
    cr_assert_eq(rbs_write_all(&v, in, 1), RBS_EAGAIN);
    cr_assert_eq(rbs_read(&v, out, 64), 64);
    cr_assert_arr_eq(in, out, 64);
    cr_assert_eq(rbs_read(&v, out, 1), 0, "empty, not closed: nothing yet");
    free(v.ring);
}

Test(ring_bytes, partial_write_returns_exactly_what_fit) {
    rbs_view v = rbs_test_ring(32);
    uint8_t in[100], out[100];
    rbs_test_fill(in, 0, 100);
    cr_assert_eq(rbs_write(&v, in, 20), 20);
    cr_assert_eq(rbs_write(&v, in + 20, 80), 12);
    cr_assert_eq(rbs_read(&v, out, 100), 32);
    cr_assert_arr_eq(in, out, 32);
    free(v.ring);
}

Test(ring_bytes, all_or_nothing_write_and_read) {
    rbs_view v = rbs_test_ring(32);
    uint8_t in[64], out[64];
    rbs_test_fill(in, 0, 64);
    cr_assert_eq(rbs_write_all(&v, in, 33), RBS_ETOOBIG, "more than the capacity, ever");
    cr_assert_eq(rbs_write_all(&v, in, 20), 20);
    cr_assert_eq(rbs_write_all(&v, in + 20, 13), RBS_EAGAIN, "12 free, 13 asked: none written");
    cr_assert_eq(rbs_readable(&v), 20);
    cr_assert_eq(rbs_write_all(&v, in + 20, 12), 12);
    cr_assert_eq(rbs_read_all(&v, out, 33), RBS_ETOOBIG);
    cr_assert_eq(rbs_read_all(&v, out, 10), 10);
    cr_assert_eq(rbs_read_all(&v, out + 10, 23), RBS_EAGAIN, "22 there, 23 asked: none read");
    cr_assert_eq(rbs_readable(&v), 22);
    cr_assert_eq(rbs_read_all(&v, out + 10, 22), 22);
    cr_assert_arr_eq(in, out, 32);
    cr_assert_eq(rbs_write_all(&v, in, 0), 0);
    cr_assert_eq(rbs_read_all(&v, out, 0), 0);
    free(v.ring);
}

Test(ring_bytes, data_wraps_at_the_end_of_the_buffer) {
    rbs_view v = rbs_test_ring(16);
    uint8_t in[256], out[256];
    rbs_test_fill(in, 0, 256);
    size_t wpos = 0, rpos = 0;
    /* Odd chunk sizes walk the positions across the end many times. */
    for (int i = 0; i < 40; i++) {
        int w = rbs_write(&v, in + wpos, 7);
        cr_assert_geq(w, 0);
        wpos += (size_t)w;
        int rd = rbs_read(&v, out + rpos, 5);
        cr_assert_geq(rd, 0);
        rpos += (size_t)rd;
        if (wpos > 240) break;
    }
    int rd;
    while ((rd = rbs_read(&v, out + rpos, 16)) > 0)
        rpos += (size_t)rd;
    cr_assert_eq(rpos, wpos);
    cr_assert_arr_eq(in, out, rpos);
    free(v.ring);
}

Test(ring_bytes, counters_wrap_past_2_pow_32) {
    rbs_view v = rbs_test_ring(64);
    /* Start both counters 10 bytes before 2^32, through the documented
     * offsets (both private caches too, as a ring that ran for hours has). */
    const uint32_t start = UINT32_MAX - 9u;
    rbs_test_set_word(v.ring, RBS_OFF_WRITE, start);
    rbs_test_set_word(v.ring, RBS_OFF_READ, start);
    rbs_test_set_word(v.ring, RBS_OFF_CACHED_READ, start);
    rbs_test_set_word(v.ring, RBS_OFF_CACHED_WRITE, start);
    uint8_t in[200], out[200];
    rbs_test_fill(in, 7, 200);
    uint64_t moved = 0;
    for (int i = 0; i < 10; i++) {
        cr_assert_eq(rbs_write_all(&v, in + 20 * i, 20), 20);
        cr_assert_eq(rbs_readable(&v), 20);
        cr_assert_eq(rbs_writable(&v), 44);
        cr_assert_eq(rbs_read_all(&v, out + 20 * i, 20), 20);
        moved += 20;
    }
    cr_assert_arr_eq(in, out, 200);
    cr_assert_eq(rbs_test_word(v.ring, RBS_OFF_WRITE), (uint32_t)(start + moved), "wrapped past 0");
    cr_assert_lt(rbs_test_word(v.ring, RBS_OFF_WRITE), start);
    free(v.ring);
}

Test(ring_bytes, peek_copies_without_consuming_and_skip_discards) {
    rbs_view v = rbs_test_ring(32);
    uint8_t in[32], out[32];
    rbs_test_fill(in, 100, 32);
    cr_assert_eq(rbs_write(&v, in, 30), 30);
    cr_assert_eq(rbs_peek(&v, out, 10), 10);
    cr_assert_arr_eq(in, out, 10);
    cr_assert_eq(rbs_readable(&v), 30, "peek consumed nothing");
    cr_assert_eq(rbs_peek(&v, out, 64), 30, "peek is bounded by what is there");
    cr_assert_eq(rbs_skip(&v, 12), 12);
    cr_assert_eq(rbs_readable(&v), 18);
    cr_assert_eq(rbs_read(&v, out, 5), 5);
    cr_assert_arr_eq(in + 12, out, 5);
    cr_assert_eq(rbs_skip(&v, 1000), 13, "skip is bounded by what is there");
    cr_assert_eq(rbs_skip(&v, 1), 0);
    cr_assert_eq(rbs_peek(&v, out, 1), 0);
    free(v.ring);
}

Test(ring_bytes, null_buffers_are_refused) {
    rbs_view v = rbs_test_ring(32);
    cr_assert_eq(rbs_write(&v, NULL, 1), RBS_EINVAL);
    cr_assert_eq(rbs_write_all(&v, NULL, 1), RBS_EINVAL);
    cr_assert_eq(rbs_read(&v, NULL, 1), RBS_EINVAL);
    cr_assert_eq(rbs_read_all(&v, NULL, 1), RBS_EINVAL);
    cr_assert_eq(rbs_peek(&v, NULL, 1), RBS_EINVAL);
    cr_assert_eq(rbs_write_reserve(&v, 4, NULL), RBS_EINVAL);
    cr_assert_eq(rbs_read_acquire(&v, 4, NULL), RBS_EINVAL);
    cr_assert_eq(rbs_write(NULL, "x", 1), RBS_EINVAL);
    cr_assert_eq(rbs_read(NULL, (char[1]){0}, 1), RBS_EINVAL);
    cr_assert_eq(rbs_write(&v, NULL, 0), 0, "zero bytes from nowhere is fine");
    free(v.ring);
}

/* ---- zero-copy spans ------------------------------------------------------ */

Test(ring_spans, reserve_and_commit_across_the_wrap) {
    rbs_view v = rbs_test_ring(16);
    uint8_t in[16], out[16];
    rbs_test_fill(in, 0, 16);
    cr_assert_eq(rbs_write(&v, in, 12), 12);
    cr_assert_eq(rbs_skip(&v, 12), 12); /* positions now at 12 */
    rbs_span s[2];
    cr_assert_eq(rbs_write_reserve(&v, 10, s), 10);
    cr_assert_eq(s[0].len, 4u, "4 bytes to the end of the buffer");
    cr_assert_eq(s[1].len, 6u, "6 more from its start");
    cr_assert_eq((unsigned char *)s[0].ptr, v.data + 12);
    cr_assert_eq((unsigned char *)s[1].ptr, v.data);
    memcpy(s[0].ptr, in, 4);
    memcpy(s[1].ptr, in + 4, 6);
    cr_assert_eq(rbs_readable(&v), 0, "nothing visible before commit");
    cr_assert_eq(rbs_write_commit(&v, 11), RBS_EINVAL, "more than reserved");
    cr_assert_eq(rbs_readable(&v), 0, "a refused commit changes nothing");
    cr_assert_eq(rbs_write_commit(&v, 10), 10);
    cr_assert_eq(rbs_read(&v, out, 16), 10);
    cr_assert_arr_eq(in, out, 10);
    free(v.ring);
}

Test(ring_spans, reserve_is_bounded_by_free_space_and_replaced_by_the_next) {
    rbs_view v = rbs_test_ring(16);
    rbs_span s[2];
    cr_assert_eq(rbs_write(&v, "0123456789", 10), 10);
    cr_assert_eq(rbs_write_reserve(&v, 100, s), 6);
    cr_assert_eq(s[0].len + s[1].len, 6u);
    cr_assert_eq(rbs_write_reserve(&v, 2, s), 2, "a new reserve replaces the old");
    cr_assert_eq(rbs_write_commit(&v, 3), RBS_EINVAL);
    cr_assert_eq(rbs_write_commit(&v, 2), 2);
    cr_assert_eq(rbs_write_commit(&v, 1), RBS_EINVAL, "a commit ends the reservation");
    cr_assert_eq(rbs_write_reserve(&v, 100, s), 4);
    cr_assert_eq(rbs_write_commit(&v, 0), 0, "dropping a reservation");
    cr_assert_eq(rbs_readable(&v), 12);
    cr_assert_eq(rbs_write(&v, "abcd", 4), 4);
    cr_assert_eq(rbs_write_reserve(&v, 1, s), 0, "full");
    cr_assert_eq(s[0].len, 0u);
    cr_assert_null(s[0].ptr);
    free(v.ring);
}

Test(ring_spans, acquire_and_release_across_the_wrap) {
    rbs_view v = rbs_test_ring(16);
    uint8_t in[16];
    rbs_test_fill(in, 3, 16);
    cr_assert_eq(rbs_write(&v, in, 14), 14);
    cr_assert_eq(rbs_skip(&v, 14), 14);
    cr_assert_eq(rbs_write(&v, in, 9), 9); /* 2 bytes at the end, 7 at the start */
    rbs_span s[2];
    cr_assert_eq(rbs_read_acquire(&v, 100, s), 9);
    cr_assert_eq(s[0].len, 2u);
    cr_assert_eq(s[1].len, 7u);
    cr_assert_arr_eq(s[0].ptr, in, 2);
    cr_assert_arr_eq(s[1].ptr, in + 2, 7);
    cr_assert_eq(rbs_read_release(&v, 10), RBS_EINVAL, "more than acquired");
    cr_assert_eq(rbs_readable(&v), 9, "a refused release changes nothing");
    cr_assert_eq(rbs_read_release(&v, 3), 3);
    cr_assert_eq(rbs_read_release(&v, 1), RBS_EINVAL, "a release ends the acquire");
    cr_assert_eq(rbs_read_acquire(&v, 4, s), 4);
    cr_assert_arr_eq(s[0].ptr, in + 3, 4);
    cr_assert_eq(rbs_read_release(&v, 4), 4);
    cr_assert_eq(rbs_readable(&v), 2);
    free(v.ring);
}

Test(ring_spans, a_write_between_reserve_and_commit_voids_the_reservation) {
    rbs_view v = rbs_test_ring(32);
    uint8_t out[32];
    rbs_span s[2];
    cr_assert_eq(rbs_write_reserve(&v, 4, s), 4);
    memcpy(s[0].ptr, "WXYZ", 4);
    cr_assert_eq(rbs_write(&v, "ab", 2), 2);
    cr_assert_eq(rbs_write_commit(&v, 4), RBS_EINVAL, "the spans no longer start at the end");
    cr_assert_eq(rbs_write_commit(&v, 1), RBS_EINVAL, "and the reservation is gone");
    cr_assert_eq(rbs_readable(&v), 2, "only what rbs_write wrote");
    cr_assert_eq(rbs_read(&v, out, 32), 2);
    cr_assert_arr_eq(out, "ab", 2);
    /* A write that moved nothing (full ring) leaves the reservation valid. */
    rbs_view full = rbs_test_ring(16);
    cr_assert_eq(rbs_write(&full, "0123456789abcdef", 16), 16);
    cr_assert_eq(rbs_read(&full, out, 4), 4);
    cr_assert_eq(rbs_write_reserve(&full, 4, s), 4);
    cr_assert_eq(rbs_write_all(&full, "toolong", 7), RBS_EAGAIN);
    cr_assert_eq(rbs_write_commit(&full, 4), 4);
    free(full.ring);
    free(v.ring);
}

Test(ring_spans, a_read_between_acquire_and_release_voids_the_acquire) {
    rbs_view v = rbs_test_ring(32);
    uint8_t out[32];
    rbs_span s[2];
    cr_assert_eq(rbs_write(&v, "abcdefghij", 10), 10);
    cr_assert_eq(rbs_read_acquire(&v, 4, s), 4);
    cr_assert_eq(rbs_peek(&v, out, 2), 2, "peeking consumes nothing");
    cr_assert_eq(rbs_read_release(&v, 1), 1, "so the acquire is still good");
    cr_assert_eq(rbs_read_acquire(&v, 4, s), 4);
    cr_assert_arr_eq(s[0].ptr, "bcde", 4);
    cr_assert_eq(rbs_read(&v, out, 3), 3);
    cr_assert_arr_eq(out, "bcd", 3);
    cr_assert_eq(rbs_read_release(&v, 4), RBS_EINVAL, "bytes never handed out stay put");
    cr_assert_eq(rbs_readable(&v), 6);
    cr_assert_eq(rbs_read_acquire(&v, 2, s), 2);
    cr_assert_eq(rbs_skip(&v, 1), 1);
    cr_assert_eq(rbs_read_release(&v, 2), RBS_EINVAL);
    cr_assert_eq(rbs_read(&v, out, 32), 5);
    cr_assert_arr_eq(out, "fghij", 5);
    free(v.ring);
}

Test(ring_bytes, a_read_returns_everything_waiting) {
    rbs_view v = rbs_test_ring(64);
    uint8_t out[64];
    cr_assert_eq(rbs_write(&v, "abc", 3), 3);
    cr_assert_eq(rbs_read(&v, out, 1), 1); /* the consumer's cache now shows 2 */
    cr_assert_eq(rbs_write(&v, "defgh", 5), 5);
    cr_assert_eq(rbs_read(&v, out, 64), 7, "the cache is refreshed when it shows less than asked");
    cr_assert_arr_eq(out, "bcdefgh", 7);
    free(v.ring);
}

/* ---- close ---------------------------------------------------------------- */

Test(ring_close, consumer_drains_then_sees_closed) {
    rbs_view v = rbs_test_ring(32);
    uint8_t out[32];
    rbs_span s[2];
    cr_assert_eq(rbs_write(&v, "hello", 5), 5);
    cr_assert_eq(rbs_close(&v), RBS_OK);
    cr_assert_eq(rbs_close(&v), RBS_OK, "closing twice is harmless");
    cr_assert_eq(rbs_closed(&v), 1);
    cr_assert_eq(rbs_write(&v, "x", 1), RBS_ECLOSED);
    cr_assert_eq(rbs_write_all(&v, "x", 1), RBS_ECLOSED);
    cr_assert_eq(rbs_write_reserve(&v, 1, s), RBS_ECLOSED);
    cr_assert_eq(rbs_read_all(&v, out, 6), RBS_ECLOSED, "6 asked, 5 left, no more coming");
    cr_assert_eq(rbs_peek(&v, out, 32), 5);
    cr_assert_eq(rbs_read(&v, out, 32), 5, "data written before the close is kept");
    cr_assert_arr_eq(out, "hello", 5);
    cr_assert_eq(rbs_read(&v, out, 32), RBS_ECLOSED);
    cr_assert_eq(rbs_read_all(&v, out, 1), RBS_ECLOSED);
    cr_assert_eq(rbs_peek(&v, out, 1), RBS_ECLOSED);
    cr_assert_eq(rbs_skip(&v, 1), RBS_ECLOSED);
    cr_assert_eq(rbs_read_acquire(&v, 1, s), RBS_ECLOSED);
    cr_assert_eq(rbs_read_all(&v, out, 0), 0);
    free(v.ring);
}

/* ---- a corrupt header ------------------------------------------------------ */

Test(ring_corrupt, counters_far_apart) {
    rbs_view v = rbs_test_ring(64);
    uint8_t buf[64] = {0};
    rbs_span s[2];
    rbs_test_set_word(v.ring, RBS_OFF_WRITE, 1000); /* used = 1000 > 64 */
    cr_assert_eq(rbs_read(&v, buf, 64), RBS_ECORRUPT);
    cr_assert_eq(rbs_read_all(&v, buf, 8), RBS_ECORRUPT);
    cr_assert_eq(rbs_peek(&v, buf, 64), RBS_ECORRUPT);
    cr_assert_eq(rbs_skip(&v, 64), RBS_ECORRUPT);
    cr_assert_eq(rbs_read_acquire(&v, 64, s), RBS_ECORRUPT);
    cr_assert_eq(rbs_readable(&v), RBS_ECORRUPT);
    cr_assert_eq(rbs_writable(&v), RBS_ECORRUPT);
    cr_assert_eq(rbs_write(&v, buf, 64), RBS_ECORRUPT);
    cr_assert_eq(rbs_write_all(&v, buf, 8), RBS_ECORRUPT);
    cr_assert_eq(rbs_write_reserve(&v, 8, s), RBS_ECORRUPT);

    /* The read counter ahead of the write counter: used wraps to ~2^32. */
    rbs_test_set_word(v.ring, RBS_OFF_WRITE, 0);
    rbs_test_set_word(v.ring, RBS_OFF_CACHED_WRITE, 0);
    rbs_test_set_word(v.ring, RBS_OFF_READ, 5);
    cr_assert_eq(rbs_read(&v, buf, 1), RBS_ECORRUPT);
    cr_assert_eq(rbs_writable(&v), RBS_ECORRUPT);
    /* The producer trusts its private cache while it says there is room (that
     * is what the cache is for); once it looks at the shared counter it sees
     * the corruption. */
    rbs_test_set_word(v.ring, RBS_OFF_CACHED_READ, 5);
    cr_assert_eq(rbs_write(&v, buf, 1), RBS_ECORRUPT);
    free(v.ring);
}

/* The meta line rewritten under a side that holds a view: every call stays
 * inside the region with the view's geometry (the region is exact-size, so
 * the ASan build sees any access past it); the queries and rbs_check report
 * the change, and so does a call that finds nothing to do.  The ring is
 * empty at position 10 before and after. */
static void expect_meta_rewrite_reported(rbs_view *v, uint32_t off, uint32_t value) {
    uint8_t in[64], out[64];
    rbs_span s[2];
    rbs_test_fill(in, off, 64);
    uint32_t old = rbs_test_word(v->ring, off);
    rbs_test_set_word(v->ring, off, value);
    cr_assert_eq(rbs_check(v), RBS_ECORRUPT, "word at %u = %u", off, value);
    cr_assert_eq(rbs_readable(v), RBS_ECORRUPT);
    cr_assert_eq(rbs_writable(v), RBS_ECORRUPT);
    cr_assert_eq(rbs_closed(v), RBS_ECORRUPT);
    cr_assert_eq(rbs_read(v, out, 64), RBS_ECORRUPT, "empty: nothing to do");
    cr_assert_eq(rbs_read_all(v, out, 1), RBS_ECORRUPT);
    cr_assert_eq(rbs_peek(v, out, 1), RBS_ECORRUPT);
    cr_assert_eq(rbs_skip(v, 1), RBS_ECORRUPT);
    cr_assert_eq(rbs_read_acquire(v, 1, s), RBS_ECORRUPT);
    cr_assert_eq(rbs_write(v, in, 40), 40, "data calls keep working with the view's capacity");
    cr_assert_eq(rbs_write_reserve(v, 64, s), 24, "bounded by the view's capacity");
    cr_assert(s[0].ptr == v->data + 50 && s[0].len == 14, "from position 10 + 40 to the end");
    cr_assert(s[1].ptr == v->data && s[1].len == 10, "then from the start");
    memcpy(s[0].ptr, in + 40, s[0].len);
    memcpy(s[1].ptr, in + 40 + s[0].len, s[1].len);
    cr_assert_eq(rbs_write_commit(v, 24), 24);
    cr_assert_eq(rbs_write(v, in, 1), RBS_ECORRUPT, "full: nothing to do");
    cr_assert_eq(rbs_write_all(v, in, 1), RBS_ECORRUPT);
    cr_assert_eq(rbs_write_reserve(v, 1, s), RBS_ECORRUPT);
    cr_assert_eq(rbs_peek(v, out, 64), 64);
    cr_assert_arr_eq(in, out, 64);
    cr_assert_eq(rbs_read(v, out, 64), 64);
    cr_assert_arr_eq(in, out, 64, "exact bytes through");
    rbs_test_set_word(v->ring, off, old);
    cr_assert_eq(rbs_check(v), RBS_OK, "restored");
    cr_assert_eq(rbs_readable(v), 0);
}

Test(ring_corrupt, meta_line_rewritten) {
    rbs_view v = rbs_test_ring(64);
    cr_assert_eq(rbs_write(&v, "0123456789", 10), 10);
    cr_assert_eq(rbs_skip(&v, 10), 10); /* so the data wraps */
    expect_meta_rewrite_reported(&v, RBS_OFF_CAPACITY, 1u << 20);
    expect_meta_rewrite_reported(&v, RBS_OFF_CAPACITY, 1u << 30);
    expect_meta_rewrite_reported(&v, RBS_OFF_CAPACITY, 100);
    expect_meta_rewrite_reported(&v, RBS_OFF_CAPACITY, 16);
    expect_meta_rewrite_reported(&v, RBS_OFF_KIND, RBS_KIND_AUDIO);
    expect_meta_rewrite_reported(&v, RBS_OFF_MAGIC, 0);
    expect_meta_rewrite_reported(&v, RBS_OFF_CHANNELS, 2);
    expect_meta_rewrite_reported(&v, RBS_OFF_FRAME_BYTES, 8);
    rbs_view other;
    rbs_test_set_word(v.ring, RBS_OFF_CAPACITY, 1u << 20);
    cr_assert_eq(rbs_attach(&other, v.ring, rbs_region_size(64)), RBS_ECORRUPT,
                 "a new party is refused: the check word does not match");
    free(v.ring);
}

/* The meta line of a genuine larger ring copied over this one (a valid check
 * word), with the counters moved near the forged end: the calls still work
 * inside this ring's 64 bytes. */
Test(ring_corrupt, forged_meta_line_of_a_larger_ring) {
    rbs_view v = rbs_test_ring(64);
    size_t big_size = rbs_region_size(1u << 16);
    void *big = rbs_test_region(big_size);
    cr_assert_eq(rbs_init(NULL, big, big_size, 1u << 16), RBS_OK);
    memcpy(v.ring, big, 64);
    const uint32_t near_end = (1u << 16) - 8u;
    const uint32_t words[] = {RBS_OFF_WRITE, RBS_OFF_READ, RBS_OFF_CACHED_READ,
                              RBS_OFF_CACHED_WRITE};
    for (size_t i = 0; i < 4; i++)
        rbs_test_set_word(v.ring, words[i], near_end);
    cr_assert_eq(rbs_check(&v), RBS_ECORRUPT);
    cr_assert_eq(rbs_readable(&v), RBS_ECORRUPT);
    uint8_t in[64], out[64];
    rbs_test_fill(in, 99, 64);
    cr_assert_eq(rbs_write(&v, in, 64), 64, "64 bytes at position 56 of the view's 64");
    cr_assert_eq(rbs_read(&v, out, 64), 64);
    cr_assert_arr_eq(in, out, 64);
    cr_assert_eq(rbs_read(&v, out, 1), RBS_ECORRUPT, "empty: nothing to do");
    rbs_view other;
    cr_assert_eq(rbs_attach(&other, v.ring, rbs_region_size(64)), RBS_ERANGE,
                 "a new party sees a ring larger than the region");
    free(big);
    free(v.ring);
}

Test(ring_corrupt, private_words_cannot_push_past_the_other_side) {
    rbs_view v = rbs_test_ring(64);
    uint8_t buf[64] = {0};
    rbs_span s[2];
    cr_assert_eq(rbs_write(&v, buf, 10), 10);
    /* A stale or scribbled `reserved` must not publish more than is free. */
    rbs_test_set_word(v.ring, RBS_OFF_RESERVED, 1000);
    rbs_test_set_word(v.ring, RBS_OFF_RESERVED_AT, 10); /* as if reserved at the current end */
    cr_assert_eq(rbs_write_commit(&v, 1000), RBS_ECORRUPT);
    cr_assert_eq(rbs_readable(&v), 10);
    /* Likewise `acquired` must not release more than was written. */
    rbs_test_set_word(v.ring, RBS_OFF_ACQUIRED, 1000);
    cr_assert_eq(rbs_read_release(&v, 11), RBS_ECORRUPT);
    cr_assert_eq(rbs_readable(&v), 10);
    cr_assert_eq(rbs_read_acquire(&v, 64, s), 10);
    cr_assert_eq(rbs_read_release(&v, 10), 10);
    free(v.ring);
}

Test(ring_corrupt, calls_of_another_kind_are_refused) {
    rbs_view m = rbs_test_msg_ring(64);
    uint8_t buf[8] = {0};
    cr_assert_eq(m.kind, RBS_KIND_MESSAGES);
    cr_assert_eq(rbs_write(&m, buf, 8), RBS_EKIND);
    cr_assert_eq(rbs_read(&m, buf, 8), RBS_EKIND);
    cr_assert_eq(rbs_readable(&m), 0, "the queries take every kind");
    free(m.ring);
}

Test(ring_corrupt, a_view_never_filled_is_refused) {
    rbs_view zero;
    memset(&zero, 0, sizeof zero);
    uint8_t buf[8] = {0};
    rbs_span s[2];
    cr_assert_eq(rbs_write(&zero, buf, 1), RBS_EINVAL);
    cr_assert_eq(rbs_write_all(&zero, buf, 1), RBS_EINVAL);
    cr_assert_eq(rbs_write_reserve(&zero, 1, s), RBS_EINVAL);
    cr_assert_eq(rbs_write_commit(&zero, 0), RBS_EINVAL);
    cr_assert_eq(rbs_read(&zero, buf, 1), RBS_EINVAL);
    cr_assert_eq(rbs_read_all(&zero, buf, 1), RBS_EINVAL);
    cr_assert_eq(rbs_peek(&zero, buf, 1), RBS_EINVAL);
    cr_assert_eq(rbs_skip(&zero, 1), RBS_EINVAL);
    cr_assert_eq(rbs_read_acquire(&zero, 1, s), RBS_EINVAL);
    cr_assert_eq(rbs_read_release(&zero, 0), RBS_EINVAL);
    cr_assert_eq(rbs_readable(&zero), RBS_EINVAL);
    cr_assert_eq(rbs_writable(&zero), RBS_EINVAL);
    cr_assert_eq(rbs_closed(&zero), RBS_EINVAL);
    cr_assert_eq(rbs_close(&zero), RBS_EINVAL);
    cr_assert_eq(rbs_readable(NULL), RBS_EINVAL);
    cr_assert_eq(rbs_writable(NULL), RBS_EINVAL);
    cr_assert_eq(rbs_closed(NULL), RBS_EINVAL);
    cr_assert_eq(rbs_close(NULL), RBS_EINVAL);
    cr_assert_eq(rbs_write_commit(NULL, 0), RBS_EINVAL);
    cr_assert_eq(rbs_read_release(NULL, 0), RBS_EINVAL);
}
