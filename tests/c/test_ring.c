/*
 * test_ring.c — the byte ring, one thread: every error code, every byte of
 * capacity usable, wrapping data, wrapping 32-bit counters, partial against
 * all-or-nothing, peek/skip, zero-copy spans, close, corrupt headers.
 */
#include "test_helpers.h"

#include <stdio.h>

/* ---- setting up ---------------------------------------------------------- */

Test(ring_setup, region_size_for_valid_and_invalid_capacities) {
    cr_assert_eq(rbs_region_size(16), RBS_HEADER_SIZE + 16u);
    cr_assert_eq(rbs_region_size(1u << 30), (size_t)RBS_HEADER_SIZE + (1u << 30));
    cr_assert_eq(rbs_region_size(0), 0u);
    cr_assert_eq(rbs_region_size(8), 0u, "below the minimum of 16");
    cr_assert_eq(rbs_region_size(24), 0u, "not a power of two");
    cr_assert_eq(rbs_region_size(1u << 31), 0u, "above 2^30");
    cr_assert_eq(rbs_region_size(UINT32_MAX), 0u);
}

Test(ring_setup, header_is_whole_cache_lines) {
    cr_assert_eq(RBS_HEADER_SIZE % 64u, 0u);
    cr_assert_eq(RBS_OFF_WRITE / 64u, 1u, "write counter on the producer line");
    cr_assert_eq(RBS_OFF_READ / 64u, 2u, "read counter on the consumer line");
    cr_assert_eq(RBS_OFF_CACHED_READ / 64u, 3u);
    cr_assert_eq(RBS_OFF_CACHED_WRITE / 64u, 4u);
}

Test(ring_setup, init_formats_the_meta_line) {
    rbs_ring *r = rbs_test_ring(256);
    cr_assert_eq(rbs_test_word(r, RBS_OFF_MAGIC), RBS_MAGIC);
    cr_assert_eq(rbs_test_word(r, RBS_OFF_ABI_VERSION), RBS_ABI_VERSION);
    cr_assert_eq(rbs_test_word(r, RBS_OFF_HEADER_SIZE), RBS_HEADER_SIZE);
    cr_assert_eq(rbs_test_word(r, RBS_OFF_CAPACITY), 256u);
    cr_assert_eq(rbs_test_word(r, RBS_OFF_KIND), RBS_KIND_BYTES);
    cr_assert_eq(rbs_test_word(r, RBS_OFF_WRITE), 0u);
    cr_assert_eq(rbs_test_word(r, RBS_OFF_READ), 0u);
    cr_assert_eq(rbs_capacity(r), 256);
    cr_assert_eq(rbs_kind(r), (int)RBS_KIND_BYTES);
    cr_assert_eq(rbs_readable(r), 0);
    cr_assert_eq(rbs_writable(r), 256);
    cr_assert_eq(rbs_closed(r), 0);
    cr_assert_eq(rbs_attach(r, rbs_region_size(256)), RBS_OK);
    free(r);
}

Test(ring_setup, init_errors) {
    size_t size = rbs_region_size(1024);
    unsigned char *region = rbs_test_region(size + 64);
    cr_assert_eq(rbs_init(NULL, size, 1024), RBS_EINVAL);
    cr_assert_eq(rbs_init((rbs_ring *)(region + 8), size, 1024), RBS_EALIGN);
    cr_assert_eq(rbs_init((rbs_ring *)region, size, 1000), RBS_ECAPACITY);
    cr_assert_eq(rbs_init((rbs_ring *)region, size, 8), RBS_ECAPACITY);
    cr_assert_eq(rbs_init((rbs_ring *)region, size, 1u << 31), RBS_ECAPACITY);
    cr_assert_eq(rbs_init((rbs_ring *)region, size - 1, 1024), RBS_ERANGE);
    cr_assert_eq(rbs_init((rbs_ring *)region, size, 1024), RBS_OK);
    free(region);
}

