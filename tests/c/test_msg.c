/*
 * test_msg.c — framed messages, one thread: the frame format in the data
 * area, padding frames when a message would wrap, the largest message from
 * every read position, zero-length messages, every error code of send, recv,
 * reserve/commit and acquire/release, close, and corrupt length words (the
 * ASan build checks that nothing is read outside the region).
 */
#include "test_helpers.h"

/* ---- helpers ------------------------------------------------------------ */

/* A length word in the data area, decoded as little-endian whatever the host. */
static uint32_t le32_at(const rbs_view *v, uint32_t pos) {
    const unsigned char *d = v->data + pos;
    return (uint32_t)d[0] | (uint32_t)d[1] << 8 | (uint32_t)d[2] << 16 | (uint32_t)d[3] << 24;
}

static void poke_le32(const rbs_view *v, uint32_t pos, uint32_t word) {
    unsigned char *d = v->data + pos;
    for (int i = 0; i < 4; i++)
        d[i] = (unsigned char)(word >> (8 * i));
}

/* Moves an empty ring's counters (and both sides' cached copies) to
 * `counter`, as if that many bytes had passed through it. */
static void empty_at(const rbs_view *v, uint32_t counter) {
    rbs_test_set_word(v->ring, RBS_OFF_WRITE, counter);
    rbs_test_set_word(v->ring, RBS_OFF_READ, counter);
    rbs_test_set_word(v->ring, RBS_OFF_CACHED_READ, counter);
    rbs_test_set_word(v->ring, RBS_OFF_CACHED_WRITE, counter);
}

/* Receives one message and checks its length and every byte. */
static void expect_msg(const rbs_view *v, uint64_t seed, uint32_t len) {
    static uint8_t want[1u << 16], got[1u << 16];
    cr_assert_lt(len, sizeof want);
    rbs_test_fill(want, seed, len);
    memset(got, 0xEE, sizeof got);
    int n = rbs_msg_recv(v, got, sizeof got);
    cr_assert_eq(n, (int)len, "recv returned %d, expected a message of %u bytes", n, len);
    cr_assert(memcmp(got, want, len) == 0, "message %llu: wrong bytes", (unsigned long long)seed);
    cr_assert_eq(got[len], 0xEE, "recv wrote past the message");
}

static void send_msg(const rbs_view *v, uint64_t seed, uint32_t len) {
    static uint8_t buf[1u << 16];
    cr_assert_leq(len, sizeof buf);
    rbs_test_fill(buf, seed, len);
    int n = rbs_msg_send(v, buf, len);
    cr_assert_eq(n, (int)len, "send of %u bytes returned %d", len, n);
}

/* ---- setting up --------------------------------------------------------- */

Test(msg_setup, init_formats_a_message_ring) {
    rbs_view v = rbs_test_msg_ring(256);
    cr_assert_eq(v.kind, RBS_KIND_MESSAGES);
    cr_assert_eq(v.capacity, 256u);
    cr_assert_eq(rbs_test_word(v.ring, RBS_OFF_KIND), RBS_KIND_MESSAGES);
    rbs_view other;
    cr_assert_eq(rbs_attach(&other, v.ring, rbs_region_size(256)), RBS_OK);
    cr_assert_eq(other.kind, RBS_KIND_MESSAGES);
    cr_assert_eq(rbs_readable(&v), 0);
    cr_assert_eq(rbs_writable(&v), 256);
    cr_assert_eq(rbs_check(&v), RBS_OK);
    cr_assert_eq(rbs_msg_peek_size(&v), RBS_EAGAIN, "a new ring has no message");
    free(v.ring);
}

Test(msg_setup, max_size_is_half_the_capacity_minus_the_length_word) {
    for (uint32_t cap = RBS_MIN_CAPACITY; cap <= (1u << 20); cap <<= 1) {
        rbs_view v = rbs_test_msg_ring(cap);
        cr_assert_eq(rbs_msg_max_size(&v), (int)(cap / 2u - 4u), "capacity %u", cap);
        free(v.ring);
    }
    cr_assert_eq(rbs_msg_max_size(NULL), RBS_EINVAL);
    rbs_view b = rbs_test_ring(64);
    cr_assert_eq(rbs_msg_max_size(&b), RBS_EKIND, "a byte ring has no message size");
    free(b.ring);
}

/* ---- frames ------------------------------------------------------------- */

