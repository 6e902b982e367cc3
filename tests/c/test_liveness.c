/*
 * test_liveness.c — the liveness calls and the waits on one thread: claims
 * as owner-word compare-and-swaps with a token (and what each changes in the
 * header), beats, releases, taking over a silent holder (the waiting count
 * left alone), and every way a wait ends: data or room, the close, the
 * timeout, a gone peer, a free peer never gone, a lost claim, bad arguments.
 * The two-thread cases are in test_liveness_concurrent.c.
 */
#define _GNU_SOURCE
#include "test_helpers.h"

#include <time.h>

static uint64_t now_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

#define P RBS_PRODUCER
#define C RBS_CONSUMER

Test(liveness, claim_is_a_cas_of_the_owner_word_and_beats_once) {
    rbs_view v = rbs_test_ring(64);
    uint32_t beat = rbs_test_word(v.ring, RBS_OFF_PRODUCER_HEARTBEAT);
    cr_assert_eq(rbs_owner(&v, P), 0u);
    cr_assert_eq(rbs_claim(&v, P, 7), RBS_OK);
    cr_assert_eq(rbs_test_word(v.ring, RBS_OFF_PRODUCER_OWNER), 7u);
    cr_assert_eq(rbs_owner(&v, P), 7u);
    cr_assert_eq(rbs_test_word(v.ring, RBS_OFF_PRODUCER_HEARTBEAT), beat + 1u, "a claim beats");
    cr_assert_eq(rbs_claim(&v, P, 7), RBS_OK, "claiming again with the same token is harmless");
    cr_assert_eq(rbs_test_word(v.ring, RBS_OFF_PRODUCER_HEARTBEAT), beat + 1u);
    cr_assert_eq(rbs_claim(&v, P, 8), RBS_EBUSY);
    cr_assert_eq(rbs_owner(&v, P), 7u);
    cr_assert_eq(rbs_owner(&v, C), 0u, "the other role is its own");
    cr_assert_eq(rbs_claim(&v, C, 8), RBS_OK);
    cr_assert_eq(rbs_test_word(v.ring, RBS_OFF_CONSUMER_OWNER), 8u);
    free(v.ring);
}

Test(liveness, beat_and_release_need_the_token) {
    rbs_view v = rbs_test_ring(64);
    cr_assert_eq(rbs_beat(&v, C, 5), RBS_EBUSY, "nobody holds it");
    cr_assert_eq(rbs_claim(&v, C, 5), RBS_OK);
    uint32_t beat = rbs_test_word(v.ring, RBS_OFF_CONSUMER_HEARTBEAT);
    cr_assert_eq(rbs_beat(&v, C, 5), RBS_OK);
    cr_assert_eq(rbs_beat(&v, C, 5), RBS_OK);
    cr_assert_eq(rbs_test_word(v.ring, RBS_OFF_CONSUMER_HEARTBEAT), beat + 2u);
    cr_assert_eq(rbs_beat(&v, C, 6), RBS_EBUSY);
    cr_assert_eq(rbs_release(&v, C, 6), RBS_EBUSY);
    cr_assert_eq(rbs_test_word(v.ring, RBS_OFF_CONSUMER_HEARTBEAT), beat + 2u, "nothing moved");
    cr_assert_eq(rbs_release(&v, C, 5), RBS_OK);
    cr_assert_eq(rbs_owner(&v, C), 0u);
    cr_assert_eq(rbs_test_word(v.ring, RBS_OFF_CONSUMER_HEARTBEAT), beat + 3u, "a release beats");
    cr_assert_eq(rbs_release(&v, C, 5), RBS_EBUSY, "released already");
    cr_assert_eq(rbs_claim(&v, C, 6), RBS_OK, "free for the next party");
    free(v.ring);
}

Test(liveness, the_liveness_codes_have_their_sentences) {
    cr_assert_not_null(strstr(rbs_strerror(RBS_EPEERGONE), "silent"));
    cr_assert_not_null(strstr(rbs_strerror(RBS_EBUSY), "held by another"));
    cr_assert_not_null(strstr(rbs_strerror(-1000), "unknown"));
}