Test(ring_setup, attach_errors) {
    size_t size = rbs_region_size(64);
    rbs_ring *r = rbs_test_ring(64);
    cr_assert_eq(rbs_attach(NULL, size), RBS_EINVAL);
    cr_assert_eq(rbs_attach((const rbs_ring *)((unsigned char *)r + 4), size), RBS_EALIGN);
    cr_assert_eq(rbs_attach(r, size - 1), RBS_ERANGE, "region smaller than the ring");
    cr_assert_eq(rbs_attach(r, 100), RBS_ERANGE, "region smaller than the header");

    rbs_test_set_word(r, RBS_OFF_ABI_VERSION, 2);
    cr_assert_eq(rbs_attach(r, size), RBS_EVERSION);
    rbs_test_set_word(r, RBS_OFF_ABI_VERSION, RBS_ABI_VERSION);

    rbs_test_set_word(r, RBS_OFF_MAGIC, 0);
    cr_assert_eq(rbs_attach(r, size), RBS_ENOTRING);
    rbs_test_set_word(r, RBS_OFF_MAGIC, RBS_MAGIC);

    rbs_test_set_word(r, RBS_OFF_WRITE, 65); /* used 65 > capacity 64 */
    cr_assert_eq(rbs_attach(r, size), RBS_ECORRUPT);
    rbs_test_set_word(r, RBS_OFF_WRITE, 0);
    cr_assert_eq(rbs_attach(r, size), RBS_OK);
    free(r);
}

Test(ring_setup, strerror_has_a_sentence_for_every_code) {
    const int codes[] = {RBS_OK,       RBS_EINVAL,    RBS_EAGAIN, RBS_ETOOBIG, RBS_ECLOSED,
                         RBS_ECORRUPT, RBS_ECAPACITY, RBS_EALIGN, RBS_ERANGE,  RBS_ENOTRING,
                         RBS_EVERSION, RBS_EKIND,     RBS_EFORMAT};
    for (size_t i = 0; i < sizeof codes / sizeof codes[0]; i++) {
        const char *s = rbs_strerror(codes[i]);
        cr_assert_not_null(s);
        cr_assert_gt(strlen(s), 6u, "code %d needs a real sentence", codes[i]);
        for (size_t j = 0; j < i; j++)
            cr_assert_str_neq(s, rbs_strerror(codes[j]), "codes %d and %d share a text", codes[i],
                              codes[j]);
    }
    cr_assert_str_eq(rbs_strerror(-999), "unknown ring_buffer_safe error code");
    cr_assert_not_null(strstr(rbs_strerror(RBS_ECAPACITY), "power of two"));
}

/* ---- producer and consumer on one thread --------------------------------- */

Test(ring_bytes, every_byte_of_capacity_is_usable) {
    rbs_ring *r = rbs_test_ring(64);
    uint8_t in[64], out[64];
    rbs_test_fill(in, 0, 64);
    cr_assert_eq(rbs_write(r, in, 64), 64);
    cr_assert_eq(rbs_readable(r), 64);
    cr_assert_eq(rbs_writable(r), 0);
    cr_assert_eq(rbs_write(r, in, 1), 0, "full: a partial write writes nothing");
    cr_assert_eq(rbs_write_all(r, in, 1), RBS_EAGAIN);
    cr_assert_eq(rbs_read(r, out, 64), 64);
    cr_assert_arr_eq(in, out, 64);
    cr_assert_eq(rbs_read(r, out, 1), 0, "empty, not closed: nothing yet");
    free(r);
}

Test(ring_bytes, partial_write_returns_exactly_what_fit) {
    rbs_ring *r = rbs_test_ring(32);
    uint8_t in[100], out[100];
    rbs_test_fill(in, 0, 100);
    cr_assert_eq(rbs_write(r, in, 20), 20);
    cr_assert_eq(rbs_write(r, in + 20, 80), 12);
    cr_assert_eq(rbs_read(r, out, 100), 32);
    cr_assert_arr_eq(in, out, 32);
    free(r);
}

