/*
 * test_wasm_frames.c — the WebAssembly entry points for messages and audio,
 * called natively: message positions left in the role's scratch word, audio
 * planes read from and written to a staging block with a stride (never past
 * it), and the publishing calls waking a sleeper.
 */
#include "test_helpers.h"

#include "wasm_api.h"

static uint32_t geo_of(const rbs_view *v) {
    int64_t g = rbs_wasm_attach(v->ring, (uint32_t)rbs_region_size(v->capacity));
    cr_assert_geq(g, 0, "rbs_wasm_attach: %lld", (long long)g);
    return (uint32_t)g;
}

/* ---- messages -------------------------------------------------------------------- */

Test(wasm_msg, send_recv_and_in_place_with_positions_in_the_scratch_words) {
    rbs_view v = rbs_test_msg_ring(64);
    void *r = v.ring;
    uint32_t geo = geo_of(&v);
    uint8_t in[32], out[32];
    rbs_test_fill(in, 1, 32);
    cr_assert_eq(rbs_wasm_msg_send(r, geo, in, 5), 5);
    cr_assert_eq(rbs_wasm_msg_send(r, geo, in, 29), RBS_ETOOBIG);
    cr_assert_eq(rbs_wasm_msg_peek_size(r, geo), 5);
    cr_assert_eq(rbs_wasm_msg_recv(r, geo, out, 4), RBS_ETOOBIG, "nothing consumed");
    cr_assert_eq(rbs_wasm_msg_recv(r, geo, out, 32), 5);
    cr_assert_arr_eq(out, in, 5);
    cr_assert_eq(rbs_wasm_msg_recv(r, geo, out, 32), RBS_EAGAIN);

    /* at position 40 a 24-byte message goes behind a padding frame, to 0 */
    rbs_test_set_word(r, RBS_OFF_WRITE, 40);
    rbs_test_set_word(r, RBS_OFF_READ, 40);
    cr_assert_eq(rbs_wasm_msg_reserve(r, geo, 24), 24);
    uint32_t at = rbs_test_word(r, RBS_OFF_PRODUCER_SCRATCH);
    cr_assert_eq(at, 4u, "the payload's position, after its length word");
    memcpy(v.data + at, in, 24);
    cr_assert_eq(rbs_wasm_msg_commit(r, geo, 25), RBS_EINVAL, "more than reserved");
    cr_assert_eq(rbs_wasm_msg_commit(r, geo, 20), 20);
    cr_assert_eq(rbs_wasm_msg_acquire(r, geo), 20);
    cr_assert_eq(rbs_test_word(r, RBS_OFF_CONSUMER_SCRATCH), 4u);
    cr_assert_arr_eq(v.data + 4, in, 20);
    cr_assert_eq(rbs_wasm_msg_acquire(r, geo), 20, "the same message until released");
    cr_assert_eq(rbs_wasm_msg_release(r, geo), RBS_OK);
    cr_assert_eq(rbs_wasm_msg_release(r, geo), RBS_EINVAL);
    cr_assert_eq(rbs_wasm_readable(r, geo), 0);
    cr_assert_eq(rbs_wasm_close(r, geo), RBS_OK);
    cr_assert_eq(rbs_wasm_msg_send(r, geo, in, 1), RBS_ECLOSED);
    cr_assert_eq(rbs_wasm_msg_recv(r, geo, out, 32), RBS_ECLOSED);
    free(r);
}

