// layout.js — the shared-memory layout (ABI version 1), the same numbers as
// core/include/rbs.h under the same names.  tests/node/ring_layout.test.js
// parses rbs.h and fails if any constant here differs from C's or is missing.

export const RBS_OK = 0;
export const RBS_EINVAL = -1;
export const RBS_EAGAIN = -2;
export const RBS_ETOOBIG = -3;
export const RBS_ECLOSED = -4;
export const RBS_ECORRUPT = -5;
export const RBS_ECAPACITY = -6;
export const RBS_EALIGN = -7;
export const RBS_ERANGE = -8;
export const RBS_ENOTRING = -9;
export const RBS_EVERSION = -10;
export const RBS_EKIND = -11;
export const RBS_EFORMAT = -12;

export const RBS_MAGIC = 0x31534252; // "RBS1" little-endian
export const RBS_ABI_VERSION = 1;
export const RBS_HEADER_SIZE = 320;
export const RBS_LINE_SIZE = 64;
export const RBS_MIN_CAPACITY = 16;
export const RBS_MAX_CAPACITY = 2 ** 30;

// meta line
export const RBS_OFF_MAGIC = 0;
export const RBS_OFF_ABI_VERSION = 4;
export const RBS_OFF_HEADER_SIZE = 8;
export const RBS_OFF_CAPACITY = 12;
export const RBS_OFF_KIND = 16;
export const RBS_OFF_CHANNELS = 20;
export const RBS_OFF_SAMPLE_RATE = 24;
export const RBS_OFF_FRAME_BYTES = 28;
export const RBS_OFF_META_CHECK = 32;

// producer line
export const RBS_OFF_WRITE = 64;
export const RBS_OFF_CLOSED = 68;
export const RBS_OFF_OVERRUNS = 72;
export const RBS_OFF_PRODUCER_WAITING = 76;
export const RBS_OFF_PRODUCER_OWNER = 80;
export const RBS_OFF_PRODUCER_HEARTBEAT = 84;
export const RBS_OFF_FRAMES_WRITTEN = 88;

// consumer line
export const RBS_OFF_READ = 128;
export const RBS_OFF_UNDERRUNS = 132;
export const RBS_OFF_CONSUMER_WAITING = 136;
export const RBS_OFF_CONSUMER_OWNER = 140;
export const RBS_OFF_CONSUMER_HEARTBEAT = 144;
export const RBS_OFF_FRAMES_READ = 148;
export const RBS_OFF_AUDIO_STARTED = 152;

// producer-only line
export const RBS_OFF_CACHED_READ = 192;
export const RBS_OFF_RESERVED = 196;
export const RBS_OFF_RESERVED_AT = 200; // byte ring: write counter at the last reserve

// consumer-only line
export const RBS_OFF_CACHED_WRITE = 256;
export const RBS_OFF_ACQUIRED = 260;
export const RBS_OFF_ACQUIRED_AT = 264; // byte ring: read counter at the last acquire

export const RBS_OFF_DATA = RBS_HEADER_SIZE;

export const RBS_KIND_BYTES = 1;
export const RBS_KIND_MESSAGES = 2;
export const RBS_KIND_AUDIO = 3;

// framed messages
export const RBS_MSG_HEADER = 4;
export const RBS_MSG_PADDING = 0xffffffff;

export const RBS_MAX_CHANNELS = 32;
export const RBS_MIN_SAMPLE_RATE = 1;
export const RBS_MAX_SAMPLE_RATE = 1536000;

// ---------------------------------------------------------------------------
// Scratch words (named in rbs.h, used only by JS; the layout test checks they
// overlap no C word and stay in the right line).  Each role's instance needs a few words of
// memory the C calls can write their out-parameters to (rbs_span out[2],
// void **ptr, size_t *len).  They live in that role's private header line, so
// they exist in every ring, whatever memory it is in, and two instances never
// share them: a role belongs to one instance at a time.
export const RBS_OFF_PRODUCER_SCRATCH = 224; // producer-only line, 224..255
export const RBS_OFF_CONSUMER_SCRATCH = 288; // consumer-only line, 288..319
export const RBS_SCRATCH_SIZE = 32;

/** Names of the error codes, by code, for messages and `error.codeName`. */
export const ERROR_NAMES = {
  [RBS_OK]: 'RBS_OK',
  [RBS_EINVAL]: 'RBS_EINVAL',
  [RBS_EAGAIN]: 'RBS_EAGAIN',
  [RBS_ETOOBIG]: 'RBS_ETOOBIG',
  [RBS_ECLOSED]: 'RBS_ECLOSED',
  [RBS_ECORRUPT]: 'RBS_ECORRUPT',
  [RBS_ECAPACITY]: 'RBS_ECAPACITY',
  [RBS_EALIGN]: 'RBS_EALIGN',
  [RBS_ERANGE]: 'RBS_ERANGE',
  [RBS_ENOTRING]: 'RBS_ENOTRING',
  [RBS_EVERSION]: 'RBS_EVERSION',
  [RBS_EKIND]: 'RBS_EKIND',
  [RBS_EFORMAT]: 'RBS_EFORMAT',
};

/** Human names of the kinds, for messages. */
export const KIND_NAMES = {
  [RBS_KIND_BYTES]: 'a byte ring',
  [RBS_KIND_MESSAGES]: 'a message ring',
  [RBS_KIND_AUDIO]: 'an audio ring',
};