Test(ring_bytes, all_or_nothing_write_and_read) {
    rbs_ring *r = rbs_test_ring(32);
    uint8_t in[64], out[64];
    rbs_test_fill(in, 0, 64);
    cr_assert_eq(rbs_write_all(r, in, 33), RBS_ETOOBIG, "more than the capacity, ever");
    cr_assert_eq(rbs_write_all(r, in, 20), 20);
    cr_assert_eq(rbs_write_all(r, in + 20, 13), RBS_EAGAIN, "12 free, 13 asked: none written");
    cr_assert_eq(rbs_readable(r), 20);
    cr_assert_eq(rbs_write_all(r, in + 20, 12), 12);
    cr_assert_eq(rbs_read_all(r, out, 33), RBS_ETOOBIG);
    cr_assert_eq(rbs_read_all(r, out, 10), 10);
    cr_assert_eq(rbs_read_all(r, out + 10, 23), RBS_EAGAIN, "22 there, 23 asked: none read");
    cr_assert_eq(rbs_readable(r), 22);
    cr_assert_eq(rbs_read_all(r, out + 10, 22), 22);
    cr_assert_arr_eq(in, out, 32);
    cr_assert_eq(rbs_write_all(r, in, 0), 0);
    cr_assert_eq(rbs_read_all(r, out, 0), 0);
    free(r);
}

Test(ring_bytes, data_wraps_at_the_end_of_the_buffer) {
    rbs_ring *r = rbs_test_ring(16);
    uint8_t in[256], out[256];
    rbs_test_fill(in, 0, 256);
    size_t wpos = 0, rpos = 0;
    /* Odd chunk sizes walk the positions across the end many times. */
    for (int i = 0; i < 40; i++) {
        int w = rbs_write(r, in + wpos, 7);
        cr_assert_geq(w, 0);
        wpos += (size_t)w;
        int rd = rbs_read(r, out + rpos, 5);
        cr_assert_geq(rd, 0);
        rpos += (size_t)rd;
        if (wpos > 240) break;
    }
    int rd;
    while ((rd = rbs_read(r, out + rpos, 16)) > 0)
        rpos += (size_t)rd;
    cr_assert_eq(rpos, wpos);
    cr_assert_arr_eq(in, out, rpos);
    free(r);
}

Test(ring_bytes, counters_wrap_past_2_pow_32) {
    rbs_ring *r = rbs_test_ring(64);
    /* Start both counters 10 bytes before 2^32, through the documented
     * offsets (both private caches too, as a ring that ran for hours has). */
    const uint32_t start = UINT32_MAX - 9u;
    rbs_test_set_word(r, RBS_OFF_WRITE, start);
    rbs_test_set_word(r, RBS_OFF_READ, start);
    rbs_test_set_word(r, RBS_OFF_CACHED_READ, start);
    rbs_test_set_word(r, RBS_OFF_CACHED_WRITE, start);
    uint8_t in[200], out[200];
    rbs_test_fill(in, 7, 200);
    uint64_t moved = 0;
    for (int i = 0; i < 10; i++) {
        cr_assert_eq(rbs_write_all(r, in + 20 * i, 20), 20);
        cr_assert_eq(rbs_readable(r), 20);
        cr_assert_eq(rbs_writable(r), 44);
        cr_assert_eq(rbs_read_all(r, out + 20 * i, 20), 20);
        moved += 20;
    }
    cr_assert_arr_eq(in, out, 200);
    cr_assert_eq(rbs_test_word(r, RBS_OFF_WRITE), (uint32_t)(start + moved), "wrapped past 0");
    cr_assert_lt(rbs_test_word(r, RBS_OFF_WRITE), start);
    free(r);
}

Test(ring_bytes, peek_copies_without_consuming_and_skip_discards) {
    rbs_ring *r = rbs_test_ring(32);
    uint8_t in[32], out[32];
    rbs_test_fill(in, 100, 32);
    cr_assert_eq(rbs_write(r, in, 30), 30);
    cr_assert_eq(rbs_peek(r, out, 10), 10);
    cr_assert_arr_eq(in, out, 10);
    cr_assert_eq(rbs_readable(r), 30, "peek consumed nothing");
    cr_assert_eq(rbs_peek(r, out, 64), 30, "peek is bounded by what is there");
    cr_assert_eq(rbs_skip(r, 12), 12);
    cr_assert_eq(rbs_readable(r), 18);
    cr_assert_eq(rbs_read(r, out, 5), 5);
    cr_assert_arr_eq(in + 12, out, 5);
    cr_assert_eq(rbs_skip(r, 1000), 13, "skip is bounded by what is there");
    cr_assert_eq(rbs_skip(r, 1), 0);
    cr_assert_eq(rbs_peek(r, out, 1), 0);
    free(r);
}

