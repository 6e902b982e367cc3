/* strerror.c — one sentence per error code, naming what was wrong. */
#include "rbs.h"

const char *rbs_strerror(int err) {
    switch (err) {
    case RBS_OK: return "success";
    case RBS_EINVAL:
        return "invalid argument: a null pointer, or a count larger than what was reserved or "
               "acquired";
    case RBS_EAGAIN: return "not possible now: no room to write or nothing to read yet";
    case RBS_ETOOBIG: return "too big: larger than the ring (or the buffer given) can ever hold";
    case RBS_ECLOSED: return "the producer closed the ring: the stream has ended";
    case RBS_ECORRUPT:
        return "the ring's shared header is corrupt (counters out of range or meta line "
               "overwritten)";
    case RBS_ECAPACITY:
        return "capacity must be a power of two from 16 to 2^30 bytes (and hold at least one audio "
               "frame)";
    case RBS_EALIGN: return "the ring's region must be 64-byte aligned";
    case RBS_ERANGE: return "the region is too small for the ring's header and capacity";
    case RBS_ENOTRING: return "the region does not hold a ring (magic number missing)";
    case RBS_EVERSION: return "the ring was made by an incompatible ABI version";
    case RBS_EKIND:
        return "wrong kind of ring for this call (byte, message and audio rings do not mix)";
    case RBS_EFORMAT:
        return "audio format out of range: channels must be 1 to 32 and match the ring, sample "
               "rate 1 to 1536000";
    case RBS_EPEERGONE:
        return "the other side went silent (no heartbeat, no data moved): its thread ended or "
               "hangs";
    case RBS_EBUSY: return "the role is held by another party, or no longer by this one";
    default: return "unknown ring_buffer_safe error code";
    }
}