Test(liveness, bad_arguments) {
    rbs_view v = rbs_test_ring(64);
    rbs_view unfilled = {0};
    cr_assert_eq(rbs_claim(&v, P, 0), RBS_EINVAL, "token 0 means free");
    cr_assert_eq(rbs_claim(&v, 0, 1), RBS_EINVAL);
    cr_assert_eq(rbs_claim(&v, 3, 1), RBS_EINVAL);
    cr_assert_eq(rbs_claim(NULL, P, 1), RBS_EINVAL);
    cr_assert_eq(rbs_claim(&unfilled, P, 1), RBS_EINVAL);
    cr_assert_eq(rbs_release(&v, 3, 1), RBS_EINVAL);
    cr_assert_eq(rbs_beat(&v, P, 0), RBS_EINVAL);
    cr_assert_eq(rbs_owner(NULL, P), 0u);
    cr_assert_eq(rbs_owner(&v, 9), 0u);
    cr_assert_eq(rbs_take_over(&v, P, 1, RBS_MIN_PEER_TIMEOUT_MS - 1u), RBS_EINVAL);
    cr_assert_eq(rbs_take_over(&v, P, 1, RBS_FOREVER), RBS_EINVAL);
    cr_assert_eq(rbs_take_over(&v, P, 0, 1000), RBS_EINVAL);
    rbs_side early = RBS_SIDE_INIT(0, RBS_MIN_PEER_TIMEOUT_MS - 1u);
    cr_assert_eq(rbs_wait_readable(&v, 1, 0, &early), RBS_EINVAL, "a peer timeout below 4 beats");
    cr_assert_eq(rbs_wait_writable(&v, 65, 0, NULL), RBS_ETOOBIG);
    cr_assert_eq(rbs_wait_readable(&v, 65, 0, NULL), RBS_ETOOBIG);
    cr_assert_eq(rbs_wait_readable(NULL, 1, 0, NULL), RBS_EINVAL);
    cr_assert_eq(rbs_wait_writable(&unfilled, 1, 0, NULL), RBS_EINVAL);
    cr_assert_eq(rbs_owner(&v, P) + rbs_owner(&v, C), 0u, "nothing was claimed");
    free(v.ring);
}

Test(liveness, take_over_a_free_or_own_role_at_once) {
    rbs_view v = rbs_test_ring(64);
    uint64_t t0 = now_ms();
    cr_assert_eq(rbs_take_over(&v, P, 3, 1000), RBS_OK);
    cr_assert_eq(rbs_owner(&v, P), 3u);
    cr_assert_eq(rbs_take_over(&v, P, 3, 1000), RBS_OK);
    cr_assert_lt(now_ms() - t0, 500u, "no watching needed");
    free(v.ring);
}

Test(liveness, take_over_a_silent_holder_after_stale_ms_keeping_the_waiting_count) {
    rbs_view v = rbs_test_ring(64);
    cr_assert_eq(rbs_claim(&v, C, 11), RBS_OK);
    /* The dead holder died inside a wait: its count stays (rbs.h). */
    rbs_test_set_word(v.ring, RBS_OFF_CONSUMER_WAITERS, 1);
    uint32_t beat = rbs_test_word(v.ring, RBS_OFF_CONSUMER_HEARTBEAT);
    uint64_t t0 = now_ms();
    cr_assert_eq(rbs_take_over(&v, C, 12, 1000), RBS_OK);
    uint64_t took = now_ms() - t0;
    cr_assert_geq(took, 1000u, "watched for stale_ms, took %llu ms", (unsigned long long)took);
    cr_assert_eq(rbs_owner(&v, C), 12u);
    cr_assert_eq(rbs_test_word(v.ring, RBS_OFF_CONSUMER_WAITERS), 1u, "never reset");
    cr_assert_eq(rbs_test_word(v.ring, RBS_OFF_CONSUMER_HEARTBEAT), beat + 1u);
    cr_assert_eq(rbs_beat(&v, C, 11), RBS_EBUSY, "the old holder learns it lost the role");
    free(v.ring);
}

Test(liveness, wait_readable_answers) {
    rbs_view v = rbs_test_ring(64);
    uint8_t buf[16] = {1, 2, 3};
    cr_assert_eq(rbs_wait_readable(&v, 1, 0, NULL), RBS_EAGAIN, "timeout 0 looks once");
    uint64_t t0 = now_ms();
    cr_assert_eq(rbs_wait_readable(&v, 1, 60, NULL), RBS_EAGAIN);
    cr_assert_geq(now_ms() - t0, 60u);
    cr_assert_eq(rbs_write(&v, buf, 3), 3);
    cr_assert_eq(rbs_wait_readable(&v, 1, RBS_FOREVER, NULL), 3);
    cr_assert_eq(rbs_wait_readable(&v, 0, 0, NULL), 3, "min 0 counts as 1");
    cr_assert_eq(rbs_wait_readable(&v, 4, 30, NULL), RBS_EAGAIN, "fewer than min");
    cr_assert_eq(rbs_close(&v), RBS_OK);
    cr_assert_eq(rbs_wait_readable(&v, 10, RBS_FOREVER, NULL), 3, "closed: what is left");
    cr_assert_eq(rbs_read(&v, buf, sizeof buf), 3);
    cr_assert_eq(rbs_wait_readable(&v, 1, RBS_FOREVER, NULL), RBS_ECLOSED);
    cr_assert_eq(rbs_test_word(v.ring, RBS_OFF_CONSUMER_WAITERS), 0u, "every wait ended");
    cr_assert_gt(rbs_test_word(v.ring, RBS_OFF_CONSUMER_WAIT_SEQ), 0u, "the timed wait slept");
    free(v.ring);
}

