/*
 * test_msg.c — framed messages, one thread: the frame format in the data
 * area, padding frames when a message would wrap, the largest message from
 * every read position, zero-length messages, every error code of send, recv,
 * reserve/commit and acquire/release, close, and corrupt length words (the
 * ASan build checks that nothing is read outside the region).
 */
#include "test_helpers.h"

/* ---- helpers ------------------------------------------------------------ */

static rbs_ring *msg_ring(uint32_t capacity) {
    size_t size = rbs_region_size(capacity);
    cr_assert_gt(size, 0u, "capacity %u should be valid", capacity);
    rbs_ring *r = rbs_test_region(size);
    cr_assert_eq(rbs_msg_init(r, size, capacity), RBS_OK);
    return r;
}

static unsigned char *data_of(rbs_ring *r) {
    return (unsigned char *)r + RBS_OFF_DATA;
}

/* A length word in the data area, decoded as little-endian whatever the host. */
static uint32_t le32_at(rbs_ring *r, uint32_t pos) {
    const unsigned char *d = data_of(r) + pos;
    return (uint32_t)d[0] | (uint32_t)d[1] << 8 | (uint32_t)d[2] << 16 | (uint32_t)d[3] << 24;
}

static void poke_le32(rbs_ring *r, uint32_t pos, uint32_t v) {
    unsigned char *d = data_of(r) + pos;
    for (int i = 0; i < 4; i++)
        d[i] = (unsigned char)(v >> (8 * i));
}

/* Moves an empty ring's counters (and both sides' cached copies) to
 * `counter`, as if that many bytes had passed through it. */
static void empty_at(rbs_ring *r, uint32_t counter) {
    rbs_test_set_word(r, RBS_OFF_WRITE, counter);
    rbs_test_set_word(r, RBS_OFF_READ, counter);
    rbs_test_set_word(r, RBS_OFF_CACHED_READ, counter);
    rbs_test_set_word(r, RBS_OFF_CACHED_WRITE, counter);
}

/* Receives one message and checks its length and every byte. */
static void expect_msg(rbs_ring *r, uint64_t seed, uint32_t len) {
    static uint8_t want[1u << 16], got[1u << 16];
    cr_assert_lt(len, sizeof want);
    rbs_test_fill(want, seed, len);
    memset(got, 0xEE, sizeof got);
    int n = rbs_msg_recv(r, got, sizeof got);
    cr_assert_eq(n, (int)len, "recv returned %d, expected a message of %u bytes", n, len);
    cr_assert(memcmp(got, want, len) == 0, "message %llu: wrong bytes", (unsigned long long)seed);
    cr_assert_eq(got[len], 0xEE, "recv wrote past the message");
}

static void send_msg(rbs_ring *r, uint64_t seed, uint32_t len) {
    static uint8_t buf[1u << 16];
    cr_assert_leq(len, sizeof buf);
    rbs_test_fill(buf, seed, len);
    int n = rbs_msg_send(r, buf, len);
    cr_assert_eq(n, (int)len, "send of %u bytes returned %d", len, n);
}

/* ---- setting up --------------------------------------------------------- */

Test(msg_setup, init_formats_a_message_ring) {
    rbs_ring *r = msg_ring(256);
    cr_assert_eq(rbs_kind(r), (int)RBS_KIND_MESSAGES);
    cr_assert_eq(rbs_test_word(r, RBS_OFF_KIND), RBS_KIND_MESSAGES);
    cr_assert_eq(rbs_capacity(r), 256);
    cr_assert_eq(rbs_attach(r, rbs_region_size(256)), RBS_OK);
    cr_assert_eq(rbs_readable(r), 0);
    cr_assert_eq(rbs_writable(r), 256);
    cr_assert_eq(rbs_msg_peek_size(r), RBS_EAGAIN, "a new ring has no message");
    free(r);
}

Test(msg_setup, init_errors) {
    size_t size = rbs_region_size(1024);
    unsigned char *region = rbs_test_region(size + 64);
    cr_assert_eq(rbs_msg_init(NULL, size, 1024), RBS_EINVAL);
    cr_assert_eq(rbs_msg_init((rbs_ring *)(region + 4), size, 1024), RBS_EALIGN);
    cr_assert_eq(rbs_msg_init((rbs_ring *)region, size, 1000), RBS_ECAPACITY);
    cr_assert_eq(rbs_msg_init((rbs_ring *)region, size, 8), RBS_ECAPACITY);
    cr_assert_eq(rbs_msg_init((rbs_ring *)region, size - 1, 1024), RBS_ERANGE);
    cr_assert_eq(rbs_msg_init((rbs_ring *)region, size, 1024), RBS_OK);
    free(region);
}

