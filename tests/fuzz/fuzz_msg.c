/*
 * fuzz_msg.c — the message calls against a queue of messages, placed in the
 * model's mirror of the data area by the frame format rbs.h publishes: a
 * 4-byte little-endian length word, the payload padded to 4 bytes, and a
 * padding word (RBS_MSG_PADDING) in the tail when a frame would not fit
 * before the end (then the frame goes at position 0).  Room is predicted
 * from that layout, so RBS_EAGAIN is checked exactly.
 */
#include "fuzz.h"

#include <string.h>

void fz_msg_reset(fz *f) {
    f->q_head = f->q_count = 0;
    f->msg_res = f->msg_res_at = f->msg_res_pos = 0;
    f->msg_acq = 0;
}

static uint32_t max_payload(const fz *f) {
    return f->cap / 2u - RBS_MSG_HEADER;
}

static uint32_t frame_size(uint32_t len) {
    return RBS_MSG_HEADER + ((len + 3u) & ~3u);
}

/* Where a message of len (<= max_payload) goes now: sets *at to its length
 * word's position and returns the bytes it takes with any padding frame. */
static uint32_t place(const fz *f, uint32_t len, uint32_t *at) {
    uint32_t pos = f->mw & f->mask;
    uint32_t size = frame_size(len);
    if (size <= f->cap - pos) {
        *at = pos;
        return size;
    }
    *at = 0;
    return f->cap - pos + size;
}

static void put_le32(fz *f, uint32_t pos, uint32_t v) {
    unsigned char b[4] = {(unsigned char)v, (unsigned char)(v >> 8), (unsigned char)(v >> 16),
                          (unsigned char)(v >> 24)};
    memcpy(f->mirror + pos, b, 4);
}

/* Publishes one frame in the model: headers into the mirror, the queue, w. */
static void publish(fz *f, uint32_t pos, uint32_t at, uint32_t len) {
    if (at != pos) put_le32(f, pos, RBS_MSG_PADDING);
    put_le32(f, at, len);
    uint32_t total = (at != pos ? f->cap - pos : 0u) + frame_size(len);
    if (f->q_count == f->q_size) FAIL("model: more messages than frames fit (op %u)", f->op_no);
    f->q[(f->q_head + f->q_count++) % f->q_size] = (fz_msg){len, at, total};
    f->mw += total;
}

static const fz_msg *front(const fz *f) {
    return f->q_count ? &f->q[f->q_head] : NULL;
}

static void pop(fz *f) {
    f->mr += f->q[f->q_head].total;
    f->q_head = (f->q_head + 1u) % f->q_size;
    f->q_count--;
}

/* What a consumer call answers when no message is waiting. */
static int none_waiting(const fz *f) {
    return f->closed ? RBS_ECLOSED : fz_nothing(f, RBS_EAGAIN);
}

/* The producer's answer before room is looked at, or 0 to go on. */
static int producer_refusal(const fz *f, size_t len) {
    int g = fz_gate(f, RBS_KIND_MESSAGES);
    if (g) return g;
    if (f->closed) return RBS_ECLOSED; /* before RBS_ETOOBIG, as the implementation does */
    if (len > max_payload(f)) return RBS_ETOOBIG;
    return 0;
}

/* ------------------------------------------------------------------------ */
/* Producer                                                                  */
/* ------------------------------------------------------------------------ */

void op_msg_send(fz *f, input *in) {
    size_t len = fz_arg(f, fz_len(f, in));
    unsigned char *src = fz_tail(f->src, len);
    fz_fill_random(f, src, fz_min(len, FZ_MAX_CAP));
    int rc = api_msg_send(f, src, len);
    if (!fz_gate(f, RBS_KIND_MESSAGES) && !f->exact) {
        fz_sane(f, rc, (long long)fz_min(len, max_payload(f)), "rbs_msg_send");
        fz_looked(f, rc, 1, 0, "rbs_msg_send");
        return;
    }
    int want = producer_refusal(f, len);
    uint32_t at = 0, need = 0;
    if (want == 0) {
        need = place(f, (uint32_t)len, &at);
        want = need > fz_free(f) ? fz_nothing(f, RBS_EAGAIN) : (int)len;
    }
    EXPECT(rc, want, "rbs_msg_send");
    if (rc < 0) return;
    fz_mirror_put(f, at + RBS_MSG_HEADER, src, (uint32_t)len);
    publish(f, f->mw & f->mask, at, (uint32_t)len);
    f->msg_res = 0; /* a send voids a pending reservation */
}

