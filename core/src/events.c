/*
 * events.c — the producer's half of the event ring (rbs.h, "Sample-accurate
 * events"): an event is one message; events.h drains them.
 */
#include "msg_frames.h"

int rbs_event_send(const rbs_view *events, const rbs_event *e) {
    if (e == NULL || e->size > RBS_EVENT_MAX_PAYLOAD) return RBS_EINVAL;
    unsigned char msg[RBS_EVENT_SIZE];
    store_le32(msg + RBS_EVENT_OFF_FRAME, e->frame);
    store_le32(msg + RBS_EVENT_OFF_ID, e->id);
    uint32_t bits;
    __builtin_memcpy(&bits, &e->value, sizeof bits);
    store_le32(msg + RBS_EVENT_OFF_VALUE, bits);
    store_le32(msg + RBS_EVENT_OFF_SIZE, (uint32_t)e->size | (uint32_t)e->flags << 16);
    if (e->size != 0) __builtin_memcpy(msg + RBS_EVENT_HEADER, e->payload, e->size);
    return rbs_msg_send(events, msg, RBS_EVENT_HEADER + e->size);
}