Test(msg_setup, max_size_is_half_the_capacity_minus_the_length_word) {
    for (uint32_t cap = RBS_MIN_CAPACITY; cap <= (1u << 20); cap <<= 1) {
        rbs_ring *r = msg_ring(cap);
        cr_assert_eq(rbs_msg_max_size(r), (int)(cap / 2u - 4u), "capacity %u", cap);
        free(r);
    }
    cr_assert_eq(rbs_msg_max_size(NULL), RBS_EINVAL);
    rbs_ring *b = rbs_test_ring(64);
    cr_assert_eq(rbs_msg_max_size(b), RBS_EKIND, "a byte ring has no message size");
    free(b);
}

/* ---- frames ------------------------------------------------------------- */

Test(msg_frames, length_word_then_payload_padded_to_4_bytes) {
    rbs_ring *r = msg_ring(256);
    cr_assert_eq(rbs_msg_send(r, "abc", 3), 3);
    cr_assert_eq(le32_at(r, 0), 3u, "little-endian length word first");
    cr_assert(memcmp(data_of(r) + 4, "abc", 3) == 0, "payload right after it");
    cr_assert_eq(rbs_test_word(r, RBS_OFF_WRITE), 8u, "4 + 3 rounded up to 4");
    cr_assert_eq(rbs_msg_send(r, "wxyz", 4), 4);
    cr_assert_eq(le32_at(r, 8), 4u, "the next frame starts 4-aligned");
    cr_assert_eq(rbs_test_word(r, RBS_OFF_WRITE), 16u);
    cr_assert_eq(rbs_msg_send(r, NULL, 0), 0);
    cr_assert_eq(le32_at(r, 16), 0u);
    cr_assert_eq(rbs_test_word(r, RBS_OFF_WRITE), 20u, "an empty message is its length word");
    cr_assert_eq(rbs_readable(r), 20);

    char buf[8] = {0};
    cr_assert_eq(rbs_msg_recv(r, buf, sizeof buf), 3);
    cr_assert(memcmp(buf, "abc", 3) == 0);
    cr_assert_eq(rbs_test_word(r, RBS_OFF_READ), 8u, "a receive consumes the whole frame");
    cr_assert_eq(rbs_msg_recv(r, buf, sizeof buf), 4);
    cr_assert(memcmp(buf, "wxyz", 4) == 0);
    cr_assert_eq(rbs_msg_recv(r, buf, sizeof buf), 0);
    cr_assert_eq(rbs_msg_recv(r, buf, sizeof buf), RBS_EAGAIN);
    cr_assert_eq(rbs_test_word(r, RBS_OFF_READ), 20u);
    free(r);
}

Test(msg_frames, messages_arrive_whole_and_in_order) {
    rbs_ring *r = msg_ring(1024);
    const uint32_t lens[] = {0, 1, 2, 3, 4, 5, 7, 8, 100, 255, 508};
    const size_t count = sizeof lens / sizeof lens[0];
    for (size_t i = 0; i < count; i++)
        send_msg(r, 1000u * i, lens[i]);
    for (size_t i = 0; i < count; i++) {
        cr_assert_eq(rbs_msg_peek_size(r), (int)lens[i]);
        expect_msg(r, 1000u * i, lens[i]);
    }
    cr_assert_eq(rbs_msg_peek_size(r), RBS_EAGAIN);
    free(r);
}

Test(msg_frames, padding_frame_fills_the_tail_when_a_message_would_wrap) {
    rbs_ring *r = msg_ring(64); /* largest message 28, frame 32 */
    empty_at(r, 40);            /* 24 bytes to the end of the buffer */
    send_msg(r, 7, 24);         /* frame of 28 > 24: goes to position 0 */
    cr_assert_eq(le32_at(r, 40), RBS_MSG_PADDING, "padding frame in the tail");
    cr_assert_eq(le32_at(r, 0), 24u, "the message starts at position 0");
    cr_assert_eq(rbs_test_word(r, RBS_OFF_WRITE), 40u + 24u + 28u,
                 "padding and frame published together");
    cr_assert_eq(rbs_readable(r), 52);
    cr_assert_eq(rbs_msg_peek_size(r), 24, "the receiver skips the padding");
    expect_msg(r, 7, 24);
    cr_assert_eq(rbs_test_word(r, RBS_OFF_READ), 92u, "padding consumed with the message");
    cr_assert_eq(rbs_msg_recv(r, NULL, 0), RBS_EAGAIN);
    free(r);
}

Test(msg_frames, a_frame_that_fills_the_tail_exactly_needs_no_padding) {
    rbs_ring *r = msg_ring(64);
    empty_at(r, 40);
    send_msg(r, 1, 20); /* frame of 24 == tail */
    cr_assert_eq(le32_at(r, 40), 20u);
    cr_assert_eq(rbs_test_word(r, RBS_OFF_WRITE), 64u);
    send_msg(r, 2, 5); /* next frame at position 0, no padding */
    cr_assert_eq(le32_at(r, 0), 5u);
    cr_assert_eq(rbs_test_word(r, RBS_OFF_WRITE), 64u + 12u);
    expect_msg(r, 1, 20);
    expect_msg(r, 2, 5);
    free(r);
}

