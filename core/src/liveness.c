/*
 * liveness.c — claiming a role, beating its heartbeat, watching the other
 * role, and taking over a role whose holder died: the liveness protocol of
 * rbs.h ("Waiting, and knowing the other side is alive").
 */
#include "liveness.h"

int64_t rbs__watch(rbs_side *w, rbs_ring *r, uint32_t role, uint64_t now_ms) {
    rbs__role_words words = rbs__role(r, role);
    uint32_t owner = atomic_load_explicit(words.owner, memory_order_acquire);
    uint32_t beat = atomic_load_explicit(words.beat, memory_order_relaxed);
    uint32_t counter = atomic_load_explicit(words.counter, memory_order_relaxed);
    if (!w->peer_seen || owner != w->peer_owner || beat != w->peer_beat ||
        counter != w->peer_counter) {
        w->peer_owner = owner;
        w->peer_beat = beat;
        w->peer_counter = counter;
        w->peer_seen++;
        w->peer_since_ms = now_ms;
    }
    return owner == 0 ? -1 : (int64_t)(now_ms - w->peer_since_ms);
}

static int role_args(const rbs_view *v, uint32_t role, uint32_t token) {
    int g = rbs__gate(v, 0);
    if (g != RBS_OK) return g;
    return rbs__valid_role(role) && token != 0 ? RBS_OK : RBS_EINVAL;
}

int rbs_claim(const rbs_view *v, uint32_t role, uint32_t token) {
    int g = role_args(v, role, token);
    if (g != RBS_OK) return g;
    rbs__role_words w = rbs__role(v->ring, role);
    uint32_t prev = 0;
    if (atomic_compare_exchange_strong_explicit(w.owner, &prev, token, memory_order_seq_cst,
                                                memory_order_seq_cst)) {
        atomic_fetch_add_explicit(w.beat, 1u, memory_order_relaxed);
        return RBS_OK;
    }
    return prev == token ? RBS_OK : RBS_EBUSY;
}

int rbs_release(const rbs_view *v, uint32_t role, uint32_t token) {
    int g = role_args(v, role, token);
    if (g != RBS_OK) return g;
    rbs__role_words w = rbs__role(v->ring, role);
    uint32_t held = token;
    if (!atomic_compare_exchange_strong_explicit(w.owner, &held, 0u, memory_order_seq_cst,
                                                 memory_order_seq_cst))
        return RBS_EBUSY;
    atomic_fetch_add_explicit(w.beat, 1u, memory_order_relaxed);
    return RBS_OK;
}

int rbs_beat(const rbs_view *v, uint32_t role, uint32_t token) {
    int g = role_args(v, role, token);
    if (g != RBS_OK) return g;
    rbs__role_words w = rbs__role(v->ring, role);
    if (atomic_load_explicit(w.owner, memory_order_relaxed) != token) return RBS_EBUSY;
    atomic_fetch_add_explicit(w.beat, 1u, memory_order_relaxed);
    return RBS_OK;
}

uint32_t rbs_owner(const rbs_view *v, uint32_t role) {
    if (rbs__gate(v, 0) != RBS_OK || !rbs__valid_role(role)) return 0;
    return atomic_load_explicit(rbs__role(v->ring, role).owner, memory_order_acquire);
}

int rbs_take_over(const rbs_view *v, uint32_t role, uint32_t token, uint32_t stale_ms) {
    int g = role_args(v, role, token);
    if (g != RBS_OK) return g;
    if (stale_ms < RBS_MIN_PEER_TIMEOUT_MS || stale_ms == RBS_FOREVER) return RBS_EINVAL;
    rbs_side w = RBS_SIDE_INIT(token, stale_ms);
    rbs__role_words words = rbs__role(v->ring, role);
    for (;;) {
        int64_t silent = rbs__watch(&w, v->ring, role, rbs__now_ms());
        uint32_t prev = w.peer_owner;
        if (prev == 0 || prev == token) return rbs_claim(v, role, token);
        /* Seen to change after the first look: the holder is alive. */
        if (w.peer_seen > 1) return RBS_EBUSY;
        if (silent >= (int64_t)stale_ms) {
            /* The waiting words stay: a stale count costs one spare notify.
             * A lost race is a change of the owner word: the next look says. */
            int won = atomic_compare_exchange_strong_explicit(
                words.owner, &prev, token, memory_order_seq_cst, memory_order_seq_cst);
            if (!won) continue;
            atomic_fetch_add_explicit(words.beat, 1u, memory_order_relaxed);
            return RBS_OK;
        }
        uint64_t left = (uint64_t)stale_ms - (uint64_t)silent;
        (void)rbs__sleep_on(words.owner, prev,
                            left < RBS_HEARTBEAT_MS ? (uint32_t)left : RBS_HEARTBEAT_MS);
    }
}
