/*
 * wait_sleep.c — rbs_wait_readable / rbs_wait_writable: the waiter's half of
 * the wake protocol (rbs.h, "Waking a side that sleeps"), in slices that
 * watch the other role and beat for this one (rbs.h, "Waiting, and knowing
 * the other side is alive").
 */
#include "liveness.h"

/* What a wait looks for: a count >= min, a code, or 0 for "not yet". */
typedef int (*rbs__ready_fn)(const rbs_view *v, uint32_t min);

static int data_ready(const rbs_view *v, uint32_t min) {
    /* The flag first: once it is seen, every byte written before the close
     * is counted by the fill that follows. */
    int closed = rbs_closed(v);
    if (closed < 0) return closed;
    int n = v->kind == RBS_KIND_AUDIO ? rbs_audio_frames_available(v) : rbs_readable(v);
    if (n < 0 || (uint32_t)n >= min) return n;
    if (closed) return n > 0 ? n : RBS_ECLOSED;
    return 0;
}

static int room_ready(const rbs_view *v, uint32_t min) {
    int closed = rbs_closed(v);
    if (closed != 0) return closed < 0 ? closed : RBS_ECLOSED;
    int n = v->kind == RBS_KIND_AUDIO ? rbs_audio_frames_writable(v) : rbs_writable(v);
    return n < 0 || (uint32_t)n >= min ? n : 0;
}

/* Looks before announcing a wait (a few microseconds, about as long as the
 * JS waiter's spin): the other side is often busy on its own core and about
 * to act, and a short spin saves a sleep and a notify. */
#define RBS__SPIN 256

static int wait_for(const rbs_view *v, uint32_t me, rbs__ready_fn ready, uint32_t min,
                    uint32_t timeout_ms, rbs_side *side) {
    int g = rbs__gate(v, 0);
    if (g != RBS_OK) return g;
    uint32_t token = side != NULL ? side->token : 0u;
    uint32_t peer_ms = side != NULL ? side->peer_timeout_ms : 0u;
    int watch_peer = peer_ms != 0 && peer_ms != RBS_FOREVER;
    if (watch_peer && peer_ms < RBS_MIN_PEER_TIMEOUT_MS) return RBS_EINVAL;
    if (min == 0) min = 1;
    if (min > (v->kind == RBS_KIND_AUDIO ? v->max_frames : v->capacity)) return RBS_ETOOBIG;
    int r = 0;
    for (int k = 0; k < RBS__SPIN && r == 0; k++)
        r = ready(v, min);
    if (r != 0) return r;
    if (timeout_ms == 0) return RBS_EAGAIN;

    rbs__sleeper s =
        me == RBS_CONSUMER ? rbs__consumer_sleeper(v->ring) : rbs__producer_sleeper(v->ring);
    uint64_t start = rbs__now_ms();
    for (;;) {
        uint64_t now = rbs__now_ms();
        uint32_t slice = RBS_HEARTBEAT_MS;
        if (timeout_ms != RBS_FOREVER) {
            if (now - start >= timeout_ms) return RBS_EAGAIN;
            if (timeout_ms - (now - start) < slice) slice = (uint32_t)(timeout_ms - (now - start));
        }
        if (watch_peer && rbs__watch(side, v->ring, rbs__other_role(me), now) >= (int64_t)peer_ms)
            return RBS_EPEERGONE;
        /* This side cannot beat while it sleeps: the wait does, if it holds. */
        if (token != 0 && rbs_beat(v, me, token) != RBS_OK) return RBS_EBUSY;
        /* Loaded before the wait number is taken: a wake of that number ends
         * the sleep even if it lands before the last look, which may still
         * find too little (n bytes or frames may need more than one release). */
        uint32_t seen = atomic_load_explicit(s.wake, memory_order_seq_cst);
        /* A new wait number (the waker wakes each once), then the count. */
        atomic_fetch_add_explicit(s.wait_seq, 1u, memory_order_seq_cst);
        atomic_fetch_add_explicit(s.waiters, 1u, memory_order_seq_cst);
        r = ready(v, min);
        if (r == 0) (void)rbs__sleep_on(s.wake, seen, slice);
        atomic_fetch_sub_explicit(s.waiters, 1u, memory_order_seq_cst);
        if (r == 0) r = ready(v, min);
        if (r != 0) return r;
    }
}

int rbs_wait_readable(const rbs_view *v, uint32_t min, uint32_t timeout_ms, rbs_side *side) {
    return wait_for(v, RBS_CONSUMER, data_ready, min, timeout_ms, side);
}

int rbs_wait_writable(const rbs_view *v, uint32_t min, uint32_t timeout_ms, rbs_side *side) {
    return wait_for(v, RBS_PRODUCER, room_ready, min, timeout_ms, side);
}
