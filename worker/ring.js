// ring.js — the byte ring's JS API: RingBuffer (create, attach, handle,
// roles, and the sketch's write/read/available), Producer and Consumer.
//
// Copies go straight between the caller's bytes and the ring's spans with
// TypedArray.set (one copy, no staging).  The try*/readInto/reserve/acquire
// paths allocate no buffer: the C calls write their spans into the role's
// scratch words and the views of the memory are made once per ring; the only
// objects they create are a view of the caller's data when it is not a
// Uint8Array or the copy is split, and the view reserve/acquire return.
import * as L from './layout.js';
import { checkCount, checkTimeout, describe, errorFor, roundCapacity, toBytes } from './errors.js';
import { RingRegion, deadline, msLeft, newToken } from './region.js';
import { getModule } from './wasm.js';

const INTERNAL = Symbol('ring-buffer-safe internal');
const EMPTY = new Uint8Array(0);
const noop = () => {};

function checkInternal(key, cls) {
  if (key !== INTERNAL) throw new TypeError(`${cls} is not constructed directly: use ring.${cls.toLowerCase()}`);
}

export class Producer {
  #r;
  #x;
  #ptr;
  #cap;
  #sc; // byte address of this role's scratch words
  #tail = Promise.resolve();
  #pending = 0; // async write()/close() calls not finished yet
  #reserved = 0; // length of the view the last reserve() returned
  #hasRoom;

  /** @private */
  constructor(key, region) {
    checkInternal(key, 'Producer');
    this.#r = region;
    this.#x = region.wasm;
    this.#ptr = region.offset;
    this.#cap = region.capacity;
    this.#sc = region.scratch('producer');
    this.#hasRoom = () => this.#x.rbs_writable(this.#ptr) !== 0; // nonzero: room, or an error to report
  }

  get capacity() {
    return this.#cap;
  }

  /** Bytes that can be written now. */
  get writable() {
    const n = this.#x.rbs_writable(this.#ptr);
    if (n < 0) throw errorFor(n, 'Producer.writable');
    return n;
  }

  /** True once close() took effect. */
  get closed() {
    return this.#x.rbs_closed(this.#ptr) > 0;
  }

  /** Writes as much of `data` as fits now; returns the bytes written (0 when full). */
  tryWrite(data) {
    const where = 'Producer.tryWrite';
    this.#idle(where);
    const src = toBytes(data, where);
    return this.#put(src, 0, Math.min(src.length, this.#cap), where);
  }

  /** Writes all of `data` or nothing; returns whether it did. */
  tryWriteAll(data) {
    const where = 'Producer.tryWriteAll';
    this.#idle(where);
    const src = toBytes(data, where);
    const n = src.length;
    if (n > this.#cap)
      throw new RangeError(
        `${where}: data is ${n} bytes, more than the ring's capacity ${this.#cap} can ever hold at once; ` +
          `data.byteLength must be from 0 to ${this.#cap} (write() takes any length)`,
      );
    if (n === 0) return true;
    const k = this.#x.rbs_write_reserve(this.#ptr, n, this.#sc);
    if (k < 0) throw errorFor(k, where);
    this.#reserved = 0;
    if (k < n) return false;
    this.#copyIn(src, 0, k, where);
    this.#publish(k, where);
    return true;
  }

  /**
   * Writes every byte of `data`, waiting for room as often as needed (in
   * pieces when it is larger than the ring); resolves once all are in.
   * Calls are queued: bytes keep the order of the calls.
   */
  write(data) {
    // Idle: start now (the bytes that fit are in when write() returns); else queue.
    const run = this.#pending++ === 0 ? this.#writeAll(data) : this.#tail.then(() => this.#writeAll(data));
    this.#tail = run.then(noop, noop);
    return run;
  }

  async #writeAll(data) {
    const where = 'Producer.write';
    try {
      const src = toBytes(data, where);
      const n = src.length;
      let off = 0;
      while (off < n) {
        const k = this.#put(src, off, Math.min(n - off, this.#cap), where, off);
        if (k > 0) off += k;
        else await this.#r.waitAsync(L.RBS_OFF_PRODUCER_WAITING, L.RBS_OFF_READ, this.#hasRoom);
      }
    } finally {
      this.#pending--;
    }
  }

  /**
   * Blocking write for workers (Atomics.wait; not on a browser's main thread):
   * writes every byte unless `timeoutMs` passes first.  Returns the bytes
   * written (data.byteLength unless it timed out).
   */
  writeSync(data, timeoutMs) {
    const where = 'Producer.writeSync';
    this.#idle(where);
    const src = toBytes(data, where);
    const until = deadline(checkTimeout(timeoutMs, where));
    const n = src.length;
    let off = 0;
    while (off < n) {
      const k = this.#put(src, off, Math.min(n - off, this.#cap), where, off);
      if (k > 0) {
        off += k;
        continue;
      }
      const left = msLeft(until);
      if (left <= 0) break;
      this.#r.waitSync(L.RBS_OFF_PRODUCER_WAITING, L.RBS_OFF_READ, this.#hasRoom, left);
    }
    return off;
  }

