/*
 * rbs.h — ring_buffer_safe: a lock-free single-producer single-consumer ring
 * that lives in shared memory (a SharedArrayBuffer in the browser, any shared
 * mapping natively).  This header is the whole public C API.
 *
 * A ring is one region of memory: a fixed header (RBS_HEADER_SIZE bytes) then
 * `capacity` data bytes.  The handle `rbs_ring *` is the address of the region,
 * so two threads -- or two WebAssembly instances over one shared memory -- use
 * the same ring by using the same address.
 *
 * Roles.  Exactly one thread produces (rbs_write*, rbs_close, rbs_msg_send,
 * rbs_audio_write*) and exactly one consumes (rbs_read*, rbs_peek, rbs_skip,
 * rbs_msg_recv, rbs_audio_read*).  Calls of one role must not run on two
 * threads at once; the two roles may run concurrently.  Queries (rbs_readable,
 * rbs_writable, rbs_capacity, counters) are safe from either side.
 *
 * Counts.  A call that moves data returns how much it moved (>= 0) or a
 * negative RBS_E* code; rbs_strerror() turns a code into a sentence.
 *
 * Hot-path promises.  No call allocates, locks, blocks, makes a system call,
 * or touches thread-local storage or errno: every call is safe in an
 * AudioWorklet and in every WebAssembly instance of the module.
 *
 * Safety promises.  Every counter read from shared memory is checked
 * (used <= capacity) before it is used; a ring found inconsistent answers
 * RBS_ECORRUPT and no call reads or writes outside the region.  The meta line
 * (capacity, kind, ...) is written once by init and carries a check word, so
 * a stray write to it is caught as RBS_ECORRUPT too.
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

/** A sentence describing `err`; never NULL (unknown codes get a sentence too). */
const char *rbs_strerror(int err);

/* ------------------------------------------------------------------------ */
/* Shared-memory layout, ABI version 1                                       */
/* ------------------------------------------------------------------------ */
/*
 * All words are 32-bit, little-endian, 4-byte aligned.  The header is split
 * into 64-byte lines by owner so that the producer and the consumer never
 * write the same cache line:
 *
 *   meta line      (init only, read-only after)   0 ..  63
 *   producer line  (written by the producer)       64 .. 127
 *   consumer line  (written by the consumer)      128 .. 191
 *   producer-only  (never read by the consumer)   192 .. 255
 *   consumer-only  (never read by the producer)   256 .. 319
 *   data           (capacity bytes)               320 ..
 *
 * Counters are free-running modulo 2^32: used = write - read,
 * free = capacity - used, position = counter & (capacity - 1).
 * The JavaScript side uses these same numbers (a test proves they agree).
 */
#define RBS_MAGIC        0x31534252u /* "RBS1" little-endian */
#define RBS_ABI_VERSION  1u
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

/* producer line */
#define RBS_OFF_WRITE              64u /* write counter (release-published) */
#define RBS_OFF_CLOSED             68u /* 1 once the producer closed */
#define RBS_OFF_OVERRUNS           72u /* refused writes (audio: frames) */
#define RBS_OFF_PRODUCER_WAITING   76u /* JS waiters for room (count; 0 = none) */
#define RBS_OFF_PRODUCER_OWNER     80u /* role claim token, 0 when free */
#define RBS_OFF_PRODUCER_HEARTBEAT 84u /* JS: live producer bumps it, consumer waits on it */
#define RBS_OFF_FRAMES_WRITTEN     88u /* audio: frames written, mod 2^32 */

/* consumer line */
#define RBS_OFF_READ               128u /* read counter (release-published) */
#define RBS_OFF_UNDERRUNS          132u /* audio: silent frames filled in */
#define RBS_OFF_CONSUMER_WAITING   136u /* JS waiters for data (count; 0 = none) */
#define RBS_OFF_CONSUMER_OWNER     140u /* role claim token, 0 when free */
#define RBS_OFF_CONSUMER_HEARTBEAT 144u
#define RBS_OFF_FRAMES_READ        148u /* audio: frames read, mod 2^32 */
#define RBS_OFF_AUDIO_STARTED      152u /* audio: 1 once prefill was reached */

