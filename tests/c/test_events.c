/*
 * test_events.c — sample-accurate events (rbs.h, "Sample-accurate events"):
 * a gain step at stream frame N shows at frame N of the output exactly, in
 * any read size; late events apply at the read's first frame and count;
 * other events come out as records with their offset and payload; the
 * records' bound, malformed messages, NOW, and the WebAssembly entry point.
 */
#include "test_helpers.h"

#include "wasm_api.h" /* rbs_wasm_audio_render natively */

/* The signal of frame i: exact in float32, never 0, so gain shows exactly. */
static float sig(uint32_t i) {
    return (float)(i % 4096u + 1u);
}

typedef struct {
    rbs_view audio, events;
} pair;

static pair pair_new(void) {
    pair p = {rbs_test_audio_ring(1u << 16, 1), rbs_test_msg_ring(4096)};
    return p;
}

static void pair_free(pair *p) {
    free(p->audio.ring);
    free(p->events.ring);
}

static void write_signal(const rbs_view *v, uint32_t from, uint32_t n) {
    static float buf[16384];
    for (uint32_t i = 0; i < n; i++)
        buf[i] = sig(from + i);
    cr_assert_eq(rbs_audio_write_interleaved(v, buf, n), (int)n);
}

static void send(const rbs_view *ev, uint32_t frame, uint32_t id, float value, uint16_t flags,
                 const char *payload) {
    rbs_event e = {.frame = frame, .id = id, .value = value, .flags = flags};
    if (payload != NULL) {
        e.size = (uint16_t)strlen(payload);
        memcpy(e.payload, payload, e.size);
    }
    cr_assert_eq(rbs_event_send(ev, &e), (int)(RBS_EVENT_HEADER + e.size));
}

/* One render of n frames into out; returns the frames read. */
static int render(pair *p, float *out, uint32_t n, rbs_event *recs, uint32_t cap, uint32_t *count) {
    float *planes[1] = {out};
    return rbs_audio_render(&p->audio, planes, 1, n, 0, &p->events, recs, cap, count);
}

Test(events, send_checks_its_arguments_and_frames_one_message) {
    pair p = pair_new();
    rbs_event e = {.size = RBS_EVENT_MAX_PAYLOAD + 1};
    cr_assert_eq(rbs_event_send(&p.events, &e), RBS_EINVAL);
    cr_assert_eq(rbs_event_send(&p.events, NULL), RBS_EINVAL);
    cr_assert_eq(rbs_event_send(&p.audio, &(rbs_event){0}), RBS_EKIND);
    send(&p.events, 77, 9, 0.25f, 0, "\x90\x3c\x7f");
    unsigned char m[64];
    cr_assert_eq(rbs_msg_recv(&p.events, m, sizeof m), 19);
    cr_assert_eq(rbs_test_word(m, RBS_EVENT_OFF_FRAME), 77u);
    cr_assert_eq(rbs_test_word(m, RBS_EVENT_OFF_ID), 9u);
    cr_assert_eq(rbs_test_word(m, RBS_EVENT_OFF_VALUE), 0x3E800000u);
    cr_assert_eq(rbs_test_word(m, RBS_EVENT_OFF_SIZE), 3u);
    cr_assert_eq(memcmp(m + RBS_EVENT_OFF_PAYLOAD, "\x90\x3c\x7f", 3), 0);
    pair_free(&p);
}

/* A step to 0.5 at stream frame N, read in pieces of n frames. */
static void step_at(uint32_t N, uint32_t n) {
    pair p = pair_new();
    write_signal(&p.audio, 0, 4096);
    send(&p.events, N, RBS_EVENT_GAIN, 0.5f, 0, NULL);
    static float out[4096];
    for (uint32_t at = 0; at < 4096; at += n) {
        uint32_t count = 1, m = 4096 - at < n ? 4096 - at : n;
        cr_assert_eq(render(&p, out + at, m, NULL, 0, &count), (int)m);
        cr_assert_eq(count, 0u);
    }
    for (uint32_t i = 0; i < 4096; i++) {
        float want = i < N ? sig(i) : sig(i) * 0.5f;
        cr_assert_eq(out[i], want, "N %u, reads of %u: frame %u is %f, want %f", N, n, i,
                     (double)out[i], (double)want);
    }
    cr_assert_eq(rbs_test_word(p.audio.ring, RBS_OFF_EVENTS_LATE), 0u);
    pair_free(&p);
}

Test(events, a_gain_step_at_frame_n_shows_at_frame_n) {
    uint32_t frames[] = {0, 1, 127, 128, 129, 1000, 4095};
    uint32_t reads[] = {128, 1, 7, 512};
    for (size_t i = 0; i < sizeof frames / sizeof *frames; i++)
        for (size_t j = 0; j < sizeof reads / sizeof *reads; j++)
            step_at(frames[i], reads[j]);
}