  /**
   * Zero-copy write: a view of up to `n` bytes of free space, contiguous (it
   * may be shorter than the free space where the ring wraps; commit and
   * reserve again for the rest).  Empty when full.  Nothing is visible to the
   * consumer until commit().  A new reserve (or any write) replaces it.
   */
  reserve(n) {
    const where = 'Producer.reserve';
    this.#idle(where);
    checkCount(n, where, 'n');
    const k = this.#x.rbs_write_reserve(this.#ptr, Math.min(n, this.#cap), this.#sc);
    if (k < 0) throw errorFor(k, where);
    if (k === 0) {
      this.#reserved = 0;
      return EMPTY;
    }
    const p0 = this.#r.spans(this.#sc, k, where);
    this.#reserved = this.#r.l0;
    return new Uint8Array(this.#r.buffer, p0, this.#reserved);
  }

  /** Publishes the first `n` bytes of the last reserve()'s view. */
  commit(n) {
    const where = 'Producer.commit';
    checkCount(n, where, 'n', 0, this.#reserved, " (the length of the last reserve()'s view)");
    this.#reserved = 0;
    if (n > 0) this.#publish(n, where);
  }

  /** Resolves when there is room for at least one byte (at once if there is):
   *  what a reserve() that returned an empty view waits for. */
  async waitForRoom() {
    for (;;) {
      const n = this.#x.rbs_writable(this.#ptr);
      if (n < 0) throw errorFor(n, 'Producer.waitForRoom');
      if (n > 0) return;
      await this.#r.waitAsync(L.RBS_OFF_PRODUCER_WAITING, L.RBS_OFF_READ, this.#hasRoom);
    }
  }

  /**
   * Ends the stream: the consumer reads what was written, then sees the end.
   * Takes effect after the pending write() calls; the promise resolves then.
   */
  close() {
    if (this.#pending === 0) {
      this.#closeNow();
      return Promise.resolve();
    }
    this.#pending++;
    const run = this.#tail.then(() => {
      this.#pending--;
      this.#closeNow();
    });
    this.#tail = run.then(noop, noop);
    return run;
  }

  #closeNow() {
    const c = this.#x.rbs_close(this.#ptr);
    if (c < 0) throw errorFor(c, 'Producer.close');
    this.#r.notify(L.RBS_OFF_CONSUMER_WAITING, L.RBS_OFF_WRITE);
  }

  #idle(where) {
    if (this.#pending !== 0)
      throw new Error(`${where}: a write() or close() of this producer is still pending; await it first`);
  }

  // Reserves up to n (<= capacity) bytes, copies src[start..] in, publishes.
  #put(src, start, n, where, done = 0) {
    const k = this.#x.rbs_write_reserve(this.#ptr, n, this.#sc);
    if (k <= 0) {
      if (k === 0) return 0;
      throw errorFor(k, where, done ? `after ${done} of ${src.length} bytes` : undefined);
    }
    this.#reserved = 0;
    this.#copyIn(src, start, k, where);
    this.#publish(k, where);
    return k;
  }

  #copyIn(src, start, k, where) {
    const r = this.#r;
    const p0 = r.spans(this.#sc, k, where);
    const l0 = r.l0;
    if (start === 0 && l0 === src.length) r.u8.set(src, p0);
    else r.u8.set(src.subarray(start, start + l0), p0);
    if (r.l1 !== 0) r.u8.set(src.subarray(start + l0, start + k), r.p1);
  }

  #publish(n, where) {
    const c = this.#x.rbs_write_commit(this.#ptr, n);
    if (c < 0) throw errorFor(c, where);
    this.#r.notify(L.RBS_OFF_CONSUMER_WAITING, L.RBS_OFF_WRITE);
  }
}

export class Consumer {
  #r;
  #x;
  #ptr;
  #cap;
  #sc;
  #tail = Promise.resolve();
  #pending = 0; // async read() calls not finished yet
  #acquired = 0; // length of the view the last acquire() returned
  #hasData;

  /** @private */
  constructor(key, region) {
    checkInternal(key, 'Consumer');
    this.#r = region;
    this.#x = region.wasm;
    this.#ptr = region.offset;
    this.#cap = region.capacity;
    this.#sc = region.scratch('consumer');
    const closedIdx = region.index(L.RBS_OFF_CLOSED);
    this.#hasData = () => this.#x.rbs_readable(this.#ptr) !== 0 || Atomics.load(region.i32, closedIdx) !== 0;
  }

  get capacity() {
    return this.#cap;
  }