/* producer-only line */
#define RBS_OFF_CACHED_READ 192u /* producer's copy of the read counter */
#define RBS_OFF_RESERVED    196u /* bytes handed out by the last reserve */
#define RBS_OFF_RESERVED_AT 200u /* write counter at that reserve (bytes) */
/* 32 bytes where the producer's JS passes out-parameters (rbs_span out[2],
 * pointers) to the wasm calls: per role, so two instances never share them. */
#define RBS_OFF_PRODUCER_SCRATCH 224u

/* consumer-only line */
#define RBS_OFF_CACHED_WRITE     256u /* consumer's copy of the write counter */
#define RBS_OFF_ACQUIRED         260u /* bytes handed out by the last acquire */
#define RBS_OFF_ACQUIRED_AT      264u /* read counter at that acquire (bytes) */
#define RBS_OFF_CONSUMER_SCRATCH 288u /* the consumer's 32 bytes, as above */
#define RBS_SCRATCH_SIZE         32u

#define RBS_OFF_DATA RBS_HEADER_SIZE

/** The ring's kind, in the meta line; calls of another kind get RBS_EKIND. */
#define RBS_KIND_BYTES    1u
#define RBS_KIND_MESSAGES 2u
#define RBS_KIND_AUDIO    3u

/** Opaque: a ring is addressed by the start of its region. */
typedef struct rbs_ring rbs_ring;

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

/** Formats `r` as an empty byte ring.  `r` must be 64-byte aligned
 *  (RBS_EALIGN) and `region_size` at least rbs_region_size(capacity)
 *  (RBS_ERANGE); capacity as above (RBS_ECAPACITY).  Not concurrent with any
 *  other call on the same region. */
int rbs_init(rbs_ring *r, size_t region_size, uint32_t capacity);

/** Checks that `region_size` bytes at `r` hold a valid ring of any kind:
 *  alignment, magic (RBS_ENOTRING), ABI version (RBS_EVERSION), meta line,
 *  capacity fitting the region (RBS_ERANGE), counters consistent
 *  (RBS_ECORRUPT).  Call it before a second party uses a ring it was handed. */
int rbs_attach(const rbs_ring *r, size_t region_size);

/** Data bytes of the ring, or RBS_ECORRUPT. */
int rbs_capacity(const rbs_ring *r);

/** The ring's kind (RBS_KIND_*), or RBS_ECORRUPT. */
int rbs_kind(const rbs_ring *r);

/* ------------------------------------------------------------------------ */
/* Bytes: producer                                                           */
/* ------------------------------------------------------------------------ */

/** Writes as many of `n` bytes as fit now; returns the count (0 when full).
 *  RBS_ECLOSED after rbs_close. */
int rbs_write(rbs_ring *r, const void *src, size_t n);

/** Writes all `n` bytes or none: RBS_EAGAIN when they do not fit now,
 *  RBS_ETOOBIG when n exceeds the capacity and never could. */
int rbs_write_all(rbs_ring *r, const void *src, size_t n);

/** Bytes that can be written now, or a negative code. */
int rbs_writable(const rbs_ring *r);

/** Marks the end of the stream.  Bytes already written stay readable; later
 *  writes answer RBS_ECLOSED.  Closing twice is harmless. */
int rbs_close(rbs_ring *r);

/** Zero-copy write: hands out up to `want` bytes of free space as one span,
 *  or two when the space wraps (out[1].len == 0 otherwise); returns the total
 *  (0 when full).  Nothing is visible to the consumer until rbs_write_commit.
 *  A new reserve replaces the previous one. */
int rbs_write_reserve(rbs_ring *r, size_t want, rbs_span out[2]);

/** Publishes the first `n` bytes of the last reservation (the rest is
 *  dropped).  n larger than what was reserved is RBS_EINVAL and changes
 *  nothing; so is committing after an rbs_write/rbs_write_all that moved
 *  data since the reserve (the reservation is void: its spans no longer start
 *  at the write position).  Returns n. */
int rbs_write_commit(rbs_ring *r, size_t n);

/* ------------------------------------------------------------------------ */
/* Bytes: consumer                                                           */
/* ------------------------------------------------------------------------ */

/** Reads up to `n` bytes; returns the count (0 when empty).  An empty ring
 *  that the producer closed answers RBS_ECLOSED. */
int rbs_read(rbs_ring *r, void *dst, size_t n);