void op_msg_reserve(fz *f, input *in) {
    size_t len = fz_arg(f, fz_len(f, in));
    void *ptr = f->src; /* poison: the call must set it */
    int rc = api_msg_reserve(f, len, &ptr);
    if (rc < 0 && ptr != NULL) FAIL("rbs_msg_reserve answered %d but left a pointer", rc);
    if (!fz_gate(f, RBS_KIND_MESSAGES) && !f->exact) {
        fz_sane(f, rc, (long long)fz_min(len, max_payload(f)), "rbs_msg_reserve");
        fz_looked(f, rc, 1, 0, "rbs_msg_reserve");
        f->msg_res = rc >= 0 ? (uint32_t)rc + 1u : 0; /* the next commit's argument is near it */
        if (rc >= 0) {
            if (ptr == NULL) FAIL("rbs_msg_reserve answered %d with no pointer", rc);
            fz_check_span(f, ptr, (size_t)rc, "rbs_msg_reserve");
            fz_fill_random(f, ptr, (size_t)rc);
        }
        return;
    }
    int want = producer_refusal(f, len);
    uint32_t at = 0;
    if (want == 0)
        want = place(f, (uint32_t)len, &at) > fz_free(f) ? fz_nothing(f, RBS_EAGAIN) : (int)len;
    EXPECT(rc, want, "rbs_msg_reserve");
    if (want == RBS_EKIND) return; /* refused before anything */
    f->msg_res = 0;                /* a reserve replaces the last one */
    if (rc < 0) return;
    if (ptr != f->data + at + RBS_MSG_HEADER)
        FAIL("rbs_msg_reserve: payload at %p, the frame format puts it at %p", ptr,
             (void *)(f->data + at + RBS_MSG_HEADER));
    fz_fill_random(f, ptr, len);
    fz_mirror_put(f, at + RBS_MSG_HEADER, ptr, (uint32_t)len);
    f->msg_res = (uint32_t)len + 1u;
    f->msg_res_at = at;
    f->msg_res_pos = f->mw & f->mask;
}

void op_msg_commit(fz *f, input *in) {
    size_t len = fz_arg(f, fz_len_near(f, in, f->msg_res ? f->msg_res - 1u : 0u));
    int rc = api_msg_commit(f, len);
    if (!fz_gate(f, RBS_KIND_MESSAGES) && !f->exact) {
        fz_sane(f, rc, (long long)fz_min(len, max_payload(f)), "rbs_msg_commit");
        return;
    }
    int want = fz_gate(f, RBS_KIND_MESSAGES);
    if (want == 0) {
        if (f->msg_res == 0 || len > f->msg_res - 1u)
            want = RBS_EINVAL;
        else if (f->closed)
            want = RBS_ECLOSED;
        else
            want = (int)len;
    }
    EXPECT(rc, want, "rbs_msg_commit");
    if (rc < 0) return;
    /* the frame stays where the payload was written; only its end moves */
    publish(f, f->msg_res_pos, f->msg_res_at, (uint32_t)len);
    f->msg_res = 0;
}

/* ------------------------------------------------------------------------ */
/* Consumer                                                                  */
/* ------------------------------------------------------------------------ */