Test(events, a_late_event_applies_at_the_first_frame_and_counts) {
    pair p = pair_new();
    write_signal(&p.audio, 0, 512);
    float out[128];
    render(&p, out, 128, NULL, 0, NULL);
    send(&p.events, 10, RBS_EVENT_GAIN, 2.0f, 0, NULL); /* frame 10 has played */
    send(&p.events, 0, 42, 1.0f, RBS_EVENT_NOW, NULL);  /* now: not late */
    send(&p.events, 0xFFFFFF00u, 43, 1.0f, 0, NULL);    /* long past (mod 2^32) */
    rbs_event recs[4];
    uint32_t count = 0;
    cr_assert_eq(render(&p, out, 128, recs, 4, &count), 128);
    for (uint32_t i = 0; i < 128; i++)
        cr_assert_eq(out[i], sig(128 + i) * 2.0f);
    cr_assert_eq(count, 2u);
    cr_assert(recs[0].id == 42 && recs[0].frame == 0 && recs[0].flags == RBS_EVENT_NOW);
    cr_assert(recs[1].id == 43 && recs[1].frame == 0 && recs[1].flags == RBS_EVENT_LATE);
    cr_assert_eq(rbs_test_word(p.audio.ring, RBS_OFF_EVENTS_LATE), 2u);
    pair_free(&p);
}

Test(events, records_carry_offset_value_and_payload_in_order_and_wait_when_full) {
    pair p = pair_new();
    write_signal(&p.audio, 0, 512);
    send(&p.events, 5, 100, 0.5f, 0, "\x90\x40\x64");
    send(&p.events, 3, 101, -1.0f, 0, "abcdefghijklmnop"); /* earlier frame: kept in order */
    send(&p.events, 60, 102, 2.0f, 0, NULL);
    send(&p.events, 130, 103, 3.0f, 0, NULL); /* next read */
    rbs_event recs[2];
    uint32_t count = 0;
    float out[128];
    cr_assert_eq(render(&p, out, 128, recs, 2, &count), 128);
    cr_assert_eq(count, 2u);
    cr_assert(recs[0].id == 100 && recs[0].frame == 5 && recs[0].value == 0.5f &&
              recs[0].size == 3);
    cr_assert_eq(memcmp(recs[0].payload, "\x90\x40\x64", 3), 0);
    cr_assert_eq(recs[0].payload[3], 0, "the rest of the payload is zeroed");
    cr_assert(recs[1].id == 101 && recs[1].frame == 5, "offsets never go back: %u", recs[1].frame);
    cr_assert_eq(memcmp(recs[1].payload, "abcdefghijklmnop", 16), 0);
    cr_assert_eq(render(&p, out, 128, recs, 2, &count), 128);
    cr_assert_eq(count, 2u, "the one that did not fit, then the next read's own");
    cr_assert(recs[0].id == 102 && recs[0].frame == 0 && recs[0].flags == RBS_EVENT_LATE);
    cr_assert(recs[1].id == 103 && recs[1].frame == 2);
    cr_assert_eq(render(&p, out, 128, NULL, 0, &count), 128);
    cr_assert_eq(count, 0u);
    pair_free(&p);
}

Test(events, without_records_other_events_are_skipped_and_counted) {
    pair p = pair_new();
    write_signal(&p.audio, 0, 512);
    send(&p.events, 1, 200, 0, 0, NULL);
    send(&p.events, 2, RBS_EVENT_GAIN, 0.0f, 0, NULL);
    float out[128];
    cr_assert_eq(render(&p, out, 128, NULL, 0, NULL), 128);
    cr_assert_eq(out[1], sig(1));
    cr_assert_eq(out[2], 0.0f, "the gain after the skipped one still applies");
    cr_assert_eq(rbs_test_word(p.audio.ring, RBS_OFF_EVENTS_DROPPED), 1u);
    pair_free(&p);
}

Test(events, malformed_messages_are_skipped_and_counted) {
    pair p = pair_new();
    write_signal(&p.audio, 0, 512);
    cr_assert_eq(rbs_msg_send(&p.events, "short", 5), 5);
    unsigned char bad[20] = {0};
    bad[RBS_EVENT_OFF_SIZE] = 9; /* says 9 payload bytes, carries 4 */
    cr_assert_eq(rbs_msg_send(&p.events, bad, sizeof bad), 20);
    send(&p.events, 64, RBS_EVENT_GAIN, 0.25f, 0, NULL);
    float out[128];
    cr_assert_eq(render(&p, out, 128, NULL, 0, NULL), 128);
    cr_assert_eq(out[63], sig(63));
    cr_assert_eq(out[64], sig(64) * 0.25f);
    cr_assert_eq(rbs_test_word(p.audio.ring, RBS_OFF_EVENTS_DROPPED), 2u);
    pair_free(&p);
}