/** Reads exactly `n` bytes or none: RBS_EAGAIN when fewer are there now,
 *  RBS_ETOOBIG when n exceeds the capacity, RBS_ECLOSED when the producer
 *  closed and fewer than n bytes remain (rbs_read still returns them). */
int rbs_read_all(rbs_ring *r, void *dst, size_t n);

/** Copies up to `n` bytes without consuming them; RBS_ECLOSED as rbs_read. */
int rbs_peek(rbs_ring *r, void *dst, size_t n);

/** Discards up to `n` bytes; returns the count; RBS_ECLOSED as rbs_read. */
int rbs_skip(rbs_ring *r, size_t n);

/** Bytes that can be read now, or a negative code. */
int rbs_readable(const rbs_ring *r);

/** 1 if the producer closed the ring (data may still be waiting), 0 if not. */
int rbs_closed(const rbs_ring *r);

/** Zero-copy read: hands out up to `want` readable bytes as one or two spans;
 *  returns the total (0 when empty, RBS_ECLOSED when empty and closed).
 *  A new acquire replaces the previous one. */
int rbs_read_acquire(rbs_ring *r, size_t want, rbs_span out[2]);

/** Consumes the first `n` bytes of the last acquire.  n larger than what was
 *  acquired is RBS_EINVAL and changes nothing; so is releasing after an
 *  rbs_read/rbs_read_all/rbs_skip that consumed data since the acquire (the
 *  acquire is void).  rbs_peek does not void it.  Returns n. */
int rbs_read_release(rbs_ring *r, size_t n);

/* ------------------------------------------------------------------------ */
/* Framed messages                                                           */
/* ------------------------------------------------------------------------ */
/*
 * A message ring carries whole messages: each arrives whole, in order, once,
 * or is refused whole.  A message is always contiguous in the ring (a padding
 * frame fills the tail when it would wrap), so it can be written and read in
 * place.  The largest message is rbs_msg_max_size(r) = capacity / 2 - 4.
 *
 * Frame format (in the data area): a 4-byte little-endian length word, then
 * the payload, padded so that every frame starts 4-byte aligned.  A length
 * word of RBS_MSG_PADDING means "the rest of the buffer is unused, the next
 * frame is at position 0"; it is published together with that next frame.
 */
#define RBS_MSG_HEADER  4u
#define RBS_MSG_PADDING 0xFFFFFFFFu

/** Formats `r` as an empty message ring (errors as rbs_init). */
int rbs_msg_init(rbs_ring *r, size_t region_size, uint32_t capacity);

/** Largest message payload the ring can ever carry, or a negative code. */
int rbs_msg_max_size(const rbs_ring *r);

/** Sends `len` bytes as one message: returns len, RBS_EAGAIN when it does not
 *  fit now, RBS_ETOOBIG when it never can, RBS_ECLOSED after rbs_close. */
int rbs_msg_send(rbs_ring *r, const void *src, size_t len);

/** Receives the next message into `dst`: returns its length, RBS_EAGAIN when
 *  none is waiting, RBS_ETOOBIG (nothing consumed) when `cap` is too small,
 *  RBS_ECLOSED after the last message of a closed ring. */
int rbs_msg_recv(rbs_ring *r, void *dst, size_t cap);

/** Length of the next message without consuming it; RBS_EAGAIN/RBS_ECLOSED
 *  as rbs_msg_recv. */
int rbs_msg_peek_size(rbs_ring *r);

/** Zero-copy send: sets *ptr to `len` contiguous writable bytes (NULL on
 *  error); returns len or a code as rbs_msg_send.  Publish with
 *  rbs_msg_commit.  A new reserve, or a send, drops the last reservation. */
int rbs_msg_reserve(rbs_ring *r, size_t len, void **ptr);

/** Publishes the reserved message with its final length `len` (at most what
 *  was reserved; RBS_EINVAL, changing nothing, if more or if nothing is
 *  reserved).  Returns len. */
int rbs_msg_commit(rbs_ring *r, size_t len);

/** Zero-copy receive: sets *ptr and *len to the next message in place (NULL
 *  and 0 on error); returns its length or a code as rbs_msg_recv.  Release it
 *  with rbs_msg_release; acquiring again before that gives the same message,
 *  and a rbs_msg_recv consumes it and drops the acquire. */
int rbs_msg_acquire(rbs_ring *r, const void **ptr, size_t *len);

