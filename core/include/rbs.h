/*
 * rbs.h — ring_buffer_safe: a lock-free single-producer single-consumer ring
 * that lives in shared memory (a SharedArrayBuffer in the browser, any shared
 * mapping natively).  This header is the whole public C API and the
 * shared-memory layout; docs/design.md gives the longer rationale.
 *
 * A ring is one region of memory: a fixed header (RBS_HEADER_SIZE bytes) then
 * `capacity` data bytes.  Each party that uses it -- a thread, or a
 * WebAssembly instance over the same shared memory -- first fills an
 * rbs_view of its own with rbs_init (the party that formats the region) or
 * rbs_attach (any other), then passes that view to every call.
 *
 * Safety by construction.  The view is the side's trusted copy of everything
 * that bounds an access: the region's address, the capacity (and so the
 * mask), the kind and the audio frame shape.  It is validated once, when it
 * is filled, and lives in the caller's own memory, where the other side does
 * not write.  No call reads a size or an address from shared memory and
 * follows it: every position is a counter masked with the view's capacity,
 * every length is bounded by it, every counter read from shared memory is
 * checked (used <= capacity) before it is used.  So no call reads or writes
 * outside data[0, capacity) and the header, whatever the shared memory holds,
 * stray or forged.  A meta line that no longer matches the view is reported
 * as RBS_ECORRUPT: all of it by rbs_check and rbs_attach; the words that
 * bound an access (magic, capacity, kind, channels, frame bytes) also by the
 * queries and by a call that finds no data or no room.
 *
 * Roles.  Exactly one thread produces (rbs_write*, rbs_close, rbs_msg_send,
 * rbs_audio_write*, rbs_wake_consumer, rbs_wait_writable) and exactly one
 * consumes (rbs_read*, rbs_peek, rbs_skip, rbs_msg_recv, rbs_audio_read*,
 * rbs_wake_producer, rbs_wait_readable); rbs_claim and its kin say which
 * party that is, to the other side too.
 * Calls of one role must not run on two threads at once; the two roles may
 * run concurrently.  Queries (rbs_readable, rbs_writable, rbs_closed, the
 * audio counters, rbs_check) are safe from any thread.
 *
 * Counts.  A call that moves data returns how much it moved (>= 0) or a
 * negative RBS_E* code; rbs_strerror() turns a code into a sentence.
 *
 * Hot-path promises.  No call allocates, locks, blocks, or touches
 * thread-local storage or errno; only the wake calls make a system call, and
 * only when the other side sleeps.  Every call is safe in an AudioWorklet and
 * in every WebAssembly instance of the module.  The exceptions are the calls
 * made to block -- rbs_wait_readable, rbs_wait_writable, rbs_take_over
 * ("Waiting, and knowing the other side is alive") -- which are never on a
 * hot path and not in the library's own rbs.wasm.
 */
#ifndef RBS_H
#define RBS_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ------------------------------------------------------------------------ */
/* Errors                                                                    */
/* ------------------------------------------------------------------------ */

#define RBS_OK 0
/** A null pointer, or a count larger than what was reserved or acquired. */
#define RBS_EINVAL (-1)
/** Not possible now (no room, or nothing waiting); may succeed later. */
#define RBS_EAGAIN (-2)
/** Larger than the ring can ever hold (or than the buffer offered). */
#define RBS_ETOOBIG (-3)
/** The producer closed the ring: nothing more will be written or read. */
#define RBS_ECLOSED (-4)
/** The shared header is inconsistent (counters far apart, meta overwritten). */
#define RBS_ECORRUPT (-5)
/** Capacity is not a power of two from RBS_MIN_CAPACITY to RBS_MAX_CAPACITY. */
#define RBS_ECAPACITY (-6)
/** The region is not 64-byte aligned. */
#define RBS_EALIGN (-7)
/** The region is smaller than rbs_region_size(capacity). */
#define RBS_ERANGE (-8)
/** The region does not start with the ring magic: it is not a ring. */
#define RBS_ENOTRING (-9)
/** The ring was formatted by an incompatible ABI version. */
#define RBS_EVERSION (-10)
/** The call does not match the ring's kind (bytes, messages or audio). */
#define RBS_EKIND (-11)
/** Audio format out of range (channels 1..RBS_MAX_CHANNELS, sample rate). */
#define RBS_EFORMAT (-12)
/** The other side went silent (no heartbeat, no data moved) while this side
 *  waited for it: its thread ended or hangs. */
#define RBS_EPEERGONE (-13)
/** The role is held by another party (or no longer by this one). */
#define RBS_EBUSY (-14)

/** A sentence describing `err`; never NULL (unknown codes get a sentence too). */
const char *rbs_strerror(int err);

/* ------------------------------------------------------------------------ */
/* Shared-memory layout, ABI version 3                                       */
/* ------------------------------------------------------------------------ */
/*
 * All words are 32-bit, little-endian, 4-byte aligned.  The header is split
 * into 64-byte lines by who writes them, so that the producer and the
 * consumer never write the same line on the hot path:
 *
 *   meta line      (init only, read-only after)   0 ..  63
 *   producer line  (written by the producer)       64 .. 127
 *   consumer line  (written by the consumer)      128 .. 191
 *   producer-only  (never read by the consumer)   192 .. 255
 *   consumer-only  (never read by the producer)   256 .. 319
 *   data           (capacity bytes)               320 ..
 *
 * A word one side reads after every operation and the other side writes
 * rarely (a waiting count, the fill bounds) sits on the reader's line, which
 * it already holds.
 * Counters are free-running modulo 2^32: used = write - read,
 * free = capacity - used, position = counter & (capacity - 1).
 * The JavaScript side uses these same numbers (a test proves they agree).
 */