Test(wasm_msg, sends_and_receives_wake_the_other_side) {
    rbs_view v = rbs_test_msg_ring(64);
    void *r = v.ring;
    uint32_t geo = geo_of(&v);
    rbs_test_set_word(r, RBS_OFF_CONSUMER_WAITERS, 1);
    rbs_test_set_word(r, RBS_OFF_CONSUMER_WAIT_SEQ, 1);
    rbs_test_set_word(r, RBS_OFF_PRODUCER_WAITERS, 1);
    rbs_test_set_word(r, RBS_OFF_PRODUCER_WAIT_SEQ, 1);
    cr_assert_eq(rbs_wasm_msg_send(r, geo, "abc", 3), 3);
    cr_assert_eq(rbs_test_word(r, RBS_OFF_CONSUMER_WAKE), 1u);
    char out[8];
    cr_assert_eq(rbs_wasm_msg_recv(r, geo, out, sizeof out), 3);
    cr_assert_eq(rbs_test_word(r, RBS_OFF_PRODUCER_WAKE), 1u);
    rbs_test_set_word(r, RBS_OFF_CONSUMER_WAIT_SEQ, 2);
    rbs_test_set_word(r, RBS_OFF_PRODUCER_WAIT_SEQ, 2);
    cr_assert_eq(rbs_wasm_msg_reserve(r, geo, 2), 2);
    cr_assert_eq(rbs_wasm_msg_commit(r, geo, 2), 2);
    cr_assert_eq(rbs_test_word(r, RBS_OFF_CONSUMER_WAKE), 2u);
    cr_assert_eq(rbs_wasm_msg_acquire(r, geo), 2);
    cr_assert_eq(rbs_wasm_msg_release(r, geo), RBS_OK);
    cr_assert_eq(rbs_test_word(r, RBS_OFF_PRODUCER_WAKE), 2u);
    free(r);
}

/* ---- audio ------------------------------------------------------------------------ */

#define CANARY 12345.5f

/* A staging block of `channels` planes `stride` floats apart, and 16
 * canary floats after it. */
static float *staging_new(uint32_t channels, uint32_t stride) {
    size_t n = (size_t)channels * stride;
    float *s = malloc((n + 16) * sizeof(float));
    cr_assert_not_null(s);
    for (size_t i = 0; i < n + 16; i++)
        s[i] = CANARY;
    return s;
}

static void assert_canaries(const float *s, uint32_t channels, uint32_t stride) {
    for (size_t i = (size_t)channels * stride; i < (size_t)channels * stride + 16; i++)
        cr_assert_eq(s[i], CANARY, "the staging block was overrun at float %zu", i);
}

static float sample(uint32_t frame, uint32_t channel) {
    return (float)frame + (float)channel / 64.0f;
}

Test(wasm_audio, planes_come_from_the_staging_block_with_its_stride) {
    rbs_view v = rbs_test_audio_ring(256, 3); /* 21 frames */
    void *r = v.ring;
    uint32_t geo = geo_of(&v);
    const uint32_t stride = 8;
    float *in = staging_new(3, stride), *out = staging_new(3, stride);
    for (uint32_t c = 0; c < 3; c++)
        for (uint32_t i = 0; i < 5; i++)
            in[c * stride + i] = sample(i, c);
    cr_assert_eq(rbs_wasm_audio_write(r, geo, in, stride, 5), 5);
    float raw[15];
    memcpy(raw, v.data, sizeof raw);
    for (uint32_t i = 0; i < 15; i++)
        cr_assert_eq(raw[i], sample(i / 3, i % 3), "stored interleaved, sample %u", i);
    cr_assert_eq(rbs_wasm_audio_available(r, geo), 5);
    cr_assert_eq(rbs_wasm_audio_writable(r, geo), 16);
    cr_assert_eq(rbs_wasm_audio_read(r, geo, out, stride, 5), 5);
    for (uint32_t c = 0; c < 3; c++)
        for (uint32_t i = 0; i < 5; i++)
            cr_assert_eq(out[c * stride + i], sample(i, c), "plane %u frame %u", c, i);
    cr_assert_eq(out[stride - 1], CANARY, "frames past the read untouched");
    assert_canaries(out, 3, stride);
    cr_assert_eq(rbs_frames_written(&v), 5u);
    cr_assert_eq(rbs_frames_read(&v), 5u);
    free(in);
    free(out);
    free(r);
}