Test(msg_frames, length_word_then_payload_padded_to_4_bytes) {
    rbs_view v = rbs_test_msg_ring(256);
    cr_assert_eq(rbs_msg_send(&v, "abc", 3), 3);
    cr_assert_eq(le32_at(&v, 0), 3u, "little-endian length word first");
    cr_assert(memcmp(v.data + 4, "abc", 3) == 0, "payload right after it");
    cr_assert_eq(rbs_test_word(v.ring, RBS_OFF_WRITE), 8u, "4 + 3 rounded up to 4");
    cr_assert_eq(rbs_msg_send(&v, "wxyz", 4), 4);
    cr_assert_eq(le32_at(&v, 8), 4u, "the next frame starts 4-aligned");
    cr_assert_eq(rbs_test_word(v.ring, RBS_OFF_WRITE), 16u);
    cr_assert_eq(rbs_msg_send(&v, NULL, 0), 0);
    cr_assert_eq(le32_at(&v, 16), 0u);
    cr_assert_eq(rbs_test_word(v.ring, RBS_OFF_WRITE), 20u, "an empty message is its length word");
    cr_assert_eq(rbs_readable(&v), 20);

    char buf[8] = {0};
    cr_assert_eq(rbs_msg_recv(&v, buf, sizeof buf), 3);
    cr_assert(memcmp(buf, "abc", 3) == 0);
    cr_assert_eq(rbs_test_word(v.ring, RBS_OFF_READ), 8u, "a receive consumes the whole frame");
    cr_assert_eq(rbs_msg_recv(&v, buf, sizeof buf), 4);
    cr_assert(memcmp(buf, "wxyz", 4) == 0);
    cr_assert_eq(rbs_msg_recv(&v, buf, sizeof buf), 0);
    cr_assert_eq(rbs_msg_recv(&v, buf, sizeof buf), RBS_EAGAIN);
    cr_assert_eq(rbs_test_word(v.ring, RBS_OFF_READ), 20u);
    free(v.ring);
}

Test(msg_frames, messages_arrive_whole_and_in_order) {
    rbs_view v = rbs_test_msg_ring(1024);
    const uint32_t lens[] = {0, 1, 2, 3, 4, 5, 7, 8, 100, 255, 508};
    const size_t count = sizeof lens / sizeof lens[0];
    for (size_t i = 0; i < count; i++)
        send_msg(&v, 1000u * i, lens[i]);
    for (size_t i = 0; i < count; i++) {
        cr_assert_eq(rbs_msg_peek_size(&v), (int)lens[i]);
        expect_msg(&v, 1000u * i, lens[i]);
    }
    cr_assert_eq(rbs_msg_peek_size(&v), RBS_EAGAIN);
    free(v.ring);
}

Test(msg_frames, padding_frame_fills_the_tail_when_a_message_would_wrap) {
    rbs_view v = rbs_test_msg_ring(64); /* largest message 28, frame 32 */
    empty_at(&v, 40);                   /* 24 bytes to the end of the buffer */
    send_msg(&v, 7, 24);                /* frame of 28 > 24: goes to position 0 */
    cr_assert_eq(le32_at(&v, 40), RBS_MSG_PADDING, "padding frame in the tail");
    cr_assert_eq(le32_at(&v, 0), 24u, "the message starts at position 0");
    cr_assert_eq(rbs_test_word(v.ring, RBS_OFF_WRITE), 40u + 24u + 28u,
                 "padding and frame published together");
    cr_assert_eq(rbs_readable(&v), 52);
    cr_assert_eq(rbs_msg_peek_size(&v), 24, "the receiver skips the padding");
    expect_msg(&v, 7, 24);
    cr_assert_eq(rbs_test_word(v.ring, RBS_OFF_READ), 92u, "padding consumed with the message");
    cr_assert_eq(rbs_msg_recv(&v, NULL, 0), RBS_EAGAIN);
    free(v.ring);
}

Test(msg_frames, a_frame_that_fills_the_tail_exactly_needs_no_padding) {
    rbs_view v = rbs_test_msg_ring(64);
    empty_at(&v, 40);
    send_msg(&v, 1, 20); /* frame of 24 == tail */
    cr_assert_eq(le32_at(&v, 40), 20u);
    cr_assert_eq(rbs_test_word(v.ring, RBS_OFF_WRITE), 64u);
    send_msg(&v, 2, 5); /* next frame at position 0, no padding */
    cr_assert_eq(le32_at(&v, 0), 5u);
    cr_assert_eq(rbs_test_word(v.ring, RBS_OFF_WRITE), 64u + 12u);
    expect_msg(&v, 1, 20);
    expect_msg(&v, 2, 5);
    free(v.ring);
}

Test(msg_frames, padding_needs_room_for_the_message_too_or_nothing_is_written) {
    rbs_view v = rbs_test_msg_ring(64);
    empty_at(&v, 16);
    send_msg(&v, 1, 20); /* occupies 16..40; 40 bytes free, but only 24 in the tail */
    unsigned char before[64];
    memcpy(before, v.data, 64);
    cr_assert_eq(rbs_msg_send(&v, before, 24), RBS_EAGAIN,
                 "24 + 28 bytes needed, 40 free: refused whole");
    cr_assert_eq(rbs_test_word(v.ring, RBS_OFF_WRITE), 40u, "nothing published");
    cr_assert(memcmp(before, v.data, 64) == 0, "not even a padding word was written");
    void *p = (void *)1;
    cr_assert_eq(rbs_msg_reserve(&v, 24, &p), RBS_EAGAIN);
    cr_assert_null(p);
    cr_assert_eq(rbs_msg_peek_size(&v), 20);
    expect_msg(&v, 1, 20);
    send_msg(&v, 2, 24); /* now the ring is empty at 40: padding + frame fit */
    cr_assert_eq(le32_at(&v, 40), RBS_MSG_PADDING);
    expect_msg(&v, 2, 24);
    free(v.ring);
}

