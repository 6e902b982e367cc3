// ring.js — the byte ring: RingBuffer (a Channel) and its two endpoints,
// Producer and Consumer.  Copies go straight between the caller's bytes and
// the ring (copy.js); the C calls do the rest, waking a sleeping other side.
import * as L from '../../build/wasm/layout.js';
import { Channel, INTERNAL } from '../core/channel.js';
import { checkAttached, checkCount, checkTimeout, roundCapacity, toBytes } from '../core/checks.js';
import { copyIn, copyOut, copyOutRing } from '../core/copy.js';
import { Endpoint } from '../core/endpoint.js';
import { requireBlocking, requireSharedMemory } from '../core/env.js';
import { RingBufferError, errorFor, handoutError } from '../core/errors.js';
import { bytesWasm } from '../core/modules.js';
import { Region } from '../core/region.js';
import { DEFAULT_PEER_TIMEOUT_MS } from '../core/roles.js';
import { deadline } from '../core/waiter.js';

let empty = null; // what reserve() returns when full (made once)

// What a rejected write() carries: the bytes of that call that went in.
function withWritten(e, written) {
  if (e instanceof RingBufferError) e.written = written;
  return e;
}

export class Producer extends Endpoint {
  static get apiName() {
    return 'Producer';
  }
  #reserved = 0; // length of the view the last reserve() returned
  #hasRoom;

  /** @private claimed through ring.producer */
  constructor(...args) {
    super(...args);
    const r = this._region;
    // Nonzero: room, or an error to report; or the role is gone.
    this.#hasRoom = () => this.disposed || this._x.rbs_wasm_writable(this._ring, this._geo) !== 0;
  }

  _dropped() {
    this.#reserved = 0;
  }

  get capacity() {
    return this._cap;
  }

  /** Bytes that can be written now. */
  get writable() {
    const n = this._x.rbs_wasm_writable(this._ring, this._geo);
    if (n < 0) throw errorFor(n, 'Producer.writable');
    return n;
  }

  /** Writes as much of `data` as fits now; returns the bytes written (0 when full). */
  tryWrite(data) {
    const where = 'Producer.tryWrite';
    if (this._busy) this._idle(where);
    const src = toBytes(data, where);
    const n = src.length;
    if (n === 0) return this.#emptyWrite(src, where) && 0;
    return this.#put(src, 0, n, where);
  }

  /** Writes all of `data` or nothing; returns whether it did. */
  tryWriteAll(data) {
    const where = 'Producer.tryWriteAll';
    if (this._busy) this._idle(where);
    const src = toBytes(data, where);
    const n = src.length;
    if (n > this._cap)
      throw new RangeError(
        `${where}: data is ${n} bytes, more than the ring's capacity ${this._cap} can ever hold at once; ` +
          `data.byteLength must be from 0 to ${this._cap} (write() takes any length)`,
      );
    if (n === 0) return this.#emptyWrite(src, where);
    return this.#put(src, 0, n, where, true) === n;
  }