Test(ring_bytes, null_buffers_are_refused) {
    rbs_ring *r = rbs_test_ring(32);
    cr_assert_eq(rbs_write(r, NULL, 1), RBS_EINVAL);
    cr_assert_eq(rbs_write_all(r, NULL, 1), RBS_EINVAL);
    cr_assert_eq(rbs_read(r, NULL, 1), RBS_EINVAL);
    cr_assert_eq(rbs_read_all(r, NULL, 1), RBS_EINVAL);
    cr_assert_eq(rbs_peek(r, NULL, 1), RBS_EINVAL);
    cr_assert_eq(rbs_write_reserve(r, 4, NULL), RBS_EINVAL);
    cr_assert_eq(rbs_read_acquire(r, 4, NULL), RBS_EINVAL);
    cr_assert_eq(rbs_write(NULL, "x", 1), RBS_EINVAL);
    cr_assert_eq(rbs_read(NULL, (char[1]){0}, 1), RBS_EINVAL);
    cr_assert_eq(rbs_write(r, NULL, 0), 0, "zero bytes from nowhere is fine");
    free(r);
}

/* ---- zero-copy spans ------------------------------------------------------ */

Test(ring_spans, reserve_and_commit_across_the_wrap) {
    rbs_ring *r = rbs_test_ring(16);
    uint8_t in[16], out[16];
    rbs_test_fill(in, 0, 16);
    cr_assert_eq(rbs_write(r, in, 12), 12);
    cr_assert_eq(rbs_skip(r, 12), 12); /* positions now at 12 */
    rbs_span s[2];
    cr_assert_eq(rbs_write_reserve(r, 10, s), 10);
    cr_assert_eq(s[0].len, 4u, "4 bytes to the end of the buffer");
    cr_assert_eq(s[1].len, 6u, "6 more from its start");
    cr_assert_eq((unsigned char *)s[0].ptr, (unsigned char *)r + RBS_OFF_DATA + 12);
    cr_assert_eq((unsigned char *)s[1].ptr, (unsigned char *)r + RBS_OFF_DATA);
    memcpy(s[0].ptr, in, 4);
    memcpy(s[1].ptr, in + 4, 6);
    cr_assert_eq(rbs_readable(r), 0, "nothing visible before commit");
    cr_assert_eq(rbs_write_commit(r, 11), RBS_EINVAL, "more than reserved");
    cr_assert_eq(rbs_readable(r), 0, "a refused commit changes nothing");
    cr_assert_eq(rbs_write_commit(r, 10), 10);
    cr_assert_eq(rbs_read(r, out, 16), 10);
    cr_assert_arr_eq(in, out, 10);
    free(r);
}

Test(ring_spans, reserve_is_bounded_by_free_space_and_replaced_by_the_next) {
    rbs_ring *r = rbs_test_ring(16);
    rbs_span s[2];
    cr_assert_eq(rbs_write(r, "0123456789", 10), 10);
    cr_assert_eq(rbs_write_reserve(r, 100, s), 6);
    cr_assert_eq(s[0].len + s[1].len, 6u);
    cr_assert_eq(rbs_write_reserve(r, 2, s), 2, "a new reserve replaces the old");
    cr_assert_eq(rbs_write_commit(r, 3), RBS_EINVAL);
    cr_assert_eq(rbs_write_commit(r, 2), 2);
    cr_assert_eq(rbs_write_commit(r, 1), RBS_EINVAL, "a commit ends the reservation");
    cr_assert_eq(rbs_write_reserve(r, 100, s), 4);
    cr_assert_eq(rbs_write_commit(r, 0), 0, "dropping a reservation");
    cr_assert_eq(rbs_readable(r), 12);
    cr_assert_eq(rbs_write(r, "abcd", 4), 4);
    cr_assert_eq(rbs_write_reserve(r, 1, s), 0, "full");
    cr_assert_eq(s[0].len, 0u);
    cr_assert_null(s[0].ptr);
    free(r);
}

