// audio.js — audio frames on a ring from JS: AudioWriter (the producer) and
// AudioReader (the consumer) over an audio ring (RBS_KIND_AUDIO), with the
// same create / handle / attach / role rules as RingBuffer.
//
// The C calls take planes as pointers into the wasm memory, so each role has a
// scratch area in the ring's shared memory: a pointer array, then one plane
// per channel of `capacityFrames` floats (the same block holds interleaved
// samples).  A call copies the caller's Float32Arrays in (or out) with
// TypedArray.set through views made once, then makes ONE C call that
// interleaves straight from (or deinterleaves straight into) the scratch
// planes.  Because a plane holds as many frames as the ring, no C call can
// move more frames than the scratch holds, so a request of any length is one
// call with C's exact semantics (frames that do not fit count as overruns).
//
// Memory made by create(): [static region | ring | producer scratch |
// consumer scratch].  The handle carries scratchOffset, so a thread that
// attaches finds its role's scratch.  A role's scratch is used by the one
// object that holds the role (claimed in the header on first use).
//
// Liveness (liveness.js): a held role's heartbeat moves on this thread's timer
// and on every write/read call (so a thread that paces itself with
// Atomics.wait, or a scope without timers, still beats; one Atomics.add next
// to a wasm call and a copy of the planes).  No audio call waits, so none
// throws PeerGoneError: producerAlive/consumerAlive tell whether the other
// side is still there.  dispose() gives the role up, claim({ takeOver: true })
// takes one whose holder died.
import * as L from './layout.js';
import { checkCount, describe, errorFor, roundCapacity } from './errors.js';
import { DEFAULT_PEER_TIMEOUT_MS, attachPeerTimeout, checkPeerTimeout } from './liveness.js';
import { RING_OFFSET, RingRegion, checkOffset, newToken } from './region.js';
import { createSharedMemory, getModule, isSharedMemory } from './wasm.js';

const INTERNAL = Symbol('ring-buffer-safe audio internal');
const FLOAT = 4;

export const DEFAULT_SAMPLE_RATE = 48000;

const align64 = (n) => Math.ceil(n / L.RBS_LINE_SIZE) * L.RBS_LINE_SIZE;

/**
 * Where each role's scratch lies for a ring of `channels` x `frames`:
 * { ptrBytes, roleBytes } -- the pointer array (padded to a line), then the
 * planes (contiguous, `frames` floats each), the whole padded to a line.
 */
export function scratchLayout(channels, frames) {
  const ptrBytes = align64(FLOAT * channels);
  return { ptrBytes, roleBytes: ptrBytes + align64(FLOAT * channels * frames) };
}

/** Byte address of a role's scratch (pointer array first) in the memory. */
export function roleScratch(scratchOffset, roleBytes, role) {
  return role === 'producer' ? scratchOffset : scratchOffset + roleBytes;
}

function checkOptionsObject(options, where, shape) {
  if (typeof options !== 'object' || options === null)
    throw new TypeError(`${where}: options must be an object ${shape}; got ${describe(options)}`);
}

/** Checks channels: an integer from 1 to RBS_MAX_CHANNELS. */
export function checkChannels(channels, where, name = 'options.channels') {
  return checkCount(channels, where, name, 1, L.RBS_MAX_CHANNELS);
}

/** The byte capacity for at least `frames` frames of `channels`, checked. */
function capacityFor(frames, channels, where, name) {
  const max = Math.floor(L.RBS_MAX_CAPACITY / (FLOAT * channels));
  checkCount(frames, where, name, 1, max, ` (frames of ${channels} channels; the ring rounds its bytes up to a power of two)`);
  return roundCapacity(frames * FLOAT * channels, where, name);
}

