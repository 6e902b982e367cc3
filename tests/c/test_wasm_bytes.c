/*
 * test_wasm_bytes.c — the entry points the JavaScript package calls in its
 * WebAssembly instance (wasm_api.h), called natively: formatting each kind,
 * the geometry word rbs_wasm_attach hands out, rbs_wasm_check, the byte calls
 * with positions left in the role's scratch word, and the publishing calls
 * waking a sleeper.
 */
#define _GNU_SOURCE /* MAP_ANONYMOUS, MAP_NORESERVE */
#include "test_helpers.h"

#include "wasm_api.h"

#include <sys/mman.h>

/* What JS keeps from rbs_wasm_attach: the geometry word and the rate. */
static uint32_t geo_of(void *region, size_t size, uint32_t *rate) {
    int64_t g = rbs_wasm_attach(region, (uint32_t)size);
    cr_assert_geq(g, 0, "rbs_wasm_attach: %lld", (long long)g);
    if (rate != NULL) *rate = (uint32_t)((uint64_t)g >> 32);
    return (uint32_t)g;
}

static uint32_t scratch(const void *region, uint32_t off) {
    return rbs_test_word(region, off);
}

/* ---- setting up -------------------------------------------------------------- */

Test(wasm_setup, init_formats_each_kind) {
    size_t size = rbs_region_size(1024);
    void *r = rbs_test_region(size);
    rbs_view v;
    cr_assert_eq(rbs_wasm_init(r, (uint32_t)size, 1024, RBS_KIND_BYTES, 0, 0), RBS_OK);
    cr_assert_eq(rbs_attach(&v, r, size), RBS_OK);
    cr_assert_eq(v.kind, RBS_KIND_BYTES);
    cr_assert_eq(rbs_wasm_init(r, (uint32_t)size, 1024, RBS_KIND_MESSAGES, 0, 0), RBS_OK);
    cr_assert_eq(rbs_attach(&v, r, size), RBS_OK);
    cr_assert_eq(v.kind, RBS_KIND_MESSAGES);
    cr_assert_eq(rbs_wasm_init(r, (uint32_t)size, 1024, RBS_KIND_AUDIO, 6, 96000), RBS_OK);
    cr_assert_eq(rbs_attach(&v, r, size), RBS_OK);
    cr_assert_eq(v.kind, RBS_KIND_AUDIO);
    cr_assert_eq(v.channels, 6u);
    cr_assert_eq(v.sample_rate, 96000u);
    free(r);
}

Test(wasm_setup, init_errors) {
    size_t size = rbs_region_size(1024);
    unsigned char *r = rbs_test_region(size + 64);
    cr_assert_eq(rbs_wasm_init((void *)r, (uint32_t)size, 1024, 0, 0, 0), RBS_EKIND);
    cr_assert_eq(rbs_wasm_init((void *)r, (uint32_t)size, 1024, 4, 0, 0), RBS_EKIND);
    cr_assert_eq(rbs_wasm_init(NULL, (uint32_t)size, 1024, RBS_KIND_BYTES, 0, 0), RBS_EINVAL);
    cr_assert_eq(rbs_wasm_init((void *)(r + 4), (uint32_t)size, 1024, RBS_KIND_BYTES, 0, 0),
                 RBS_EALIGN);
    cr_assert_eq(rbs_wasm_init((void *)r, (uint32_t)size, 1000, RBS_KIND_MESSAGES, 0, 0),
                 RBS_ECAPACITY);
    cr_assert_eq(rbs_wasm_init((void *)r, (uint32_t)size - 1, 1024, RBS_KIND_BYTES, 0, 0),
                 RBS_ERANGE);
    cr_assert_eq(rbs_wasm_init((void *)r, (uint32_t)size, 1024, RBS_KIND_AUDIO, 0, 48000),
                 RBS_EFORMAT);
    cr_assert_eq(rbs_wasm_init((void *)r, (uint32_t)size, 1024, RBS_KIND_AUDIO, 2, 0), RBS_EFORMAT);
    cr_assert_eq(rbs_test_word(r, RBS_OFF_MAGIC), 0xA5A5A5A5u, "nothing formatted");
    free(r);
}

/* geo: log2(capacity) in bits 0..7, kind in 8..15, channels in 16..23; the
 * sample rate in bits 32..63 of what rbs_wasm_attach returns. */