#define RBS_MAGIC        0x31534252u /* "RBS1" little-endian */
#define RBS_ABI_VERSION  3u
#define RBS_HEADER_SIZE  320u
#define RBS_LINE_SIZE    64u
#define RBS_MIN_CAPACITY 16u
#define RBS_MAX_CAPACITY (1u << 30)

/* meta line */
#define RBS_OFF_MAGIC       0u
#define RBS_OFF_ABI_VERSION 4u
#define RBS_OFF_HEADER_SIZE 8u
#define RBS_OFF_CAPACITY    12u
#define RBS_OFF_KIND        16u
#define RBS_OFF_CHANNELS    20u /* audio: channels per frame, else 0 */
#define RBS_OFF_SAMPLE_RATE 24u /* audio: frames per second, else 0 */
#define RBS_OFF_FRAME_BYTES 28u /* audio: 4 * channels, else 0 */
#define RBS_OFF_META_CHECK  32u /* check word over the meta line */

/* producer line: the producer writes these; the consumer writes only its
 * waiting words here, and only when it starts or ends a wait */
#define RBS_OFF_WRITE              64u /* write counter (release-published) */
#define RBS_OFF_CLOSED             68u /* 1 once the producer closed */
#define RBS_OFF_OVERRUNS           72u /* audio: frames refused for lack of room */
#define RBS_OFF_FRAMES_WRITTEN     76u /* audio: frames written, mod 2^32 */
#define RBS_OFF_PRODUCER_OWNER     80u /* role claim token, 0 when free */
#define RBS_OFF_PRODUCER_HEARTBEAT 84u /* the holder adds 1 while alive */
#define RBS_OFF_CONSUMER_WAKE      88u /* the producer adds 1 to wake the consumer */
#define RBS_OFF_CONSUMER_WAITERS   92u /* consumer's waits in progress (count) */
#define RBS_OFF_CONSUMER_WAIT_SEQ  96u /* consumer numbers each wait it starts */

/* consumer line, the mirror image */
#define RBS_OFF_READ               128u /* read counter (release-published) */
#define RBS_OFF_UNDERRUNS          132u /* audio: silent frames filled in */
#define RBS_OFF_FRAMES_READ        136u /* audio: frames read, mod 2^32 */
#define RBS_OFF_AUDIO_STARTED      140u /* audio: 1 once prefill was reached */
#define RBS_OFF_CONSUMER_OWNER     144u
#define RBS_OFF_CONSUMER_HEARTBEAT 148u
#define RBS_OFF_PRODUCER_WAKE      152u /* the consumer adds 1 to wake the producer */
#define RBS_OFF_PRODUCER_WAITERS   156u
#define RBS_OFF_PRODUCER_WAIT_SEQ  160u
/* audio, the adaptive fill ("Adaptive fill" below): the consumer writes these
 * but the bounds, which whoever sets the latency hint writes, rarely */
#define RBS_OFF_FILL_TARGET    164u /* frames the producer should keep queued */
#define RBS_OFF_FILL_MIN       168u /* lower bound of the target, frames */
#define RBS_OFF_FILL_MAX       172u /* upper bound of the target; 0: not adapting */
#define RBS_OFF_FILL_LOW       176u /* lowest fill before a read in the last window */
#define RBS_OFF_NEAR_MISSES    180u /* dips of the fill below two reads (stalls that came close) */
#define RBS_OFF_EVENTS_LATE    184u /* events applied after their frame had played */
#define RBS_OFF_EVENTS_DROPPED 188u /* malformed events skipped */

/* producer-only line */
#define RBS_OFF_CACHED_READ       192u /* producer's copy of the read counter */
#define RBS_OFF_RESERVED          196u /* bytes handed out by the last reserve */
#define RBS_OFF_RESERVED_AT       200u /* write counter at that reserve */
#define RBS_OFF_CONSUMER_WOKEN_AT 204u /* consumer's wait number when last woken */
/* 32 bytes where a WebAssembly caller's out-parameters land (positions, never
 * addresses): per role, so two instances never share them. */
#define RBS_OFF_PRODUCER_SCRATCH 224u

/* consumer-only line */
#define RBS_OFF_CACHED_WRITE      256u /* consumer's copy of the write counter */
#define RBS_OFF_ACQUIRED          260u /* bytes handed out by the last acquire */
#define RBS_OFF_ACQUIRED_AT       264u /* read counter at that acquire */
#define RBS_OFF_PRODUCER_WOKEN_AT 268u /* producer's wait number when last woken */
#define RBS_OFF_FILL_WINDOW_AT    272u /* audio: frames into the window; calm windows << 20 */
#define RBS_OFF_FILL_WINDOW_LOW   276u /* audio: lowest fill before a read in it so far */
#define RBS_OFF_FILL_DIP_BASE     280u /* audio: target when the current dip began; 0 none */
#define RBS_OFF_EVENT_GAIN        284u /* audio: the gain events set, float32 bits */
#define RBS_OFF_CONSUMER_SCRATCH  288u
#define RBS_SCRATCH_SIZE          32u