/** Formats a new audio ring and its two scratch areas; returns [region, scratchOffset]. */
function createAudioRing(options, where) {
  checkOptionsObject(options, where, '{ channels, capacityFrames, sampleRate?, memory?, offset?, scratchOffset?, peerTimeoutMs? }');
  const channels = checkChannels(options.channels, where);
  const sampleRate =
    options.sampleRate === undefined
      ? DEFAULT_SAMPLE_RATE
      : checkCount(options.sampleRate, where, 'options.sampleRate', L.RBS_MIN_SAMPLE_RATE, L.RBS_MAX_SAMPLE_RATE);
  const capacity = capacityFor(options.capacityFrames, channels, where, 'options.capacityFrames');
  const frames = Math.floor(capacity / (FLOAT * channels));
  const { roleBytes } = scratchLayout(channels, frames);
  const ringBytes = align64(L.RBS_HEADER_SIZE + capacity);
  let { memory, offset, scratchOffset } = options;
  if (memory === undefined) {
    for (const k of ['offset', 'scratchOffset'])
      if (options[k] !== undefined)
        throw new TypeError(`${where}: options.${k} needs options.memory (the memory to place the ring in)`);
    offset = RING_OFFSET;
    scratchOffset = offset + ringBytes;
    memory = createSharedMemory(scratchOffset + 2 * roleBytes);
  } else {
    if (!isSharedMemory(memory))
      throw new TypeError(`${where}: options.memory must be a shared WebAssembly.Memory; got ${describe(memory)}`);
    checkOffset(offset, memory, ringBytes, where, 'options.offset');
    if (scratchOffset === undefined) scratchOffset = offset + ringBytes;
    checkScratch(scratchOffset, memory, offset, ringBytes, 2 * roleBytes, where, 'options.scratchOffset');
  }
  const region = RingRegion.create({
    capacity,
    kind: L.RBS_KIND_AUDIO,
    where,
    memory,
    offset,
    init: (x, o, size, cap) => x.rbs_audio_init(o, Math.min(size, ringBytes), cap, channels, sampleRate),
  });
  return [region, scratchOffset];
}

/** Checks a scratch offset: a multiple of 64, `need` bytes fitting in the
 *  memory, not overlapping the ring's `ringBytes` at `offset`. */
function checkScratch(scratchOffset, memory, offset, ringBytes, need, where, name) {
  const size = memory.buffer.byteLength;
  const what = `a multiple of 64 where ${need} bytes of scratch fit in the memory's ${size} without overlapping the ring (bytes ${offset} to ${offset + ringBytes})`;
  if (typeof scratchOffset !== 'number')
    throw new TypeError(`${where}: ${name} must be a number, ${what}; got ${describe(scratchOffset)}`);
  if (
    !Number.isInteger(scratchOffset) ||
    scratchOffset < 0 ||
    scratchOffset % L.RBS_LINE_SIZE !== 0 ||
    scratchOffset + need > size ||
    (scratchOffset < offset + ringBytes && scratchOffset + need > offset)
  )
    throw new RangeError(`${where}: ${name} must be ${what}; got ${scratchOffset}`);
  return scratchOffset;
}

/** Opens an audio ring from a handle; returns [region, scratchOffset]. */
function openAudioRing(handle, where) {
  const region = RingRegion.open(handle, { kind: L.RBS_KIND_AUDIO, where });
  const x = region.wasm;
  const channels = x.rbs_audio_channels(region.offset);
  if (channels < 0) throw errorFor(channels, where, `the ring at handle.offset ${region.offset}`);
  const frames = Math.floor(region.capacity / (FLOAT * channels));
  if (handle.channels !== undefined && handle.channels !== channels)
    throw new RangeError(
      `${where}: handle.channels ${describe(handle.channels)} does not match the ring at handle.offset ${region.offset} ` +
        `(${channels} channels): the handle belongs to another ring`,
    );
  if (handle.scratchOffset === undefined)
    throw new TypeError(
      `${where}: handle.scratchOffset is missing: an audio ring needs scratch space in its memory ` +
        `(use writer.handle or reader.handle, or add scratchOffset to { memory, offset })`,
    );
  const { roleBytes } = scratchLayout(channels, frames);
  const ringBytes = align64(L.RBS_HEADER_SIZE + region.capacity);
  checkScratch(handle.scratchOffset, region.memory, region.offset, ringBytes, 2 * roleBytes, where, 'handle.scratchOffset');
  return [region, handle.scratchOffset];
}

/** This role's scratch in the shared memory, as the calls use it. */
function makeScratch(region, scratchOffset, role, channels, frames) {
  const { ptrBytes, roleBytes } = scratchLayout(channels, frames);
  const ptrs = roleScratch(scratchOffset, roleBytes, role);
  const data = ptrs + ptrBytes;
  const buf = region.buffer;
  const planes = [];
  for (let c = 0; c < channels; c++) planes.push(new Float32Array(buf, data + c * FLOAT * frames, frames));
  return Object.freeze({
    ptrs, // byte address of the C pointer array (channels words)
    data, // byte address of plane 0; the planes follow contiguously
    all: new Float32Array(buf, data, channels * frames), // the same block, for interleaved samples
    planes: Object.freeze(planes),
  });
}