/* Every read position, and counters that cross 2^32 on the way. */
static void largest_message_everywhere(uint32_t cap, uint32_t base) {
    rbs_view v = rbs_test_msg_ring(cap);
    uint32_t max = (uint32_t)rbs_msg_max_size(&v);
    cr_assert_eq(max, cap / 2u - 4u);
    static uint8_t buf[1u << 16];
    for (uint32_t p = 0; p < cap; p += 4) {
        uint32_t start = base + p;
        empty_at(&v, start);
        cr_assert_eq(rbs_msg_send(&v, buf, max + 1u), RBS_ETOOBIG, "max + 1 never fits");
        cr_assert_eq(rbs_test_word(v.ring, RBS_OFF_WRITE), start);
        send_msg(&v, p, max);
        expect_msg(&v, p, max);
        cr_assert_eq(rbs_readable(&v), 0);

        /* in place too */
        empty_at(&v, start);
        void *ptr = NULL;
        cr_assert_eq(rbs_msg_reserve(&v, max + 1u, &ptr), RBS_ETOOBIG);
        cr_assert_eq(rbs_msg_reserve(&v, max, &ptr), (int)max, "capacity %u position %u", cap, p);
        unsigned char *d = v.data;
        cr_assert((unsigned char *)ptr >= d + 4 && (unsigned char *)ptr + max <= d + cap,
                  "the reserved bytes are inside the ring");
        rbs_test_fill(ptr, 5000u + p, max);
        cr_assert_eq(rbs_msg_commit(&v, max), (int)max);
        const void *in = NULL;
        size_t len = 0;
        cr_assert_eq(rbs_msg_acquire(&v, &in, &len), (int)max);
        cr_assert_eq(len, max);
        rbs_test_fill(buf, 5000u + p, max);
        cr_assert(memcmp(in, buf, max) == 0);
        cr_assert_eq(rbs_msg_release(&v), RBS_OK);
        cr_assert_eq(rbs_readable(&v), 0);
    }
    free(v.ring);
}

Test(msg_frames, largest_message_fits_from_every_read_position) {
    largest_message_everywhere(16, 0);
    largest_message_everywhere(64, 0);
    largest_message_everywhere(1024, 0);
    largest_message_everywhere(64, UINT32_MAX - 63u); /* counters wrap at 2^32 */
}

Test(msg_frames, full_ring_refuses_whole_and_changes_nothing) {
    rbs_view v = rbs_test_msg_ring(64);
    send_msg(&v, 1, 28);
    send_msg(&v, 2, 28); /* 2 x 32 bytes: full */
    cr_assert_eq(rbs_writable(&v), 0);
    cr_assert_eq(rbs_msg_send(&v, NULL, 0), RBS_EAGAIN, "even an empty message needs 4 bytes");
    cr_assert_eq(rbs_msg_send(&v, "x", 1), RBS_EAGAIN);
    cr_assert_eq(rbs_test_word(v.ring, RBS_OFF_WRITE), 64u);
    expect_msg(&v, 1, 28);
    send_msg(&v, 3, 28);
    expect_msg(&v, 2, 28);
    expect_msg(&v, 3, 28);
    free(v.ring);
}

Test(msg_frames, zero_length_messages) {
    rbs_view v = rbs_test_msg_ring(16);
    cr_assert_eq(rbs_msg_send(&v, NULL, 0), 0);
    cr_assert_eq(rbs_msg_send(&v, "ignored", 0), 0);
    cr_assert_eq(rbs_msg_send(&v, NULL, 0), 0);
    cr_assert_eq(rbs_msg_send(&v, NULL, 0), 0);
    cr_assert_eq(rbs_msg_send(&v, NULL, 0), RBS_EAGAIN, "4 frames of 4 bytes fill 16");
    cr_assert_eq(rbs_msg_peek_size(&v), 0);
    cr_assert_eq(rbs_msg_recv(&v, NULL, 0), 0);
    char c = 'k';
    cr_assert_eq(rbs_msg_recv(&v, &c, 1), 0);
    cr_assert_eq(c, 'k', "nothing copied");
    const void *p = NULL;
    size_t len = 99;
    cr_assert_eq(rbs_msg_acquire(&v, &p, &len), 0);
    cr_assert_eq(len, 0u);
    cr_assert_not_null(p, "an empty message still has a place");
    cr_assert_eq(rbs_msg_release(&v), RBS_OK);
    void *w = NULL;
    cr_assert_eq(rbs_msg_reserve(&v, 0, &w), 0);
    cr_assert_not_null(w);
    cr_assert_eq(rbs_msg_commit(&v, 0), 0);
    cr_assert_eq(rbs_msg_recv(&v, NULL, 0), 0);
    cr_assert_eq(rbs_msg_recv(&v, NULL, 0), 0);
    cr_assert_eq(rbs_msg_recv(&v, NULL, 0), RBS_EAGAIN);
    cr_assert_eq(rbs_readable(&v), 0);
    free(v.ring);
}

Test(msg_frames, small_buffer_is_too_big_and_consumes_nothing) {
    rbs_view v = rbs_test_msg_ring(64);
    empty_at(&v, 40);
    send_msg(&v, 9, 24); /* behind a padding frame */
    uint8_t buf[64];
    memset(buf, 0xEE, sizeof buf);
    cr_assert_eq(rbs_msg_recv(&v, buf, 23), RBS_ETOOBIG);
    cr_assert_eq(rbs_msg_recv(&v, NULL, 0), RBS_ETOOBIG);
    cr_assert_eq(buf[0], 0xEE, "nothing copied");
    cr_assert_eq(rbs_test_word(v.ring, RBS_OFF_READ), 40u,
                 "nothing consumed, not even the padding");
    cr_assert_eq(rbs_msg_peek_size(&v), 24, "peek says how much is needed");
    expect_msg(&v, 9, 24);
    free(v.ring);
}