#define RBS_OFF_DATA RBS_HEADER_SIZE

/** The ring's kind, in the meta line; calls of another kind get RBS_EKIND. */
#define RBS_KIND_BYTES    1u
#define RBS_KIND_MESSAGES 2u
#define RBS_KIND_AUDIO    3u

/** The shared region (opaque): header then data. */
typedef struct rbs_ring rbs_ring;

/**
 * A side's own copy of a ring's geometry, filled by rbs_init / rbs_msg_init /
 * rbs_audio_init / rbs_attach after they validated it, and read by every
 * call.  Keep it in memory the other side does not write (a local, a field of
 * your own struct); it may be copied, and one view may be used by both roles.
 * The fields are read-only for the caller; a view is valid only after one of
 * those calls returned RBS_OK.
 */
typedef struct rbs_view {
    rbs_ring *ring;       /* the region */
    unsigned char *data;  /* its data area: ring + RBS_OFF_DATA */
    uint32_t capacity;    /* data bytes, a power of two */
    uint32_t kind;        /* RBS_KIND_* */
    uint32_t channels;    /* audio: samples per frame; 0 for other kinds */
    uint32_t sample_rate; /* audio: frames per second; 0 for other kinds */
    uint32_t frame_bytes; /* audio: 4 * channels; 0 for other kinds */
    uint32_t max_frames;  /* audio: capacity / frame_bytes; 0 for other kinds */
    uint32_t meta_check;  /* the meta line's check word as validated */
} rbs_view;

/** A contiguous piece of the ring handed out for zero-copy access. */
typedef struct {
    void *ptr;
    size_t len;
} rbs_span;

/* ------------------------------------------------------------------------ */
/* Setting up                                                                */
/* ------------------------------------------------------------------------ */

/** Header plus data bytes a ring of `capacity` needs; 0 if capacity is invalid
 *  (not a power of two from RBS_MIN_CAPACITY to RBS_MAX_CAPACITY). */
size_t rbs_region_size(uint32_t capacity);

/** Formats `region` as an empty byte ring and, if `v` is not NULL, fills `v`.
 *  `region` must be 64-byte aligned (RBS_EALIGN) and `region_size` at least
 *  rbs_region_size(capacity) (RBS_ERANGE); capacity as above (RBS_ECAPACITY);
 *  NULL region is RBS_EINVAL.  Not concurrent with any other call on it. */
int rbs_init(rbs_view *v, void *region, size_t region_size, uint32_t capacity);

/** Validates the ring that `region_size` bytes at `region` hold, of any kind,
 *  and fills `v` from it: alignment, magic (RBS_ENOTRING), ABI version and
 *  header size (RBS_EVERSION), meta line and its check word, kind and audio
 *  format (RBS_ECORRUPT), capacity fitting the region (RBS_ERANGE), counters
 *  consistent (RBS_ECORRUPT).  The one validation step: a party that was
 *  handed a ring calls it once, then uses `v` for every call.  On an error
 *  `v` is left zeroed, so a later call with it answers RBS_EINVAL. */
int rbs_attach(rbs_view *v, const void *region, size_t region_size);

/** RBS_OK if the shared meta line still matches `v` and the counters are
 *  consistent; RBS_ECORRUPT if not; RBS_EINVAL for a NULL or unfilled view. */
int rbs_check(const rbs_view *v);

/* ------------------------------------------------------------------------ */
/* Bytes: producer                                                           */
/* ------------------------------------------------------------------------ */

/** Writes as many of `n` bytes as fit now; returns the count (0 when full).
 *  RBS_ECLOSED after rbs_close. */
int rbs_write(const rbs_view *v, const void *src, size_t n);

/** Writes all `n` bytes or none: RBS_EAGAIN when they do not fit now,
 *  RBS_ETOOBIG when n exceeds the capacity and never could. */
int rbs_write_all(const rbs_view *v, const void *src, size_t n);

/** Bytes that can be written now, or a negative code (any kind of ring). */
int rbs_writable(const rbs_view *v);

/** Marks the end of the stream (any kind of ring) and wakes a waiting
 *  consumer.  Data already written stays readable; later writes answer
 *  RBS_ECLOSED.  Closing twice is harmless. */
int rbs_close(const rbs_view *v);

/** Zero-copy write: hands out up to `want` bytes of free space as one span,
 *  or two when the space wraps (out[1].len == 0 otherwise); returns the total
 *  (0 when full).  Nothing is visible to the consumer until rbs_write_commit.
 *  A new reserve replaces the previous one. */
int rbs_write_reserve(const rbs_view *v, size_t want, rbs_span out[2]);

/** Publishes the first `n` bytes of the last reservation (the rest is
 *  dropped).  n larger than what was reserved is RBS_EINVAL and changes
 *  nothing; so is committing after an rbs_write/rbs_write_all that moved
 *  data since the reserve (the reservation is void: its spans no longer start
 *  at the write position).  Returns n. */
int rbs_write_commit(const rbs_view *v, size_t n);

/* ------------------------------------------------------------------------ */
/* Bytes: consumer                                                           */
/* ------------------------------------------------------------------------ */

/** Reads up to `n` bytes; returns the count (0 when empty).  An empty ring
 *  that the producer closed answers RBS_ECLOSED. */
int rbs_read(const rbs_view *v, void *dst, size_t n);