Test(msg_frames, padding_needs_room_for_the_message_too_or_nothing_is_written) {
    rbs_ring *r = msg_ring(64);
    empty_at(r, 16);
    send_msg(r, 1, 20); /* occupies 16..40; 40 bytes free, but only 24 in the tail */
    unsigned char before[64];
    memcpy(before, data_of(r), 64);
    cr_assert_eq(rbs_msg_send(r, before, 24), RBS_EAGAIN,
                 "24 + 28 bytes needed, 40 free: refused whole");
    cr_assert_eq(rbs_test_word(r, RBS_OFF_WRITE), 40u, "nothing published");
    cr_assert(memcmp(before, data_of(r), 64) == 0, "not even a padding word was written");
    void *p = (void *)1;
    cr_assert_eq(rbs_msg_reserve(r, 24, &p), RBS_EAGAIN);
    cr_assert_null(p);
    cr_assert_eq(rbs_msg_peek_size(r), 20);
    expect_msg(r, 1, 20);
    send_msg(r, 2, 24); /* now the ring is empty at 40: padding + frame fit */
    cr_assert_eq(le32_at(r, 40), RBS_MSG_PADDING);
    expect_msg(r, 2, 24);
    free(r);
}

/* Every read position, and counters that cross 2^32 on the way. */
static void largest_message_everywhere(uint32_t cap, uint32_t base) {
    rbs_ring *r = msg_ring(cap);
    uint32_t max = (uint32_t)rbs_msg_max_size(r);
    cr_assert_eq(max, cap / 2u - 4u);
    static uint8_t buf[1u << 16];
    for (uint32_t p = 0; p < cap; p += 4) {
        uint32_t start = base + p;
        empty_at(r, start);
        cr_assert_eq(rbs_msg_send(r, buf, max + 1u), RBS_ETOOBIG, "max + 1 never fits");
        cr_assert_eq(rbs_test_word(r, RBS_OFF_WRITE), start);
        send_msg(r, p, max);
        expect_msg(r, p, max);
        cr_assert_eq(rbs_readable(r), 0);

        /* in place too */
        empty_at(r, start);
        void *ptr = NULL;
        cr_assert_eq(rbs_msg_reserve(r, max + 1u, &ptr), RBS_ETOOBIG);
        cr_assert_eq(rbs_msg_reserve(r, max, &ptr), (int)max, "capacity %u position %u", cap, p);
        unsigned char *d = data_of(r);
        cr_assert((unsigned char *)ptr >= d + 4 && (unsigned char *)ptr + max <= d + cap,
                  "the reserved bytes are inside the ring");
        rbs_test_fill(ptr, 5000u + p, max);
        cr_assert_eq(rbs_msg_commit(r, max), (int)max);
        const void *in = NULL;
        size_t len = 0;
        cr_assert_eq(rbs_msg_acquire(r, &in, &len), (int)max);
        cr_assert_eq(len, max);
        rbs_test_fill(buf, 5000u + p, max);
        cr_assert(memcmp(in, buf, max) == 0);
        cr_assert_eq(rbs_msg_release(r), RBS_OK);
        cr_assert_eq(rbs_readable(r), 0);
    }
    free(r);
}

Test(msg_frames, largest_message_fits_from_every_read_position) {
    largest_message_everywhere(16, 0);
    largest_message_everywhere(64, 0);
    largest_message_everywhere(1024, 0);
    largest_message_everywhere(64, UINT32_MAX - 63u); /* counters wrap at 2^32 */
}

Test(msg_frames, full_ring_refuses_whole_and_changes_nothing) {
    rbs_ring *r = msg_ring(64);
    send_msg(r, 1, 28);
    send_msg(r, 2, 28); /* 2 x 32 bytes: full */
    cr_assert_eq(rbs_writable(r), 0);
    cr_assert_eq(rbs_msg_send(r, NULL, 0), RBS_EAGAIN, "even an empty message needs 4 bytes");
    cr_assert_eq(rbs_msg_send(r, "x", 1), RBS_EAGAIN);
    cr_assert_eq(rbs_test_word(r, RBS_OFF_WRITE), 64u);
    expect_msg(r, 1, 28);
    send_msg(r, 3, 28);
    expect_msg(r, 2, 28);
    expect_msg(r, 3, 28);
    free(r);
}

