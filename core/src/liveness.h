/*
 * liveness.h — what the blocking calls share (rbs.h, "Waiting, and knowing
 * the other side is alive"): a role's words, a watch on the other role, the
 * clock and the sleep.  Not part of the public API, and not in rbs.wasm.
 */
#ifndef RBS_LIVENESS_H
#define RBS_LIVENESS_H

#include "ring_internal.h"

/* The words one role writes to show it is there: the claim, the heartbeat
 * and its counter. */
typedef struct {
    rbs_word *owner;
    rbs_word *beat;
    rbs_word *counter;
} rbs__role_words;

static inline int rbs__valid_role(uint32_t role) {
    return role == RBS_PRODUCER || role == RBS_CONSUMER;
}

static inline uint32_t rbs__other_role(uint32_t role) {
    return role == RBS_PRODUCER ? RBS_CONSUMER : RBS_PRODUCER;
}

static inline rbs__role_words rbs__role(rbs_ring *r, uint32_t role) {
    rbs__role_words w;
    if (role == RBS_PRODUCER) {
        w.owner = &r->producer_owner;
        w.beat = &r->producer_heartbeat;
        w.counter = &r->write;
    } else {
        w.owner = &r->consumer_owner;
        w.beat = &r->consumer_heartbeat;
        w.counter = &r->read;
    }
    return w;
}

/* Looks at `role` for a watch kept in `w` (the peer_* fields of rbs_side):
 * milliseconds the role has been silent -- none of its words changed since
 * the last look that saw them change; the first look counts as a change --
 * or -1 when the role is free. */
int64_t rbs__watch(rbs_side *w, rbs_ring *r, uint32_t role, uint64_t now_ms);

/* A monotonic clock in milliseconds. */
uint64_t rbs__now_ms(void);

/* Sleeps while *word holds `seen`, at most `ms` (a futex wait, or
 * memory.atomic.wait32): 1 if the time ran out, 0 if woken, if the word
 * differed, or if the sleep was cut short (the caller looks again anyway). */
int rbs__sleep_on(rbs_word *word, uint32_t seen, uint32_t ms);

#endif /* RBS_LIVENESS_H */