/** Reads exactly `n` bytes or none: RBS_EAGAIN when fewer are there now,
 *  RBS_ETOOBIG when n exceeds the capacity, RBS_ECLOSED when the producer
 *  closed and fewer than n bytes remain (rbs_read still returns them). */
int rbs_read_all(const rbs_view *v, void *dst, size_t n);

/** Copies up to `n` bytes without consuming them; RBS_ECLOSED as rbs_read. */
int rbs_peek(const rbs_view *v, void *dst, size_t n);

/** Discards up to `n` bytes; returns the count; RBS_ECLOSED as rbs_read. */
int rbs_skip(const rbs_view *v, size_t n);

/** Bytes that can be read now, or a negative code (any kind of ring). */
int rbs_readable(const rbs_view *v);

/** 1 if the producer closed the ring (data may still be waiting), 0 if not,
 *  or a negative code (any kind of ring). */
int rbs_closed(const rbs_view *v);

/** Zero-copy read: hands out up to `want` readable bytes as one or two spans;
 *  returns the total (0 when empty, RBS_ECLOSED when empty and closed).
 *  A new acquire replaces the previous one. */
int rbs_read_acquire(const rbs_view *v, size_t want, rbs_span out[2]);

/** Consumes the first `n` bytes of the last acquire.  n larger than what was
 *  acquired is RBS_EINVAL and changes nothing; so is releasing after an
 *  rbs_read/rbs_read_all/rbs_skip that consumed data since the acquire (the
 *  acquire is void).  rbs_peek does not void it.  Returns n. */
int rbs_read_release(const rbs_view *v, size_t n);

/* ------------------------------------------------------------------------ */
/* Waking a side that sleeps                                                 */
/* ------------------------------------------------------------------------ */
/*
 * A side that finds nothing to do may sleep until the other side wakes it
 * (the JavaScript API does; docs/design.md has the whole argument).  The
 * protocol, the same for C and JS, for a consumer waiting for data (swap
 * the roles for a producer waiting for room):
 *
 *   waiter: load CONSUMER_WAKE; add 1 to CONSUMER_WAIT_SEQ, then to
 *           CONSUMER_WAITERS; look again for data (or the close); if none,
 *           sleep on CONSUMER_WAKE while it still holds the value loaded
 *           (Atomics.wait, memory.atomic.wait32, a futex), at most a slice;
 *           subtract 1 from CONSUMER_WAITERS.
 *   waker:  publish (store WRITE), then load CONSUMER_WAITERS, all
 *           sequentially consistent; if nonzero and CONSUMER_WAIT_SEQ
 *           differs from CONSUMER_WOKEN_AT: add 1 to CONSUMER_WAKE, notify
 *           it, and record the wait number in CONSUMER_WOKEN_AT.
 *   close:  always add 1 to CONSUMER_WAKE and notify, after storing CLOSED.
 *
 * No lost wake-up: if the waiter's look missed the data, its add to WAITERS
 * came before the waker's load of it, so the waker adds to WAKE after the
 * waiter loaded it, and the sleep returns at once or is woken.  If the waker
 * finds that wait number woken already, that wake too came after the number
 * was taken, so after the load: WAKE is loaded first because a wake may land
 * before the last look, and the look may still find too little (a message or
 * n frames may need more than one release), so the sleep must end.  Each wait is
 * woken at most once: a burst of writes while the consumer wakes costs one
 * notify.  The byte, message and audio calls publish without waking; a
 * producer whose consumer may sleep calls rbs_wake_consumer after a batch.
 */

/** Producer: wakes the consumer if it sleeps waiting for data (see above).
 *  Returns 1 if it woke a wait, 0 if none needed it, or a negative code. */
int rbs_wake_consumer(const rbs_view *v);

/** Consumer: wakes the producer if it sleeps waiting for room. */
int rbs_wake_producer(const rbs_view *v);

/* ------------------------------------------------------------------------ */
/* Waiting, and knowing the other side is alive                              */
/* ------------------------------------------------------------------------ */
/*
 * The waiter's half of the protocol above, and the liveness protocol, as C
 * calls.  The JavaScript package follows the same two protocols on the same
 * words (worker/core/waiter.js and roles.js), so a C side and a JS side may
 * share a ring in either role and each sees the other wait, wake and die.
 *
 * Roles.  Each role has an owner word (RBS_OFF_PRODUCER_OWNER /
 * RBS_OFF_CONSUMER_OWNER) and a heartbeat word (..._HEARTBEAT):
 *   claim:     compare-and-swap the owner word from 0 to the claimant's token
 *              (any nonzero number, different for each party that claims),
 *              then add 1 to the heartbeat, so a watcher sees the new holder.
 *   beat:      the holder adds 1 to the heartbeat at least every
 *              RBS_HEARTBEAT_MS while it holds the role, outside a wait (a
 *              wait beats for it).  No data call beats: the hot path stays
 *              free of it, and moving the counter is a sign of life anyway.
 *   release:   compare-and-swap the owner word from the token back to 0, then
 *              add 1 to the heartbeat.
 *   watch:     the other role is gone once it is held (owner word nonzero)
 *              and its owner word, heartbeat and counter (WRITE for the
 *              producer, READ for the consumer) all stayed unchanged for the
 *              peer timeout while this side watched.  A free role is never
 *              gone: its party may not have started yet.
 *   take over: a role whose holder died without releasing it is claimed by
 *              compare-and-swapping the owner word from the silent token to
 *              the new one, after watching the role stay silent for
 *              `stale_ms`; a holder heard from meanwhile is alive and keeps
 *              it.  The waiting words stay as they are: a count the dead
 *              holder left behind costs at most one spare notify, since the
 *              waker wakes each wait number once.
 * A peer timeout or a staleness time is at least RBS_MIN_PEER_TIMEOUT_MS
 * (four heartbeats), so a live idle holder is never taken for gone.
 *
 * Waits.  rbs_wait_readable and rbs_wait_writable are the waiter above, cut
 * in slices of at most RBS_HEARTBEAT_MS.  Before each slice they look at the
 * other role (RBS_EPEERGONE once it is gone) and, given this side's token,
 * check that it still holds its role (RBS_EBUSY once taken over) and beat
 * for it.  So even a lost wake-up would cost one slice, not a hang (the
 * protocol above is why none is lost).  They sleep in a futex on Linux (not
 * FUTEX_PRIVATE: the ring may be in memory shared between processes), in
 * sleeps of a millisecond on other systems, and in memory.atomic.wait32 in
 * WebAssembly, which only a context that may block can execute: a pthread,
 * a Worker, Node's main thread -- never a browser's main thread, where it
 * traps, nor an AudioWorklet.  They need a clock, so they are part of a
 * program that links the C core (natively, or Emscripten with -pthread), not
 * of the library's own rbs.wasm: the JS package waits in JS.
 */