Test(wasm_setup, attach_encodes_the_geometry) {
    size_t size = rbs_region_size(1024);
    void *r = rbs_test_region(size);
    cr_assert_eq(rbs_init(NULL, r, size, 1024), RBS_OK);
    cr_assert_eq(rbs_wasm_attach(r, (uint32_t)size), (int64_t)(10u | RBS_KIND_BYTES << 8));
    cr_assert_eq(rbs_msg_init(NULL, r, size, 16), RBS_OK);
    cr_assert_eq(rbs_wasm_attach(r, (uint32_t)size), (int64_t)(4u | RBS_KIND_MESSAGES << 8));
    cr_assert_eq(rbs_audio_init(NULL, r, size, 512, 32, RBS_MAX_SAMPLE_RATE), RBS_OK);
    cr_assert_eq(rbs_wasm_attach(r, (uint32_t)size),
                 (int64_t)(9u | RBS_KIND_AUDIO << 8 | 32u << 16) | (int64_t)RBS_MAX_SAMPLE_RATE
                                                                       << 32);
    cr_assert_eq(rbs_audio_init(NULL, r, size, 1024, 3, 44100), RBS_OK);
    cr_assert_eq(rbs_wasm_attach(r, (uint32_t)size),
                 (int64_t)(10u | RBS_KIND_AUDIO << 8 | 3u << 16) | (int64_t)44100 << 32);
    free(r);

    /* the largest ring: only its header is ever touched */
    size_t big = rbs_region_size(RBS_MAX_CAPACITY);
    void *m =
        mmap(NULL, big, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    cr_assert_neq(m, MAP_FAILED);
    cr_assert_eq(rbs_audio_init(NULL, m, big, RBS_MAX_CAPACITY, 2, 8000), RBS_OK);
    cr_assert_eq(rbs_wasm_attach(m, (uint32_t)big),
                 (int64_t)(30u | RBS_KIND_AUDIO << 8 | 2u << 16) | (int64_t)8000 << 32);
    munmap(m, big);
}

Test(wasm_setup, attach_errors_are_the_codes) {
    size_t size = rbs_region_size(64);
    unsigned char *r = rbs_test_region(size);
    cr_assert_eq(rbs_wasm_attach((void *)r, (uint32_t)size), RBS_ENOTRING);
    cr_assert_eq(rbs_init(NULL, r, size, 64), RBS_OK);
    cr_assert_eq(rbs_wasm_attach(NULL, (uint32_t)size), RBS_EINVAL);
    cr_assert_eq(rbs_wasm_attach((void *)(r + 4), (uint32_t)size), RBS_EALIGN);
    cr_assert_eq(rbs_wasm_attach((void *)r, (uint32_t)size - 1), RBS_ERANGE);
    rbs_test_set_word(r, RBS_OFF_ABI_VERSION, RBS_ABI_VERSION + 1u);
    cr_assert_eq(rbs_wasm_attach((void *)r, (uint32_t)size), RBS_EVERSION);
    rbs_test_set_word(r, RBS_OFF_ABI_VERSION, RBS_ABI_VERSION);
    rbs_test_set_word(r, RBS_OFF_CAPACITY, 32);
    cr_assert_eq(rbs_wasm_attach((void *)r, (uint32_t)size), RBS_ECORRUPT);
    free(r);
}

Test(wasm_setup, check_compares_with_the_geometry_given) {
    rbs_view v = rbs_test_audio_ring(1024, 2);
    uint32_t rate = 0;
    uint32_t geo = geo_of(v.ring, rbs_region_size(1024), &rate);
    cr_assert_eq(rate, 48000u);
    cr_assert_eq(rbs_wasm_check(v.ring, geo, rate), RBS_OK);
    cr_assert_eq(rbs_wasm_check(v.ring, geo, 44100), RBS_ECORRUPT, "another rate");
    cr_assert_eq(rbs_wasm_check(v.ring, geo + 1u, rate), RBS_ECORRUPT, "another capacity");
    cr_assert_eq(rbs_wasm_check(v.ring, geo ^ 3u << 16, rate), RBS_ECORRUPT, "other channels");
    rbs_test_set_word(v.ring, RBS_OFF_SAMPLE_RATE, 44100);
    cr_assert_eq(rbs_wasm_check(v.ring, geo, rate), RBS_ECORRUPT, "the meta line changed");
    rbs_test_set_word(v.ring, RBS_OFF_SAMPLE_RATE, 48000);
    rbs_test_set_word(v.ring, RBS_OFF_WRITE, 2000);
    cr_assert_eq(rbs_wasm_check(v.ring, geo, rate), RBS_ECORRUPT, "counters far apart");
    free(v.ring);
}

Test(wasm_setup, scratch_size_is_the_c_one) {
    cr_assert_eq(rbs_wasm_audio_scratch_size(2, 128), rbs_audio_scratch_size(2, 128));
    cr_assert_eq(rbs_wasm_audio_scratch_size(3, 341), rbs_audio_scratch_size(3, 341));
    cr_assert_eq(rbs_wasm_audio_scratch_size(0, 128), 0u);
}

/* ---- bytes ------------------------------------------------------------------------ */

Test(wasm_bytes, copies_through_the_geometry_given) {
    rbs_view v = rbs_test_ring(64);
    uint32_t geo = geo_of(v.ring, rbs_region_size(64), NULL);
    uint8_t in[128], out[128];
    rbs_test_fill(in, 0, 128);
    cr_assert_eq(rbs_wasm_write(v.ring, geo, in, 40), 40);
    cr_assert_eq(rbs_wasm_write(v.ring, geo, in + 40, 40), 24, "as much as fits");
    cr_assert_eq(rbs_wasm_readable(v.ring, geo), 64);
    cr_assert_eq(rbs_wasm_writable(v.ring, geo), 0);
    cr_assert_eq(rbs_wasm_write_all(v.ring, geo, in, 1), RBS_EAGAIN);
    cr_assert_eq(rbs_wasm_write_all(v.ring, geo, in, 65), RBS_ETOOBIG);
    cr_assert_eq(rbs_wasm_peek(v.ring, geo, out, 10), 10);
    cr_assert_arr_eq(out, in, 10);
    cr_assert_eq(rbs_wasm_skip(v.ring, geo, 10), 10);
    cr_assert_eq(rbs_wasm_read_all(v.ring, geo, out, 55), RBS_EAGAIN, "54 there");
    cr_assert_eq(rbs_wasm_read_all(v.ring, geo, out, 20), 20);
    cr_assert_arr_eq(out, in + 10, 20);
    cr_assert_eq(rbs_wasm_write_all(v.ring, geo, in + 64, 30), 30, "wraps");
    cr_assert_eq(rbs_wasm_read(v.ring, geo, out, 128), 64);
    cr_assert_arr_eq(out, in + 30, 64);
    cr_assert_eq(rbs_wasm_read(v.ring, geo, out, 1), 0, "empty");
    cr_assert_eq(rbs_wasm_closed(v.ring, geo), 0);
    cr_assert_eq(rbs_wasm_close(v.ring, geo), RBS_OK);
    cr_assert_eq(rbs_wasm_closed(v.ring, geo), 1);
    cr_assert_eq(rbs_wasm_write(v.ring, geo, in, 1), RBS_ECLOSED);
    cr_assert_eq(rbs_wasm_read(v.ring, geo, out, 1), RBS_ECLOSED);
    free(v.ring);
}

Test(wasm_bytes, reserve_and_acquire_leave_positions_in_the_scratch_words) {
    rbs_view v = rbs_test_ring(16);
    uint32_t geo = geo_of(v.ring, rbs_region_size(16), NULL);
    uint8_t in[16], out[16];
    rbs_test_fill(in, 5, 16);
    cr_assert_eq(rbs_wasm_write(v.ring, geo, in, 12), 12);
    cr_assert_eq(rbs_wasm_skip(v.ring, geo, 12), 12); /* positions now at 12 */
    cr_assert_eq(rbs_wasm_reserve(v.ring, geo, 10), 10);
    uint32_t at = scratch(v.ring, RBS_OFF_PRODUCER_SCRATCH);
    cr_assert_eq(at, 12u, "the first span's position, not an address");
    /* JS writes the two spans from the position and the count */
    memcpy(v.data + at, in, 4);
    memcpy(v.data, in + 4, 6);
    cr_assert_eq(rbs_wasm_readable(v.ring, geo), 0, "nothing visible before commit");
    cr_assert_eq(rbs_wasm_commit(v.ring, geo, 11), RBS_EINVAL, "more than reserved");
    cr_assert_eq(rbs_wasm_commit(v.ring, geo, 10), 10);
    cr_assert_eq(rbs_wasm_acquire(v.ring, geo, 100), 10);
    cr_assert_eq(scratch(v.ring, RBS_OFF_CONSUMER_SCRATCH), 12u);
    memcpy(out, v.data + 12, 4);
    memcpy(out + 4, v.data, 6);
    cr_assert_arr_eq(out, in, 10);
    cr_assert_eq(rbs_wasm_release(v.ring, geo, 11), RBS_EINVAL);
    cr_assert_eq(rbs_wasm_release(v.ring, geo, 4), 4);
    cr_assert_eq(rbs_wasm_acquire(v.ring, geo, 100), 6);
    cr_assert_eq(scratch(v.ring, RBS_OFF_CONSUMER_SCRATCH), 0u, "after the wrap");
    cr_assert_eq(rbs_wasm_release(v.ring, geo, 6), 6);
    cr_assert_eq(rbs_wasm_readable(v.ring, geo), 0);
    free(v.ring);
}

/* The shared capacity forged: the calls use the geometry JS passed. */
Test(wasm_bytes, a_forged_capacity_changes_nothing_but_the_reports) {
    rbs_view v = rbs_test_ring(64);
    uint32_t geo = geo_of(v.ring, rbs_region_size(64), NULL);
    rbs_test_set_word(v.ring, RBS_OFF_CAPACITY, 1u << 30);
    uint8_t in[64], out[64];
    rbs_test_fill(in, 9, 64);
    cr_assert_eq(rbs_wasm_readable(v.ring, geo), RBS_ECORRUPT);
    cr_assert_eq(rbs_wasm_writable(v.ring, geo), RBS_ECORRUPT);
    cr_assert_eq(rbs_wasm_closed(v.ring, geo), RBS_ECORRUPT);
    cr_assert_eq(rbs_wasm_check(v.ring, geo, 0), RBS_ECORRUPT);
    cr_assert_eq(rbs_wasm_write(v.ring, geo, in, 64), 64);
    cr_assert_eq(rbs_wasm_write(v.ring, geo, in, 1), RBS_ECORRUPT, "full: nothing to do");
    cr_assert_eq(rbs_wasm_read(v.ring, geo, out, 64), 64);
    cr_assert_arr_eq(in, out, 64);
    cr_assert_eq(rbs_wasm_read(v.ring, geo, out, 1), RBS_ECORRUPT, "empty: nothing to do");
    free(v.ring);
}

/* ---- waking ---------------------------------------------------------------------- */

/* A consumer and a producer that each started a wait (rbs.h's protocol). */
static void both_wait(void *region) {
    rbs_test_set_word(region, RBS_OFF_CONSUMER_WAITERS, 1);
    rbs_test_set_word(region, RBS_OFF_CONSUMER_WAIT_SEQ,
                      rbs_test_word(region, RBS_OFF_CONSUMER_WAIT_SEQ) + 1u);
    rbs_test_set_word(region, RBS_OFF_PRODUCER_WAITERS, 1);
    rbs_test_set_word(region, RBS_OFF_PRODUCER_WAIT_SEQ,
                      rbs_test_word(region, RBS_OFF_PRODUCER_WAIT_SEQ) + 1u);
}

static uint32_t consumer_wakes(const void *region) {
    return rbs_test_word(region, RBS_OFF_CONSUMER_WAKE);
}
static uint32_t producer_wakes(const void *region) {
    return rbs_test_word(region, RBS_OFF_PRODUCER_WAKE);
}

Test(wasm_bytes, the_calls_that_publish_or_free_wake_the_other_side) {
    rbs_view v = rbs_test_ring(64);
    void *r = v.ring;
    uint32_t geo = geo_of(r, rbs_region_size(64), NULL);
    uint8_t buf[8] = {0};
    both_wait(r);
    cr_assert_eq(rbs_wasm_write(r, geo, buf, 8), 8);
    cr_assert_eq(consumer_wakes(r), 1u, "a write wakes a waiting consumer");
    cr_assert_eq(rbs_wasm_write(r, geo, buf, 8), 8);
    cr_assert_eq(consumer_wakes(r), 1u, "once per wait");
    cr_assert_eq(rbs_wasm_read(r, geo, buf, 8), 8);
    cr_assert_eq(producer_wakes(r), 1u, "a read wakes a waiting producer");
    both_wait(r);
    cr_assert_eq(rbs_wasm_write_all(r, geo, buf, 8), 8);
    cr_assert_eq(consumer_wakes(r), 2u);
    cr_assert_eq(rbs_wasm_read_all(r, geo, buf, 8), 8);
    cr_assert_eq(producer_wakes(r), 2u);
    both_wait(r);
    cr_assert_eq(rbs_wasm_reserve(r, geo, 8), 8);
    cr_assert_eq(consumer_wakes(r), 2u, "a reserve publishes nothing");
    cr_assert_eq(rbs_wasm_commit(r, geo, 8), 8);
    cr_assert_eq(consumer_wakes(r), 3u);
    cr_assert_eq(rbs_wasm_acquire(r, geo, 4), 4);
    cr_assert_eq(producer_wakes(r), 2u, "an acquire frees nothing");
    cr_assert_eq(rbs_wasm_release(r, geo, 4), 4);
    cr_assert_eq(producer_wakes(r), 3u);
    both_wait(r);
    cr_assert_eq(rbs_wasm_peek(r, geo, buf, 4), 4);
    cr_assert_eq(producer_wakes(r), 3u, "a peek frees nothing");
    cr_assert_eq(rbs_wasm_skip(r, geo, 4), 4);
    cr_assert_eq(producer_wakes(r), 4u);
    cr_assert_eq(rbs_wasm_close(r, geo), RBS_OK);
    cr_assert_eq(consumer_wakes(r), 4u, "the close wakes the consumer");
    free(r);
}