  /**
   * Writes every byte of `data`, waiting for room as often as needed; resolves
   * once all are in.  Calls are queued, so bytes keep the order of the calls.
   * A rejection (PeerGoneError, the role taken over...) carries `written`,
   * the bytes of this call that went in, so the caller can resume.
   */
  write(data) {
    return this._serial(() => this.#writeAll(data));
  }

  async #writeAll(data) {
    const where = 'Producer.write';
    let off = 0;
    try {
      this._usable(where);
      const src = toBytes(data, where);
      const n = src.length;
      if (n === 0) return void this.#emptyWrite(src, where);
      while (off < n) {
        const k = this.#put(src, off, n - off, where);
        if (k > 0) off += k;
        else await this._waitFor(this.#hasRoom, { where, state: 'the ring is full' });
      }
    } catch (e) {
      throw withWritten(e, off); // also 0 for a call that never began
    }
  }

  /**
   * Blocking write for Workers (Atomics.wait): writes every byte unless
   * `timeoutMs` passes first; returns the bytes written.  Throws at once on a
   * thread that may not block.  An error carries `written` as write()'s does.
   */
  writeSync(data, timeoutMs) {
    const where = 'Producer.writeSync';
    requireBlocking(where, 'write()');
    let off = 0;
    try {
      if (this._busy) this._idle(where);
      const src = toBytes(data, where);
      const until = deadline(checkTimeout(timeoutMs, where));
      const n = src.length;
      if (n === 0) return this.#emptyWrite(src, where) && 0;
      while (off < n) {
        const k = this.#put(src, off, n - off, where);
        if (k > 0) off += k;
        else if (!this._waitFor(this.#hasRoom, { sync: true, until, where, state: 'the ring is full' }))
          break;
      }
    } catch (e) {
      throw withWritten(e, off);
    }
    return off;
  }

  /**
   * Zero-copy write: a view of up to `n` bytes of free space, contiguous (it
   * may be shorter than the free space where the ring wraps: commit and
   * reserve again for the rest); empty when full.  Nothing is visible to the
   * consumer until commit().  A new reserve (or any write) replaces it.
   */
  reserve(n) {
    const where = 'Producer.reserve';
    if (this._busy) this._idle(where);
    checkCount(n, where, 'n');
    this.#reserved = 0; // C drops the last reservation first, also when it fails
    const k = this._x.rbs_wasm_reserve(this._ring, this._geo, Math.min(n, this._cap));
    if (k <= 0) {
      if (k === 0) return (empty ??= new Uint8Array(0));
      throw errorFor(k, where);
    }
    const r = this._region;
    const pos = r.position(L.RBS_OFF_PRODUCER_SCRATCH);
    this.#reserved = Math.min(k, this._cap - pos);
    return new Uint8Array(r.u8.buffer, r.dataStart + pos, this.#reserved);
  }

  /** Publishes the first `n` bytes of the last reserve()'s view. */
  commit(n) {
    const where = 'Producer.commit';
    this._usable(where);
    checkCount(n, where, 'n', 0, this.#reserved, " (the length of the last reserve()'s view)");
    this.#reserved = 0;
    if (n === 0) return;
    const c = this._x.rbs_wasm_commit(this._ring, this._geo, n);
    if (c < 0) throw handoutError(c, where);
  }

  /** Resolves when at least one byte of room is free (at once if so). */
  async waitForRoom() {
    const where = 'Producer.waitForRoom';
    this._usable(where);
    await this._waitFor(this.#hasRoom, { where, state: 'the ring is full' });
    this._usable(where);
    const n = this._x.rbs_wasm_writable(this._ring, this._geo);
    if (n < 0) throw errorFor(n, where); // what woke us was an error
  }

  /** Ends the stream once the pending write() calls are done: the consumer
   *  reads what was written, then sees the end. */
  close() {
    return this._serial(async () => {
      const where = 'Producer.close';
      this._usable(where);
      const c = this._x.rbs_wasm_close(this._ring, this._geo);
      if (c < 0) throw errorFor(c, where);
    });
  }

  // A write of no bytes: true; a TypeError for a detached buffer, or
  // RBS_ECLOSED as any write after close(); like any write it drops a reserve()'s view.
  #emptyWrite(src, where) {
    checkAttached(src, where);
    this.#reserved = 0;
    if (this.closed) throw errorFor(L.RBS_ECLOSED, where);
    return true;
  }

  // Reserves up to n bytes (at most the capacity), copies src[start..] in,
  // publishes; returns the count (0 when full; 0 unless all n fit, with
  // `all`).  Drops a reserve()'s view.
  #put(src, start, n, where, all = false) {
    this.#reserved = 0;
    const k = this._x.rbs_wasm_reserve(this._ring, this._geo, n < this._cap ? n : this._cap);
    if (k <= 0 || (all && k < n)) {
      if (k >= 0) return 0;
      throw errorFor(k, where, start ? `after ${start} of ${src.length} bytes` : undefined);
    }
    // The copies stay inline: a helper call here costs ~4 ns of a ~90 ns tryWrite+readInto.
    const r = this._region;
    const pos = r.position(L.RBS_OFF_PRODUCER_SCRATCH);
    const first = this._cap - pos;
    if (k <= first) copyIn(r, r.dataStart + pos, src, start, k);
    else {
      copyIn(r, r.dataStart + pos, src, start, first);
      copyIn(r, r.dataStart, src, start + first, k - first);
    }
    const c = this._x.rbs_wasm_commit(this._ring, this._geo, k);
    if (c < 0) throw handoutError(c, where);
    return k;
  }
}

export class Consumer extends Endpoint {
  static get apiName() {
    return 'Consumer';
  }
  #acquired = 0; // length of the view the last acquire() returned
  #hasData;

  /** @private claimed through ring.consumer */
  constructor(...args) {
    super(...args);
    const r = this._region;
    const closedIdx = r.word(L.RBS_OFF_CLOSED);
    this.#hasData = () =>
      this.disposed || this._x.rbs_wasm_readable(this._ring, this._geo) !== 0 || Atomics.load(r.i32, closedIdx) !== 0;
  }

  _dropped() {
    this.#acquired = 0;
  }

  get capacity() {
    return this._cap;
  }

  /** Bytes readable now. */
  get available() {
    const n = this._x.rbs_wasm_readable(this._ring, this._geo);
    if (n < 0) throw errorFor(n, 'Consumer.available');
    return n;
  }

  /** True when the producer closed the ring and every byte has been read. */
  get ended() {
    const where = 'Consumer.ended';
    if (!this._region.closed(where)) return false; // closed first: then no byte can follow
    const n = this._x.rbs_wasm_readable(this._ring, this._geo);
    if (n < 0) throw errorFor(n, where);
    return n === 0;
  }

  /** Up to `n` bytes in a new Uint8Array; undefined when nothing is there
   *  now, null once the stream ended. */
  tryRead(n) {
    const where = 'Consumer.tryRead';
    if (this._busy) this._idle(where);
    checkCount(n, where, 'n', 1);
    return this.#take(n, where);
  }

  /** Reads up to target.byteLength bytes into `target`; returns the count,
   *  undefined when nothing is there now, null once the stream ended. */
  readInto(target) {
    const where = 'Consumer.readInto';
    if (this._busy) this._idle(where);
    const dst = toBytes(target, where, 'target');
    const n = dst.length;
    if (n === 0) checkAttached(dst, where, 'target');
    this.#acquired = 0;
    const k = this.#acquire(n, where);
    if (k === undefined || k === null || k === 0) return k;
    const r = this._region;
    const pos = r.position(L.RBS_OFF_CONSUMER_SCRATCH);
    const first = this._cap - pos;
    if (k <= first) copyOut(r, r.dataStart + pos, dst, 0, k);
    else {
      copyOut(r, r.dataStart + pos, dst, 0, first);
      copyOut(r, r.dataStart, dst, first, k - first);
    }
    this.#release(k, where);
    return k;
  }

  /** Waits for data: a new Uint8Array of 1..n bytes, or null once the stream
   *  ended.  Calls are queued. */
  read(n) {
    return this._serial(async () => {
      const where = 'Consumer.read';
      this._usable(where);
      checkCount(n, where, 'n', 1);
      for (;;) {
        const v = this.#take(n, where);
        if (v !== undefined) return v;
        await this._waitFor(this.#hasData, { where, state: 'the ring is empty' });
      }
    });
  }

  /**
   * Blocking read for Workers (Atomics.wait): 1..n bytes, undefined if
   * `timeoutMs` passed first, or null once the stream ended.  Throws at once
   * on a thread that may not block.
   */
  readSync(n, timeoutMs) {
    const where = 'Consumer.readSync';
    requireBlocking(where, 'read()');
    if (this._busy) this._idle(where);
    checkCount(n, where, 'n', 1);
    const ms = checkTimeout(timeoutMs, where);
    const until = deadline(ms);
    for (;;) {
      const v = this.#take(n, where);
      if (v !== undefined) return v;
      if (!this._waitFor(this.#hasData, { sync: true, until, where, state: 'the ring is empty' }))
        return undefined;
    }
  }

  /**
   * Zero-copy read: a view of up to `n` readable bytes, contiguous (shorter
   * than what is readable where the ring wraps); undefined when nothing is
   * there now, null once the stream ended.  Valid until release(); a new
   * acquire (or any read) replaces it.
   */
  acquire(n) {
    const where = 'Consumer.acquire';
    if (this._busy) this._idle(where);
    checkCount(n, where, 'n', 1);
    this.#acquired = 0;
    const k = this.#acquire(n, where);
    if (!k) return k;
    const r = this._region;
    const pos = r.position(L.RBS_OFF_CONSUMER_SCRATCH);
    this.#acquired = Math.min(k, this._cap - pos);
    return new Uint8Array(r.u8.buffer, r.dataStart + pos, this.#acquired);
  }

  /** Consumes the first `n` bytes of the last acquire()'s view. */
  release(n) {
    const where = 'Consumer.release';
    this._usable(where);
    checkCount(n, where, 'n', 0, this.#acquired, " (the length of the last acquire()'s view)");
    this.#acquired = 0;
    if (n > 0) this.#release(n, where);
  }

  /** Resolves when at least one byte is readable or the producer closed the
   *  ring (at once if so). */
  async waitForData() {
    const where = 'Consumer.waitForData';
    this._usable(where);
    await this._waitFor(this.#hasData, { where, state: 'the ring is empty' });
    this._usable(where);
    const n = this._x.rbs_wasm_readable(this._ring, this._geo);
    if (n < 0) throw errorFor(n, where); // what woke us was an error
  }

  // rbs_wasm_acquire of up to n bytes: the count, undefined when empty, null
  // once ended; drops an acquire()'s view.
  #acquire(n, where) {
    const k = this._x.rbs_wasm_acquire(this._ring, this._geo, n < this._cap ? n : this._cap);
    if (k > 0) return k;
    if (k === 0) return n === 0 ? 0 : undefined;
    if (k === L.RBS_ECLOSED) return null;
    throw errorFor(k, where);
  }

  #release(n, where) {
    const c = this._x.rbs_wasm_release(this._ring, this._geo, n);
    if (c < 0) throw handoutError(c, where);
  }

  // Up to n bytes copied into a new Uint8Array (undefined, null as #acquire).
  #take(n, where) {
    this.#acquired = 0;
    const k = this.#acquire(n, where);
    if (!k) return k;
    const r = this._region;
    const pos = r.position(L.RBS_OFF_CONSUMER_SCRATCH);
    const at = r.dataStart + pos;
    let out;
    if (k <= this._cap - pos) out = r.u8.slice(at, at + k);
    else copyOutRing(r, pos, (out = new Uint8Array(k)), 0, k);
    this.#release(k, where);
    return out;
  }
}

function formatBytes(capacity, memory, offset, where, name) {
  return Region.format({ kind: L.RBS_KIND_BYTES, wasm: bytesWasm(), capacity: roundCapacity(capacity, where, name), memory, offset, where });
}

export class RingBuffer extends Channel {
  static get apiName() {
    return 'RingBuffer';
  }
  static get kind() {
    return L.RBS_KIND_BYTES;
  }
  static get wasm() {
    return bytesWasm();
  }
  static get roleNames() {
    return { producer: 'producer', consumer: 'consumer' };
  }
  static get endpoints() {
    return { producer: Producer, consumer: Consumer };
  }
  static get createShape() {
    return '{ capacity, memory?, offset?, peerTimeoutMs? }';
  }

  /** @protected */
  static format(o, where) {
    return formatBytes(o.capacity, o.memory, o.offset, where, 'options.capacity');
  }

  /**
   * A byte ring of at least `capacity` bytes (rounded up to a power of two, at
   * least 16) in a shared memory of its own: the original sketch's form of
   * RingBuffer.create({ capacity }).
   */
  constructor(capacity, ...internal) {
    if (capacity === INTERNAL) super(INTERNAL, ...internal);
    else {
      const where = 'new RingBuffer';
      requireSharedMemory(where);
      super(INTERNAL, formatBytes(capacity, undefined, undefined, where, 'capacity'), DEFAULT_PEER_TIMEOUT_MS);
    }
  }

  /** The producer role, claimed for this object on first use. */
  get producer() {
    return this._endpoint('producer', 'RingBuffer.producer');
  }

  /** The consumer role, claimed for this object on first use. */
  get consumer() {
    return this._endpoint('consumer', 'RingBuffer.consumer');
  }

  /** Whether a producer holds its role and was heard from (heartbeat or data)
   *  within peerTimeoutMs, as this object watched it. */
  get producerAlive() {
    return this._alive('producer');
  }

  /** The same for the consumer. */
  get consumerAlive() {
    return this._alive('consumer');
  }

  /** Bytes readable now (either side may ask). */
  get available() {
    const r = this._region;
    const n = r.x.rbs_wasm_readable(r.ring, r.geo);
    if (n < 0) throw errorFor(n, 'RingBuffer.available');
    return n;
  }

  /** The sketch's write: resolves once every byte of `data` is in the ring. */
  write(data) {
    return this.producer.write(data);
  }

  /** The sketch's read: an ArrayBuffer of 1..n bytes, or null at the end of the stream. */
  async read(n) {
    const v = await this.consumer.read(n);
    return v && v.buffer;
  }

  /** Ends the stream (see Producer.close). */
  close() {
    return this.producer.close();
  }
}