Test(msg_frames, null_buffers_are_refused) {
    rbs_view v = rbs_test_msg_ring(64);
    cr_assert_eq(rbs_msg_send(&v, NULL, 1), RBS_EINVAL);
    cr_assert_eq(rbs_msg_send(NULL, "x", 1), RBS_EINVAL);
    cr_assert_eq(rbs_test_word(v.ring, RBS_OFF_WRITE), 0u);
    cr_assert_eq(rbs_msg_recv(&v, NULL, 1), RBS_EINVAL);
    cr_assert_eq(rbs_msg_recv(NULL, NULL, 0), RBS_EINVAL);
    cr_assert_eq(rbs_msg_peek_size(NULL), RBS_EINVAL);
    cr_assert_eq(rbs_msg_commit(NULL, 0), RBS_EINVAL);
    cr_assert_eq(rbs_msg_release(NULL), RBS_EINVAL);
    void *p;
    cr_assert_eq(rbs_msg_reserve(&v, 1, NULL), RBS_EINVAL);
    cr_assert_eq(rbs_msg_reserve(NULL, 1, &p), RBS_EINVAL);
    const void *q;
    size_t len;
    cr_assert_eq(rbs_msg_acquire(&v, NULL, &len), RBS_EINVAL);
    cr_assert_eq(rbs_msg_acquire(&v, &q, NULL), RBS_EINVAL);
    cr_assert_eq(rbs_msg_acquire(NULL, &q, &len), RBS_EINVAL);
    free(v.ring);
}

Test(msg_frames, counters_wrap_past_2_pow_32_with_every_length) {
    rbs_view v = rbs_test_msg_ring(64);
    empty_at(&v, UINT32_MAX - 255u); /* 256 bytes before the counter wraps */
    uint64_t sent = 0, received = 0, rng = 42;
    uint32_t lens[4096];
    while (received < 4096) {
        while (sent < 4096) {
            uint32_t len = (uint32_t)(rbs_test_rand(&rng) % 29u); /* 0..28 = max */
            uint8_t buf[32];
            rbs_test_fill(buf, sent * 100u, len);
            int n = rbs_msg_send(&v, buf, len);
            if (n == RBS_EAGAIN) break;
            cr_assert_eq(n, (int)len);
            lens[sent++] = len;
        }
        /* take one or two, so the read position drifts against the write */
        uint64_t take = 1u + received % 2u;
        for (; take > 0 && received < sent; take--, received++)
            expect_msg(&v, received * 100u, lens[received]);
    }
    cr_assert_lt(rbs_test_word(v.ring, RBS_OFF_WRITE), 0x10000000u, "the counter wrapped");
    cr_assert_eq(rbs_readable(&v), 0);
    free(v.ring);
}

/* ---- zero copy ----------------------------------------------------------- */

Test(msg_zero_copy, reserve_writes_in_place_and_commit_publishes) {
    rbs_view v = rbs_test_msg_ring(256);
    void *p = NULL;
    cr_assert_eq(rbs_msg_reserve(&v, 10, &p), 10);
    cr_assert_eq(p, v.data + 4, "right after the length word");
    cr_assert_eq(rbs_readable(&v), 0, "nothing visible before commit");
    cr_assert_eq(rbs_msg_peek_size(&v), RBS_EAGAIN);
    rbs_test_fill(p, 1, 10);
    cr_assert_eq(rbs_msg_commit(&v, 10), 10);
    cr_assert_eq(rbs_test_word(v.ring, RBS_OFF_WRITE), 16u);
    expect_msg(&v, 1, 10);

    /* a shorter final length */
    cr_assert_eq(rbs_msg_reserve(&v, 20, &p), 20);
    rbs_test_fill(p, 2, 20);
    cr_assert_eq(rbs_msg_commit(&v, 7), 7);
    cr_assert_eq(rbs_test_word(v.ring, RBS_OFF_WRITE), 16u + 12u, "only the final frame is used");
    expect_msg(&v, 2, 7);
    free(v.ring);
}

Test(msg_zero_copy, commit_errors_change_nothing) {
    rbs_view v = rbs_test_msg_ring(256);
    cr_assert_eq(rbs_msg_commit(&v, 0), RBS_EINVAL, "nothing reserved");
    void *p = NULL;
    cr_assert_eq(rbs_msg_reserve(&v, 8, &p), 8);
    rbs_test_fill(p, 3, 8);
    cr_assert_eq(rbs_msg_commit(&v, 9), RBS_EINVAL, "more than reserved");
    cr_assert_eq(rbs_test_word(v.ring, RBS_OFF_WRITE), 0u);
    cr_assert_eq(rbs_msg_commit(&v, 8), 8, "the reservation survives a refused commit");
    cr_assert_eq(rbs_msg_commit(&v, 8), RBS_EINVAL, "a reservation is committed once");
    cr_assert_eq(rbs_msg_commit(&v, 0), RBS_EINVAL);
    cr_assert_eq(rbs_test_word(v.ring, RBS_OFF_WRITE), 12u);
    expect_msg(&v, 3, 8);

    /* a failed reserve replaces the last one too */
    cr_assert_eq(rbs_msg_reserve(&v, 8, &p), 8);
    cr_assert_eq(rbs_msg_reserve(&v, 1000, &p), RBS_ETOOBIG);
    cr_assert_null(p);
    cr_assert_eq(rbs_msg_commit(&v, 0), RBS_EINVAL);

    /* a send in between voids the reservation: its place is taken */
    cr_assert_eq(rbs_msg_reserve(&v, 8, &p), 8);
    send_msg(&v, 4, 5);
    cr_assert_eq(rbs_msg_commit(&v, 8), RBS_EINVAL);
    expect_msg(&v, 4, 5);
    cr_assert_eq(rbs_msg_recv(&v, NULL, 0), RBS_EAGAIN);
    free(v.ring);
}