Test(msg_frames, zero_length_messages) {
    rbs_ring *r = msg_ring(16);
    cr_assert_eq(rbs_msg_send(r, NULL, 0), 0);
    cr_assert_eq(rbs_msg_send(r, "ignored", 0), 0);
    cr_assert_eq(rbs_msg_send(r, NULL, 0), 0);
    cr_assert_eq(rbs_msg_send(r, NULL, 0), 0);
    cr_assert_eq(rbs_msg_send(r, NULL, 0), RBS_EAGAIN, "4 frames of 4 bytes fill 16");
    cr_assert_eq(rbs_msg_peek_size(r), 0);
    cr_assert_eq(rbs_msg_recv(r, NULL, 0), 0);
    char c = 'k';
    cr_assert_eq(rbs_msg_recv(r, &c, 1), 0);
    cr_assert_eq(c, 'k', "nothing copied");
    const void *p = NULL;
    size_t len = 99;
    cr_assert_eq(rbs_msg_acquire(r, &p, &len), 0);
    cr_assert_eq(len, 0u);
    cr_assert_not_null(p, "an empty message still has a place");
    cr_assert_eq(rbs_msg_release(r), RBS_OK);
    void *w = NULL;
    cr_assert_eq(rbs_msg_reserve(r, 0, &w), 0);
    cr_assert_not_null(w);
    cr_assert_eq(rbs_msg_commit(r, 0), 0);
    cr_assert_eq(rbs_msg_recv(r, NULL, 0), 0);
    cr_assert_eq(rbs_msg_recv(r, NULL, 0), 0);
    cr_assert_eq(rbs_msg_recv(r, NULL, 0), RBS_EAGAIN);
    cr_assert_eq(rbs_readable(r), 0);
    free(r);
}

Test(msg_frames, small_buffer_is_too_big_and_consumes_nothing) {
    rbs_ring *r = msg_ring(64);
    empty_at(r, 40);
    send_msg(r, 9, 24); /* behind a padding frame */
    uint8_t buf[64];
    memset(buf, 0xEE, sizeof buf);
    cr_assert_eq(rbs_msg_recv(r, buf, 23), RBS_ETOOBIG);
    cr_assert_eq(rbs_msg_recv(r, NULL, 0), RBS_ETOOBIG);
    cr_assert_eq(buf[0], 0xEE, "nothing copied");
    cr_assert_eq(rbs_test_word(r, RBS_OFF_READ), 40u, "nothing consumed, not even the padding");
    cr_assert_eq(rbs_msg_peek_size(r), 24, "peek says how much is needed");
    expect_msg(r, 9, 24);
    free(r);
}

Test(msg_frames, null_buffers_are_refused) {
    rbs_ring *r = msg_ring(64);
    cr_assert_eq(rbs_msg_send(r, NULL, 1), RBS_EINVAL);
    cr_assert_eq(rbs_msg_send(NULL, "x", 1), RBS_EINVAL);
    cr_assert_eq(rbs_test_word(r, RBS_OFF_WRITE), 0u);
    cr_assert_eq(rbs_msg_recv(r, NULL, 1), RBS_EINVAL);
    cr_assert_eq(rbs_msg_recv(NULL, NULL, 0), RBS_EINVAL);
    cr_assert_eq(rbs_msg_peek_size(NULL), RBS_EINVAL);
    cr_assert_eq(rbs_msg_commit(NULL, 0), RBS_EINVAL);
    cr_assert_eq(rbs_msg_release(NULL), RBS_EINVAL);
    void *p;
    cr_assert_eq(rbs_msg_reserve(r, 1, NULL), RBS_EINVAL);
    cr_assert_eq(rbs_msg_reserve(NULL, 1, &p), RBS_EINVAL);
    const void *q;
    size_t len;
    cr_assert_eq(rbs_msg_acquire(r, NULL, &len), RBS_EINVAL);
    cr_assert_eq(rbs_msg_acquire(r, &q, NULL), RBS_EINVAL);
    cr_assert_eq(rbs_msg_acquire(NULL, &q, &len), RBS_EINVAL);
    free(r);
}

Test(msg_frames, counters_wrap_past_2_pow_32_with_every_length) {
    rbs_ring *r = msg_ring(64);
    empty_at(r, UINT32_MAX - 255u); /* 256 bytes before the counter wraps */
    uint64_t sent = 0, received = 0, rng = 42;
    uint32_t lens[4096];
    while (received < 4096) {
        while (sent < 4096) {
            uint32_t len = (uint32_t)(rbs_test_rand(&rng) % 29u); /* 0..28 = max */
            uint8_t buf[32];
            rbs_test_fill(buf, sent * 100u, len);
            int n = rbs_msg_send(r, buf, len);
            if (n == RBS_EAGAIN) break;
            cr_assert_eq(n, (int)len);
            lens[sent++] = len;
        }
        /* take one or two, so the read position drifts against the write */
        uint64_t take = 1u + received % 2u;
        for (; take > 0 && received < sent; take--, received++)
            expect_msg(r, received * 100u, lens[received]);
    }
    cr_assert_lt(rbs_test_word(r, RBS_OFF_WRITE), 0x10000000u, "the counter wrapped");
    cr_assert_eq(rbs_readable(r), 0);
    free(r);
}

/* ---- zero copy ----------------------------------------------------------- */

