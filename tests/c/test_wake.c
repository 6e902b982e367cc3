/*
 * test_wake.c — waking a side that sleeps (rbs.h, "Waking a side that
 * sleeps"): the wake calls' answers word by word, each wait woken once, the
 * data calls publishing without waking, rbs_close always waking, and a real
 * thread asleep in a futex on the wake word, woken by a publish followed by
 * the wake call, and by rbs_close.
 */
#define _GNU_SOURCE
#include "test_helpers.h"

#include <errno.h>
#include <linux/futex.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdio.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

/* A header word as the other side (JS, another instance) sees it: atomic. */
static _Atomic uint32_t *word(const rbs_view *v, uint32_t off) {
    return (_Atomic uint32_t *)(void *)((unsigned char *)v->ring + off);
}

/* ---- the words ------------------------------------------------------------- */

/* The waiter's first two steps, as a sleeper takes them. */
static void start_wait(const rbs_view *v, uint32_t seq_off, uint32_t waiters_off) {
    atomic_fetch_add(word(v, seq_off), 1u);
    atomic_fetch_add(word(v, waiters_off), 1u);
}

Test(wake_words, no_waiter_no_wake) {
    rbs_view v = rbs_test_ring(64);
    cr_assert_eq(rbs_wake_consumer(&v), 0);
    cr_assert_eq(rbs_wake_producer(&v), 0);
    cr_assert_eq(rbs_test_word(v.ring, RBS_OFF_CONSUMER_WAKE), 0u);
    cr_assert_eq(rbs_test_word(v.ring, RBS_OFF_PRODUCER_WAKE), 0u);
    /* a wait number that moved without a waiter (a wait that ended) */
    rbs_test_set_word(v.ring, RBS_OFF_CONSUMER_WAIT_SEQ, 5);
    rbs_test_set_word(v.ring, RBS_OFF_PRODUCER_WAIT_SEQ, 5);
    cr_assert_eq(rbs_wake_consumer(&v), 0);
    cr_assert_eq(rbs_wake_producer(&v), 0);
    cr_assert_eq(rbs_test_word(v.ring, RBS_OFF_CONSUMER_WAKE), 0u);
    free(v.ring);
}

/* Each wait number is woken once, whichever side waits. */
static void each_wait_woken_once(int (*wake)(const rbs_view *), uint32_t wake_off,
                                 uint32_t waiters_off, uint32_t seq_off, uint32_t woken_at_off) {
    rbs_view v = rbs_test_ring(64);
    start_wait(&v, seq_off, waiters_off);
    cr_assert_eq(wake(&v), 1, "a waiter with a new wait number");
    cr_assert_eq(rbs_test_word(v.ring, wake_off), 1u, "the wake word moved");
    cr_assert_eq(rbs_test_word(v.ring, woken_at_off), 1u, "the wait number is recorded");
    cr_assert_eq(wake(&v), 0, "the same wait is not woken twice");
    cr_assert_eq(wake(&v), 0);
    cr_assert_eq(rbs_test_word(v.ring, wake_off), 1u);
    atomic_fetch_add(word(&v, seq_off), 1u); /* the same waiter waits again */
    cr_assert_eq(wake(&v), 1, "a new wait is woken");
    cr_assert_eq(rbs_test_word(v.ring, wake_off), 2u);
    cr_assert_eq(rbs_test_word(v.ring, woken_at_off), 2u);
    atomic_fetch_sub(word(&v, waiters_off), 1u);
    atomic_fetch_add(word(&v, seq_off), 1u);
    cr_assert_eq(wake(&v), 0, "nobody waits");
    cr_assert_eq(rbs_test_word(v.ring, wake_off), 2u);
    free(v.ring);
}

Test(wake_words, consumer_wait_woken_once_per_wait_number) {
    each_wait_woken_once(rbs_wake_consumer, RBS_OFF_CONSUMER_WAKE, RBS_OFF_CONSUMER_WAITERS,
                         RBS_OFF_CONSUMER_WAIT_SEQ, RBS_OFF_CONSUMER_WOKEN_AT);
}

Test(wake_words, producer_wait_woken_once_per_wait_number) {
    each_wait_woken_once(rbs_wake_producer, RBS_OFF_PRODUCER_WAKE, RBS_OFF_PRODUCER_WAITERS,
                         RBS_OFF_PRODUCER_WAIT_SEQ, RBS_OFF_PRODUCER_WOKEN_AT);
}

