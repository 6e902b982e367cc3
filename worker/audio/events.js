// events.js — sample-accurate events into an audio ring's consumer (rbs.h,
// "Sample-accurate events"): a message ring beside the audio ring, in the
// same memory, whose sender is AudioEvents (the page or a Worker) and whose
// receiver is the source node's processor: its one wasm call per quantum
// applies the due events (the gain) and stages the others as records in a
// block after the event ring, for the processor's JS to read.
import * as L from '../../build/wasm/layout.js';
import { checkCount, describe, toBytes } from '../core/checks.js';
import { align64 } from '../core/region.js';
import { MessagePipe } from '../msg/pipe.js';

/** Records the processor's block holds: events beyond that in one quantum wait for the next. */
export const EVENT_RECORDS = 32;
/** Bytes of an event ring unless options.events names them: about 200 events without payload. */
export const DEFAULT_EVENT_CAPACITY = 4096;

/** Bytes an event ring of `capacity` and its records block take. */
export function eventsSpace(capacity) {
  return align64(L.RBS_HEADER_SIZE + capacity) + align64(EVENT_RECORDS * L.RBS_EVENT_SIZE);
}

/** The event ring's capacity for options.events (true or a byte count), or 0 for none. */
export function eventCapacity(events, where) {
  if (events === undefined || events === false) return 0;
  if (events === true) return DEFAULT_EVENT_CAPACITY;
  if (typeof events !== 'number')
    throw new TypeError(`${where}: options.events must be true, false or the event ring's capacity in bytes; got ${describe(events)}`);
  return checkCount(events, where, 'options.events', 64, 1 << 24, ' (bytes of the event ring; a power of two is used)');
}

/** Formats the event ring at `offset` of `memory`: { pipe, records } (byte addresses). */
export function formatEvents(memory, offset, capacity) {
  const pipe = MessagePipe.create({ capacity, memory, offset });
  return { pipe, records: offset + align64(L.RBS_HEADER_SIZE + pipe.capacity) };
}

/** The event ring a handle names, opened in this thread. */
export function openEvents(handle) {
  const e = handle.events;
  const pipe = MessagePipe.attachSync({ memory: handle.memory, offset: e.offset, module: e.module });
  return { pipe, records: e.records };
}

/**
 * The sender of an audio ring's events (ring.events).  Each send is one
 * event: `frame` the stream frame (the ring's framesRead count, mod 2^32)
 * it takes effect at, or undefined for the start of the next quantum;
 * `payload` up to 16 bytes.  Sends allocate nothing.
 */
export class AudioEvents {
  #pipe;
  #sender = null;
  #ring;
  #u8 = new Uint8Array(L.RBS_EVENT_SIZE);
  #dv = new DataView(this.#u8.buffer);
  #views = []; // #u8 cut to each message length, made once

  /** @private made by AudioRing */
  constructor(pipe, ring) {
    this.#pipe = pipe;
    this.#ring = ring;
    for (let n = 0; n <= L.RBS_EVENT_MAX_PAYLOAD; n++) this.#views.push(this.#u8.subarray(0, L.RBS_EVENT_HEADER + n));
  }

  /**
   * Queues event `id` (an integer 0..2^32-1; RBS_EVENT_GAIN is the gain)
   * with `value` for stream frame `frame` (undefined: now) and an optional
   * payload (at most 16 bytes); returns false when the event ring is full.
   */
  send(id, value, frame, payload) {
    const where = 'AudioEvents.send';
    checkCount(id, where, 'id');
    if (typeof value !== 'number') throw new TypeError(`${where}: value must be a number; got ${describe(value)}`);
    const bytes = payload === undefined ? null : toBytes(payload, where, 'payload', 'a TypedArray, an ArrayBuffer or a DataView');
    const size = bytes === null ? 0 : bytes.length;
    if (size > L.RBS_EVENT_MAX_PAYLOAD) throw new RangeError(`${where}: payload is ${size} bytes; an event carries at most ${L.RBS_EVENT_MAX_PAYLOAD}`);
    const now = frame === undefined;
    if (!now && !(Number.isInteger(frame) && frame >= 0))
      throw new TypeError(`${where}: frame must be a stream frame (a non-negative integer, taken mod 2^32) or undefined for now; got ${describe(frame)}`);
    const dv = this.#dv;
    dv.setUint32(L.RBS_EVENT_OFF_FRAME, now ? 0 : frame % 2 ** 32, true);
    dv.setUint32(L.RBS_EVENT_OFF_ID, id, true);
    dv.setFloat32(L.RBS_EVENT_OFF_VALUE, value, true);
    dv.setUint16(L.RBS_EVENT_OFF_SIZE, size, true);
    dv.setUint16(L.RBS_EVENT_OFF_FLAGS, now ? L.RBS_EVENT_NOW : 0, true);
    if (size !== 0) this.#u8.set(bytes, L.RBS_EVENT_HEADER);
    this.#sender ??= this.#pipe.sender;
    return this.#sender.trySend(this.#views[size]);
  }

  /** A gain step to `value` (linear) at stream frame `frame` (undefined: now). */
  gain(value, frame) {
    return this.send(L.RBS_EVENT_GAIN, value, frame);
  }

  /** The stream frame playing now (the ring's framesRead): add a lead to schedule ahead. */
  get frame() {
    return this.#ring.framesRead;
  }

  /** Events applied after their frame had played; malformed or undeliverable ones skipped. */
  get late() {
    return this.#ring._word(L.RBS_OFF_EVENTS_LATE);
  }
  get dropped() {
    return this.#ring._word(L.RBS_OFF_EVENTS_DROPPED);
  }

  /** The event ring itself (a MessagePipe), e.g. to dispose its sender. */
  get pipe() {
    return this.#pipe;
  }
}