Test(ring_spans, acquire_and_release_across_the_wrap) {
    rbs_ring *r = rbs_test_ring(16);
    uint8_t in[16];
    rbs_test_fill(in, 3, 16);
    cr_assert_eq(rbs_write(r, in, 14), 14);
    cr_assert_eq(rbs_skip(r, 14), 14);
    cr_assert_eq(rbs_write(r, in, 9), 9); /* 2 bytes at the end, 7 at the start */
    rbs_span s[2];
    cr_assert_eq(rbs_read_acquire(r, 100, s), 9);
    cr_assert_eq(s[0].len, 2u);
    cr_assert_eq(s[1].len, 7u);
    cr_assert_arr_eq(s[0].ptr, in, 2);
    cr_assert_arr_eq(s[1].ptr, in + 2, 7);
    cr_assert_eq(rbs_read_release(r, 10), RBS_EINVAL, "more than acquired");
    cr_assert_eq(rbs_readable(r), 9, "a refused release changes nothing");
    cr_assert_eq(rbs_read_release(r, 3), 3);
    cr_assert_eq(rbs_read_release(r, 1), RBS_EINVAL, "a release ends the acquire");
    cr_assert_eq(rbs_read_acquire(r, 4, s), 4);
    cr_assert_arr_eq(s[0].ptr, in + 3, 4);
    cr_assert_eq(rbs_read_release(r, 4), 4);
    cr_assert_eq(rbs_readable(r), 2);
    free(r);
}

Test(ring_spans, a_write_between_reserve_and_commit_voids_the_reservation) {
    rbs_ring *r = rbs_test_ring(32);
    uint8_t out[32];
    rbs_span s[2];
    cr_assert_eq(rbs_write_reserve(r, 4, s), 4);
    memcpy(s[0].ptr, "WXYZ", 4);
    cr_assert_eq(rbs_write(r, "ab", 2), 2);
    cr_assert_eq(rbs_write_commit(r, 4), RBS_EINVAL, "the spans no longer start at the end");
    cr_assert_eq(rbs_write_commit(r, 1), RBS_EINVAL, "and the reservation is gone");
    cr_assert_eq(rbs_readable(r), 2, "only what rbs_write wrote");
    cr_assert_eq(rbs_read(r, out, 32), 2);
    cr_assert_arr_eq(out, "ab", 2);
    /* A write that moved nothing (full ring) leaves the reservation valid. */
    rbs_ring *full = rbs_test_ring(16);
    cr_assert_eq(rbs_write(full, "0123456789abcdef", 16), 16);
    cr_assert_eq(rbs_read(full, out, 4), 4);
    cr_assert_eq(rbs_write_reserve(full, 4, s), 4);
    cr_assert_eq(rbs_write_all(full, "toolong", 7), RBS_EAGAIN);
    cr_assert_eq(rbs_write_commit(full, 4), 4);
    free(full);
    free(r);
}

Test(ring_spans, a_read_between_acquire_and_release_voids_the_acquire) {
    rbs_ring *r = rbs_test_ring(32);
    uint8_t out[32];
    rbs_span s[2];
    cr_assert_eq(rbs_write(r, "abcdefghij", 10), 10);
    cr_assert_eq(rbs_read_acquire(r, 4, s), 4);
    cr_assert_eq(rbs_peek(r, out, 2), 2, "peeking consumes nothing");
    cr_assert_eq(rbs_read_release(r, 1), 1, "so the acquire is still good");
    cr_assert_eq(rbs_read_acquire(r, 4, s), 4);
    cr_assert_arr_eq(s[0].ptr, "bcde", 4);
    cr_assert_eq(rbs_read(r, out, 3), 3);
    cr_assert_arr_eq(out, "bcd", 3);
    cr_assert_eq(rbs_read_release(r, 4), RBS_EINVAL, "bytes never handed out stay put");
    cr_assert_eq(rbs_readable(r), 6);
    cr_assert_eq(rbs_read_acquire(r, 2, s), 2);
    cr_assert_eq(rbs_skip(r, 1), 1);
    cr_assert_eq(rbs_read_release(r, 2), RBS_EINVAL);
    cr_assert_eq(rbs_read(r, out, 32), 5);
    cr_assert_arr_eq(out, "fghij", 5);
    free(r);
}

