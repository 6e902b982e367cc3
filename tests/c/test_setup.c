/*
 * test_setup.c — setting up a ring of any kind: region sizes, the header's
 * lines, the meta line init writes, rbs_attach filling the view (every field,
 * every error, the view zeroed on error), rbs_check catching each meta word
 * changed alone, and the error sentences.
 */
#include "test_helpers.h"

#include "ring_internal.h" /* rbs__meta_check, to forge a meta line */

/* The three kinds, formatted by their own init into `region`. */
enum { BYTES, MESSAGES, AUDIO };
static int init_kind(int kind, rbs_view *v, void *region, size_t size, uint32_t cap) {
    if (kind == BYTES) return rbs_init(v, region, size, cap);
    if (kind == MESSAGES) return rbs_msg_init(v, region, size, cap);
    return rbs_audio_init(v, region, size, cap, 3, 44100);
}

/* Every byte of the view is zero (what rbs_attach leaves on an error). */
static int all_zero(const rbs_view *v) {
    const unsigned char *p = (const unsigned char *)v;
    for (size_t i = 0; i < sizeof *v; i++)
        if (p[i] != 0) return 0;
    return 1;
}

/* ---- sizes and layout ------------------------------------------------------ */

Test(setup, region_size_for_valid_and_invalid_capacities) {
    cr_assert_eq(rbs_region_size(16), RBS_HEADER_SIZE + 16u);
    cr_assert_eq(rbs_region_size(1u << 30), (size_t)RBS_HEADER_SIZE + (1u << 30));
    cr_assert_eq(rbs_region_size(0), 0u);
    cr_assert_eq(rbs_region_size(8), 0u, "below the minimum of 16");
    cr_assert_eq(rbs_region_size(24), 0u, "not a power of two");
    cr_assert_eq(rbs_region_size(1u << 31), 0u, "above 2^30");
    cr_assert_eq(rbs_region_size(UINT32_MAX), 0u);
}

Test(setup, header_is_whole_cache_lines) {
    cr_assert_eq(RBS_HEADER_SIZE % 64u, 0u);
    cr_assert_eq(RBS_OFF_DATA, RBS_HEADER_SIZE);
    cr_assert_eq(RBS_OFF_META_CHECK / 64u, 0u, "the meta line");
    cr_assert_eq(RBS_OFF_WRITE / 64u, 1u, "write counter on the producer line");
    cr_assert_eq(RBS_OFF_READ / 64u, 2u, "read counter on the consumer line");
    cr_assert_eq(RBS_OFF_CACHED_READ / 64u, 3u);
    cr_assert_eq(RBS_OFF_CACHED_WRITE / 64u, 4u);
}

Test(setup, waiting_words_are_on_the_line_of_the_side_that_reads_them) {
    /* The producer reads the consumer's waiting words after every publish,
     * so they sit on the producer's line, which it already holds. */
    cr_assert_eq(RBS_OFF_CONSUMER_WAITERS / 64u, RBS_OFF_WRITE / 64u);
    cr_assert_eq(RBS_OFF_CONSUMER_WAIT_SEQ / 64u, RBS_OFF_WRITE / 64u);
    cr_assert_eq(RBS_OFF_CONSUMER_WAKE / 64u, RBS_OFF_WRITE / 64u, "the producer adds to it");
    cr_assert_eq(RBS_OFF_PRODUCER_WAITERS / 64u, RBS_OFF_READ / 64u);
    cr_assert_eq(RBS_OFF_PRODUCER_WAIT_SEQ / 64u, RBS_OFF_READ / 64u);
    cr_assert_eq(RBS_OFF_PRODUCER_WAKE / 64u, RBS_OFF_READ / 64u, "the consumer adds to it");
    /* each waker's record of its last wake is private to it */
    cr_assert_eq(RBS_OFF_CONSUMER_WOKEN_AT / 64u, RBS_OFF_CACHED_READ / 64u);
    cr_assert_eq(RBS_OFF_PRODUCER_WOKEN_AT / 64u, RBS_OFF_CACHED_WRITE / 64u);
}

Test(setup, scratch_words_are_in_each_role_s_private_line) {
    cr_assert_eq(RBS_OFF_PRODUCER_SCRATCH / 64u, RBS_OFF_CACHED_READ / 64u);
    cr_assert_eq((RBS_OFF_PRODUCER_SCRATCH + RBS_SCRATCH_SIZE - 1u) / 64u,
                 RBS_OFF_CACHED_READ / 64u);
    cr_assert_eq(RBS_OFF_CONSUMER_SCRATCH / 64u, RBS_OFF_CACHED_WRITE / 64u);
    cr_assert_eq((RBS_OFF_CONSUMER_SCRATCH + RBS_SCRATCH_SIZE - 1u) / 64u,
                 RBS_OFF_CACHED_WRITE / 64u);
    cr_assert_gt(RBS_OFF_PRODUCER_SCRATCH, RBS_OFF_CONSUMER_WOKEN_AT);
    cr_assert_gt(RBS_OFF_CONSUMER_SCRATCH, RBS_OFF_PRODUCER_WOKEN_AT);
}