  /** Bytes that can be read now. */
  get available() {
    const n = this.#x.rbs_readable(this.#ptr);
    if (n < 0) throw errorFor(n, 'Consumer.available');
    return n;
  }

  /** True once the producer closed the ring (bytes may still be waiting). */
  get closed() {
    return this.#x.rbs_closed(this.#ptr) > 0;
  }

  /** True when the producer closed the ring and every byte has been read. */
  get ended() {
    return this.closed && this.available === 0; // closed first: then no byte can follow
  }

  /** Up to `n` bytes, in a new Uint8Array; empty when nothing is there. */
  tryRead(n) {
    const where = 'Consumer.tryRead';
    this.#idle(where);
    checkCount(n, where, 'n');
    return this.#take(n, where) ?? EMPTY;
  }

  /** Reads up to target.byteLength bytes into `target`; returns the count
   *  (0 when nothing is there; see `ended`). */
  readInto(target) {
    const where = 'Consumer.readInto';
    this.#idle(where);
    const dst = toBytes(target, where, 'target');
    if (dst.length === 0) return 0;
    const k = this.#acquire(Math.min(dst.length, this.#cap), where);
    this.#acquired = 0;
    if (k === 0) return 0;
    const r = this.#r;
    const p0 = r.spans(this.#sc, k, where);
    const l0 = r.l0;
    dst.set(r.u8.subarray(p0, p0 + l0));
    if (r.l1 !== 0) dst.set(r.u8.subarray(r.p1, r.p1 + r.l1), l0);
    this.#releaseNow(k, where);
    return k;
  }

  /**
   * Waits for data; resolves with a new Uint8Array of 1..n bytes, or null once
   * the producer closed the ring and every byte was read.  Calls are queued.
   */
  read(n) {
    const run = this.#pending++ === 0 ? this.#readAsync(n) : this.#tail.then(() => this.#readAsync(n));
    this.#tail = run.then(noop, noop);
    return run;
  }

  async #readAsync(n) {
    const where = 'Consumer.read';
    try {
      checkCount(n, where, 'n', 1);
      for (;;) {
        const v = this.#take(n, where);
        if (v) return v;
        if (this.ended) return null;
        await this.#r.waitAsync(L.RBS_OFF_CONSUMER_WAITING, L.RBS_OFF_WRITE, this.#hasData);
      }
    } finally {
      this.#pending--;
    }
  }

  /** Resolves when at least one byte is readable or the producer closed the
   *  ring (at once if so): what an empty acquire()/tryRead() waits for. */
  async waitForData() {
    while (!this.#hasData()) await this.#r.waitAsync(L.RBS_OFF_CONSUMER_WAITING, L.RBS_OFF_WRITE, this.#hasData);
    const n = this.#x.rbs_readable(this.#ptr);
    if (n < 0) throw errorFor(n, 'Consumer.waitForData');
  }

  /**
   * Blocking read for workers (Atomics.wait): 1..n bytes, an empty Uint8Array
   * if `timeoutMs` passed first, or null at the end of the stream.
   */
  readSync(n, timeoutMs) {
    const where = 'Consumer.readSync';
    this.#idle(where);
    checkCount(n, where, 'n', 1);
    const until = deadline(checkTimeout(timeoutMs, where));
    for (;;) {
      const v = this.#take(n, where);
      if (v) return v;
      if (this.ended) return null;
      const left = msLeft(until);
      if (left <= 0) return EMPTY;
      this.#r.waitSync(L.RBS_OFF_CONSUMER_WAITING, L.RBS_OFF_WRITE, this.#hasData, left);
    }
  }

  /**
   * Zero-copy read: a view of up to `n` readable bytes, contiguous (shorter
   * than what is readable where the ring wraps).  Empty when nothing is there.
   * Valid until release(); a new acquire (or any read) replaces it.
   */
  acquire(n) {
    const where = 'Consumer.acquire';
    this.#idle(where);
    checkCount(n, where, 'n');
    const k = this.#acquire(Math.min(n, this.#cap), where);
    if (k === 0) {
      this.#acquired = 0;
      return EMPTY;
    }
    const p0 = this.#r.spans(this.#sc, k, where);
    this.#acquired = this.#r.l0;
    return new Uint8Array(this.#r.buffer, p0, this.#acquired);
  }

  /** Consumes the first `n` bytes of the last acquire()'s view. */
  release(n) {
    const where = 'Consumer.release';
    checkCount(n, where, 'n', 0, this.#acquired, " (the length of the last acquire()'s view)");
    this.#acquired = 0;
    if (n > 0) this.#releaseNow(n, where);
  }

  #idle(where) {
    if (this.#pending !== 0) throw new Error(`${where}: a read() of this consumer is still pending; await it first`);
  }

  // rbs_read_acquire: the count (0 when empty, also when ended), or throws.
  #acquire(n, where) {
    const k = this.#x.rbs_read_acquire(this.#ptr, n, this.#sc);
    if (k >= 0) return k;
    if (k === L.RBS_ECLOSED) return 0;
    throw errorFor(k, where);
  }

  // Up to n bytes copied into a new Uint8Array, or null when none are there.
  #take(n, where) {
    const k = this.#acquire(Math.min(n, this.#cap), where);
    this.#acquired = 0;
    if (k === 0) return null;
    const r = this.#r;
    const p0 = r.spans(this.#sc, k, where);
    let out;
    if (r.l1 === 0) {
      out = r.u8.slice(p0, p0 + k); // slice: a new ArrayBuffer of exactly k bytes
    } else {
      out = new Uint8Array(k);
      out.set(r.u8.subarray(p0, p0 + r.l0));
      out.set(r.u8.subarray(r.p1, r.p1 + r.l1), r.l0);
    }
    this.#releaseNow(k, where);
    return out;
  }

  #releaseNow(n, where) {
    const c = this.#x.rbs_read_release(this.#ptr, n);
    if (c < 0) throw errorFor(c, where);
    this.#r.notify(L.RBS_OFF_PRODUCER_WAITING, L.RBS_OFF_READ);
  }
}

function byteRing(options, where, capacityName) {
  const capacity = roundCapacity(options.capacity, where, capacityName);
  return RingRegion.create({
    capacity,
    kind: L.RBS_KIND_BYTES,
    where,
    memory: options.memory,
    offset: options.offset,
    init: (x, offset, size, cap) => x.rbs_init(offset, size, cap),
  });
}

export class RingBuffer {
  #r;
  #token = newToken();
  #producer = null;
  #consumer = null;