Test(wake_words, data_calls_publish_without_waking) {
    rbs_view v = rbs_test_ring(64);
    start_wait(&v, RBS_OFF_CONSUMER_WAIT_SEQ, RBS_OFF_CONSUMER_WAITERS);
    start_wait(&v, RBS_OFF_PRODUCER_WAIT_SEQ, RBS_OFF_PRODUCER_WAITERS);
    char buf[8];
    rbs_span s[2];
    cr_assert_eq(rbs_write(&v, "abcd", 4), 4);
    cr_assert_eq(rbs_write_all(&v, "efgh", 4), 4);
    cr_assert_eq(rbs_write_reserve(&v, 2, s), 2);
    cr_assert_eq(rbs_write_commit(&v, 2), 2);
    cr_assert_eq(rbs_read(&v, buf, 4), 4);
    cr_assert_eq(rbs_read_all(&v, buf, 2), 2);
    cr_assert_eq(rbs_skip(&v, 1), 1);
    cr_assert_eq(rbs_read_acquire(&v, 1, s), 1);
    cr_assert_eq(rbs_read_release(&v, 1), 1);
    cr_assert_eq(rbs_test_word(v.ring, RBS_OFF_CONSUMER_WAKE), 0u);
    cr_assert_eq(rbs_test_word(v.ring, RBS_OFF_PRODUCER_WAKE), 0u);
    cr_assert_eq(rbs_wake_consumer(&v), 1, "the producer wakes after its batch");
    cr_assert_eq(rbs_wake_producer(&v), 1);
    free(v.ring);

    rbs_view m = rbs_test_msg_ring(64);
    start_wait(&m, RBS_OFF_CONSUMER_WAIT_SEQ, RBS_OFF_CONSUMER_WAITERS);
    cr_assert_eq(rbs_msg_send(&m, "abc", 3), 3);
    cr_assert_eq(rbs_test_word(m.ring, RBS_OFF_CONSUMER_WAKE), 0u);
    cr_assert_eq(rbs_wake_consumer(&m), 1, "every kind");
    free(m.ring);

    rbs_view a = rbs_test_audio_ring(64, 1);
    start_wait(&a, RBS_OFF_CONSUMER_WAIT_SEQ, RBS_OFF_CONSUMER_WAITERS);
    float f[2] = {1.0f, 2.0f};
    cr_assert_eq(rbs_audio_write_interleaved(&a, f, 2), 2);
    cr_assert_eq(rbs_test_word(a.ring, RBS_OFF_CONSUMER_WAKE), 0u);
    cr_assert_eq(rbs_wake_consumer(&a), 1);
    free(a.ring);
}

Test(wake_words, close_always_adds_to_the_consumer_s_wake_word) {
    rbs_view v = rbs_test_ring(64);
    cr_assert_eq(rbs_close(&v), RBS_OK);
    cr_assert_eq(rbs_test_word(v.ring, RBS_OFF_CONSUMER_WAKE), 1u, "even with no waiter");
    cr_assert_eq(rbs_close(&v), RBS_OK);
    cr_assert_eq(rbs_test_word(v.ring, RBS_OFF_CONSUMER_WAKE), 2u);
    cr_assert_eq(rbs_test_word(v.ring, RBS_OFF_PRODUCER_WAKE), 0u);
    free(v.ring);
}

Test(wake_words, a_view_never_filled_is_refused) {
    rbs_view zero;
    memset(&zero, 0, sizeof zero);
    cr_assert_eq(rbs_wake_consumer(NULL), RBS_EINVAL);
    cr_assert_eq(rbs_wake_producer(NULL), RBS_EINVAL);
    cr_assert_eq(rbs_wake_consumer(&zero), RBS_EINVAL);
    cr_assert_eq(rbs_wake_producer(&zero), RBS_EINVAL);
}

/* ---- a real sleeper ------------------------------------------------------------ */

typedef struct {
    rbs_view v;       /* the sleeper's own view */
    int producer;     /* waits for room (else for data or the close) */
    _Atomic long tid; /* its thread id, for /proc */
    int slept;        /* it found nothing to do and went to sleep */
    int outcome;      /* the futex wait: 0 woken, else its errno */
    double seconds;   /* how long the wait took */
} sleeper;

