/*
 * verify.c — the byte check of the browser's page-to-Worker benchmark
 * (bench/browser/bytes.*): every byte a consumer reads is compared with the
 * byte the stream must carry there, for rbs and ringbuf.js alike.  A JS loop
 * over each byte would cost more than the copies being measured and squeeze
 * every ratio towards 1; this loop, vectorised with wasm SIMD, compares at
 * about the speed of a copy, so the check stays small beside what it checks.
 *
 * The module owns its (unshared) memory: the consumer reads straight into
 * bench_got() (a ring's readInto and ringbuf.js's pop both take any
 * Uint8Array), and bench_want() holds the stream's pattern.
 */
#include <stdint.h>

#define VERIFY_MAX        (256u * 1024u) /* the largest read checked at once */
#define VERIFY_PERIOD_MAX 256u           /* room for the pattern's period */

static unsigned char got_buf[VERIFY_MAX] __attribute__((aligned(64)));
static unsigned char want_buf[VERIFY_MAX + VERIFY_PERIOD_MAX] __attribute__((aligned(64)));

unsigned char *bench_got(void);
unsigned char *bench_want(void);
uint32_t bench_verify_max(void);
uint32_t bench_count_wrong(uint32_t want_offset, uint32_t n);

/* Where the consumer reads to, and where the expected bytes are written. */
unsigned char *bench_got(void) {
    return got_buf;
}

unsigned char *bench_want(void) {
    return want_buf;
}

uint32_t bench_verify_max(void) {
    return VERIFY_MAX;
}

/* Counts the differing bytes one by one: only when a block differs. */
static uint32_t count_slow(const unsigned char *got, const unsigned char *want, uint32_t n) {
    uint32_t wrong = 0;
    for (uint32_t i = 0; i < n; i++)
        wrong += got[i] != want[i];
    return wrong;
}

/* How many of got[0..n) differ from want[want_offset..want_offset+n); n and
 * want_offset are clamped to the buffers, so a bad call cannot read outside.
 * The fast path ORs the XOR of 64-byte blocks (the compiler makes it SIMD)
 * and counts bytes only in a block that differs. */
uint32_t bench_count_wrong(uint32_t want_offset, uint32_t n) {
    if (n > VERIFY_MAX) n = VERIFY_MAX;
    if (want_offset > VERIFY_PERIOD_MAX) want_offset = VERIFY_PERIOD_MAX;
    const unsigned char *want = want_buf + want_offset;
    uint32_t wrong = 0, i = 0;
    for (; i + 64 <= n; i += 64) {
        uint64_t diff = 0;
        for (uint32_t j = 0; j < 64; j += 8) {
            uint64_t a, b;
            __builtin_memcpy(&a, got_buf + i + j, 8);
            __builtin_memcpy(&b, want + i + j, 8);
            diff |= a ^ b;
        }
        if (diff != 0) wrong += count_slow(got_buf + i, want + i, 64);
    }
    return wrong + count_slow(got_buf + i, want + i, n - i);
}