let scratchOf; // (end) => its role's scratch, for the subclasses (set once below)

/** Claims `role` of the ring of `end` (an AudioWriter or AudioReader) for
 *  `token`: how the node factories claim a role for their worklet (which
 *  beats in process(), so no timer beats for it here). */
export let claimRoleOf;
/** Gives up a claim made with claimRoleOf (when setting the worklet up failed). */
export let releaseRoleOf;

/** What AudioWriter and AudioReader share: the ring, its format, the queries,
 *  the handle, the role claim and the argument checks. */
class AudioEnd {
  #r;
  #x;
  #ptr;
  #role;
  #s;
  #channels;
  #sampleRate;
  #frames;
  #token = newToken();
  #claimed = false;
  #handle = null;
  #scratchOffset;
  #timeout;
  #beatIdx; // index of this role's heartbeat word, moved on every call

  static {
    scratchOf = (end) => end.#s;
    claimRoleOf = (end, role, token, where) => end.#r.claim(role, token, where, { beat: false });
    releaseRoleOf = (end, role, token) => end.#r.release(role, token);
  }

  /** @private */
  constructor(key, role, region, scratchOffset, timeoutMs = DEFAULT_PEER_TIMEOUT_MS) {
    const cls = role === 'producer' ? 'AudioWriter' : 'AudioReader';
    if (key !== INTERNAL) throw new TypeError(`${cls} is not constructed directly: use ${cls}.create(options) or ${cls}.attach(handle)`);
    const x = region.wasm;
    const ptr = region.offset;
    const channels = x.rbs_audio_channels(ptr);
    const sampleRate = x.rbs_audio_sample_rate(ptr);
    if (channels < 0) throw errorFor(channels, cls, `the ring at offset ${ptr}`);
    if (sampleRate < 0) throw errorFor(sampleRate, cls, `the ring at offset ${ptr}`);
    this.#r = region;
    this.#x = x;
    this.#ptr = ptr;
    this.#role = role;
    this.#channels = channels;
    this.#sampleRate = sampleRate;
    this.#frames = Math.floor(region.capacity / (FLOAT * channels));
    this.#scratchOffset = scratchOffset;
    this.#s = makeScratch(region, scratchOffset, role, channels, this.#frames);
    this.#timeout = timeoutMs;
    this.#beatIdx = region.index(role === 'producer' ? L.RBS_OFF_PRODUCER_HEARTBEAT : L.RBS_OFF_CONSUMER_HEARTBEAT);
  }

  static create(options) {
    const where = `${this.name}.create`;
    const [region, scratchOffset] = createAudioRing(options, where);
    const timeoutMs = checkPeerTimeout(options.peerTimeoutMs, where, 'options.peerTimeoutMs', describe);
    return new this(INTERNAL, region, scratchOffset, timeoutMs);
  }

  /** Opens, in this thread, the audio ring of a handle (writer.handle or
   *  reader.handle) posted by another thread; this thread's own wasm instance.
   *  options: { peerTimeoutMs? } as for create(). */
  static async attach(handle, options) {
    if (typeof handle === 'object' && handle !== null && handle.module === undefined) await getModule();
    return this._open(handle, options, `${this.name}.attach`);
  }

  /** attach() without awaiting (compiles synchronously if the handle has no module). */
  static attachSync(handle, options) {
    return this._open(handle, options, `${this.name}.attachSync`);
  }

  /** @private */
  static _open(handle, options, where) {
    const timeoutMs = attachPeerTimeout(options, where, describe);
    const [region, scratchOffset] = openAudioRing(handle, where);
    return new this(INTERNAL, region, scratchOffset, timeoutMs);
  }

  /** How long the other side may stay silent before producerAlive /
   *  consumerAlive turn false (Infinity: the watch is off). */
  get peerTimeoutMs() {
    return this.#timeout;
  }