Test(wasm_audio, no_call_goes_past_the_staging_block) {
    rbs_view v = rbs_test_audio_ring(1024, 2); /* 128 frames */
    void *r = v.ring;
    uint32_t geo = geo_of(&v);
    const uint32_t stride = 16;
    float *in = staging_new(2, stride), *out = staging_new(2, stride);
    for (uint32_t c = 0; c < 2; c++)
        for (uint32_t i = 0; i < stride; i++)
            in[c * stride + i] = sample(i, c);
    cr_assert_eq(rbs_wasm_audio_write(r, geo, in, stride, 100), 16, "at most the stride");
    cr_assert_eq(rbs_wasm_audio_write(r, geo, in, stride, 16), 16);
    cr_assert_eq(rbs_wasm_audio_read(r, geo, out, stride, 100), 16, "at most the stride");
    assert_canaries(out, 2, stride);
    cr_assert_eq(rbs_wasm_audio_read_or_silence(r, geo, out, stride, 100, 0), 16);
    assert_canaries(out, 2, stride);
    cr_assert_eq(rbs_wasm_audio_read_or_silence(r, geo, out, stride, 100, 0), 0);
    for (uint32_t i = 0; i < 2 * stride; i++)
        cr_assert_eq(out[i], 0.0f, "silence in the whole block");
    assert_canaries(out, 2, stride);
    cr_assert_eq(rbs_underruns(&v), 16u, "the stride's worth, not the 100 asked");
    free(in);
    free(out);
    free(r);
}

Test(wasm_audio, read_or_silence_waits_for_its_prefill) {
    rbs_view v = rbs_test_audio_ring(1024, 1);
    void *r = v.ring;
    uint32_t geo = geo_of(&v);
    float *in = staging_new(1, 64), *out = staging_new(1, 64);
    for (uint32_t i = 0; i < 64; i++)
        in[i] = sample(i, 0);
    cr_assert_eq(rbs_wasm_audio_write(r, geo, in, 64, 40), 40);
    cr_assert_eq(rbs_wasm_audio_read_or_silence(r, geo, out, 64, 32, 48), 0, "below the prefill");
    cr_assert_eq(rbs_wasm_audio_started(r, geo), 0);
    cr_assert_eq(rbs_underruns(&v), 0u);
    cr_assert_eq(rbs_wasm_audio_write(r, geo, in + 40, 64, 8), 8);
    cr_assert_eq(rbs_wasm_audio_read_or_silence(r, geo, out, 64, 32, 48), 32);
    cr_assert_eq(rbs_wasm_audio_started(r, geo), 1);
    for (uint32_t i = 0; i < 32; i++)
        cr_assert_eq(out[i], sample(i, 0));
    free(in);
    free(out);
    free(r);
}

Test(wasm_audio, interleaved_writes_and_wakes) {
    rbs_view v = rbs_test_audio_ring(256, 2);
    void *r = v.ring;
    uint32_t geo = geo_of(&v);
    rbs_test_set_word(r, RBS_OFF_CONSUMER_WAITERS, 1);
    rbs_test_set_word(r, RBS_OFF_CONSUMER_WAIT_SEQ, 1);
    rbs_test_set_word(r, RBS_OFF_PRODUCER_WAITERS, 1);
    rbs_test_set_word(r, RBS_OFF_PRODUCER_WAIT_SEQ, 1);
    float src[8] = {1, 2, 3, 4, 5, 6, 7, 8};
    cr_assert_eq(rbs_wasm_audio_write_interleaved(r, geo, src, 4), 4);
    cr_assert_eq(rbs_test_word(r, RBS_OFF_CONSUMER_WAKE), 1u, "a write wakes the consumer");
    float *out = staging_new(2, 4);
    cr_assert_eq(rbs_wasm_audio_read(r, geo, out, 4, 4), 4);
    cr_assert_eq(rbs_test_word(r, RBS_OFF_PRODUCER_WAKE), 1u, "a read wakes the producer");
    const float want[8] = {1, 3, 5, 7, 2, 4, 6, 8};
    cr_assert_arr_eq(out, want, sizeof want);
    rbs_test_set_word(r, RBS_OFF_CONSUMER_WAIT_SEQ, 2);
    rbs_test_set_word(r, RBS_OFF_PRODUCER_WAIT_SEQ, 2);
    cr_assert_eq(rbs_wasm_audio_write(r, geo, out, 4, 4), 4);
    cr_assert_eq(rbs_test_word(r, RBS_OFF_CONSUMER_WAKE), 2u);
    cr_assert_eq(rbs_wasm_audio_read_or_silence(r, geo, out, 4, 4, 0), 4);
    cr_assert_eq(rbs_test_word(r, RBS_OFF_PRODUCER_WAKE), 2u);
    assert_canaries(out, 2, 4);
    free(out);
    free(r);
}