/* ---- init ------------------------------------------------------------------- */

Test(setup, init_formats_the_meta_line_and_fills_the_view) {
    rbs_view v = rbs_test_ring(256);
    void *r = v.ring;
    cr_assert_eq(rbs_test_word(r, RBS_OFF_MAGIC), RBS_MAGIC);
    cr_assert_eq(rbs_test_word(r, RBS_OFF_ABI_VERSION), RBS_ABI_VERSION);
    cr_assert_eq(rbs_test_word(r, RBS_OFF_HEADER_SIZE), RBS_HEADER_SIZE);
    cr_assert_eq(rbs_test_word(r, RBS_OFF_CAPACITY), 256u);
    cr_assert_eq(rbs_test_word(r, RBS_OFF_KIND), RBS_KIND_BYTES);
    cr_assert_eq(rbs_test_word(r, RBS_OFF_CHANNELS), 0u);
    cr_assert_eq(rbs_test_word(r, RBS_OFF_SAMPLE_RATE), 0u);
    cr_assert_eq(rbs_test_word(r, RBS_OFF_FRAME_BYTES), 0u);
    cr_assert_eq(rbs_test_word(r, RBS_OFF_META_CHECK), v.meta_check);
    for (uint32_t off = RBS_OFF_WRITE; off < RBS_HEADER_SIZE; off += 4)
        cr_assert_eq(rbs_test_word(r, off), 0u, "header word at %u starts at 0", off);
    cr_assert_eq(rbs_test_word(r, RBS_OFF_DATA), 0xA5A5A5A5u, "the data is not touched");
    cr_assert_eq((void *)v.ring, r);
    cr_assert_eq(v.data, (unsigned char *)r + RBS_OFF_DATA);
    cr_assert_eq(v.capacity, 256u);
    cr_assert_eq(v.kind, RBS_KIND_BYTES);
    cr_assert_eq(v.channels, 0u);
    cr_assert_eq(v.sample_rate, 0u);
    cr_assert_eq(v.frame_bytes, 0u);
    cr_assert_eq(v.max_frames, 0u);
    cr_assert_eq(rbs_readable(&v), 0);
    cr_assert_eq(rbs_writable(&v), 256);
    cr_assert_eq(rbs_closed(&v), 0);
    cr_assert_eq(rbs_check(&v), RBS_OK);
    free(r);
}

Test(setup, init_errors) {
    size_t size = rbs_region_size(1024);
    unsigned char *region = rbs_test_region(size + 64);
    for (int kind = BYTES; kind <= AUDIO; kind++) {
        rbs_view v;
        cr_assert_eq(init_kind(kind, &v, NULL, size, 1024), RBS_EINVAL);
        cr_assert_eq(init_kind(kind, &v, region + 8, size, 1024), RBS_EALIGN);
        cr_assert_eq(init_kind(kind, &v, region, size, 1000), RBS_ECAPACITY);
        cr_assert_eq(init_kind(kind, &v, region, size, 8), RBS_ECAPACITY);
        cr_assert_eq(init_kind(kind, &v, region, size, 1u << 31), RBS_ECAPACITY);
        cr_assert_eq(init_kind(kind, &v, region, size - 1, 1024), RBS_ERANGE);
        cr_assert_eq(rbs_test_word(region, RBS_OFF_MAGIC), 0xA5A5A5A5u, "nothing formatted");
    }
    cr_assert_eq(rbs_init(NULL, region, size, 1024), RBS_OK, "no view: format only");
    rbs_view v;
    cr_assert_eq(rbs_attach(&v, region, size), RBS_OK);
    cr_assert_eq(v.capacity, 1024u);
    free(region);
}

/* ---- attach: the one validation step ---------------------------------------- */