void op_msg_recv(fz *f, input *in) {
    const fz_msg *m = front(f);
    size_t capb = fz_arg(f, fz_len_near(f, in, m ? m->len : 0u));
    unsigned char *dst = fz_tail(f->dst, capb);
    int rc = api_msg_recv(f, dst, capb);
    if (!fz_gate(f, RBS_KIND_MESSAGES) && !f->exact) {
        fz_sane(f, rc, (long long)fz_min(capb, max_payload(f)), "rbs_msg_recv");
        fz_looked(f, rc, 1, 0, "rbs_msg_recv");
        return;
    }
    int want = fz_gate(f, RBS_KIND_MESSAGES);
    if (want == 0) {
        if (m == NULL)
            want = none_waiting(f);
        else if (m->len > capb)
            want = RBS_ETOOBIG; /* nothing consumed */
        else
            want = (int)m->len;
    }
    EXPECT(rc, want, "rbs_msg_recv");
    if (rc < 0) return;
    fz_expect_mirror(f, m->at + RBS_MSG_HEADER, dst, m->len, "rbs_msg_recv");
    pop(f);
    f->msg_acq = 0; /* a receive voids a pending acquire */
}

void op_msg_peek_size(fz *f, input *in) {
    (void)in;
    int rc = api_msg_peek_size(f);
    if (!fz_gate(f, RBS_KIND_MESSAGES) && !f->exact) {
        fz_sane(f, rc, max_payload(f), "rbs_msg_peek_size");
        fz_looked(f, rc, 1, 0, "rbs_msg_peek_size");
        return;
    }
    int want = fz_gate(f, RBS_KIND_MESSAGES);
    if (want == 0) want = front(f) ? (int)front(f)->len : none_waiting(f);
    EXPECT(rc, want, "rbs_msg_peek_size");
}

void op_msg_acquire(fz *f, input *in) {
    (void)in;
    const void *ptr = f->src;
    size_t len = 12345;
    int rc = api_msg_acquire(f, &ptr, &len);
    if (rc < 0 && (ptr != NULL || len != 0))
        FAIL("rbs_msg_acquire answered %d but left (%p, %zu)", rc, ptr, len);
    if (!fz_gate(f, RBS_KIND_MESSAGES) && !f->exact) {
        fz_sane(f, rc, max_payload(f), "rbs_msg_acquire");
        fz_looked(f, rc, 1, 0, "rbs_msg_acquire");
        if (rc >= 0) {
            if ((size_t)rc != len || ptr == NULL)
                FAIL("rbs_msg_acquire answered %d with (%p, %zu)", rc, ptr, len);
            fz_check_span(f, ptr, len, "rbs_msg_acquire");
            fz_touch(ptr, len);
        }
        return;
    }
    const fz_msg *m = front(f);
    int want = fz_gate(f, RBS_KIND_MESSAGES);
    if (want == 0) want = m ? (int)m->len : none_waiting(f);
    EXPECT(rc, want, "rbs_msg_acquire");
    if (want == RBS_EKIND) return; /* refused before anything */
    f->msg_acq = rc >= 0;
    if (rc < 0) return;
    if (ptr != f->data + m->at + RBS_MSG_HEADER || len != m->len)
        FAIL("rbs_msg_acquire: (%p, %zu), the model has (%p, %u)", ptr, len,
             (void *)(f->data + m->at + RBS_MSG_HEADER), m->len);
    fz_expect_mirror(f, m->at + RBS_MSG_HEADER, ptr, m->len, "rbs_msg_acquire");
}

void op_msg_release(fz *f, input *in) {
    (void)in;
    int rc = api_msg_release(f);
    if (!fz_gate(f, RBS_KIND_MESSAGES) && !f->exact) {
        fz_sane(f, rc, 0, "rbs_msg_release");
        return;
    }
    int want = fz_gate(f, RBS_KIND_MESSAGES);
    if (want == 0) want = f->msg_acq ? RBS_OK : RBS_EINVAL;
    EXPECT(rc, want, "rbs_msg_release");
    if (rc == RBS_OK) {
        pop(f);
        f->msg_acq = 0;
    }
}

void op_msg_query(fz *f, input *in) {
    (void)in;
    int rc = rbs_msg_max_size(&f->view);
    int g = fz_gate(f, RBS_KIND_MESSAGES);
    EXPECT(rc, g ? g : (int)max_payload(f), "rbs_msg_max_size"); /* the view's: exact always */
}