  /** Whether a producer holds its role and was heard from (heartbeat or
   *  frames written) within peerTimeoutMs, as far as this object watched it. */
  get producerAlive() {
    return this.#r.alive('producer', this.#timeout);
  }

  /** The same for the consumer (for a ring-buffer-source node: its
   *  processor, which beats once per render quantum while the context runs). */
  get consumerAlive() {
    return this.#r.alive('consumer', this.#timeout);
  }

  /** Whether this object holds its role now. */
  get claimed() {
    return this.#claimed;
  }

  /**
   * Claims this object's role now (as the first write/read would).  With
   * { takeOver: true } a role held by another instance is taken if its
   * holder stays silent for `staleMs` (default: peerTimeoutMs, or 5000 if
   * that is off) while this watches; a holder heard from meanwhile is alive
   * and the claim rejects.
   */
  async claim(options) {
    const where = `${this.constructor.name}.claim`;
    if (options !== undefined && (typeof options !== 'object' || options === null))
      throw new TypeError(`${where}: options must be an object { takeOver?, staleMs? } or absent; got ${describe(options)}`);
    if (this.#claimed) return;
    if (!options?.takeOver) return this._claim(where);
    const staleMs =
      options.staleMs === undefined
        ? this.#timeout === Infinity
          ? DEFAULT_PEER_TIMEOUT_MS
          : this.#timeout
        : checkPeerTimeout(options.staleMs, where, 'options.staleMs', describe);
    if (staleMs === Infinity)
      throw new RangeError(`${where}: options.staleMs must be a finite number of milliseconds > 0 for a takeOver; got ${options.staleMs}`);
    await this.#r.takeOver(this.#role, this.#token, where, staleMs, { onLost: () => this.#unclaimed() });
    this.#pointPlanes();
  }

  /**
   * Gives the role up: the owner word goes back to 0 so another instance may
   * claim it, and the heartbeat stops.  The frames in the ring stay; the ring
   * stays open (close() first to end the stream).  A later write/read claims
   * the role again if it is free.  Harmless when not claimed.
   */
  dispose() {
    if (!this.#claimed) return;
    this.#claimed = false;
    this.#r.release(this.#role, this.#token);
  }

  // The timer found the role taken over by another instance.
  #unclaimed() {
    this.#claimed = false;
  }

  /** Samples per frame. */
  get channels() {
    return this.#channels;
  }

  /** Frames per second, as the ring records it (nothing is resampled). */
  get sampleRate() {
    return this.#sampleRate;
  }

  /** Frames the ring holds (at least what was asked for). */
  get capacityFrames() {
    return this.#frames;
  }

  /** Data bytes of the ring (a power of two). */
  get capacity() {
    return this.#r.capacity;
  }

  get memory() {
    return this.#r.memory;
  }

  /** Byte offset of the ring's region in `memory`. */
  get offset() {
    return this.#ptr;
  }

  /** Byte offset of the two roles' scratch areas in `memory`. */
  get scratchOffset() {
    return this.#scratchOffset;
  }

  /** Post it once to the other thread, which passes it to AudioReader.attach
   *  or AudioWriter.attach (structured-cloneable). */
  get handle() {
    this.#handle ??= Object.freeze({
      ...this.#r.handle,
      channels: this.#channels,
      sampleRate: this.#sampleRate,
      capacityFrames: this.#frames,
      scratchOffset: this.#scratchOffset,
    });
    return this.#handle;
  }

  /** Frames readable now. */
  get framesAvailable() {
    return this.#query(this.#x.rbs_audio_frames_available(this.#ptr), 'framesAvailable');
  }

  /** Frames writable now. */
  get framesWritable() {
    return this.#query(this.#x.rbs_audio_frames_writable(this.#ptr), 'framesWritable');
  }

  /** Silent frames the consumer filled in (readOrSilence, the source worklet), mod 2^32. */
  get underruns() {
    return this.#x.rbs_underruns(this.#ptr) >>> 0;
  }

  /** Frames the producer could not write for lack of room, mod 2^32. */
  get overruns() {
    return this.#x.rbs_overruns(this.#ptr) >>> 0;
  }

  /** Frames written since the ring was made, mod 2^32. */
  get framesWritten() {
    return this.#x.rbs_frames_written(this.#ptr) >>> 0;
  }

  /** Frames read since the ring was made, mod 2^32. */
  get framesRead() {
    return this.#x.rbs_frames_read(this.#ptr) >>> 0;
  }

  /** True once a prefill read (the source worklet) reached its prefill. */
  get started() {
    return this.#query(this.#x.rbs_audio_started(this.#ptr), 'started') === 1;
  }

  /** True once the producer closed the ring. */
  get closed() {
    return this.#x.rbs_closed(this.#ptr) > 0;
  }

  #query(n, name) {
    if (n < 0) throw errorFor(n, `${this.constructor.name}.${name}`);
    return n;
  }

  /** @private Claims this object's role on first use and points the C
   *  pointer array at its scratch planes (only the role's holder uses them). */
  _claim(where) {
    if (this.#claimed) {
      Atomics.add(this.#r.i32, this.#beatIdx, 1); // a call beats (see the top of this file)
      return;
    }
    this.#r.claim(this.#role, this.#token, where, { onLost: () => this.#unclaimed() });
    this.#pointPlanes();
  }

  #pointPlanes() {
    const u32 = this.#r.u32;
    const p = this.#s.ptrs >>> 2;
    for (let c = 0; c < this.#channels; c++) u32[p + c] = this.#s.data + c * FLOAT * this.#frames;
    this.#claimed = true;
  }

  /**
   * Checks `planes`: an array of `channels` Float32Arrays of one length;
   * returns that length (frames).  Allocates nothing unless it throws.
   */
  _frames(planes, where) {
    const ch = this.#channels;
    if (!Array.isArray(planes))
      throw new TypeError(
        `${where}: planes must be an array of ${ch} Float32Array${ch === 1 ? '' : 's'} (one per channel); got ${describe(planes)}`,
      );
    if (planes.length !== ch)
      throw new RangeError(`${where}: planes.length must be ${ch}, the ring's channel count; got ${planes.length}`);
    let n = 0;
    for (let c = 0; c < ch; c++) {
      const p = planes[c];
      if (!(p instanceof Float32Array)) throw new TypeError(`${where}: planes[${c}] must be a Float32Array; got ${describe(p)}`);
      if (c === 0) n = p.length;
      else if (p.length !== n)
        throw new RangeError(
          `${where}: planes[${c}].length is ${p.length} but planes[0].length is ${n}: every plane must hold the same number of frames`,
        );
    }
    return n;
  }
}