Test(msg_zero_copy, reserve_errors_are_those_of_send) {
    rbs_view v = rbs_test_msg_ring(64);
    void *p = (void *)1;
    cr_assert_eq(rbs_msg_reserve(&v, 29, &p), RBS_ETOOBIG);
    cr_assert_null(p);
    send_msg(&v, 1, 28);
    send_msg(&v, 2, 20);
    p = (void *)1;
    cr_assert_eq(rbs_msg_reserve(&v, 20, &p), RBS_EAGAIN, "needs 24, 8 free");
    cr_assert_null(p);
    cr_assert_eq(rbs_msg_reserve(&v, 4, &p), 4);
    cr_assert_eq(rbs_close(&v), RBS_OK);
    cr_assert_eq(rbs_msg_commit(&v, 4), RBS_ECLOSED);
    cr_assert_eq(rbs_msg_reserve(&v, 4, &p), RBS_ECLOSED);
    cr_assert_null(p);
    free(v.ring);
}

Test(msg_zero_copy, reserve_behind_a_padding_frame) {
    rbs_view v = rbs_test_msg_ring(64);
    empty_at(&v, 40);
    void *p = NULL;
    cr_assert_eq(rbs_msg_reserve(&v, 24, &p), 24);
    cr_assert_eq(p, v.data + 4, "the message goes to position 0");
    rbs_test_fill(p, 6, 24);
    cr_assert_eq(rbs_msg_commit(&v, 2), 2, "shorter: it stays where it was written");
    cr_assert_eq(le32_at(&v, 40), RBS_MSG_PADDING);
    cr_assert_eq(le32_at(&v, 0), 2u);
    cr_assert_eq(rbs_test_word(v.ring, RBS_OFF_WRITE), 40u + 24u + 8u);
    expect_msg(&v, 6, 2);
    cr_assert_eq(rbs_test_word(v.ring, RBS_OFF_READ), 72u);
    free(v.ring);
}

Test(msg_zero_copy, acquire_reads_in_place_and_release_consumes) {
    rbs_view v = rbs_test_msg_ring(256);
    send_msg(&v, 1, 5);
    send_msg(&v, 2, 6);
    const void *p = NULL;
    size_t len = 0;
    cr_assert_eq(rbs_msg_acquire(&v, &p, &len), 5);
    cr_assert_eq(len, 5u);
    cr_assert_eq(p, v.data + 4);
    uint8_t want[8];
    rbs_test_fill(want, 1, 5);
    cr_assert(memcmp(p, want, 5) == 0);
    cr_assert_eq(rbs_msg_acquire(&v, &p, &len), 5, "acquiring again gives the same message");
    cr_assert_eq(rbs_msg_peek_size(&v), 5, "not consumed before release");
    cr_assert_eq(rbs_msg_release(&v), RBS_OK);
    cr_assert_eq(rbs_msg_release(&v), RBS_EINVAL, "released once");
    cr_assert_eq(rbs_test_word(v.ring, RBS_OFF_READ), 12u);
    cr_assert_eq(rbs_msg_acquire(&v, &p, &len), 6);
    rbs_test_fill(want, 2, 6);
    cr_assert(memcmp(p, want, 6) == 0);
    cr_assert_eq(rbs_msg_release(&v), RBS_OK);
    cr_assert_eq(rbs_msg_acquire(&v, &p, &len), RBS_EAGAIN);
    cr_assert_null(p);
    cr_assert_eq(len, 0u);
    cr_assert_eq(rbs_msg_release(&v), RBS_EINVAL, "nothing acquired");
    free(v.ring);
}

Test(msg_zero_copy, a_receive_voids_the_acquire) {
    rbs_view v = rbs_test_msg_ring(256);
    send_msg(&v, 1, 5);
    send_msg(&v, 2, 6);
    const void *p;
    size_t len;
    cr_assert_eq(rbs_msg_acquire(&v, &p, &len), 5);
    expect_msg(&v, 1, 5);
    cr_assert_eq(rbs_msg_release(&v), RBS_EINVAL, "the acquired message is gone");
    expect_msg(&v, 2, 6);
    free(v.ring);
}

Test(msg_zero_copy, acquire_behind_a_padding_frame) {
    rbs_view v = rbs_test_msg_ring(64);
    empty_at(&v, 40);
    send_msg(&v, 8, 24);
    const void *p;
    size_t len;
    cr_assert_eq(rbs_msg_acquire(&v, &p, &len), 24);
    cr_assert_eq(p, v.data + 4);
    cr_assert_eq(rbs_msg_release(&v), RBS_OK);
    cr_assert_eq(rbs_test_word(v.ring, RBS_OFF_READ), 92u, "padding released with it");
    free(v.ring);
}