#define RBS_PRODUCER            1u
#define RBS_CONSUMER            2u
#define RBS_HEARTBEAT_MS        250u
#define RBS_MIN_PEER_TIMEOUT_MS (4u * RBS_HEARTBEAT_MS)
/** A timeout that never ends (also: no peer timeout). */
#define RBS_FOREVER 0xFFFFFFFFu

/** Claims `role` (RBS_PRODUCER or RBS_CONSUMER) for `token` (nonzero):
 *  RBS_OK, also when `token` holds it already; RBS_EBUSY when another token
 *  holds it; RBS_EINVAL for a bad role or token 0. */
int rbs_claim(const rbs_view *v, uint32_t role, uint32_t token);

/** Gives `role` up if `token` holds it: RBS_OK, or RBS_EBUSY if it does not
 *  (never claimed, released already, or taken over). */
int rbs_release(const rbs_view *v, uint32_t role, uint32_t token);

/** The holder's heartbeat: adds 1 to `role`'s heartbeat if `token` holds it
 *  (RBS_OK), else changes nothing and answers RBS_EBUSY (taken over). */
int rbs_beat(const rbs_view *v, uint32_t role, uint32_t token);

/** The token holding `role` now, 0 when it is free (or for a bad view or role). */
uint32_t rbs_owner(const rbs_view *v, uint32_t role);

/** Claims `role` for `token` even if another token holds it, provided that
 *  holder stays silent (owner word, heartbeat and counter unchanged) for
 *  `stale_ms` while this call watches, blocking that long: RBS_OK once
 *  `token` holds it (at once if the role is free or already its own);
 *  RBS_EBUSY when the holder was heard from; RBS_EINVAL for stale_ms below
 *  RBS_MIN_PEER_TIMEOUT_MS or RBS_FOREVER, a bad role or token 0. */
int rbs_take_over(const rbs_view *v, uint32_t role, uint32_t token, uint32_t stale_ms);

/**
 * What one side's waits keep between calls, in the caller's memory (one per
 * role and thread): its claim, how long it gives the other side, and its
 * watch on the other role, so that silence adds up across waits cut short by
 * their own timeouts.  Initialize with RBS_SIDE_INIT(token, peer_timeout_ms):
 * `token` as given to rbs_claim (0: none: the waits neither beat nor check
 * the claim); `peer_timeout_ms` 0 or RBS_FOREVER to never give up on the
 * other side, else at least RBS_MIN_PEER_TIMEOUT_MS.
 */
typedef struct rbs_side {
    uint32_t token;
    uint32_t peer_timeout_ms;
    /* the other role's words as last seen, and when they last changed */
    uint32_t peer_owner, peer_beat, peer_counter, peer_seen;
    uint64_t peer_since_ms;
} rbs_side;
#define RBS_SIDE_INIT(token, peer_timeout_ms)                                                      \
    { (token), (peer_timeout_ms), 0, 0, 0, 0, 0 }

/** Consumer: waits until at least `min` bytes (1 if 0; frames for an audio
 *  ring) are readable, or the producer closed the ring.  Returns what is
 *  readable then -- fewer than `min` only once closed, RBS_ECLOSED when
 *  closed and empty -- or: RBS_EAGAIN when `timeout_ms` passed first (0:
 *  look once; RBS_FOREVER: no limit); RBS_EPEERGONE when the producer role is
 *  held and silent for side->peer_timeout_ms; RBS_EBUSY when side->token no
 *  longer holds the consumer role; RBS_ETOOBIG when `min` exceeds what the
 *  ring holds; RBS_EINVAL for a peer timeout below RBS_MIN_PEER_TIMEOUT_MS;
 *  a code of the ring.  `side` may be NULL: no claim, no peer timeout.  A
 *  message ring holds a whole message whenever it holds a byte: wait for 1. */
int rbs_wait_readable(const rbs_view *v, uint32_t min, uint32_t timeout_ms, rbs_side *side);