Test(msg_zero_copy, reserve_writes_in_place_and_commit_publishes) {
    rbs_ring *r = msg_ring(256);
    void *p = NULL;
    cr_assert_eq(rbs_msg_reserve(r, 10, &p), 10);
    cr_assert_eq(p, data_of(r) + 4, "right after the length word");
    cr_assert_eq(rbs_readable(r), 0, "nothing visible before commit");
    cr_assert_eq(rbs_msg_peek_size(r), RBS_EAGAIN);
    rbs_test_fill(p, 1, 10);
    cr_assert_eq(rbs_msg_commit(r, 10), 10);
    cr_assert_eq(rbs_test_word(r, RBS_OFF_WRITE), 16u);
    expect_msg(r, 1, 10);

    /* a shorter final length */
    cr_assert_eq(rbs_msg_reserve(r, 20, &p), 20);
    rbs_test_fill(p, 2, 20);
    cr_assert_eq(rbs_msg_commit(r, 7), 7);
    cr_assert_eq(rbs_test_word(r, RBS_OFF_WRITE), 16u + 12u, "only the final frame is used");
    expect_msg(r, 2, 7);
    free(r);
}

Test(msg_zero_copy, commit_errors_change_nothing) {
    rbs_ring *r = msg_ring(256);
    cr_assert_eq(rbs_msg_commit(r, 0), RBS_EINVAL, "nothing reserved");
    void *p = NULL;
    cr_assert_eq(rbs_msg_reserve(r, 8, &p), 8);
    rbs_test_fill(p, 3, 8);
    cr_assert_eq(rbs_msg_commit(r, 9), RBS_EINVAL, "more than reserved");
    cr_assert_eq(rbs_test_word(r, RBS_OFF_WRITE), 0u);
    cr_assert_eq(rbs_msg_commit(r, 8), 8, "the reservation survives a refused commit");
    cr_assert_eq(rbs_msg_commit(r, 8), RBS_EINVAL, "a reservation is committed once");
    cr_assert_eq(rbs_msg_commit(r, 0), RBS_EINVAL);
    cr_assert_eq(rbs_test_word(r, RBS_OFF_WRITE), 12u);
    expect_msg(r, 3, 8);

    /* a failed reserve replaces the last one too */
    cr_assert_eq(rbs_msg_reserve(r, 8, &p), 8);
    cr_assert_eq(rbs_msg_reserve(r, 1000, &p), RBS_ETOOBIG);
    cr_assert_null(p);
    cr_assert_eq(rbs_msg_commit(r, 0), RBS_EINVAL);

    /* a send in between voids the reservation: its place is taken */
    cr_assert_eq(rbs_msg_reserve(r, 8, &p), 8);
    send_msg(r, 4, 5);
    cr_assert_eq(rbs_msg_commit(r, 8), RBS_EINVAL);
    expect_msg(r, 4, 5);
    cr_assert_eq(rbs_msg_recv(r, NULL, 0), RBS_EAGAIN);
    free(r);
}

Test(msg_zero_copy, reserve_errors_are_those_of_send) {
    rbs_ring *r = msg_ring(64);
    void *p = (void *)1;
    cr_assert_eq(rbs_msg_reserve(r, 29, &p), RBS_ETOOBIG);
    cr_assert_null(p);
    send_msg(r, 1, 28);
    send_msg(r, 2, 20);
    p = (void *)1;
    cr_assert_eq(rbs_msg_reserve(r, 20, &p), RBS_EAGAIN, "needs 24, 8 free");
    cr_assert_null(p);
    cr_assert_eq(rbs_msg_reserve(r, 4, &p), 4);
    cr_assert_eq(rbs_close(r), RBS_OK);
    cr_assert_eq(rbs_msg_commit(r, 4), RBS_ECLOSED);
    cr_assert_eq(rbs_msg_reserve(r, 4, &p), RBS_ECLOSED);
    cr_assert_null(p);
    free(r);
}

Test(msg_zero_copy, reserve_behind_a_padding_frame) {
    rbs_ring *r = msg_ring(64);
    empty_at(r, 40);
    void *p = NULL;
    cr_assert_eq(rbs_msg_reserve(r, 24, &p), 24);
    cr_assert_eq(p, data_of(r) + 4, "the message goes to position 0");
    rbs_test_fill(p, 6, 24);
    cr_assert_eq(rbs_msg_commit(r, 2), 2, "shorter: it stays where it was written");
    cr_assert_eq(le32_at(r, 40), RBS_MSG_PADDING);
    cr_assert_eq(le32_at(r, 0), 2u);
    cr_assert_eq(rbs_test_word(r, RBS_OFF_WRITE), 40u + 24u + 8u);
    expect_msg(r, 6, 2);
    cr_assert_eq(rbs_test_word(r, RBS_OFF_READ), 72u);
    free(r);
}