/* ---- close and kinds ----------------------------------------------------- */

Test(msg_close, receiver_drains_then_sees_closed) {
    rbs_view v = rbs_test_msg_ring(256);
    const void *p;
    size_t len;
    cr_assert_eq(rbs_msg_recv(&v, NULL, 0), RBS_EAGAIN, "open and empty");
    cr_assert_eq(rbs_msg_acquire(&v, &p, &len), RBS_EAGAIN);
    send_msg(&v, 1, 3);
    send_msg(&v, 2, 0);
    cr_assert_eq(rbs_close(&v), RBS_OK);
    cr_assert_eq(rbs_close(&v), RBS_OK, "closing twice is harmless");
    cr_assert_eq(rbs_closed(&v), 1);
    cr_assert_eq(rbs_msg_send(&v, "x", 1), RBS_ECLOSED);
    cr_assert_eq(rbs_test_word(v.ring, RBS_OFF_WRITE), 12u);
    expect_msg(&v, 1, 3);
    cr_assert_eq(rbs_msg_acquire(&v, &p, &len), 0, "the last message still arrives");
    cr_assert_eq(rbs_msg_release(&v), RBS_OK);
    cr_assert_eq(rbs_msg_recv(&v, NULL, 0), RBS_ECLOSED);
    cr_assert_eq(rbs_msg_peek_size(&v), RBS_ECLOSED);
    cr_assert_eq(rbs_msg_acquire(&v, &p, &len), RBS_ECLOSED);
    free(v.ring);
}

Test(msg_close, calls_of_another_kind_are_refused) {
    rbs_view m = rbs_test_msg_ring(64);
    uint8_t buf[8] = {0};
    rbs_span s[2];
    cr_assert_eq(rbs_write(&m, buf, 1), RBS_EKIND);
    cr_assert_eq(rbs_write_all(&m, buf, 1), RBS_EKIND);
    cr_assert_eq(rbs_write_reserve(&m, 1, s), RBS_EKIND);
    cr_assert_eq(rbs_write_commit(&m, 0), RBS_EKIND);
    cr_assert_eq(rbs_read(&m, buf, 1), RBS_EKIND);
    cr_assert_eq(rbs_read_all(&m, buf, 1), RBS_EKIND);
    cr_assert_eq(rbs_peek(&m, buf, 1), RBS_EKIND);
    cr_assert_eq(rbs_skip(&m, 1), RBS_EKIND);
    cr_assert_eq(rbs_read_acquire(&m, 1, s), RBS_EKIND);
    cr_assert_eq(rbs_read_release(&m, 0), RBS_EKIND);
    cr_assert_eq(rbs_test_word(m.ring, RBS_OFF_WRITE), 0u);

    rbs_view b = rbs_test_ring(64);
    void *p;
    const void *q;
    size_t len;
    cr_assert_eq(rbs_msg_send(&b, buf, 1), RBS_EKIND);
    cr_assert_eq(rbs_msg_recv(&b, buf, sizeof buf), RBS_EKIND);
    cr_assert_eq(rbs_msg_peek_size(&b), RBS_EKIND);
    cr_assert_eq(rbs_msg_reserve(&b, 1, &p), RBS_EKIND);
    cr_assert_eq(rbs_msg_commit(&b, 0), RBS_EKIND);
    cr_assert_eq(rbs_msg_acquire(&b, &q, &len), RBS_EKIND);
    cr_assert_eq(rbs_msg_release(&b), RBS_EKIND);
    cr_assert_eq(rbs_test_word(b.ring, RBS_OFF_WRITE), 0u);
    free(b.ring);
    free(m.ring);
}

/* ---- corrupt headers and length words ------------------------------------ */

/* Every consumer call answers `code` and leaves the ring and the buffer as
 * they were. */
static void expect_consumer_refuses(const rbs_view *v, int code) {
    uint32_t read_before = rbs_test_word(v->ring, RBS_OFF_READ);
    uint8_t buf[64];
    memset(buf, 0xEE, sizeof buf);
    cr_assert_eq(rbs_msg_recv(v, buf, sizeof buf), code);
    for (size_t i = 0; i < sizeof buf; i++)
        cr_assert_eq(buf[i], 0xEE, "nothing copied");
    cr_assert_eq(rbs_msg_peek_size(v), code);
    const void *p = (const void *)1;
    size_t len = 1;
    cr_assert_eq(rbs_msg_acquire(v, &p, &len), code);
    cr_assert_null(p);
    cr_assert_eq(len, 0u);
    cr_assert_eq(rbs_msg_release(v), RBS_EINVAL, "a failed acquire leaves nothing to release");
    cr_assert_eq(rbs_test_word(v->ring, RBS_OFF_READ), read_before, "nothing consumed");
}

Test(msg_corrupt, length_above_the_largest_message) {
    rbs_view v = rbs_test_msg_ring(64);
    send_msg(&v, 1, 4);
    const uint32_t bad[] = {29u, 64u, 0x7FFFFFFFu, 0x80000000u, UINT32_MAX - 1u};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        poke_le32(&v, 0, bad[i]);
        expect_consumer_refuses(&v, RBS_ECORRUPT);
    }
    poke_le32(&v, 0, 4);
    expect_msg(&v, 1, 4);
    free(v.ring);
}