/** Producer: waits until at least `min` bytes (1 if 0; frames for an audio
 *  ring) can be written; returns that count, RBS_ECLOSED after rbs_close, or
 *  a code as rbs_wait_readable's (the consumer is the peer watched).  A
 *  message that rbs_msg_send refused with RBS_EAGAIN may need more room than
 *  its size (a padding frame where it would wrap): wait for
 *  rbs_writable(v) + 1 bytes, any progress of the consumer, and send again. */
int rbs_wait_writable(const rbs_view *v, uint32_t min, uint32_t timeout_ms, rbs_side *side);

/* ------------------------------------------------------------------------ */
/* Framed messages                                                           */
/* ------------------------------------------------------------------------ */
/*
 * A message ring carries whole messages: each arrives whole, in order, once,
 * or is refused whole.  A message is always contiguous in the ring (a padding
 * frame fills the tail when it would wrap), so it can be written and read in
 * place.  The largest message is rbs_msg_max_size(v) = capacity / 2 - 4.
 *
 * Frame format (in the data area): a 4-byte little-endian length word, then
 * the payload, padded so that every frame starts 4-byte aligned.  A length
 * word of RBS_MSG_PADDING means "the rest of the buffer is unused, the next
 * frame is at position 0"; it is published together with that next frame.
 */
#define RBS_MSG_HEADER  4u
#define RBS_MSG_PADDING 0xFFFFFFFFu

/** Formats `region` as an empty message ring (as rbs_init). */
int rbs_msg_init(rbs_view *v, void *region, size_t region_size, uint32_t capacity);

/** Largest message payload the ring can ever carry, or a negative code. */
int rbs_msg_max_size(const rbs_view *v);

/** Sends `len` bytes as one message: returns len, RBS_EAGAIN when it does not
 *  fit now, RBS_ETOOBIG when it never can, RBS_ECLOSED after rbs_close. */
int rbs_msg_send(const rbs_view *v, const void *src, size_t len);

/** Receives the next message into `dst`: returns its length, RBS_EAGAIN when
 *  none is waiting, RBS_ETOOBIG (nothing consumed) when `cap` is too small,
 *  RBS_ECLOSED after the last message of a closed ring. */
int rbs_msg_recv(const rbs_view *v, void *dst, size_t cap);

/** Length of the next message without consuming it; RBS_EAGAIN/RBS_ECLOSED
 *  as rbs_msg_recv. */
int rbs_msg_peek_size(const rbs_view *v);

/** Zero-copy send: sets *ptr to `len` contiguous writable bytes (NULL on
 *  error); returns len or a code as rbs_msg_send.  Publish with
 *  rbs_msg_commit.  A new reserve, or a send, drops the last reservation. */
int rbs_msg_reserve(const rbs_view *v, size_t len, void **ptr);

/** Publishes the reserved message with its final length `len` (at most what
 *  was reserved; RBS_EINVAL, changing nothing, if more or if nothing is
 *  reserved).  Returns len. */
int rbs_msg_commit(const rbs_view *v, size_t len);

/** Zero-copy receive: sets *ptr and *len to the next message in place (NULL
 *  and 0 on error); returns its length or a code as rbs_msg_recv.  Release it
 *  with rbs_msg_release; acquiring again before that gives the same message,
 *  and a rbs_msg_recv consumes it and drops the acquire. */
int rbs_msg_acquire(const rbs_view *v, const void **ptr, size_t *len);

/** Consumes the message from the last rbs_msg_acquire: RBS_OK, or RBS_EINVAL
 *  if nothing is acquired. */
int rbs_msg_release(const rbs_view *v);

/* ------------------------------------------------------------------------ */
/* Audio frames                                                              */
/* ------------------------------------------------------------------------ */
/*
 * An audio ring stores float32 samples interleaved, `channels` per frame.  A
 * frame is never split between a write and a read: every call moves whole
 * frames.  The underrun counter (consumer line) counts silent frames filled in
 * by rbs_audio_read_or_silence; the overrun counter (producer line) counts
 * frames refused for lack of room.
 *
 * Frames and capacity.  A frame is 4 * channels bytes.  When that does not
 * divide the capacity (3, 5, 6, 7... channels) the ring holds
 * floor(capacity / frame bytes) frames and a frame may wrap around the end of
 * the buffer (split between two samples); the bytes used are always a whole
 * number of frames, and a ring found otherwise answers RBS_ECORRUPT.
 *
 * Arguments.  `channels` must equal the ring's (RBS_EFORMAT); `planes` holds
 * `channels` pointers to `frames` floats each, in the caller's own memory,
 * none NULL unless frames is 0 (RBS_EINVAL); byte and message calls on an
 * audio view, and audio calls on another kind, answer RBS_EKIND.  A request
 * larger than the ring moves at most what the ring holds.
 *
 * End of stream.  After rbs_close the writes answer RBS_ECLOSED (nothing is
 * counted); the frames already written stay readable, then the reads answer
 * RBS_ECLOSED.  Silence filled in after the close is not an underrun.
 */
#define RBS_MAX_CHANNELS    32u
#define RBS_MIN_SAMPLE_RATE 1u
#define RBS_MAX_SAMPLE_RATE 1536000u