/** The producer of an audio ring: writes planar or interleaved float32 frames. */
export class AudioWriter extends AudioEnd {
  #x;
  #ptr;
  #s;

  /** @private use AudioWriter.create or AudioWriter.attach */
  constructor(key, region, scratchOffset, timeoutMs) {
    super(key, 'producer', region, scratchOffset, timeoutMs);
    this.#s = scratchOf(this);
    this.#x = region.wasm;
    this.#ptr = region.offset;
  }

  /**
   * Writes as many whole frames of `planes` (one Float32Array per channel, all
   * the same length) as fit now; returns the frames written.  The frames that
   * do not fit are dropped and added to `overruns`.  Claims the producer role
   * on first use.
   */
  write(planes) {
    const where = 'AudioWriter.write';
    const n = this._frames(planes, where);
    this._claim(where);
    const cap = this.capacityFrames;
    const s = this.#s.planes;
    // C moves at most the ring's frames: copying more would be wasted (and
    // would not fit the scratch).
    if (n <= cap) for (let c = 0; c < s.length; c++) s[c].set(planes[c]);
    else for (let c = 0; c < s.length; c++) s[c].set(planes[c].subarray(0, cap));
    const k = this.#x.rbs_audio_write(this.#ptr, this.#s.ptrs, s.length, n);
    if (k < 0) throw errorFor(k, where);
    return k;
  }

  /**
   * Writes as many whole frames of interleaved `samples` (channels samples per
   * frame) as fit now; returns the frames written (the rest count as overruns).
   */
  writeInterleaved(samples) {
    const where = 'AudioWriter.writeInterleaved';
    const ch = this.channels;
    if (!(samples instanceof Float32Array))
      throw new TypeError(`${where}: samples must be a Float32Array of interleaved frames; got ${describe(samples)}`);
    if (samples.length % ch !== 0)
      throw new RangeError(
        `${where}: samples.length must be a multiple of ${ch} (whole frames of ${ch} channels); got ${samples.length}`,
      );
    const n = samples.length / ch;
    this._claim(where);
    const cap = this.capacityFrames;
    this.#s.all.set(n <= cap ? samples : samples.subarray(0, cap * ch));
    const k = this.#x.rbs_audio_write_interleaved(this.#ptr, this.#s.data, n);
    if (k < 0) throw errorFor(k, where);
    return k;
  }