Test(msg_corrupt, frame_longer_than_the_published_bytes) {
    rbs_view v = rbs_test_msg_ring(64);
    send_msg(&v, 1, 4); /* 8 bytes published */
    poke_le32(&v, 0, 5);
    expect_consumer_refuses(&v, RBS_ECORRUPT);
    poke_le32(&v, 0, 28);
    expect_consumer_refuses(&v, RBS_ECORRUPT);
    rbs_test_set_word(v.ring, RBS_OFF_WRITE, 2); /* 2 bytes: not even a length word */
    rbs_test_set_word(v.ring, RBS_OFF_CACHED_WRITE, 2);
    expect_consumer_refuses(&v, RBS_ECORRUPT);
    free(v.ring);
}

Test(msg_corrupt, frame_crossing_the_end_of_the_buffer) {
    /* A region of exactly 320 + 64 bytes: reading the frame would run 16
     * bytes past it, which the ASan build would report. */
    rbs_view v = rbs_test_msg_ring(64);
    empty_at(&v, 56);
    poke_le32(&v, 56, 20);                         /* frame of 24 from 56: ends at 80 */
    rbs_test_set_word(v.ring, RBS_OFF_WRITE, 80u); /* and 24 bytes "published" */
    expect_consumer_refuses(&v, RBS_ECORRUPT);
    free(v.ring);
}

Test(msg_corrupt, padding_frames_where_they_make_no_sense) {
    rbs_view v = rbs_test_msg_ring(64);
    /* at position 0: it would span the whole buffer */
    poke_le32(&v, 0, RBS_MSG_PADDING);
    poke_le32(&v, 4, 0);
    rbs_test_set_word(v.ring, RBS_OFF_WRITE, 8);
    expect_consumer_refuses(&v, RBS_ECORRUPT);

    /* alone: published without the message it was written for */
    empty_at(&v, 40);
    poke_le32(&v, 40, RBS_MSG_PADDING);
    rbs_test_set_word(v.ring, RBS_OFF_WRITE, 64);
    expect_consumer_refuses(&v, RBS_ECORRUPT);

    /* followed by another padding frame */
    poke_le32(&v, 0, RBS_MSG_PADDING);
    rbs_test_set_word(v.ring, RBS_OFF_WRITE, 64 + 8);
    expect_consumer_refuses(&v, RBS_ECORRUPT);

    /* followed by a frame longer than what was published */
    poke_le32(&v, 0, 20);
    rbs_test_set_word(v.ring, RBS_OFF_WRITE, 64 + 8);
    expect_consumer_refuses(&v, RBS_ECORRUPT);
    rbs_test_set_word(v.ring, RBS_OFF_WRITE, 64 + 24);
    cr_assert_eq(rbs_msg_peek_size(&v), 20, "consistent again once the frame is published");
    free(v.ring);
}

Test(msg_corrupt, counters_off_the_frame_grid_or_far_apart) {
    rbs_view v = rbs_test_msg_ring(64);
    send_msg(&v, 1, 4);
    rbs_test_set_word(v.ring, RBS_OFF_READ, 2); /* read counter moved off the 4-byte grid */
    expect_consumer_refuses(&v, RBS_ECORRUPT);
    rbs_test_set_word(v.ring, RBS_OFF_READ, 0);

    rbs_test_set_word(v.ring, RBS_OFF_WRITE, 6); /* write counter off the grid */
    cr_assert_eq(rbs_msg_send(&v, "x", 1), RBS_ECORRUPT);
    void *p;
    cr_assert_eq(rbs_msg_reserve(&v, 1, &p), RBS_ECORRUPT);

    rbs_test_set_word(v.ring, RBS_OFF_WRITE, 68); /* used 68 > capacity 64 */
    rbs_test_set_word(v.ring, RBS_OFF_CACHED_WRITE, 68);
    expect_consumer_refuses(&v, RBS_ECORRUPT);
    rbs_test_set_word(v.ring, RBS_OFF_CACHED_READ, 0);
    cr_assert_eq(rbs_msg_send(&v, NULL, 0), RBS_ECORRUPT);
    cr_assert_eq(rbs_test_word(v.ring, RBS_OFF_WRITE), 68u);
    free(v.ring);
}

