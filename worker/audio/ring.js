// ring.js — audio frames through a ring of kind RBS_KIND_AUDIO
// (core/src/audio.c): AudioRing (a Channel) and its endpoints, AudioWriter
// (the producer role) and AudioReader (the consumer role).
//
// The C calls take planes in the wasm memory, so each role has a staging
// block there: `channels` planes of capacityFrames floats, `stride` apart.
// JS passes the block's address and stride from its own trusted copy; C
// computes every plane from them (no pointer is read from memory), and a
// request never moves more than the block holds.  A call copies the caller's
// Float32Arrays in (or out) with TypedArray.set through views made once.
//
// Memory made by create(): [static region | ring | producer block | consumer
// block].  The handle carries scratchOffset and scratchSize, so a thread that
// attaches finds its role's block and knows it is large enough.
import * as L from '../../build/wasm/layout.js';
import { Channel } from '../core/channel.js';
import { checkAttached, checkCount, describe, roundCapacity } from '../core/checks.js';
import { Endpoint } from '../core/endpoint.js';
import { requireBlocking } from '../core/env.js';
import { errorFor } from '../core/errors.js';
import { audioWasm } from '../core/modules.js';
import { Region, align64 } from '../core/region.js';
import { deadline } from '../core/waiter.js';
import { AudioEvents, eventCapacity, eventsSpace, formatEvents, openEvents } from './events.js';
import { fillFrames } from './latency.js';

const FLOAT = 4;
export const DEFAULT_SAMPLE_RATE = 48000;

/**
 * Bytes of the staging block an audio ring of `channels` x `capacityFrames`
 * needs beside it, as rbs_audio_scratch_size in C: one block of `channels`
 * float32 planes of capacityFrames per role, each rounded up to 64 bytes.
 * A ring a C program made has its block allocated beside it (64-byte
 * aligned) and handed to AudioRing.attach as scratchOffset/scratchSize.
 */
export function audioScratchSize(channels, capacityFrames) {
  return 2 * align64(FLOAT * channels * capacityFrames);
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

/** Checks a staging block: a multiple of 64 whose `size` bytes (at least
 *  `need`) fit in the memory without overlapping the ring. */
function checkScratch(at, size, need, region, where, names) {
  const mem = region.memory.buffer.byteLength;
  const ringEnd = region.ring + align64(L.RBS_HEADER_SIZE + region.capacity);
  const shape = `audioScratchSize(${region.channels}, ${region.capacity / (FLOAT * region.channels) | 0}) = ${need} bytes`;
  if (typeof at !== 'number')
    throw new TypeError(`${where}: ${names[0]} must be the byte offset of the ring's staging block (${shape}); got ${describe(at)}`);
  if (typeof size !== 'number')
    throw new TypeError(`${where}: ${names[1]} must be the size in bytes of the staging block at ${names[0]}, at least ${shape}; got ${describe(size)}`);
  if (!Number.isInteger(size) || size < need)
    throw new RangeError(`${where}: ${names[1]} is ${size} bytes, smaller than the ${shape} the ring's two roles stage their planes in`);
  if (!Number.isInteger(at) || at < 0 || at % L.RBS_LINE_SIZE !== 0 || at + need > mem || (at < ringEnd && at + need > region.ring))
    throw new RangeError(
      `${where}: ${names[0]} must be a multiple of 64 where ${need} bytes fit in the memory's ${mem} without ` +
        `overlapping the ring (bytes ${region.ring} to ${ringEnd}); got ${at}`,
    );
}

/** The planes a caller passes: an array of `channels` Float32Arrays of one
 *  length; returns that length.  Allocates nothing unless it throws. */
function framesOf(planes, ch, where) {
  if (!Array.isArray(planes))
    throw new TypeError(`${where}: planes must be an array of ${ch} Float32Array${ch === 1 ? '' : 's'} (one per channel); got ${describe(planes)}`);
  if (planes.length !== ch) throw new RangeError(`${where}: planes.length must be ${ch}, the ring's channel count; got ${planes.length}`);
  let n = 0;
  for (let c = 0; c < ch; c++) {
    const p = planes[c];
    if (!(p instanceof Float32Array)) throw new TypeError(`${where}: planes[${c}] must be a Float32Array; got ${describe(p)}`);
    if (p.length === 0) checkAttached(p, where, `planes[${c}]`);
    if (c === 0) n = p.length;
    else if (p.length !== n)
      throw new RangeError(`${where}: planes[${c}].length is ${p.length} but planes[0].length is ${n}: every plane must hold the same number of frames`);
  }
  return n;
}

/** What AudioWriter and AudioReader share: their staging block. */
class AudioEnd extends Endpoint {
  /** @private */
  constructor(channel, role, ...rest) {
    super(channel, role, ...rest);
    const r = this._region;
    this._frames = channel.capacityFrames; // the stride of the block's planes
    this._at = channel._staging(role); // byte address of this role's block
    this._stage = [];
    for (let c = 0; c < r.channels; c++) this._stage.push(new Float32Array(r.memory.buffer, this._at + c * FLOAT * this._frames, this._frames));
    this._all = new Float32Array(r.memory.buffer, this._at, r.channels * this._frames); // interleaved
    this._views = this._stage; // views of the block `_viewLen` frames long
    this._viewLen = this._frames;
  }

  /** @protected views of the block's planes n frames long (remade when n changes) */
  _viewsOf(n) {
    if (n !== this._viewLen) this.#makeViews(n);
    return this._views;
  }

  // Apart from _viewsOf: a closure over n there would make every call allocate its context.
  #makeViews(n) {
    this._views = this._stage.map((v) => v.subarray(0, n));
    this._viewLen = n;
  }
}