Test(msg_zero_copy, acquire_reads_in_place_and_release_consumes) {
    rbs_ring *r = msg_ring(256);
    send_msg(r, 1, 5);
    send_msg(r, 2, 6);
    const void *p = NULL;
    size_t len = 0;
    cr_assert_eq(rbs_msg_acquire(r, &p, &len), 5);
    cr_assert_eq(len, 5u);
    cr_assert_eq(p, data_of(r) + 4);
    uint8_t want[8];
    rbs_test_fill(want, 1, 5);
    cr_assert(memcmp(p, want, 5) == 0);
    cr_assert_eq(rbs_msg_acquire(r, &p, &len), 5, "acquiring again gives the same message");
    cr_assert_eq(rbs_msg_peek_size(r), 5, "not consumed before release");
    cr_assert_eq(rbs_msg_release(r), RBS_OK);
    cr_assert_eq(rbs_msg_release(r), RBS_EINVAL, "released once");
    cr_assert_eq(rbs_test_word(r, RBS_OFF_READ), 12u);
    cr_assert_eq(rbs_msg_acquire(r, &p, &len), 6);
    rbs_test_fill(want, 2, 6);
    cr_assert(memcmp(p, want, 6) == 0);
    cr_assert_eq(rbs_msg_release(r), RBS_OK);
    cr_assert_eq(rbs_msg_acquire(r, &p, &len), RBS_EAGAIN);
    cr_assert_null(p);
    cr_assert_eq(len, 0u);
    cr_assert_eq(rbs_msg_release(r), RBS_EINVAL, "nothing acquired");
    free(r);
}

Test(msg_zero_copy, a_receive_voids_the_acquire) {
    rbs_ring *r = msg_ring(256);
    send_msg(r, 1, 5);
    send_msg(r, 2, 6);
    const void *p;
    size_t len;
    cr_assert_eq(rbs_msg_acquire(r, &p, &len), 5);
    expect_msg(r, 1, 5);
    cr_assert_eq(rbs_msg_release(r), RBS_EINVAL, "the acquired message is gone");
    expect_msg(r, 2, 6);
    free(r);
}

Test(msg_zero_copy, acquire_behind_a_padding_frame) {
    rbs_ring *r = msg_ring(64);
    empty_at(r, 40);
    send_msg(r, 8, 24);
    const void *p;
    size_t len;
    cr_assert_eq(rbs_msg_acquire(r, &p, &len), 24);
    cr_assert_eq(p, data_of(r) + 4);
    cr_assert_eq(rbs_msg_release(r), RBS_OK);
    cr_assert_eq(rbs_test_word(r, RBS_OFF_READ), 92u, "padding released with it");
    free(r);
}

/* ---- close and kinds ----------------------------------------------------- */

Test(msg_close, receiver_drains_then_sees_closed) {
    rbs_ring *r = msg_ring(256);
    const void *p;
    size_t len;
    cr_assert_eq(rbs_msg_recv(r, NULL, 0), RBS_EAGAIN, "open and empty");
    cr_assert_eq(rbs_msg_acquire(r, &p, &len), RBS_EAGAIN);
    send_msg(r, 1, 3);
    send_msg(r, 2, 0);
    cr_assert_eq(rbs_close(r), RBS_OK);
    cr_assert_eq(rbs_close(r), RBS_OK, "closing twice is harmless");
    cr_assert_eq(rbs_closed(r), 1);
    cr_assert_eq(rbs_msg_send(r, "x", 1), RBS_ECLOSED);
    cr_assert_eq(rbs_test_word(r, RBS_OFF_WRITE), 12u);
    expect_msg(r, 1, 3);
    cr_assert_eq(rbs_msg_acquire(r, &p, &len), 0, "the last message still arrives");
    cr_assert_eq(rbs_msg_release(r), RBS_OK);
    cr_assert_eq(rbs_msg_recv(r, NULL, 0), RBS_ECLOSED);
    cr_assert_eq(rbs_msg_peek_size(r), RBS_ECLOSED);
    cr_assert_eq(rbs_msg_acquire(r, &p, &len), RBS_ECLOSED);
    free(r);
}