/** Formats `region` as an empty audio ring of `capacity` bytes (a power of two
 *  as for rbs_init); channels 1..RBS_MAX_CHANNELS and sample_rate in range
 *  (RBS_EFORMAT).  It holds capacity / (4 * channels) frames.
 *  Also: RBS_ECAPACITY when a valid capacity is smaller than one frame;
 *  RBS_EINVAL, RBS_EALIGN, RBS_ERANGE as rbs_init. */
int rbs_audio_init(rbs_view *v, void *region, size_t region_size, uint32_t capacity,
                   uint32_t channels, uint32_t sample_rate);

/** Writes up to `frames` frames from `channels` planes; returns frames
 *  written.  The frames that do not fit are added to the overrun counter. */
int rbs_audio_write(const rbs_view *v, const float *const planes[], uint32_t channels,
                    uint32_t frames);

/** Writes up to `frames` interleaved frames (frames * channels floats);
 *  returns frames written; the rest count as overruns. */
int rbs_audio_write_interleaved(const rbs_view *v, const float *src, uint32_t frames);

/** Reads up to `frames` frames into `channels` planes; returns frames read. */
int rbs_audio_read(const rbs_view *v, float *const planes[], uint32_t channels, uint32_t frames);

/** Real-time read: always fills `frames` frames, silence for what is missing,
 *  and adds the missing frames to the underrun counter; returns frames read
 *  from the ring.  On any error (and RBS_ECLOSED once a closed ring is empty)
 *  the planes are filled with silence too, so a caller never plays stale
 *  samples. */
int rbs_audio_read_or_silence(const rbs_view *v, float *const planes[], uint32_t channels,
                              uint32_t frames);

/** The worklet's one call per render quantum: rbs_audio_read_or_silence with
 *  a start-up prefill.  Until the ring has held at least `prefill_frames`
 *  frames once (capped at what the ring holds), or the producer closed it, it
 *  fills `frames` frames of silence, consumes nothing, counts no underrun and
 *  returns 0.  Once reached -- recorded for the ring's lifetime in the
 *  consumer line at RBS_OFF_AUDIO_STARTED -- it behaves exactly as
 *  rbs_audio_read_or_silence, from that same call on. */
int rbs_audio_read_or_silence_prefill(const rbs_view *v, float *const planes[], uint32_t channels,
                                      uint32_t frames, uint32_t prefill_frames);

/** Frames readable and writable now: >= 0 or a code.  Either side may ask. */
int rbs_audio_frames_available(const rbs_view *v);
int rbs_audio_frames_writable(const rbs_view *v);

/** 1 once a prefill read reached its prefill (playback started), 0 before; or
 *  a code.  Either side may ask. */
int rbs_audio_started(const rbs_view *v);

/** Counters, readable by either side at any time (mod 2^32); 0 for a NULL
 *  view or another kind.  The producer bumps frames_written before it
 *  publishes the frames, the consumer frames_read before it frees them, so
 *  either side sees counts at least that new. */
uint32_t rbs_underruns(const rbs_view *v);
uint32_t rbs_overruns(const rbs_view *v);
uint32_t rbs_frames_written(const rbs_view *v);
uint32_t rbs_frames_read(const rbs_view *v);

/* ------------------------------------------------------------------------ */
/* Adaptive fill                                                             */
/* ------------------------------------------------------------------------ */
/*
 * A fixed fill is either too small for a producer's stall or too large for
 * latency.  So the prefill read (rbs_audio_read_or_silence_prefill and
 * rbs_audio_render: the worklet's one call per quantum) keeps a target fill
 * at RBS_OFF_FILL_TARGET that the producer paces itself by: write until the
 * ring holds the target, then sleep until a read takes it below (the reads
 * wake a waiting producer; the JS AudioWriter.waitForTarget).  Integer
 * arithmetic on words of the consumer line, once per read, while FILL_MAX is
 * not 0 (rbs_audio_set_fill) and playback has started and not ended:
 *
 *   fill  the frames in the ring before the read (the write counter is
 *         loaded every time, so it is the true fill), f the frames asked for;
 *   low   the fill after the read minus the frames missing since the dip
 *         began (negative after an underrun).
 *   Dip:  a read that leaves less than 2f, counting this read's missing
 *         frames against it, is a stall that came close (counted in
 *         NEAR_MISSES once per dip; an underrun starts as one).  While such
 *         reads go on, the target becomes at least 1.5 depth + 4f, depth
 *         being how far the fill fell below the target the dip began with
 *         (base - low): the same stall again would leave half its depth and
 *         four reads queued.  The dip ends once a read leaves half the
 *         target or more.
 *   Window: every RBS_FILL_WINDOW_FRAMES frames read, FILL_LOW takes the
 *         window's lowest fill.  A window with no dip whose lowest fill is
 *         above 5f is calm; after RBS_FILL_HOLD_WINDOWS calm windows in a
 *         row, each further calm window gives back 1/2^RBS_FILL_DECAY_SHIFT
 *         of the surplus (the lowest fill above 5f).  So the target rises at
 *         once, holds for seconds, and decays over tens of seconds.
 *   Start: until the fill first reaches the target, or the first window
 *         ends, after playback starts, a ring still filling up is no dip.
 *
 * The target always lies in [FILL_MIN, FILL_MAX], each cut to what the ring
 * holds.  None of these words bounds an access: a forged one only misleads
 * the pacing.
 */
#define RBS_FILL_WINDOW_FRAMES 32768u
#define RBS_FILL_DECAY_SHIFT   4u
#define RBS_FILL_HOLD_WINDOWS  8u