Test(ring_bytes, a_read_returns_everything_waiting) {
    rbs_ring *r = rbs_test_ring(64);
    uint8_t out[64];
    cr_assert_eq(rbs_write(r, "abc", 3), 3);
    cr_assert_eq(rbs_read(r, out, 1), 1); /* the consumer's cache now shows 2 */
    cr_assert_eq(rbs_write(r, "defgh", 5), 5);
    cr_assert_eq(rbs_read(r, out, 64), 7, "the cache is refreshed when it shows less than asked");
    cr_assert_arr_eq(out, "bcdefgh", 7);
    free(r);
}

/* ---- close ---------------------------------------------------------------- */

Test(ring_close, consumer_drains_then_sees_closed) {
    rbs_ring *r = rbs_test_ring(32);
    uint8_t out[32];
    rbs_span s[2];
    cr_assert_eq(rbs_write(r, "hello", 5), 5);
    cr_assert_eq(rbs_close(r), RBS_OK);
    cr_assert_eq(rbs_close(r), RBS_OK, "closing twice is harmless");
    cr_assert_eq(rbs_closed(r), 1);
    cr_assert_eq(rbs_write(r, "x", 1), RBS_ECLOSED);
    cr_assert_eq(rbs_write_all(r, "x", 1), RBS_ECLOSED);
    cr_assert_eq(rbs_write_reserve(r, 1, s), RBS_ECLOSED);
    cr_assert_eq(rbs_read_all(r, out, 6), RBS_ECLOSED, "6 asked, 5 left, no more coming");
    cr_assert_eq(rbs_peek(r, out, 32), 5);
    cr_assert_eq(rbs_read(r, out, 32), 5, "data written before the close is kept");
    cr_assert_arr_eq(out, "hello", 5);
    cr_assert_eq(rbs_read(r, out, 32), RBS_ECLOSED);
    cr_assert_eq(rbs_read_all(r, out, 1), RBS_ECLOSED);
    cr_assert_eq(rbs_peek(r, out, 1), RBS_ECLOSED);
    cr_assert_eq(rbs_skip(r, 1), RBS_ECLOSED);
    cr_assert_eq(rbs_read_acquire(r, 1, s), RBS_ECLOSED);
    cr_assert_eq(rbs_read_all(r, out, 0), 0);
    free(r);
}

/* ---- a corrupt header ------------------------------------------------------ */

Test(ring_corrupt, counters_far_apart) {
    rbs_ring *r = rbs_test_ring(64);
    uint8_t buf[64] = {0};
    rbs_span s[2];
    rbs_test_set_word(r, RBS_OFF_WRITE, 1000); /* used = 1000 > 64 */
    cr_assert_eq(rbs_read(r, buf, 64), RBS_ECORRUPT);
    cr_assert_eq(rbs_read_all(r, buf, 8), RBS_ECORRUPT);
    cr_assert_eq(rbs_peek(r, buf, 64), RBS_ECORRUPT);
    cr_assert_eq(rbs_skip(r, 64), RBS_ECORRUPT);
    cr_assert_eq(rbs_read_acquire(r, 64, s), RBS_ECORRUPT);
    cr_assert_eq(rbs_readable(r), RBS_ECORRUPT);
    cr_assert_eq(rbs_writable(r), RBS_ECORRUPT);
    cr_assert_eq(rbs_write(r, buf, 64), RBS_ECORRUPT);
    cr_assert_eq(rbs_write_all(r, buf, 8), RBS_ECORRUPT);
    cr_assert_eq(rbs_write_reserve(r, 8, s), RBS_ECORRUPT);

    /* The read counter ahead of the write counter: used wraps to ~2^32. */
    rbs_test_set_word(r, RBS_OFF_WRITE, 0);
    rbs_test_set_word(r, RBS_OFF_CACHED_WRITE, 0);
    rbs_test_set_word(r, RBS_OFF_READ, 5);
    cr_assert_eq(rbs_read(r, buf, 1), RBS_ECORRUPT);
    cr_assert_eq(rbs_writable(r), RBS_ECORRUPT);
    /* The producer trusts its private cache while it says there is room (that
     * is what the cache is for); once it looks at the shared counter it sees
     * the corruption. */
    rbs_test_set_word(r, RBS_OFF_CACHED_READ, 5);
    cr_assert_eq(rbs_write(r, buf, 1), RBS_ECORRUPT);
    free(r);
}