/** Consumes the message from the last rbs_msg_acquire: RBS_OK, or RBS_EINVAL
 *  if nothing is acquired. */
int rbs_msg_release(rbs_ring *r);

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
 * `channels` pointers to `frames` floats each, none NULL unless frames is 0
 * (RBS_EINVAL); byte and message calls on an audio ring, and audio calls on
 * another kind, answer RBS_EKIND.  A request larger than the ring moves at
 * most what the ring holds.
 *
 * End of stream.  After rbs_close the writes answer RBS_ECLOSED (nothing is
 * counted); the frames already written stay readable, then the reads answer
 * RBS_ECLOSED.  Silence filled in after the close is not an underrun.
 */
#define RBS_MAX_CHANNELS    32u
#define RBS_MIN_SAMPLE_RATE 1u
#define RBS_MAX_SAMPLE_RATE 1536000u

/** Formats `r` as an empty audio ring of `capacity` bytes (a power of two as
 *  for rbs_init); channels 1..RBS_MAX_CHANNELS and sample_rate in range
 *  (RBS_EFORMAT).  It holds capacity / (4 * channels) frames.
 *  Also: RBS_ECAPACITY when a valid capacity is smaller than one frame;
 *  RBS_EINVAL, RBS_EALIGN, RBS_ERANGE as rbs_init. */
int rbs_audio_init(rbs_ring *r, size_t region_size, uint32_t capacity, uint32_t channels,
                   uint32_t sample_rate);

/** Writes up to `frames` frames from `channels` planes; returns frames
 *  written.  channels must equal the ring's (RBS_EFORMAT).  The frames that
 *  do not fit are added to the overrun counter. */
int rbs_audio_write(rbs_ring *r, const float *const planes[], uint32_t channels, uint32_t frames);

/** Writes up to `frames` interleaved frames (frames * channels floats);
 *  returns frames written; the rest count as overruns. */
int rbs_audio_write_interleaved(rbs_ring *r, const float *src, uint32_t frames);

/** Reads up to `frames` frames into `channels` planes; returns frames read. */
int rbs_audio_read(rbs_ring *r, float *const planes[], uint32_t channels, uint32_t frames);

/** Real-time read: always fills `frames` frames, silence for what is missing,
 *  and adds the missing frames to the underrun counter; returns frames read
 *  from the ring.  On any error (and RBS_ECLOSED once a closed ring is empty)
 *  the planes are filled with silence too, so a caller never plays stale
 *  samples. */
int rbs_audio_read_or_silence(rbs_ring *r, float *const planes[], uint32_t channels,
                              uint32_t frames);

/** Channel count, sample rate, frames readable and writable now: >= 0 or a code. */
int rbs_audio_channels(const rbs_ring *r);
int rbs_audio_sample_rate(const rbs_ring *r);
int rbs_audio_frames_available(const rbs_ring *r);
int rbs_audio_frames_writable(const rbs_ring *r);

/** Counters, readable by either side at any time (mod 2^32). */
uint32_t rbs_underruns(const rbs_ring *r);
uint32_t rbs_overruns(const rbs_ring *r);
uint32_t rbs_frames_written(const rbs_ring *r);
uint32_t rbs_frames_read(const rbs_ring *r);
/*  (Each counter reads 0 when `r` is not a valid ring.  The producer bumps
 *  frames_written before it publishes the frames, the consumer frames_read
 *  before it frees them, so either side sees counts at least that new.) */

/** The worklet's one call per render quantum: rbs_audio_read_or_silence with
 *  a start-up prefill.  Until the ring has held at least `prefill_frames`
 *  frames once (capped at what the ring holds), or the producer closed it, it
 *  fills `frames` frames of silence, consumes nothing, counts no underrun and
 *  returns 0.  Once reached -- recorded for the ring's lifetime in the
 *  consumer line at RBS_OFF_AUDIO_STARTED -- it behaves exactly as
 *  rbs_audio_read_or_silence, from that same call on. */
int rbs_audio_read_or_silence_prefill(rbs_ring *r, float *const planes[], uint32_t channels,
                                      uint32_t frames, uint32_t prefill_frames);

/** 1 once a prefill read reached its prefill (playback started), 0 before; or
 *  a code.  Either side may ask. */
int rbs_audio_started(const rbs_ring *r);

#ifdef __cplusplus
}
#endif

#endif /* RBS_H */