Test(events, nothing_is_due_while_the_ring_is_empty_and_the_gain_persists) {
    pair p = pair_new();
    send(&p.events, 0, RBS_EVENT_GAIN, 0.5f, 0, NULL);
    float out[128];
    cr_assert_eq(render(&p, out, 128, NULL, 0, NULL), 0, "underrun");
    cr_assert_eq(rbs_readable(&p.events), RBS_EVENT_HEADER + 4, "frame 0 has not played: waits");
    write_signal(&p.audio, 0, 256);
    cr_assert_eq(render(&p, out, 128, NULL, 0, NULL), 128);
    cr_assert_eq(out[0], sig(0) * 0.5f);
    cr_assert_eq(render(&p, out, 128, NULL, 0, NULL), 128);
    cr_assert_eq(out[127], sig(255) * 0.5f, "the gain stays until the next gain event");
    cr_assert_eq(rbs_test_word(p.audio.ring, RBS_OFF_EVENT_GAIN), 0x3F000000u);
    pair_free(&p);
}

Test(events, render_checks_its_arguments) {
    pair p = pair_new();
    float out[4] = {1, 1, 1, 1};
    float *planes[2] = {out, out};
    rbs_event r;
    uint32_t n = 7;
    cr_assert_eq(rbs_audio_render(&p.audio, planes, 1, 4, 0, &p.audio, NULL, 0, &n), RBS_EKIND);
    cr_assert_eq(n, 0u);
    cr_assert_eq(out[0], 0.0f, "silence on an error");
    cr_assert_eq(rbs_audio_render(&p.audio, planes, 1, 4, 0, &p.events, NULL, 1, &n), RBS_EINVAL);
    cr_assert_eq(rbs_audio_render(&p.audio, planes, 1, 4, 0, &p.events, &r, 1, NULL), RBS_EINVAL);
    cr_assert_eq(rbs_audio_render(&p.events, planes, 1, 4, 0, NULL, NULL, 0, NULL), RBS_EKIND);
    cr_assert_eq(rbs_audio_render(&p.audio, planes, 2, 4, 0, NULL, NULL, 0, NULL), RBS_EFORMAT);
    pair_free(&p);
}

Test(events, the_wasm_entry_point_stages_records_and_counts_them_in_the_scratch_word) {
    pair p = pair_new();
    write_signal(&p.audio, 0, 512);
    send(&p.events, 7, 300, 1.5f, 0, "xy");
    send(&p.events, 9, RBS_EVENT_GAIN, 2.0f, 0, NULL);
    uint32_t geo = rbs__geo((uint32_t)__builtin_ctz(p.audio.capacity), RBS_KIND_AUDIO, 1);
    uint32_t ev_geo = rbs__geo((uint32_t)__builtin_ctz(p.events.capacity), RBS_KIND_MESSAGES, 0);
    float staging[256];
    rbs_event recs[3];
    int got = rbs_wasm_audio_render(p.audio.ring, geo, staging, 256, 128, 0, p.events.ring, ev_geo,
                                    recs, 3);
    cr_assert_eq(got, 128);
    cr_assert_eq(rbs_test_word(p.audio.ring, RBS_OFF_CONSUMER_SCRATCH), 1u);
    cr_assert(recs[0].id == 300 && recs[0].frame == 7 && recs[0].size == 2);
    cr_assert_eq(staging[8], sig(8));
    cr_assert_eq(staging[9], sig(9) * 2.0f);
    /* no event ring (NULL), or one that is not a message ring: a plain read */
    got = rbs_wasm_audio_render(p.audio.ring, geo, staging, 256, 128, 0, NULL, 0, recs, 3);
    cr_assert_eq(got, 128);
    cr_assert_eq(rbs_test_word(p.audio.ring, RBS_OFF_CONSUMER_SCRATCH), 0u);
    cr_assert_eq(staging[0], sig(128), "the gain belongs to the event path");
    pair_free(&p);
}

Test(events, a_scribbled_event_ring_stays_inside_the_records) {
    pair p = pair_new();
    uint64_t x = 0x2545F4914F6CDD1Dull;
    rbs_event recs[2 + 1];
    memset(&recs[2], 0xEE, sizeof recs[2]);
    float out[128];
    for (int round = 0; round < 20000; round++) {
        if (rbs_audio_frames_available(&p.audio) < 256) write_signal(&p.audio, 0, 1024);
        for (int k = 0; k < 4; k++) {
            x ^= x << 13, x ^= x >> 7, x ^= x << 17;
            rbs_test_set_word(p.events.data, (uint32_t)(x % (p.events.capacity / 4)) * 4,
                              (uint32_t)(x >> 32));
        }
        if (round % 8 == 0) rbs_test_set_word(p.events.ring, RBS_OFF_WRITE, (uint32_t)(x >> 16));
        uint32_t count = 99;
        int got = render(&p, out, 128, recs, 2, &count);
        cr_assert(got == 128 || got < 0);
        cr_assert_leq(count, 2u);
        for (uint32_t i = 0; i < count; i++)
            cr_assert(recs[i].frame < 128 && recs[i].size <= RBS_EVENT_MAX_PAYLOAD);
        cr_assert_eq(recs[2].id, 0xEEEEEEEEu, "nothing written past the records");
    }
    pair_free(&p);
}