  /** Ends the stream: the frames written stay readable, later writes throw
   *  a RingBufferError (RBS_ECLOSED).  Claims the producer role. */
  close() {
    const where = 'AudioWriter.close';
    this._claim(where);
    const code = this.#x.rbs_close(this.#ptr);
    if (code < 0) throw errorFor(code, where);
  }
}

/** The consumer of an audio ring: reads whole frames into planes. */
export class AudioReader extends AudioEnd {
  #x;
  #ptr;
  #s;
  #outLen = -1; // length of the cached views in #out
  #out = null;

  /** @private use AudioReader.create or AudioReader.attach */
  constructor(key, region, scratchOffset, timeoutMs) {
    super(key, 'consumer', region, scratchOffset, timeoutMs);
    this.#s = scratchOf(this);
    this.#x = region.wasm;
    this.#ptr = region.offset;
  }

  /** True when the producer closed the ring and every frame was read. */
  get ended() {
    return this.closed && this.framesAvailable === 0; // closed first: then no frame can follow
  }

  /**
   * Reads up to planes[0].length whole frames into `planes` (one Float32Array
   * per channel, all the same length); returns the frames read (0 when none
   * are there; see `ended`).  Claims the consumer role on first use.
   */
  read(planes) {
    const where = 'AudioReader.read';
    const n = this._frames(planes, where);
    this._claim(where);
    // C moves at most the ring's frames, which is what the scratch holds.
    const k = this.#x.rbs_audio_read(this.#ptr, this.#s.ptrs, planes.length, n);
    if (k < 0) {
      if (k === L.RBS_ECLOSED) return 0;
      throw errorFor(k, where);
    }
    this.#copyOut(planes, k, 0);
    return k;
  }

  /**
   * The real-time read the source worklet makes: always fills every frame of
   * `planes`, with silence for what is missing, which counts as underruns --
   * except until `prefillFrames` frames were once waiting (default 0: no
   * start-up phase).  Returns the frames taken from the ring.
   */
  readOrSilence(planes, prefillFrames = 0) {
    const where = 'AudioReader.readOrSilence';
    const n = this._frames(planes, where);
    checkCount(prefillFrames, where, 'prefillFrames');
    this._claim(where);
    const cap = this.capacityFrames;
    let got = 0;
    // C fills all `frames` of its planes, so a request longer than the
    // scratch goes in pieces (one call when it fits, as in the worklet).
    for (let done = 0; done < n; ) {
      const m = n - done < cap ? n - done : cap;
      const k = this.#x.rbs_audio_read_or_silence_prefill(this.#ptr, this.#s.ptrs, planes.length, m, prefillFrames);
      this.#copyOut(planes, m, done); // C left silence where nothing was, also on an error
      if (k < 0 && k !== L.RBS_ECLOSED) {
        for (let c = 0; c < planes.length; c++) planes[c].fill(0, done + m);
        throw errorFor(k, where);
      }
      if (k > 0) got += k;
      done += m;
    }
    return got;
  }

  // Copies k frames from the scratch planes into planes from frame `at`.
  // Views of the scratch are cached for the last full-plane length, so the
  // steady case (reads of one size) allocates nothing; other counts copy in a
  // loop rather than make views.
  #copyOut(planes, k, at) {
    if (k === 0) return;
    const s = this.#s.planes;
    if (k === this.capacityFrames) {
      for (let c = 0; c < s.length; c++) planes[c].set(s[c], at);
      return;
    }
    if (k !== this.#outLen) {
      if (k !== planes[0].length) {
        for (let c = 0; c < s.length; c++) {
          const src = s[c];
          const dst = planes[c];
          for (let i = 0; i < k; i++) dst[at + i] = src[i];
        }
        return;
      }
      this.#out = s.map((v) => v.subarray(0, k));
      this.#outLen = k;
    }
    const out = this.#out;
    for (let c = 0; c < out.length; c++) planes[c].set(out[c], at);
  }
}