Test(ring_corrupt, capacity_rewritten) {
    rbs_ring *r = rbs_test_ring(64);
    uint8_t buf[64] = {0};
    /* A larger power of two would send copies past the region if trusted;
     * the meta line's check word catches the change.  ASan watches. */
    rbs_test_set_word(r, RBS_OFF_CAPACITY, 1u << 20);
    cr_assert_eq(rbs_write(r, buf, 64), RBS_ECORRUPT);
    cr_assert_eq(rbs_read(r, buf, 64), RBS_ECORRUPT);
    cr_assert_eq(rbs_capacity(r), RBS_ECORRUPT);
    cr_assert_eq(rbs_attach(r, rbs_region_size(64)), RBS_ECORRUPT);
    rbs_test_set_word(r, RBS_OFF_CAPACITY, 100); /* not a power of two */
    cr_assert_eq(rbs_write(r, buf, 1), RBS_ECORRUPT);
    rbs_test_set_word(r, RBS_OFF_CAPACITY, 64);
    cr_assert_eq(rbs_write(r, buf, 64), 64, "restored: usable again");
    rbs_test_set_word(r, RBS_OFF_KIND, RBS_KIND_AUDIO);
    cr_assert_eq(rbs_read(r, buf, 64), RBS_ECORRUPT, "kind is covered by the check word too");
    free(r);
}

Test(ring_corrupt, private_words_cannot_push_past_the_other_side) {
    rbs_ring *r = rbs_test_ring(64);
    uint8_t buf[64] = {0};
    rbs_span s[2];
    cr_assert_eq(rbs_write(r, buf, 10), 10);
    /* A stale or scribbled `reserved` must not publish more than is free. */
    rbs_test_set_word(r, RBS_OFF_RESERVED, 1000);
    rbs_test_set_word(r, RBS_OFF_RESERVED_AT, 10); /* as if reserved at the current end */
    cr_assert_eq(rbs_write_commit(r, 1000), RBS_ECORRUPT);
    cr_assert_eq(rbs_readable(r), 10);
    /* Likewise `acquired` must not release more than was written. */
    rbs_test_set_word(r, RBS_OFF_ACQUIRED, 1000);
    cr_assert_eq(rbs_read_release(r, 11), RBS_ECORRUPT);
    cr_assert_eq(rbs_readable(r), 10);
    cr_assert_eq(rbs_read_acquire(r, 64, s), 10);
    cr_assert_eq(rbs_read_release(r, 10), 10);
    free(r);
}

Test(ring_corrupt, calls_of_another_kind_are_refused) {
    size_t size = rbs_region_size(64);
    rbs_ring *r = rbs_test_region(size);
    uint8_t buf[8] = {0};
    cr_assert_eq(rbs_msg_init(r, size, 64), RBS_OK);
    cr_assert_eq(rbs_write(r, buf, 8), RBS_EKIND);
    cr_assert_eq(rbs_read(r, buf, 8), RBS_EKIND);
    cr_assert_eq(rbs_kind(r), (int)RBS_KIND_MESSAGES);
    free(r);
}