/** The producer of an audio ring: writes planar or interleaved float32 frames. */
export class AudioWriter extends AudioEnd {
  static get apiName() {
    return 'AudioWriter';
  }
  #room; // frames wanted by the current waitForRoom
  #hasRoom;

  /** @private claimed through ring.writer */
  constructor(...args) {
    super(...args);
    this.#room = 1;
    // Room for #room frames, an error to report (a negative count), or gone.
    this.#hasRoom = () => {
      if (this.disposed) return true;
      const n = this._x.rbs_wasm_audio_writable(this._ring, this._geo);
      return n < 0 || n >= this.#room;
    };
  }

  // After a wait: throws if what ended it was an error of the ring.
  #reportError(where) {
    const n = this._x.rbs_wasm_audio_writable(this._ring, this._geo);
    if (n < 0) throw errorFor(n, where);
  }

  /**
   * Writes as many whole frames of `planes` (one Float32Array per channel, all
   * the same length) as fit now; returns the frames written.  The frames that
   * do not fit are dropped and counted in the ring's `overruns`.
   */
  write(planes) {
    const where = 'AudioWriter.write';
    this._usable(where);
    const n = framesOf(planes, this._stage.length, where);
    this._beatNow(); // a producer that paces itself with Atomics.wait still beats
    const m = n < this._frames ? n : this._frames; // C moves at most what the ring holds
    const s = this._stage;
    for (let c = 0; c < s.length; c++) s[c].set(m === n ? planes[c] : planes[c].subarray(0, m));
    const k = this._x.rbs_wasm_audio_write(this._ring, this._geo, this._at, this._frames, n);
    if (k < 0) throw errorFor(k, where);
    return k;
  }

  /** Writes as many whole frames of interleaved `samples` (channels samples
   *  per frame) as fit now; returns the frames written (the rest are overruns). */
  writeInterleaved(samples) {
    const where = 'AudioWriter.writeInterleaved';
    this._usable(where);
    const ch = this._stage.length;
    if (!(samples instanceof Float32Array))
      throw new TypeError(`${where}: samples must be a Float32Array of interleaved frames; got ${describe(samples)}`);
    if (samples.length === 0) checkAttached(samples, where, 'samples');
    if (samples.length % ch !== 0)
      throw new RangeError(`${where}: samples.length must be a multiple of ${ch} (whole frames of ${ch} channels); got ${samples.length}`);
    const n = samples.length / ch;
    this._beatNow();
    this._all.set(n <= this._frames ? samples : samples.subarray(0, this._frames * ch));
    const k = this._x.rbs_wasm_audio_write_interleaved(this._ring, this._geo, this._at, n);
    if (k < 0) throw errorFor(k, where);
    return k;
  }

  /**
   * Resolves once at least `frames` frames (default 1, at most the ring's
   * capacityFrames) can be written, woken by the consumer as it reads (the
   * worklet notifies; it never waits): pace a producer with it instead of a
   * timer.  PeerGoneError if the consumer stays silent for peerTimeoutMs.
   */
  async waitForRoom(frames = 1) {
    const where = 'AudioWriter.waitForRoom';
    this._usable(where);
    this.#room = checkCount(frames, where, 'frames', 1, this._frames, " (the ring's capacityFrames)");
    await this._waitFor(this.#hasRoom, { where, state: `fewer than ${frames} frames are free` });
    this._usable(where);
    this.#reportError(where);
  }

  /** waitForRoom() blocking (Workers only), at most `timeoutMs`: whether the room is there. */
  waitForRoomSync(frames = 1, timeoutMs = Infinity) {
    const where = 'AudioWriter.waitForRoomSync';
    requireBlocking(where, 'waitForRoom()');
    this._usable(where);
    this.#room = checkCount(frames, where, 'frames', 1, this._frames, " (the ring's capacityFrames)");
    const until = deadline(timeoutMs);
    const ok = this._waitFor(this.#hasRoom, { sync: true, until, where, state: `fewer than ${frames} frames are free` });
    this._usable(where);
    this.#reportError(where);
    return ok;
  }

  /**
   * Resolves, with the frames missing, once the ring holds fewer frames than
   * its target fill (ring.targetFrames, which the reader adapts), woken by
   * the reader as it reads: write that many, then wait again.  The pacing of
   * a producer with no timer.  Without a target (no latency hint) the target
   * is a full ring.
   */
  async waitForTarget() {
    const where = 'AudioWriter.waitForTarget';
    this._usable(where);
    await this._waitFor(this.#belowTarget, { where, state: 'the ring holds its target fill' });
    this._usable(where);
    return this.#missing();
  }

  /** waitForTarget() blocking (Workers only), at most `timeoutMs`: the frames missing, or 0 on timeout. */
  waitForTargetSync(timeoutMs = Infinity) {
    const where = 'AudioWriter.waitForTargetSync';
    requireBlocking(where, 'waitForTarget()');
    this._usable(where);
    const until = deadline(timeoutMs);
    const ok = this._waitFor(this.#belowTarget, { sync: true, until, where, state: 'the ring holds its target fill' });
    this._usable(where);
    return ok ? this.#missing() : 0;
  }

  #belowTarget = () => this.disposed || this.#missing() > 0;

  // Frames below the target now; without a target (0), below a full ring.
  #missing() {
    const fill = this._x.rbs_wasm_audio_available(this._ring, this._geo);
    if (fill < 0) throw errorFor(fill, 'AudioWriter.waitForTarget');
    const r = this._region;
    let target = Atomics.load(r.u32, r.word(L.RBS_OFF_FILL_TARGET));
    if (target === 0 || target > this._frames) target = this._frames;
    return target > fill ? target - fill : 0;
  }

  /** Ends the stream: the frames written stay readable; later writes throw a
   *  RingBufferError (RBS_ECLOSED). */
  close() {
    const where = 'AudioWriter.close';
    this._usable(where);
    const c = this._x.rbs_wasm_close(this._ring, this._geo);
    if (c < 0) throw errorFor(c, where);
  }
}

/** The consumer of an audio ring: reads whole frames into planes. */
export class AudioReader extends AudioEnd {
  static get apiName() {
    return 'AudioReader';
  }
  /**
   * Reads up to planes[0].length whole frames into `planes` (one Float32Array
   * per channel, all the same length); returns the frames read, undefined
   * when none are there now, null once the stream ended.
   */
  read(planes) {
    const where = 'AudioReader.read';
    this._usable(where);
    const n = framesOf(planes, this._stage.length, where);
    this._beatNow();
    const k = this._x.rbs_wasm_audio_read(this._ring, this._geo, this._at, this._frames, n);
    if (k <= 0) {
      if (k === 0) return n === 0 ? 0 : undefined;
      if (k === L.RBS_ECLOSED) return null;
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
    this._usable(where);
    const n = framesOf(planes, this._stage.length, where);
    checkCount(prefillFrames, where, 'prefillFrames');
    this._beatNow();
    let got = 0;
    // C fills every frame it is asked for, so a request longer than the
    // block goes in pieces (one call when it fits, as in the worklet).
    for (let done = 0; done < n; ) {
      const m = n - done < this._frames ? n - done : this._frames;
      const k = this._x.rbs_wasm_audio_read_or_silence(this._ring, this._geo, this._at, this._frames, m, prefillFrames);
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

  // Copies k frames of the block into planes from frame `at`: views made for
  // the last length, so reads of one size allocate nothing; a shorter read
  // than the planes copies in a loop rather than make views.
  #copyOut(planes, k, at) {
    if (k === planes[0].length - at || k === this._viewLen) {
      const v = this._viewsOf(k);
      for (let c = 0; c < v.length; c++) planes[c].set(v[c], at);
      return;
    }
    const s = this._stage;
    for (let c = 0; c < s.length; c++) {
      const src = s[c];
      const dst = planes[c];
      for (let i = 0; i < k; i++) dst[at + i] = src[i];
    }
  }
}

export class AudioRing extends Channel {
  #scratch; // byte address of the staging blocks
  #handle = null;
  #events = null; // { pipe, records } of the event ring, if the ring has one
  #eventSender = null;

  static get apiName() {
    return 'AudioRing';
  }
  static get kind() {
    return L.RBS_KIND_AUDIO;
  }
  static get wasm() {
    return audioWasm();
  }
  static get roleNames() {
    return { producer: 'writer', consumer: 'reader' };
  }
  static get endpoints() {
    return { producer: AudioWriter, consumer: AudioReader };
  }
  static get createShape() {
    return '{ channels, capacityFrames, sampleRate?, latencyHint?, events?, memory?, offset?, scratchOffset?, scratchSize?, eventsOffset?, peerTimeoutMs? }';
  }

  /** @protected formats the ring; its staging blocks go after it unless
   *  options.scratchOffset places them */
  static format(o, where) {
    const channels = checkChannels(o.channels, where);
    const sampleRate =
      o.sampleRate === undefined ? DEFAULT_SAMPLE_RATE : checkCount(o.sampleRate, where, 'options.sampleRate', L.RBS_MIN_SAMPLE_RATE, L.RBS_MAX_SAMPLE_RATE);
    const capacity = capacityFor(o.capacityFrames, channels, where, 'options.capacityFrames');
    const frames = Math.floor(capacity / (FLOAT * channels));
    const need = audioScratchSize(channels, frames);
    const evCap = eventCapacity(o.events, where);
    const evSpace = evCap === 0 ? 0 : eventsSpace(roundCapacity(evCap, where, 'options.events'));
    if (o.memory === undefined)
      for (const k of ['scratchOffset', 'scratchSize', 'eventsOffset'])
        if (o[k] !== undefined) throw new TypeError(`${where}: options.${k} needs options.memory (the memory to place the ring in)`);
    if (o.memory !== undefined && evCap !== 0 && o.eventsOffset === undefined)
      throw new TypeError(`${where}: options.events with options.memory needs options.eventsOffset (where the ${evSpace} bytes of the event ring go)`);
    const fill = o.latencyHint === undefined ? null : fillFrames(o.latencyHint, sampleRate, frames, where);
    let scratch;
    // The block is checked before the ring is formatted: a refused create writes nothing.
    const check = (g) => {
      const after = g.ring + align64(L.RBS_HEADER_SIZE + capacity);
      scratch = o.scratchOffset ?? after;
      const size = o.scratchSize ?? (o.scratchOffset === undefined ? g.memory.buffer.byteLength - after - evSpace : undefined);
      checkScratch(scratch, size, need, g, where, ['options.scratchOffset', 'options.scratchSize']);
    };
    const region = Region.format({ kind: L.RBS_KIND_AUDIO, wasm: audioWasm(), capacity, channels, sampleRate, memory: o.memory, offset: o.offset, extra: need + evSpace, where, check });
    region.scratch = scratch;
    if (evCap !== 0) region.events = formatEvents(region.memory, o.eventsOffset ?? region.scratch + need, evCap);
    if (fill) setFill(region, fill, where);
    return region;
  }

  /** @private */
  constructor(key, region, peerTimeoutMs, handle, where) {
    super(key, region, peerTimeoutMs);
    if (handle !== undefined) {
      if (handle.capacityFrames !== undefined && handle.capacityFrames !== this.capacityFrames)
        throw new RangeError(
          `${where}: handle.capacityFrames ${describe(handle.capacityFrames)} does not match the ring at handle.offset ` +
            `${region.ring} (capacityFrames ${this.capacityFrames}): the handle belongs to another ring`,
        );
      const need = audioScratchSize(region.channels, this.capacityFrames);
      checkScratch(handle.scratchOffset, handle.scratchSize, need, region, where, ['handle.scratchOffset', 'handle.scratchSize']);
      region.scratch = handle.scratchOffset;
      if (handle.events) region.events = openEvents(handle);
    }
    this.#scratch = region.scratch;
    this.#events = region.events ?? null;
  }

  /** @protected the event ring ({ pipe, records }) or null, for the source node */
  get _events() {
    return this.#events;
  }

  /** @protected a header word, as the counters read it */
  _word(off) {
    return this.#counter(off);
  }

  /** @protected byte address of `role`'s staging block */
  _staging(role) {
    const block = audioScratchSize(this.channels, this.capacityFrames) / 2;
    return role === 'producer' ? this.#scratch : this.#scratch + block;
  }

  /** The producer role, claimed for this object on first use. */
  get writer() {
    return this._endpoint('producer', 'AudioRing.writer');
  }

  /** The consumer role, claimed on first use. */
  get reader() {
    return this._endpoint('consumer', 'AudioRing.reader');
  }

  /** Whether a writer holds its role and was heard from within peerTimeoutMs. */
  get writerAlive() {
    return this._alive('producer');
  }

  /** The same for the reader (a source node's processor, while its context runs). */
  get readerAlive() {
    return this._alive('consumer');
  }

  /** Samples per frame. */
  get channels() {
    return this._region.channels;
  }

  /** Frames per second, as the ring records it (nothing is resampled). */
  get sampleRate() {
    return this._region.sampleRate;
  }

  /** Frames the ring holds (at least what was asked for). */
  get capacityFrames() {
    return Math.floor(this.capacity / (FLOAT * this.channels));
  }

  /** Byte offset of the two roles' staging blocks in `memory`, and their size. */
  get scratchOffset() {
    return this.#scratch;
  }
  get scratchSize() {
    return audioScratchSize(this.channels, this.capacityFrames);
  }

  /** Post it once to the other thread, which passes it to AudioRing.attach (structured-cloneable). */
  get handle() {
    this.#handle ??= Object.freeze({
      ...super.handle,
      channels: this.channels,
      sampleRate: this.sampleRate,
      capacityFrames: this.capacityFrames,
      scratchOffset: this.#scratch,
      scratchSize: this.scratchSize,
      // The event ring is a message ring: its module is the message kind's, not the audio one.
      events: this.#events && { offset: this.#events.pipe.offset, records: this.#events.records, module: this.#events.pipe.handle.module },
    });
    return this.#handle;
  }

  #query(n, name) {
    if (n < 0) throw errorFor(n, `AudioRing.${name}`);
    return n;
  }

  #counter(off) {
    return Atomics.load(this._region.u32, this._region.word(off));
  }

  /** Frames readable now. */
  get framesAvailable() {
    const r = this._region;
    return this.#query(r.x.rbs_wasm_audio_available(r.ring, r.geo), 'framesAvailable');
  }

  /** Frames writable now. */
  get framesWritable() {
    const r = this._region;
    return this.#query(r.x.rbs_wasm_audio_writable(r.ring, r.geo), 'framesWritable');
  }

  /** True once a prefill read (the source node) reached its prefill. */
  get started() {
    const r = this._region;
    return this.#query(r.x.rbs_wasm_audio_started(r.ring, r.geo), 'started') === 1;
  }

  /** True when the producer closed the ring and every frame was read. */
  get ended() {
    const r = this._region;
    if (!r.closed('AudioRing.ended')) return false; // closed first: then no frame can follow
    return this.#query(r.x.rbs_wasm_audio_available(r.ring, r.geo), 'ended') === 0;
  }

  /** Silent frames the consumer filled in (readOrSilence, the source node), mod 2^32. */
  get underruns() {
    return this.#counter(L.RBS_OFF_UNDERRUNS);
  }

  /** Frames the producer could not write for lack of room, mod 2^32. */
  get overruns() {
    return this.#counter(L.RBS_OFF_OVERRUNS);
  }

  /** Frames written since the ring was made, mod 2^32. */
  get framesWritten() {
    return this.#counter(L.RBS_OFF_FRAMES_WRITTEN);
  }

  /** Frames read since the ring was made, mod 2^32. */
  get framesRead() {
    return this.#counter(L.RBS_OFF_FRAMES_READ);
  }

  /** The adaptive fill (rbs.h): frames the writer should keep queued, as the reader adapts it (0: no latency hint). */
  get targetFrames() {
    return this.#counter(L.RBS_OFF_FILL_TARGET);
  }

  /** The target's bounds in frames, from the latency hint: { minFrames, maxFrames } (maxFrames 0: not adapting). */
  get fillBounds() {
    return { minFrames: this.#counter(L.RBS_OFF_FILL_MIN), maxFrames: this.#counter(L.RBS_OFF_FILL_MAX) };
  }

  /** The lowest fill before a read in the reader's last window (RBS_FILL_WINDOW_FRAMES frames). */
  get lowFrames() {
    return this.#counter(L.RBS_OFF_FILL_LOW);
  }

  /** Dips of the fill below two reads: stalls of the writer that came close (an underrun starts as one). */
  get nearMisses() {
    return this.#counter(L.RBS_OFF_NEAR_MISSES);
  }

  /** The latency the ring adds now: its fill in milliseconds of audio. */
  get addedLatencyMs() {
    return (this.framesAvailable * 1000) / this.sampleRate;
  }

  /**
   * Sets the adaptive fill's bounds and restarts its target from a latency
   * hint: 'interactive' | 'balanced' | 'playback' or milliseconds (null:
   * stop adapting).  Any thread, at any time.
   */
  setLatencyHint(hint) {
    const where = 'AudioRing.setLatencyHint';
    const r = this._region;
    setFill(r, hint === null ? { minFrames: 0, maxFrames: 0, targetFrames: 0 } : fillFrames(hint, this.sampleRate, this.capacityFrames, where), where);
  }

  /** True when the ring was made with an event ring (options.events). */
  get hasEvents() {
    return this.#events !== null;
  }

  /** The sender of the ring's sample-accurate events (AudioEvents); its role is claimed on the first send. */
  get events() {
    if (this.#events === null)
      throw new TypeError('AudioRing.events: this ring has no event ring; make it with options.events (AudioRing.create or createRingSourceNode)');
    return (this.#eventSender ??= new AudioEvents(this.#events.pipe, this));
  }
}

/** Writes the fill's bounds and target to the ring's consumer line (C checks them). */
function setFill(region, f, where) {
  const c = region.x.rbs_wasm_audio_set_fill(region.ring, region.geo, f.minFrames, f.maxFrames, f.targetFrames);
  if (c < 0) throw errorFor(c, where, `fill ${f.minFrames}..${f.maxFrames} frames, target ${f.targetFrames}`);
}