Test(setup, attach_fills_every_field_of_the_view_for_every_kind) {
    for (int kind = BYTES; kind <= AUDIO; kind++) {
        size_t size = rbs_region_size(1024);
        unsigned char *region = rbs_test_region(size);
        rbs_view mine, theirs;
        memset(&theirs, 0x5A, sizeof theirs);
        cr_assert_eq(init_kind(kind, &mine, region, size, 1024), RBS_OK);
        cr_assert_eq(rbs_attach(&theirs, region, size), RBS_OK, "kind %d", kind);
        cr_assert_eq((void *)theirs.ring, (void *)region);
        cr_assert_eq(theirs.data, region + RBS_OFF_DATA);
        cr_assert_eq(theirs.capacity, 1024u);
        cr_assert_eq(theirs.kind, (uint32_t)kind + 1u);
        uint32_t ch = kind == AUDIO ? 3u : 0u;
        cr_assert_eq(theirs.channels, ch);
        cr_assert_eq(theirs.sample_rate, kind == AUDIO ? 44100u : 0u);
        cr_assert_eq(theirs.frame_bytes, 4u * ch);
        cr_assert_eq(theirs.max_frames, kind == AUDIO ? 1024u / 12u : 0u);
        cr_assert_eq(theirs.meta_check, rbs_test_word(region, RBS_OFF_META_CHECK));
        cr_assert(rbs_test_same_view(&mine, &theirs), "init and attach agree, kind %d", kind);
        cr_assert_eq(rbs_attach(&theirs, region, size + 4096), RBS_OK, "a larger region is fine");
        free(region);
    }
}

/* Attaches a garbage-filled view and expects `code` and a zeroed view that
 * every call then refuses. */
static void expect_attach_fails(const void *region, size_t size, int code, const char *why) {
    rbs_view v;
    memset(&v, 0x5A, sizeof v);
    cr_assert_eq(rbs_attach(&v, region, size), code, "%s", why);
    cr_assert(all_zero(&v), "%s: the view is zeroed", why);
    cr_assert_eq(rbs_readable(&v), RBS_EINVAL, "%s: a zeroed view is refused", why);
    cr_assert_eq(rbs_write(&v, "x", 1), RBS_EINVAL);
    cr_assert_eq(rbs_check(&v), RBS_EINVAL);
}

