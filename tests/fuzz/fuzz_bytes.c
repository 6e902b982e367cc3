/*
 * fuzz_bytes.c — the byte ring's calls against the model: a mirror of the
 * data area (position = counter & (capacity - 1), the published layout) and
 * the two counters.  Each op answers exactly what the model says in exact
 * mode, and stays in bounds in hostile mode (see fuzz_ring.c); the same ops
 * run through the C API and the rbs_wasm_* calls (fuzz_api.c).
 */
#include "fuzz.h"

#include <string.h>

void fz_bytes_reset(fz *f) {
    f->reserved = f->acquired = 0;
}

/* Spans of a reserve/acquire of k bytes at counter `at`: the first from
 * data + (at & mask) up to the end, the second from data for the rest. */
static void expect_span_layout(fz *f, const rbs_span s[2], uint32_t at, uint32_t k,
                               const char *what) {
    uint32_t pos = at & f->mask;
    uint32_t first = f->cap - pos < k ? f->cap - pos : k;
    if (k == 0) {
        if (s[0].len != 0 || s[1].len != 0) FAIL("%s: empty answer with non-empty spans", what);
        return;
    }
    if (s[0].ptr != f->data + pos || s[0].len != first)
        FAIL("%s: first span (%p, %zu), expected (%p, %u)", what, s[0].ptr, s[0].len,
             (void *)(f->data + pos), first);
    if (k > first ? (s[1].ptr != f->data || s[1].len != k - first) : s[1].len != 0)
        FAIL("%s: second span (%p, %zu), expected %u bytes at the start", what, s[1].ptr, s[1].len,
             k - first);
}

static void check_spans(fz *f, const rbs_span s[2], int rc, const char *what) {
    fz_check_span(f, s[0].ptr, s[0].len, what);
    fz_check_span(f, s[1].ptr, s[1].len, what);
    if (rc >= 0 && s[0].len + s[1].len != (size_t)rc)
        FAIL("%s: spans hold %zu bytes, the call answered %d", what, s[0].len + s[1].len, rc);
}

/* ------------------------------------------------------------------------ */
/* Producer                                                                  */
/* ------------------------------------------------------------------------ */

static void write_op(fz *f, input *in, int all) {
    const char *what = all ? "rbs_write_all" : "rbs_write";
    size_t n = fz_arg(f, fz_len(f, in));
    unsigned char *src = fz_tail(f->src, n);
    fz_fill_random(f, src, fz_min(n, FZ_MAX_CAP));
    int rc = api_write(f, src, n, all);
    int want = fz_gate(f, RBS_KIND_BYTES);
    if (want == 0 && !f->exact) {
        fz_sane(f, rc, (long long)fz_min(n, f->cap), what);
        fz_looked(f, rc, n > 0, 1, what);
        return;
    }
    if (want == 0) {
        /* rbs_write_all: RBS_ECLOSED is checked before RBS_ETOOBIG */
        if (f->closed)
            want = RBS_ECLOSED;
        else if (!all)
            want = n > 0 && fz_free(f) == 0 ? fz_nothing(f, 0) : (int)fz_min(n, fz_free(f));
        else if (n > f->cap)
            want = RBS_ETOOBIG;
        else if (n > fz_free(f))
            want = fz_nothing(f, RBS_EAGAIN);
        else
            want = (int)n;
    }
    EXPECT(rc, want, what);
    if (rc > 0) {
        fz_mirror_put(f, f->mw, src, (uint32_t)rc);
        f->mw += (uint32_t)rc;
        /* A write that moved the counter voids a pending reservation: a later
         * commit of n > 0 answers RBS_EINVAL (found by this fuzzer, fixed in ring.c;
         * corpus/regressions/bytes_write_between_reserve_and_commit). */
        f->reserved = 0;
    }
}

void op_write(fz *f, input *in) {
    write_op(f, in, 0);
}

void op_write_all(fz *f, input *in) {
    write_op(f, in, 1);
}

void op_reserve(fz *f, input *in) {
    size_t want_len = fz_arg(f, fz_len(f, in));
    rbs_span s[2] = {{f->src, 7}, {f->src, 7}}; /* poison: the call must set both */
    int rc = api_reserve(f, want_len, s);
    int want = fz_gate(f, RBS_KIND_BYTES);
    if (want != 0) {
        EXPECT(rc, want, "rbs_write_reserve"); /* refused before anything */
        return;
    }
    if (!f->exact) {
        fz_sane(f, rc, (long long)fz_min(want_len, f->cap), "rbs_write_reserve");
        fz_looked(f, rc, want_len > 0, 1, "rbs_write_reserve");
        f->reserved = rc > 0 ? (uint32_t)rc : 0; /* the next commit's argument is near it */
        if (rc >= 0) {
            check_spans(f, s, rc, "rbs_write_reserve");
            for (int i = 0; i < 2; i++)
                if (s[i].len) fz_fill_random(f, s[i].ptr, s[i].len);
        }
        return;
    }
    if (f->closed) {
        want = RBS_ECLOSED;
    } else {
        uint32_t k = (uint32_t)fz_min(fz_min(want_len, f->cap), fz_free(f));
        want = k == 0 && want_len > 0 ? fz_nothing(f, 0) : (int)k;
    }
    EXPECT(rc, want, "rbs_write_reserve");
    f->reserved = rc > 0 ? (uint32_t)rc : 0; /* a reserve replaces the last one */
    expect_span_layout(f, s, f->mw, f->reserved, "rbs_write_reserve");
    /* Fill the spans as a producer would, keeping the mirror in step. */
    uint32_t at = f->mw;
    for (int i = 0; i < 2; i++) {
        fz_fill_random(f, s[i].ptr, s[i].len);
        fz_mirror_put(f, at, s[i].ptr, (uint32_t)s[i].len);
        at += (uint32_t)s[i].len;
    }
}