Test(msg_close, calls_of_another_kind_are_refused) {
    rbs_ring *m = msg_ring(64);
    uint8_t buf[8] = {0};
    rbs_span s[2];
    cr_assert_eq(rbs_write(m, buf, 1), RBS_EKIND);
    cr_assert_eq(rbs_write_all(m, buf, 1), RBS_EKIND);
    cr_assert_eq(rbs_write_reserve(m, 1, s), RBS_EKIND);
    cr_assert_eq(rbs_write_commit(m, 0), RBS_EKIND);
    cr_assert_eq(rbs_read(m, buf, 1), RBS_EKIND);
    cr_assert_eq(rbs_read_all(m, buf, 1), RBS_EKIND);
    cr_assert_eq(rbs_peek(m, buf, 1), RBS_EKIND);
    cr_assert_eq(rbs_skip(m, 1), RBS_EKIND);
    cr_assert_eq(rbs_read_acquire(m, 1, s), RBS_EKIND);
    cr_assert_eq(rbs_read_release(m, 0), RBS_EKIND);
    cr_assert_eq(rbs_test_word(m, RBS_OFF_WRITE), 0u);

    rbs_ring *b = rbs_test_ring(64);
    void *p;
    const void *q;
    size_t len;
    cr_assert_eq(rbs_msg_send(b, buf, 1), RBS_EKIND);
    cr_assert_eq(rbs_msg_recv(b, buf, sizeof buf), RBS_EKIND);
    cr_assert_eq(rbs_msg_peek_size(b), RBS_EKIND);
    cr_assert_eq(rbs_msg_reserve(b, 1, &p), RBS_EKIND);
    cr_assert_eq(rbs_msg_commit(b, 0), RBS_EKIND);
    cr_assert_eq(rbs_msg_acquire(b, &q, &len), RBS_EKIND);
    cr_assert_eq(rbs_msg_release(b), RBS_EKIND);
    cr_assert_eq(rbs_test_word(b, RBS_OFF_WRITE), 0u);
    free(b);
    free(m);
}

/* ---- corrupt headers and length words ------------------------------------ */

/* Every consumer call answers `code` and leaves the ring and the buffer as
 * they were. */
static void expect_consumer_refuses(rbs_ring *r, int code) {
    uint32_t read_before = rbs_test_word(r, RBS_OFF_READ);
    uint8_t buf[64];
    memset(buf, 0xEE, sizeof buf);
    cr_assert_eq(rbs_msg_recv(r, buf, sizeof buf), code);
    for (size_t i = 0; i < sizeof buf; i++)
        cr_assert_eq(buf[i], 0xEE, "nothing copied");
    cr_assert_eq(rbs_msg_peek_size(r), code);
    const void *p = (const void *)1;
    size_t len = 1;
    cr_assert_eq(rbs_msg_acquire(r, &p, &len), code);
    cr_assert_null(p);
    cr_assert_eq(len, 0u);
    cr_assert_eq(rbs_msg_release(r), RBS_EINVAL, "a failed acquire leaves nothing to release");
    cr_assert_eq(rbs_test_word(r, RBS_OFF_READ), read_before, "nothing consumed");
}

Test(msg_corrupt, length_above_the_largest_message) {
    rbs_ring *r = msg_ring(64);
    send_msg(r, 1, 4);
    const uint32_t bad[] = {29u, 64u, 0x7FFFFFFFu, 0x80000000u, UINT32_MAX - 1u};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        poke_le32(r, 0, bad[i]);
        expect_consumer_refuses(r, RBS_ECORRUPT);
    }
    poke_le32(r, 0, 4);
    expect_msg(r, 1, 4);
    free(r);
}

Test(msg_corrupt, frame_longer_than_the_published_bytes) {
    rbs_ring *r = msg_ring(64);
    send_msg(r, 1, 4); /* 8 bytes published */
    poke_le32(r, 0, 5);
    expect_consumer_refuses(r, RBS_ECORRUPT);
    poke_le32(r, 0, 28);
    expect_consumer_refuses(r, RBS_ECORRUPT);
    rbs_test_set_word(r, RBS_OFF_WRITE, 2); /* 2 bytes: not even a length word */
    rbs_test_set_word(r, RBS_OFF_CACHED_WRITE, 2);
    expect_consumer_refuses(r, RBS_ECORRUPT);
    free(r);
}

Test(msg_corrupt, frame_crossing_the_end_of_the_buffer) {
    /* A region of exactly 320 + 64 bytes: reading the frame would run 16
     * bytes past it, which the ASan build would report. */
    rbs_ring *r = msg_ring(64);
    empty_at(r, 56);
    poke_le32(r, 56, 20);                     /* frame of 24 from 56: ends at 80 */
    rbs_test_set_word(r, RBS_OFF_WRITE, 80u); /* and 24 bytes "published" */
    expect_consumer_refuses(r, RBS_ECORRUPT);
    free(r);
}

Test(msg_corrupt, padding_frames_where_they_make_no_sense) {
    rbs_ring *r = msg_ring(64);
    /* at position 0: it would span the whole buffer */
    poke_le32(r, 0, RBS_MSG_PADDING);
    poke_le32(r, 4, 0);
    rbs_test_set_word(r, RBS_OFF_WRITE, 8);
    expect_consumer_refuses(r, RBS_ECORRUPT);

    /* alone: published without the message it was written for */
    empty_at(r, 40);
    poke_le32(r, 40, RBS_MSG_PADDING);
    rbs_test_set_word(r, RBS_OFF_WRITE, 64);
    expect_consumer_refuses(r, RBS_ECORRUPT);

    /* followed by another padding frame */
    poke_le32(r, 0, RBS_MSG_PADDING);
    rbs_test_set_word(r, RBS_OFF_WRITE, 64 + 8);
    expect_consumer_refuses(r, RBS_ECORRUPT);

    /* followed by a frame longer than what was published */
    poke_le32(r, 0, 20);
    rbs_test_set_word(r, RBS_OFF_WRITE, 64 + 8);
    expect_consumer_refuses(r, RBS_ECORRUPT);
    rbs_test_set_word(r, RBS_OFF_WRITE, 64 + 24);
    cr_assert_eq(rbs_msg_peek_size(r), 20, "consistent again once the frame is published");
    free(r);
}