Test(setup, attach_errors) {
    size_t size = rbs_region_size(64);
    rbs_view v = rbs_test_ring(64);
    unsigned char *r = (unsigned char *)v.ring;
    cr_assert_eq(rbs_attach(NULL, r, size), RBS_EINVAL);
    expect_attach_fails(NULL, size, RBS_EINVAL, "no region");
    expect_attach_fails(r + 4, size, RBS_EALIGN, "misaligned");
    expect_attach_fails(r, size - 1, RBS_ERANGE, "region smaller than the ring");
    expect_attach_fails(r, RBS_HEADER_SIZE - 1, RBS_ERANGE, "region smaller than the header");

    const struct {
        uint32_t off, value;
        int code;
        const char *why;
    } cases[] = {
        {RBS_OFF_MAGIC, 0, RBS_ENOTRING, "magic"},
        {RBS_OFF_ABI_VERSION, RBS_ABI_VERSION - 1u, RBS_EVERSION, "older ABI version"},
        {RBS_OFF_ABI_VERSION, RBS_ABI_VERSION + 1u, RBS_EVERSION, "newer ABI version"},
        {RBS_OFF_HEADER_SIZE, RBS_HEADER_SIZE + 64u, RBS_EVERSION, "header size"},
        {RBS_OFF_CAPACITY, 100, RBS_ECORRUPT, "capacity not a power of two"},
        {RBS_OFF_CAPACITY, 128, RBS_ECORRUPT, "capacity without its check word"},
        {RBS_OFF_KIND, RBS_KIND_MESSAGES, RBS_ECORRUPT, "kind without its check word"},
        {RBS_OFF_SAMPLE_RATE, 48000, RBS_ECORRUPT, "sample rate without its check word"},
        {RBS_OFF_META_CHECK, 12345, RBS_ECORRUPT, "check word"},
        {RBS_OFF_WRITE, 65, RBS_ECORRUPT, "used 65 > capacity 64"},
        {RBS_OFF_READ, 1, RBS_ECORRUPT, "read ahead of write"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        uint32_t old = rbs_test_word(r, cases[i].off);
        rbs_test_set_word(r, cases[i].off, cases[i].value);
        expect_attach_fails(r, size, cases[i].code, cases[i].why);
        rbs_test_set_word(r, cases[i].off, old);
        rbs_view again;
        cr_assert_eq(rbs_attach(&again, r, size), RBS_OK, "restored after %s", cases[i].why);
    }
    free(r);
}

/* A meta line with a valid check word that no init could have written. */
static void forge(void *r, uint32_t cap, uint32_t kind, uint32_t ch, uint32_t rate, uint32_t fb) {
    rbs_test_set_word(r, RBS_OFF_CAPACITY, cap);
    rbs_test_set_word(r, RBS_OFF_KIND, kind);
    rbs_test_set_word(r, RBS_OFF_CHANNELS, ch);
    rbs_test_set_word(r, RBS_OFF_SAMPLE_RATE, rate);
    rbs_test_set_word(r, RBS_OFF_FRAME_BYTES, fb);
    rbs_test_set_word(r, RBS_OFF_META_CHECK, rbs__meta_check(cap, kind, ch, rate, fb));
}

Test(setup, attach_refuses_a_forged_meta_line_that_no_init_writes) {
    size_t size = rbs_region_size(64);
    void *r = rbs_test_region(size);
    const uint32_t bad[][5] = {
        {64, 0, 0, 0, 0},              /* no kind */
        {64, 4, 0, 0, 0},              /* unknown kind */
        {64, RBS_KIND_BYTES, 2, 0, 0}, /* bytes with channels */
        {64, RBS_KIND_MESSAGES, 0, 48000, 0},
        {64, RBS_KIND_AUDIO, 0, 48000, 0}, /* no channels */
        {64, RBS_KIND_AUDIO, 33, 48000, 132},
        {64, RBS_KIND_AUDIO, 2, 48000, 4}, /* frame bytes not 4 x channels */
        {64, RBS_KIND_AUDIO, 2, 0, 8},     /* sample rate 0 */
        {64, RBS_KIND_AUDIO, 2, RBS_MAX_SAMPLE_RATE + 1u, 8},
        {64, RBS_KIND_AUDIO, 32, 48000, 128}, /* a frame larger than the ring */
        {1u << 31, RBS_KIND_BYTES, 0, 0, 0},  /* capacity beyond the maximum */
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        cr_assert_eq(rbs_init(NULL, r, size, 64), RBS_OK);
        forge(r, bad[i][0], bad[i][1], bad[i][2], bad[i][3], bad[i][4]);
        expect_attach_fails(r, size, RBS_ECORRUPT, "forged meta line");
    }
    /* A genuine meta line of a larger ring: it does not fit this region. */
    cr_assert_eq(rbs_init(NULL, r, size, 64), RBS_OK);
    forge(r, 128, RBS_KIND_BYTES, 0, 0, 0);
    expect_attach_fails(r, size, RBS_ERANGE, "capacity beyond the region");
    free(r);
}

/* ---- check ---------------------------------------------------------------------- */

Test(setup, check_catches_each_meta_word_changed_alone) {
    for (int kind = BYTES; kind <= AUDIO; kind++) {
        size_t size = rbs_region_size(256);
        unsigned char *r = rbs_test_region(size);
        rbs_view v;
        cr_assert_eq(init_kind(kind, &v, r, size, 256), RBS_OK);
        cr_assert_eq(rbs_check(&v), RBS_OK);
        for (uint32_t off = RBS_OFF_MAGIC; off <= RBS_OFF_META_CHECK; off += 4) {
            uint32_t old = rbs_test_word(r, off);
            const uint32_t changes[] = {old + 1u, old ^ 0x80000000u, 0u, UINT32_MAX};
            for (size_t i = 0; i < 4; i++) {
                if (changes[i] == old) continue;
                rbs_test_set_word(r, off, changes[i]);
                cr_assert_eq(rbs_check(&v), RBS_ECORRUPT, "kind %d, word at %u = %u", kind, off,
                             changes[i]);
            }
            rbs_test_set_word(r, off, old);
            cr_assert_eq(rbs_check(&v), RBS_OK, "restored word at %u", off);
        }
        free(r);
    }
}

Test(setup, check_catches_counters_far_apart_and_refuses_no_view) {
    rbs_view v = rbs_test_ring(64);
    cr_assert_eq(rbs_check(NULL), RBS_EINVAL);
    rbs_view zero;
    memset(&zero, 0, sizeof zero);
    cr_assert_eq(rbs_check(&zero), RBS_EINVAL);
    cr_assert_eq(rbs_write(&v, "abcdefgh", 8), 8);
    cr_assert_eq(rbs_check(&v), RBS_OK, "data in the ring is fine");
    rbs_test_set_word(v.ring, RBS_OFF_WRITE, 65);
    cr_assert_eq(rbs_check(&v), RBS_ECORRUPT);
    rbs_test_set_word(v.ring, RBS_OFF_WRITE, 8);
    rbs_test_set_word(v.ring, RBS_OFF_READ, 9);
    cr_assert_eq(rbs_check(&v), RBS_ECORRUPT, "read past write");
    rbs_test_set_word(v.ring, RBS_OFF_READ, 0);
    cr_assert_eq(rbs_check(&v), RBS_OK);
    free(v.ring);
}

Test(setup, the_view_is_the_side_s_own_copy) {
    /* A view copied by value keeps working: nothing in it points at itself. */
    rbs_view v = rbs_test_ring(64);
    rbs_view copy = v;
    cr_assert_eq(rbs_write(&v, "abc", 3), 3);
    char out[4];
    cr_assert_eq(rbs_read(&copy, out, sizeof out), 3);
    cr_assert_arr_eq(out, "abc", 3);
    free(v.ring);
}

/* ---- errors ----------------------------------------------------------------------- */

Test(setup, strerror_has_a_sentence_for_every_code) {
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