Test(msg_corrupt, private_words_cannot_push_past_the_other_side) {
    rbs_view v = rbs_test_msg_ring(64);
    send_msg(&v, 1, 4);
    const void *q;
    size_t len;
    cr_assert_eq(rbs_msg_acquire(&v, &q, &len), 4);
    rbs_test_set_word(v.ring, RBS_OFF_ACQUIRED, 1000); /* beyond the capacity */
    cr_assert_eq(rbs_msg_release(&v), RBS_ECORRUPT);
    rbs_test_set_word(v.ring, RBS_OFF_ACQUIRED, 6); /* off the grid */
    cr_assert_eq(rbs_msg_release(&v), RBS_ECORRUPT);
    rbs_test_set_word(v.ring, RBS_OFF_ACQUIRED, 12); /* more than is published */
    cr_assert_eq(rbs_msg_release(&v), RBS_ECORRUPT);
    cr_assert_eq(rbs_test_word(v.ring, RBS_OFF_READ), 0u);
    rbs_test_set_word(v.ring, RBS_OFF_ACQUIRED, 8);
    cr_assert_eq(rbs_msg_release(&v), RBS_OK);

    void *p;
    send_msg(&v, 2, 28);
    send_msg(&v, 3, 20); /* 8 bytes free */
    cr_assert_eq(rbs_msg_reserve(&v, 4, &p), 4);
    rbs_test_set_word(v.ring, RBS_OFF_RESERVED, 0x7FFFFFFFu); /* beyond the largest message */
    cr_assert_eq(rbs_msg_commit(&v, 5), RBS_ECORRUPT);
    rbs_test_set_word(v.ring, RBS_OFF_RESERVED, 28u + 1u); /* 28 bytes, more than is free */
    cr_assert_eq(rbs_msg_commit(&v, 0), RBS_ECORRUPT);
    cr_assert_eq(rbs_test_word(v.ring, RBS_OFF_WRITE), 64u, "nothing published");
    expect_msg(&v, 2, 28);
    expect_msg(&v, 3, 20);
    free(v.ring);
}

/* The meta line rewritten under a side that holds a view: messages keep
 * moving whole inside the view's 64 bytes; the queries and rbs_check report
 * the change, and so does a call that finds nothing to do. */
Test(msg_corrupt, meta_line_rewritten) {
    rbs_view v = rbs_test_msg_ring(64);
    send_msg(&v, 1, 4);
    rbs_test_set_word(v.ring, RBS_OFF_CAPACITY, 1u << 20);
    cr_assert_eq(rbs_check(&v), RBS_ECORRUPT);
    cr_assert_eq(rbs_readable(&v), RBS_ECORRUPT);
    cr_assert_eq(rbs_writable(&v), RBS_ECORRUPT);
    cr_assert_eq(rbs_closed(&v), RBS_ECORRUPT);
    cr_assert_eq(rbs_msg_max_size(&v), 28, "the view's largest message");
    send_msg(&v, 2, 28);
    send_msg(&v, 3, 16); /* 8 + 32 + 20 bytes: 4 left */
    void *p = (void *)1;
    cr_assert_eq(rbs_msg_send(&v, "x", 1), RBS_ECORRUPT, "no room: nothing to do");
    cr_assert_eq(rbs_msg_reserve(&v, 1, &p), RBS_ECORRUPT);
    cr_assert_null(p);
    cr_assert_eq(rbs_msg_reserve(&v, 29, &p), RBS_ETOOBIG, "bounded by the view");
    cr_assert_eq(rbs_msg_commit(&v, 0), RBS_EINVAL, "nothing reserved");
    expect_msg(&v, 1, 4);
    const void *q = NULL;
    size_t len = 0;
    cr_assert_eq(rbs_msg_acquire(&v, &q, &len), 28);
    cr_assert(q == v.data + 12 && len == 28, "in place, inside the data area");
    cr_assert_eq(rbs_msg_release(&v), RBS_OK);
    cr_assert_eq(rbs_msg_peek_size(&v), 16);
    expect_msg(&v, 3, 16);
    expect_consumer_refuses(&v, RBS_ECORRUPT); /* empty: nothing to do */
    cr_assert_eq(rbs_msg_reserve(&v, 20, &p), 20, "the wrap still uses the view's capacity");
    cr_assert(p == v.data + 4, "behind a padding frame at position 60");
    rbs_test_fill(p, 4, 20);
    cr_assert_eq(rbs_msg_commit(&v, 20), 20);
    expect_msg(&v, 4, 20);
    rbs_test_set_word(v.ring, RBS_OFF_CAPACITY, 64);
    cr_assert_eq(rbs_check(&v), RBS_OK, "restored");
    cr_assert_eq(rbs_msg_recv(&v, NULL, 0), RBS_EAGAIN);
    free(v.ring);
}

/* The meta line of a genuine larger message ring copied over this one, with
 * the counters near the forged end and a length word claiming a message the
 * forged ring could hold: nothing is read or written outside this ring. */
Test(msg_corrupt, forged_meta_line_of_a_larger_ring) {
    rbs_view v = rbs_test_msg_ring(64);
    size_t big_size = rbs_region_size(1u << 16);
    void *big = rbs_test_region(big_size);
    cr_assert_eq(rbs_msg_init(NULL, big, big_size, 1u << 16), RBS_OK);
    memcpy(v.ring, big, 64);
    empty_at(&v, (1u << 16) - 8u); /* position 56 of the view's 64 */
    cr_assert_eq(rbs_check(&v), RBS_ECORRUPT);
    send_msg(&v, 5, 24); /* padding frame at 56, the message at 0 */
    cr_assert_eq(le32_at(&v, 56), RBS_MSG_PADDING);
    expect_msg(&v, 5, 24);
    poke_le32(&v, 28, 1000); /* "a 1000-byte message" where the next frame starts */
    rbs_test_set_word(v.ring, RBS_OFF_WRITE, (1u << 16) + 28u + 8u); /* 8 bytes published */
    expect_consumer_refuses(&v, RBS_ECORRUPT);
    rbs_view other;
    cr_assert_eq(rbs_attach(&other, v.ring, rbs_region_size(64)), RBS_ERANGE);
    free(big);
    free(v.ring);
}