void op_commit(fz *f, input *in) {
    size_t n = fz_arg(f, fz_len_near(f, in, f->reserved));
    int rc = api_commit(f, n);
    int want = fz_gate(f, RBS_KIND_BYTES);
    if (want == 0 && !f->exact) {
        fz_sane(f, rc, (long long)fz_min(n, f->cap), "rbs_write_commit");
        return;
    }
    if (want == 0) {
        if (n > f->reserved)
            want = RBS_EINVAL;
        else if (f->closed)
            want = RBS_ECLOSED;
        /* space taken since the reserve (by rbs_write) is refused, never reused */
        else if (n > fz_free(f))
            want = RBS_ECORRUPT;
        else
            want = (int)n;
    }
    EXPECT(rc, want, "rbs_write_commit");
    if (rc >= 0) {
        f->mw += (uint32_t)rc;
        f->reserved = 0;
    }
}

/* ------------------------------------------------------------------------ */
/* Consumer                                                                  */
/* ------------------------------------------------------------------------ */

/* The model's answer to a read of up to n bytes, or to an acquire. */
static int upto(const fz *f, size_t n) {
    uint32_t used = fz_used(f);
    if (used == 0) return f->closed ? RBS_ECLOSED : fz_nothing(f, 0);
    return (int)fz_min(n, used);
}

static void read_op(fz *f, input *in, int how) {
    static const char *const names[] = {"rbs_read", "rbs_read_all", "rbs_peek", "rbs_skip"};
    size_t n = fz_arg(f, fz_len(f, in));
    unsigned char *dst = fz_tail(f->dst, n);
    int rc = api_read(f, how == FZ_SKIP ? NULL : dst, n, how);
    int want = fz_gate(f, RBS_KIND_BYTES);
    if (want == 0 && !f->exact) {
        fz_sane(f, rc, (long long)fz_min(n, f->cap), names[how]);
        fz_looked(f, rc, n > 0, 1, names[how]);
        return;
    }
    if (want == 0 && how == FZ_READ_ALL) {
        if (n > f->cap)
            want = RBS_ETOOBIG;
        else if (n > fz_used(f))
            want = f->closed ? RBS_ECLOSED : fz_nothing(f, RBS_EAGAIN);
        else
            want = (int)n;
    } else if (want == 0) {
        want = upto(f, n);
    }
    EXPECT(rc, want, names[how]);
    if (rc > 0) {
        if (how != FZ_SKIP) fz_expect_mirror(f, f->mr, dst, (uint32_t)rc, names[how]);
        if (how != FZ_PEEK) f->mr += (uint32_t)rc;
        /* A read or skip that moved the counter voids a pending acquire (as for
         * writes; corpus/regressions/bytes_read_between_acquire_and_release). */
        if (how != FZ_PEEK) f->acquired = 0;
    }
}

void op_read(fz *f, input *in) {
    read_op(f, in, FZ_READ);
}

void op_read_all(fz *f, input *in) {
    read_op(f, in, FZ_READ_ALL);
}

void op_peek(fz *f, input *in) {
    read_op(f, in, FZ_PEEK);
}

void op_skip(fz *f, input *in) {
    read_op(f, in, FZ_SKIP);
}

void op_acquire(fz *f, input *in) {
    size_t want_len = fz_arg(f, fz_len(f, in));
    rbs_span s[2] = {{f->src, 7}, {f->src, 7}};
    int rc = api_acquire(f, want_len, s);
    int want = fz_gate(f, RBS_KIND_BYTES);
    if (want != 0) {
        EXPECT(rc, want, "rbs_read_acquire"); /* refused before anything */
        return;
    }
    if (!f->exact) {
        fz_sane(f, rc, (long long)fz_min(want_len, f->cap), "rbs_read_acquire");
        fz_looked(f, rc, want_len > 0, 1, "rbs_read_acquire");
        f->acquired = rc > 0 ? (uint32_t)rc : 0; /* the next release's argument is near it */
        if (rc >= 0) {
            check_spans(f, s, rc, "rbs_read_acquire");
            for (int i = 0; i < 2; i++)
                fz_touch(s[i].ptr, s[i].len);
        }
        return;
    }
    EXPECT(rc, upto(f, want_len), "rbs_read_acquire");
    f->acquired = rc > 0 ? (uint32_t)rc : 0; /* an acquire replaces the last one */
    expect_span_layout(f, s, f->mr, f->acquired, "rbs_read_acquire");
    if (s[0].len) fz_expect_mirror(f, f->mr, s[0].ptr, (uint32_t)s[0].len, "rbs_read_acquire");
    if (s[1].len)
        fz_expect_mirror(f, f->mr + (uint32_t)s[0].len, s[1].ptr, (uint32_t)s[1].len,
                         "rbs_read_acquire");
}

void op_release(fz *f, input *in) {
    size_t n = fz_arg(f, fz_len_near(f, in, f->acquired));
    int rc = api_release(f, n);
    int want = fz_gate(f, RBS_KIND_BYTES);
    if (want == 0 && !f->exact) {
        fz_sane(f, rc, (long long)fz_min(n, f->cap), "rbs_read_release");
        return;
    }
    if (want == 0) {
        if (n > f->acquired) want = RBS_EINVAL;
        /* bytes consumed since the acquire (by rbs_read/skip) are refused */
        else if (n > fz_used(f))
            want = RBS_ECORRUPT;
        else
            want = (int)n;
    }
    EXPECT(rc, want, "rbs_read_release");
    if (rc >= 0) {
        f->mr += (uint32_t)rc;
        f->acquired = 0;
    }
}