static double now_seconds(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* The waiter's side of the protocol, with one slice of at most 10 s. */
static void *sleeper_main(void *arg) {
    sleeper *s = arg;
    atomic_store(&s->tid, (long)syscall(SYS_gettid));
    uint32_t seq = s->producer ? RBS_OFF_PRODUCER_WAIT_SEQ : RBS_OFF_CONSUMER_WAIT_SEQ;
    uint32_t waiters = s->producer ? RBS_OFF_PRODUCER_WAITERS : RBS_OFF_CONSUMER_WAITERS;
    _Atomic uint32_t *wake =
        word(&s->v, s->producer ? RBS_OFF_PRODUCER_WAKE : RBS_OFF_CONSUMER_WAKE);
    start_wait(&s->v, seq, waiters);
    uint32_t seen = atomic_load(wake);
    int work =
        s->producer ? rbs_writable(&s->v) != 0 : rbs_readable(&s->v) != 0 || rbs_closed(&s->v) != 0;
    if (!work) {
        struct timespec slice = {.tv_sec = 10, .tv_nsec = 0};
        double t0 = now_seconds();
        s->slept = 1;
        long rc = syscall(SYS_futex, (void *)wake, FUTEX_WAIT, seen, &slice, NULL, 0);
        s->outcome = rc == 0 ? 0 : errno;
        s->seconds = now_seconds() - t0;
    }
    atomic_fetch_sub(word(&s->v, waiters), 1u);
    return NULL;
}

/* 1 once the thread sleeps in the kernel's futex wait (its wchan says so);
 * -1 if this kernel hides wchan (it reads "0"), after a pause that lets the
 * thread get there; 0 if it never got there in 5 s. */
static int asleep_in_futex(long tid) {
    char path[64], buf[64];
    snprintf(path, sizeof path, "/proc/self/task/%ld/wchan", tid);
    for (int i = 0; i < 5000; i++) {
        FILE *f = fopen(path, "r");
        size_t n = 0;
        if (f != NULL) {
            n = fread(buf, 1, sizeof buf - 1, f);
            fclose(f);
        }
        buf[n] = '\0';
        if (strstr(buf, "futex") != NULL) return 1;
        if (strcmp(buf, "0") == 0 && i >= 100) return -1;
        nanosleep(&(struct timespec){.tv_sec = 0, .tv_nsec = 1000000}, NULL);
    }
    return 0;
}

/* Starts a sleeper on `region` and returns once it sleeps: 1 if seen asleep
 * in the futex, 0 if that cannot be seen here. */
static int start_sleeper(sleeper *s, pthread_t *t, void *region, int producer) {
    memset(s, 0, sizeof *s);
    cr_assert_eq(rbs_attach(&s->v, region, rbs_region_size(64)), RBS_OK);
    s->producer = producer;
    cr_assert_eq(pthread_create(t, NULL, sleeper_main, s), 0);
    while (atomic_load(&s->tid) == 0)
        sched_yield();
    int asleep = asleep_in_futex(atomic_load(&s->tid));
    cr_assert_neq(asleep, 0, "the sleeper never slept in its futex");
    return asleep == 1;
}

static void expect_woken(sleeper *s, pthread_t t, int seen_asleep) {
    pthread_join(t, NULL);
    cr_assert(s->slept, "the sleeper found nothing to do");
    if (seen_asleep)
        cr_assert_eq(s->outcome, 0, "woken by the notify (errno %d)", s->outcome);
    else
        cr_assert(s->outcome == 0 || s->outcome == EAGAIN, "errno %d", s->outcome);
    cr_assert_lt(s->seconds, 5.0, "woken, not timed out");
}

Test(wake_sleeper, a_consumer_asleep_is_woken_by_a_write_and_the_wake_call) {
    rbs_view v = rbs_test_ring(64);
    sleeper s;
    pthread_t t;
    int seen = start_sleeper(&s, &t, v.ring, 0);
    cr_assert_eq(rbs_write(&v, "x", 1), 1);
    cr_assert_eq(rbs_test_word(v.ring, RBS_OFF_CONSUMER_WAKE), 0u, "a write alone wakes nobody");
    if (seen) cr_assert_eq(asleep_in_futex(atomic_load(&s.tid)), 1, "still asleep after the write");
    cr_assert_eq(rbs_wake_consumer(&v), 1);
    expect_woken(&s, t, seen);
    cr_assert_eq(rbs_test_word(v.ring, RBS_OFF_CONSUMER_WAITERS), 0u, "the wait ended");
    cr_assert_eq(rbs_wake_consumer(&v), 0, "nobody waits now");
    free(v.ring);
}

Test(wake_sleeper, a_consumer_asleep_is_woken_by_the_close) {
    rbs_view v = rbs_test_ring(64);
    sleeper s;
    pthread_t t;
    int seen = start_sleeper(&s, &t, v.ring, 0);
    cr_assert_eq(rbs_close(&v), RBS_OK);
    expect_woken(&s, t, seen);
    cr_assert_eq(rbs_closed(&s.v), 1);
    free(v.ring);
}

Test(wake_sleeper, a_producer_asleep_is_woken_by_a_read_and_the_wake_call) {
    rbs_view v = rbs_test_ring(64);
    uint8_t buf[64] = {0};
    cr_assert_eq(rbs_write(&v, buf, 64), 64); /* full: the producer waits for room */
    sleeper s;
    pthread_t t;
    int seen = start_sleeper(&s, &t, v.ring, 1);
    cr_assert_eq(rbs_read(&v, buf, 8), 8);
    cr_assert_eq(rbs_test_word(v.ring, RBS_OFF_PRODUCER_WAKE), 0u, "a read alone wakes nobody");
    cr_assert_eq(rbs_wake_producer(&v), 1);
    expect_woken(&s, t, seen);
    free(v.ring);
}

Test(wake_sleeper, a_waiter_that_finds_data_does_not_sleep) {
    rbs_view v = rbs_test_ring(64);
    cr_assert_eq(rbs_write(&v, "x", 1), 1);
    sleeper s;
    memset(&s, 0, sizeof s);
    cr_assert_eq(rbs_attach(&s.v, v.ring, rbs_region_size(64)), RBS_OK);
    sleeper_main(&s);
    cr_assert_eq(s.slept, 0);
    cr_assert_eq(rbs_test_word(v.ring, RBS_OFF_CONSUMER_WAITERS), 0u);
    free(v.ring);
}