  /**
   * A byte ring of at least `capacity` bytes (rounded up to a power of two,
   * at least 16), in a shared memory of its own.
   */
  constructor(capacity, region) {
    if (capacity === INTERNAL) this.#r = region;
    else this.#r = byteRing({ capacity }, 'new RingBuffer', 'capacity');
  }

  /**
   * The same with options: { capacity, memory?, offset? }.  With memory (a
   * shared WebAssembly.Memory) and offset (a multiple of 64), the ring is
   * formatted in place there instead.
   */
  static create(options) {
    const where = 'RingBuffer.create';
    if (typeof options !== 'object' || options === null)
      throw new TypeError(`${where}: options must be an object { capacity, memory?, offset? }; got ${describe(options)}`);
    return new RingBuffer(INTERNAL, byteRing(options, where, 'options.capacity'));
  }

  /**
   * Opens, in this thread, a ring from ring.handle posted by another thread,
   * or { memory, offset } of a byte ring that C code formatted in any shared
   * memory.  Makes this thread's own wasm instance over that memory (compiling
   * the module first if the handle brings none).
   */
  static async attach(handle) {
    if (typeof handle === 'object' && handle !== null && handle.module === undefined) await getModule();
    return RingBuffer.attachSync(handle, 'RingBuffer.attach');
  }

  /** attach() without waiting: compiles synchronously if the handle brings no
   *  module (fine in workers and worklets). */
  static attachSync(handle, where = 'RingBuffer.attachSync') {
    return new RingBuffer(INTERNAL, RingRegion.open(handle, { kind: L.RBS_KIND_BYTES, where }));
  }

  /** Data bytes (a power of two). */
  get capacity() {
    return this.#r.capacity;
  }

  get memory() {
    return this.#r.memory;
  }

  /** Byte offset of the ring's region in `memory`. */
  get offset() {
    return this.#r.offset;
  }

  /** { memory, offset, capacity, kind, module, abiVersion }: post it once to the other thread. */
  get handle() {
    return this.#r.handle;
  }

  /** The producer role, claimed for this object on first use. */
  get producer() {
    if (!this.#producer) {
      this.#r.claim('producer', this.#token, 'RingBuffer.producer');
      this.#producer = new Producer(INTERNAL, this.#r);
    }
    return this.#producer;
  }

  /** The consumer role, claimed for this object on first use. */
  get consumer() {
    if (!this.#consumer) {
      this.#r.claim('consumer', this.#token, 'RingBuffer.consumer');
      this.#consumer = new Consumer(INTERNAL, this.#r);
    }
    return this.#consumer;
  }

  /** Bytes readable now (either side may ask). */
  get available() {
    const n = this.#r.wasm.rbs_readable(this.#r.offset);
    if (n < 0) throw errorFor(n, 'RingBuffer.available');
    return n;
  }

  /** True once the producer closed the ring. */
  get closed() {
    return this.#r.wasm.rbs_closed(this.#r.offset) > 0;
  }

  /** The sketch's write: resolves once every byte of `data` is in the ring. */
  async write(data) {
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