Test(liveness, wait_writable_answers) {
    rbs_view v = rbs_test_ring(16);
    uint8_t buf[16] = {0};
    cr_assert_eq(rbs_wait_writable(&v, 16, 0, NULL), 16);
    cr_assert_eq(rbs_write(&v, buf, 10), 10);
    cr_assert_eq(rbs_wait_writable(&v, 6, 0, NULL), 6);
    cr_assert_eq(rbs_wait_writable(&v, 7, 40, NULL), RBS_EAGAIN);
    cr_assert_eq(rbs_read(&v, buf, 4), 4);
    cr_assert_eq(rbs_wait_writable(&v, 7, 40, NULL), 10);
    cr_assert_eq(rbs_close(&v), RBS_OK);
    cr_assert_eq(rbs_wait_writable(&v, 1, RBS_FOREVER, NULL), RBS_ECLOSED);
    cr_assert_eq(rbs_test_word(v.ring, RBS_OFF_PRODUCER_WAITERS), 0u);
    free(v.ring);
}

Test(liveness, waits_count_frames_on_an_audio_ring) {
    rbs_view v = rbs_test_audio_ring(256, 2); /* 32 stereo frames */
    float l[8] = {0}, r[8] = {0};
    const float *planes[2] = {l, r};
    cr_assert_eq(rbs_wait_writable(&v, 32, 0, NULL), 32);
    cr_assert_eq(rbs_wait_writable(&v, 33, 0, NULL), RBS_ETOOBIG);
    cr_assert_eq(rbs_audio_write(&v, planes, 2, 5), 5);
    cr_assert_eq(rbs_wait_readable(&v, 5, 0, NULL), 5);
    cr_assert_eq(rbs_wait_writable(&v, 27, 0, NULL), 27);
    cr_assert_eq(rbs_wait_writable(&v, 28, 0, NULL), RBS_EAGAIN);
    free(v.ring);
}

Test(liveness, a_held_silent_peer_is_gone_after_the_peer_timeout) {
    rbs_view v = rbs_test_ring(64);
    cr_assert_eq(rbs_claim(&v, P, 21), RBS_OK); /* a producer that never moves again */
    cr_assert_eq(rbs_claim(&v, C, 22), RBS_OK);
    uint32_t beat = rbs_test_word(v.ring, RBS_OFF_CONSUMER_HEARTBEAT);
    rbs_side side = RBS_SIDE_INIT(22, 1000);
    uint64_t t0 = now_ms();
    int got = rbs_wait_readable(&v, 1, 5000, &side);
    uint64_t took = now_ms() - t0;
    cr_assert_eq(got, RBS_EPEERGONE, "got %d (%s)", got, rbs_strerror(got));
    cr_assert_geq(took, 1000u);
    cr_assert_lt(took, 5000u);
    cr_assert_geq(rbs_test_word(v.ring, RBS_OFF_CONSUMER_HEARTBEAT), beat + 4u,
                  "the wait beat for its holder in every slice");
    free(v.ring);
}

Test(liveness, silence_adds_up_across_waits_cut_short_by_their_timeouts) {
    rbs_view v = rbs_test_ring(64);
    cr_assert_eq(rbs_claim(&v, C, 23), RBS_OK); /* a consumer that never moves again */
    uint8_t fill[64] = {0};
    cr_assert_eq(rbs_write(&v, fill, 64), 64);
    rbs_side side = RBS_SIDE_INIT(0, 1000);
    uint64_t t0 = now_ms();
    int got, waits = 0;
    while ((got = rbs_wait_writable(&v, 1, 300, &side)) == RBS_EAGAIN)
        waits++;
    uint64_t took = now_ms() - t0;
    cr_assert_eq(got, RBS_EPEERGONE, "got %d (%s)", got, rbs_strerror(got));
    cr_assert_geq(waits, 3, "%d waits of 300 ms", waits);
    cr_assert_geq(took, 1000u);
    cr_assert_lt(took, 2500u);
    free(v.ring);
}

Test(liveness, a_free_peer_is_never_gone) {
    rbs_view v = rbs_test_ring(64);
    rbs_side side = RBS_SIDE_INIT(0, 1000);
    uint64_t t0 = now_ms();
    int got = rbs_wait_readable(&v, 1, 1300, &side);
    cr_assert_eq(got, RBS_EAGAIN, "got %d (%s)", got, rbs_strerror(got));
    cr_assert_geq(now_ms() - t0, 1300u);
    free(v.ring);
}

Test(liveness, a_wait_whose_role_was_taken_answers_ebusy) {
    rbs_view v = rbs_test_ring(64);
    cr_assert_eq(rbs_claim(&v, P, 31), RBS_OK);
    rbs_test_set_word(v.ring, RBS_OFF_PRODUCER_OWNER, 32); /* taken over elsewhere */
    rbs_side side = RBS_SIDE_INIT(31, 0);
    cr_assert_eq(rbs_wait_writable(&v, 1, 100, &side), 64, "room: no need to look at the role");
    uint8_t fill[64] = {0};
    cr_assert_eq(rbs_write(&v, fill, 64), 64);
    cr_assert_eq(rbs_wait_writable(&v, 1, RBS_FOREVER, &side), RBS_EBUSY);
    cr_assert_eq(rbs_test_word(v.ring, RBS_OFF_PRODUCER_WAITERS), 0u);
    free(v.ring);
}