Test(msg_corrupt, counters_off_the_frame_grid_or_far_apart) {
    rbs_ring *r = msg_ring(64);
    send_msg(r, 1, 4);
    rbs_test_set_word(r, RBS_OFF_READ, 2); /* read counter moved off the 4-byte grid */
    expect_consumer_refuses(r, RBS_ECORRUPT);
    rbs_test_set_word(r, RBS_OFF_READ, 0);

    rbs_test_set_word(r, RBS_OFF_WRITE, 6); /* write counter off the grid */
    cr_assert_eq(rbs_msg_send(r, "x", 1), RBS_ECORRUPT);
    void *p;
    cr_assert_eq(rbs_msg_reserve(r, 1, &p), RBS_ECORRUPT);

    rbs_test_set_word(r, RBS_OFF_WRITE, 68); /* used 68 > capacity 64 */
    rbs_test_set_word(r, RBS_OFF_CACHED_WRITE, 68);
    expect_consumer_refuses(r, RBS_ECORRUPT);
    rbs_test_set_word(r, RBS_OFF_CACHED_READ, 0);
    cr_assert_eq(rbs_msg_send(r, NULL, 0), RBS_ECORRUPT);
    cr_assert_eq(rbs_test_word(r, RBS_OFF_WRITE), 68u);
    free(r);
}

Test(msg_corrupt, private_words_cannot_push_past_the_other_side) {
    rbs_ring *r = msg_ring(64);
    send_msg(r, 1, 4);
    const void *q;
    size_t len;
    cr_assert_eq(rbs_msg_acquire(r, &q, &len), 4);
    rbs_test_set_word(r, RBS_OFF_ACQUIRED, 1000); /* beyond the capacity */
    cr_assert_eq(rbs_msg_release(r), RBS_ECORRUPT);
    rbs_test_set_word(r, RBS_OFF_ACQUIRED, 6); /* off the grid */
    cr_assert_eq(rbs_msg_release(r), RBS_ECORRUPT);
    rbs_test_set_word(r, RBS_OFF_ACQUIRED, 12); /* more than is published */
    cr_assert_eq(rbs_msg_release(r), RBS_ECORRUPT);
    cr_assert_eq(rbs_test_word(r, RBS_OFF_READ), 0u);
    rbs_test_set_word(r, RBS_OFF_ACQUIRED, 8);
    cr_assert_eq(rbs_msg_release(r), RBS_OK);

    void *p;
    send_msg(r, 2, 28);
    send_msg(r, 3, 20); /* 8 bytes free */
    cr_assert_eq(rbs_msg_reserve(r, 4, &p), 4);
    rbs_test_set_word(r, RBS_OFF_RESERVED, 0x7FFFFFFFu); /* beyond the largest message */
    cr_assert_eq(rbs_msg_commit(r, 5), RBS_ECORRUPT);
    rbs_test_set_word(r, RBS_OFF_RESERVED, 28u + 1u); /* 28 bytes, more than is free */
    cr_assert_eq(rbs_msg_commit(r, 0), RBS_ECORRUPT);
    cr_assert_eq(rbs_test_word(r, RBS_OFF_WRITE), 64u, "nothing published");
    expect_msg(r, 2, 28);
    expect_msg(r, 3, 20);
    free(r);
}

Test(msg_corrupt, meta_line_rewritten) {
    rbs_ring *r = msg_ring(64);
    send_msg(r, 1, 4);
    rbs_test_set_word(r, RBS_OFF_CAPACITY, 1u << 20);
    uint8_t buf[8];
    const void *p;
    size_t len;
    cr_assert_eq(rbs_msg_send(r, "x", 1), RBS_ECORRUPT);
    cr_assert_eq(rbs_msg_recv(r, buf, sizeof buf), RBS_ECORRUPT);
    cr_assert_eq(rbs_msg_peek_size(r), RBS_ECORRUPT);
    cr_assert_eq(rbs_msg_acquire(r, &p, &len), RBS_ECORRUPT);
    cr_assert_eq(rbs_msg_release(r), RBS_ECORRUPT);
    cr_assert_eq(rbs_msg_commit(r, 0), RBS_ECORRUPT);
    cr_assert_eq(rbs_msg_max_size(r), RBS_ECORRUPT);
    cr_assert_eq(rbs_test_word(r, RBS_OFF_READ), 0u);
    cr_assert_eq(rbs_test_word(r, RBS_OFF_WRITE), 8u);
    free(r);
}