/** Sets the adaptive fill's bounds and its current target, in frames, from
 *  any thread (rarely: a latency hint).  max_frames 0 stops the adapting.
 *  RBS_EINVAL when min > max or target is outside [min, max] (max not 0);
 *  RBS_ETOOBIG when max or target exceeds what the ring holds. */
int rbs_audio_set_fill(const rbs_view *v, uint32_t min_frames, uint32_t max_frames,
                       uint32_t target_frames);

/** What the consumer line says about the fill, readable from any thread. */
typedef struct rbs_fill_stats {
    uint32_t target;         /* frames the producer should keep queued */
    uint32_t min, max;       /* the target's bounds (max 0: not adapting) */
    uint32_t low;            /* lowest fill before a read in the last window */
    uint32_t near_misses;    /* dips below two reads */
    uint32_t events_late;    /* events applied after their frame */
    uint32_t events_dropped; /* malformed events skipped */
} rbs_fill_stats;

/** Fills *out (zeroed on error): RBS_OK, or RBS_EINVAL / RBS_EKIND. */
int rbs_audio_fill_stats(const rbs_view *v, rbs_fill_stats *out);

/* ------------------------------------------------------------------------ */
/* Sample-accurate events                                                    */
/* ------------------------------------------------------------------------ */
/*
 * Events travel beside an audio ring in a message ring of their own (its
 * producer: the page or a Worker; its consumer: the audio ring's consumer),
 * one message per event:
 *
 *   frame   u32  the stream frame it takes effect at: the audio ring's
 *                frames-read count (mod 2^32) when that frame is played
 *   id      u32  RBS_EVENT_GAIN, or any other number for the caller's use
 *   value   f32
 *   size    u16  payload bytes, 0..RBS_EVENT_MAX_PAYLOAD
 *   flags   u16  RBS_EVENT_NOW: at the start of the next read, never late
 *   payload size bytes (a MIDI message, say)
 *
 * rbs_audio_render reads like rbs_audio_read_or_silence_prefill, then takes
 * every event due within the frames it read, in the ring's order: an event
 * whose frame has played already applies at frame 0 and counts in
 * EVENTS_LATE; offsets never go back within one read.  RBS_EVENT_GAIN steps
 * the gain the output is multiplied by from its offset on (the gain lives in
 * the consumer-only line, 1.0 at init, and applies only to reads that take
 * events).  Every other event is copied to the caller's records with `frame`
 * replaced by its offset in the planes (and RBS_EVENT_LATE in flags if
 * late); when the records are full the rest wait for the next read; with no
 * records at all they are skipped and counted in EVENTS_DROPPED, as is a
 * malformed message.
 */
#define RBS_EVENT_HEADER      16u
#define RBS_EVENT_MAX_PAYLOAD 16u
#define RBS_EVENT_SIZE        32u /* one rbs_event record */
#define RBS_EVENT_OFF_FRAME   0u
#define RBS_EVENT_OFF_ID      4u
#define RBS_EVENT_OFF_VALUE   8u
#define RBS_EVENT_OFF_SIZE    12u
#define RBS_EVENT_OFF_FLAGS   14u
#define RBS_EVENT_OFF_PAYLOAD 16u
#define RBS_EVENT_GAIN        1u /* id: value is the new linear gain */
#define RBS_EVENT_NOW         1u /* flag: apply at the next read's first frame */
#define RBS_EVENT_LATE        2u /* flag of a record: its frame had played */

typedef struct rbs_event {
    uint32_t frame;
    uint32_t id;
    float value;
    uint16_t size;
    uint16_t flags;
    unsigned char payload[RBS_EVENT_MAX_PAYLOAD];
} rbs_event;

/** Producer of an event ring (a message ring): sends `e` (RBS_EVENT_HEADER +
 *  e->size bytes).  RBS_EINVAL when e is NULL or e->size exceeds
 *  RBS_EVENT_MAX_PAYLOAD; otherwise as rbs_msg_send. */
int rbs_event_send(const rbs_view *events, const rbs_event *e);

/** rbs_audio_read_or_silence_prefill, then the events of `events` (NULL:
 *  none) due within this read: gain applied, the others copied to
 *  out[0 .. out_cap) with their count in *out_count (may be NULL when
 *  out_cap is 0).  Returns what the read returns. */
int rbs_audio_render(const rbs_view *v, float *const planes[], uint32_t channels, uint32_t frames,
                     uint32_t prefill_frames, const rbs_view *events, rbs_event *out,
                     uint32_t out_cap, uint32_t *out_count);

/** Bytes of staging memory a WebAssembly host (the JS package) needs beside
 *  an audio ring of `channels` x `capacity_frames`: one block of `channels`
 *  planes of `capacity_frames` floats for each role, each block rounded up to
 *  64 bytes; the JS package's audioScratchSize gives the same number.  0 if
 *  channels or capacity_frames is 0 or the size exceeds 2^31.  Native callers
 *  pass their own planes and need none; a C program whose ring a JS side
 *  attaches (Emscripten) allocates this many bytes, 64-byte aligned, and
 *  passes their offset and size to AudioRing.attach as scratchOffset and
 *  scratchSize (capacity_frames: the view's max_frames). */
uint32_t rbs_audio_scratch_size(uint32_t channels, uint32_t capacity_frames);

#ifdef __cplusplus
}
#endif

#endif /* RBS_H */
