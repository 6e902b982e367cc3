// ring.js — the byte ring's JS API: RingBuffer (create, attach, handle,
// roles, and the sketch's write/read/available), Producer and Consumer.
//
// Copies go straight between the caller's bytes and the ring's spans with
// TypedArray.set (one copy, no staging).  The try*/readInto/reserve/acquire
// paths allocate no buffer: the C calls write their spans into the role's
// scratch words and the views of the memory are made once per ring; the only
// objects they create are a view of the caller's data when it is not a
// Uint8Array or the copy is split, and the view reserve/acquire return.
//
// Liveness (liveness.js): a role's heartbeat moves on a timer while it is
// held, never on the hot path; a side that waits for the other (write() on a
// full ring, read() on an empty one, and their Sync and waitFor* forms) waits
// in slices and, when the other side has been silent for peerTimeoutMs,
// rejects with PeerGoneError.  dispose() gives a role up; a role whose holder
// died is taken with ring.claim(role, { takeOver: true }).
//
// Waking (RingRegion.waitAsync/waitSync have the no-lost-wake-up argument):
//   - A consumer waiting for data waits on the producer's heartbeat word,
//     not on the write counter: close() moves no counter, so a consumer
//     waiting on the write counter, whose re-check ran just before a close,
//     slept through it (for good with peerTimeoutMs 0: its wait had no
//     slices).  The producer adds 1 to its heartbeat after a publication
//     while a consumer waits (region.wake) and after every close, then
//     notifies it, so the value the consumer loaded before its re-check has
//     changed by the time it waits.  The liveness timer's adds to the same
//     word wake nobody (no notify); at worst a wait returns early and
//     re-checks.
//   - A producer waiting for room waits on the read counter, which every
//     release moves; the consumer never closes, so nothing else needs waking.
//   - Each side notifies only when the other's waiting count is nonzero: a
//     busy ring makes no notify calls.
import * as L from './layout.js';
import { checkCount, checkTimeout, describe, errorFor, roundCapacity, toBytes } from './errors.js';
import { DEFAULT_PEER_TIMEOUT_MS, attachPeerTimeout, createPeerTimeout, HEARTBEAT_MS, checkPeerTimeout, sliceFor } from './liveness.js';
import { RingRegion, deadline, msLeft, newToken } from './region.js';
import { getModule } from './wasm.js';

export { PeerGoneError, DEFAULT_PEER_TIMEOUT_MS, HEARTBEAT_MS } from './liveness.js';

const INTERNAL = Symbol('ring-buffer-safe internal');
const EMPTY = new Uint8Array(0);
const noop = () => {};

function checkInternal(key, cls) {
  if (key !== INTERNAL) throw new TypeError(`${cls} is not constructed directly: use ring.${cls.toLowerCase()}`);
}

// Why a role object can no longer be used (its #gone), for the messages.
const DISPOSED = 'disposed';
const LOST = 'lost';

function goneError(where, role, why) {
  return new Error(
    why === DISPOSED
      ? `${where}: this ${role} was disposed (it gave the role up); claim the role again with ring.${role}`
      : `${where}: the ${role} role was taken over by another instance (a claim with { takeOver: true } found this one ` +
          `silent for its timeout); this ${role} can no longer be used`,
  );
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
  #link; // { token, timeoutMs, slice, dropped }
  #gone = null; // DISPOSED or LOST once this object may no longer write

  /** @private */
  constructor(key, region, link) {
    checkInternal(key, 'Producer');
    this.#r = region;
    this.#x = region.wasm;
    this.#ptr = region.offset;
    this.#cap = region.capacity;
    this.#sc = region.scratch('producer');
    this.#link = link;
    this.#hasRoom = () => this.#x.rbs_writable(this.#ptr) !== 0 || this.#gone !== null; // nonzero: room, or an error to report
  }

  /**
   * Gives the producer role up: the owner word goes back to 0 so another
   * instance (this thread's or another's) may claim it, and the heartbeat
   * stops.  The ring stays open (close() first to end the stream): a consumer
   * waits for the next producer.  A reservation not committed is dropped; a
   * pending write() or close() rejects.  Disposing twice is harmless.
   */
  dispose() {
    if (this.#gone !== null) return;
    this.#gone = DISPOSED;
    this.#reserved = 0;
    this.#r.release('producer', this.#link.token);
    this.#link.dropped(this);
    Atomics.notify(this.#r.i32, this.#r.index(L.RBS_OFF_READ)); // only this role waits on it: our own waits end
  }

  /** @private the role was taken from this object (region.beat saw it) */
  _lost() {
    if (this.#gone !== null) return;
    this.#gone = LOST;
    this.#reserved = 0;
    this.#link.dropped(this);
    Atomics.notify(this.#r.i32, this.#r.index(L.RBS_OFF_READ));
  }

  /** True once dispose() gave the role up (or another instance took it over). */
  get disposed() {
    return this.#gone !== null;
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
    this.#reserved = 0; // any write drops the reservation (C's reserve below does too)
    if (n === 0) return this.#emptyWrite(where);
    const k = this.#x.rbs_write_reserve(this.#ptr, n, this.#sc);
    if (k < 0) throw errorFor(k, where);
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
      this.#usable(where);
      const src = toBytes(data, where);
      const n = src.length;
      this.#reserved = 0;
      if (n === 0) return void this.#emptyWrite(where);
      let off = 0;
      while (off < n) {
        const k = this.#put(src, off, Math.min(n - off, this.#cap), where, off);
        if (k > 0) off += k;
        else await this.#waitRoom(where);
      }
    } finally {
      this.#pending--;
    }
  }

  // One slice of waiting for room on a full ring: PeerGoneError if the
  // consumer has been silent too long, an Error if this object was disposed.
  async #waitRoom(where) {
    this.#r.checkPeer('consumer', this.#link.timeoutMs, where, 'the ring is full');
    await this.#r.waitAsync(L.RBS_OFF_PRODUCER_WAITING, L.RBS_OFF_READ, this.#hasRoom, this.#link.slice);
    this.#stillHeld(where);
  }

  // Throws if this object may no longer write (disposed, or its role lost).
  #usable(where) {
    if (this.#gone !== null) throw goneError(where, 'producer', this.#gone);
  }

  // After a wait: also notices a takeOver the timer has not reported yet.
  #stillHeld(where) {
    if (this.#gone === null && !this.#r.holds('producer', this.#link.token)) this._lost();
    this.#usable(where);
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
    this.#reserved = 0;
    if (n === 0) return this.#emptyWrite(where) && 0;
    let off = 0;
    while (off < n) {
      const k = this.#put(src, off, Math.min(n - off, this.#cap), where, off);
      if (k > 0) {
        off += k;
        continue;
      }
      const left = msLeft(until);
      if (left <= 0) break;
      this.#r.checkPeer('consumer', this.#link.timeoutMs, where, 'the ring is full');
      // This thread's timer cannot run while it blocks: each slice beats.
      this.#r.beatNow('producer');
      this.#r.waitSync(L.RBS_OFF_PRODUCER_WAITING, L.RBS_OFF_READ, this.#hasRoom, Math.min(left, this.#link.slice, HEARTBEAT_MS));
      this.#stillHeld(where);
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
    this.#reserved = 0; // C drops the last reservation first, also when it fails
    const k = this.#x.rbs_write_reserve(this.#ptr, Math.min(n, this.#cap), this.#sc);
    if (k < 0) throw errorFor(k, where);
    if (k === 0) return EMPTY;
    const p0 = this.#r.spans(this.#sc, k, where);
    this.#reserved = this.#r.l0;
    return new Uint8Array(this.#r.buffer, p0, this.#reserved);
  }

  /** Publishes the first `n` bytes of the last reserve()'s view. */
  commit(n) {
    const where = 'Producer.commit';
    this.#usable(where);
    checkCount(n, where, 'n', 0, this.#reserved, " (the length of the last reserve()'s view)");
    this.#reserved = 0;
    if (n > 0) this.#publish(n, where);
  }

  /** Resolves when there is room for at least one byte (at once if there is):
   *  what a reserve() that returned an empty view waits for. */
  async waitForRoom() {
    const where = 'Producer.waitForRoom';
    this.#usable(where);
    for (;;) {
      const n = this.#x.rbs_writable(this.#ptr);
      if (n < 0) throw errorFor(n, where);
      if (n > 0) return;
      await this.#waitRoom(where);
    }
  }

  /**
   * Ends the stream: the consumer reads what was written, then sees the end.
   * Takes effect after the pending write() calls; the promise resolves then.
   */
  close() {
    if (this.#pending === 0) {
      try {
        this.#closeNow();
      } catch (e) {
        return Promise.reject(e);
      }
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
    this.#usable('Producer.close');
    const c = this.#x.rbs_close(this.#ptr);
    if (c < 0) throw errorFor(c, 'Producer.close');
    // The heartbeat is the consumer's wake word: moving it after the close
    // (always, not only when a consumer waits) is what stops a consumer that
    // loaded it before its re-check missed the close from sleeping on.
    this.#r.beatNow('producer');
    this.#r.notify(L.RBS_OFF_CONSUMER_WAITING, L.RBS_OFF_PRODUCER_HEARTBEAT);
  }

  #idle(where) {
    if (this.#pending !== 0 || this.#gone !== null) {
      this.#usable(where);
      throw new Error(`${where}: a write() or close() of this producer is still pending; await it first`);
    }
  }

  // A write of no bytes: true, or RBS_ECLOSED as any write after close() (as C's rbs_write).
  #emptyWrite(where) {
    if (this.#x.rbs_closed(this.#ptr) > 0) throw errorFor(L.RBS_ECLOSED, where);
    return true;
  }

  // Reserves up to n (<= capacity) bytes, copies src[start..] in, publishes.
  // Drops the caller's reservation, as C's reserve does (also when it fails).
  #put(src, start, n, where, done = 0) {
    this.#reserved = 0;
    const k = this.#x.rbs_write_reserve(this.#ptr, n, this.#sc);
    if (k <= 0) {
      if (k === 0) return 0;
      throw errorFor(k, where, done ? `after ${done} of ${src.length} bytes` : undefined);
    }
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
    this.#r.wake(L.RBS_OFF_CONSUMER_WAITING, L.RBS_OFF_PRODUCER_HEARTBEAT);
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
  #link; // { token, timeoutMs, slice, dropped }
  #gone = null; // DISPOSED or LOST once this object may no longer read

  /** @private */
  constructor(key, region, link) {
    checkInternal(key, 'Consumer');
    this.#r = region;
    this.#x = region.wasm;
    this.#ptr = region.offset;
    this.#cap = region.capacity;
    this.#sc = region.scratch('consumer');
    this.#link = link;
    const closedIdx = region.index(L.RBS_OFF_CLOSED);
    this.#hasData = () =>
      this.#x.rbs_readable(this.#ptr) !== 0 || Atomics.load(region.i32, closedIdx) !== 0 || this.#gone !== null;
  }

  /**
   * Gives the consumer role up: the owner word goes back to 0 so another
   * instance may claim it, and the heartbeat stops.  Unread bytes stay in the
   * ring for the next consumer; an acquire() not released is dropped (its
   * bytes stay unread); a pending read() rejects.  Disposing twice is harmless.
   */
  dispose() {
    if (this.#gone !== null) return;
    this.#gone = DISPOSED;
    this.#acquired = 0;
    this.#r.release('consumer', this.#link.token);
    this.#link.dropped(this);
    Atomics.notify(this.#r.i32, this.#r.index(L.RBS_OFF_PRODUCER_HEARTBEAT)); // only this role waits on it: our own waits end
  }

  /** @private the role was taken from this object (region.beat saw it) */
  _lost() {
    if (this.#gone !== null) return;
    this.#gone = LOST;
    this.#acquired = 0;
    this.#link.dropped(this);
    Atomics.notify(this.#r.i32, this.#r.index(L.RBS_OFF_PRODUCER_HEARTBEAT));
  }

  /** True once dispose() gave the role up (or another instance took it over). */
  get disposed() {
    return this.#gone !== null;
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
    this.#acquired = 0; // any read drops the acquire (C's acquire below does too)
    if (dst.length === 0) return 0;
    const k = this.#acquire(Math.min(dst.length, this.#cap), where);
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
      this.#usable(where);
      checkCount(n, where, 'n', 1);
      for (;;) {
        const v = this.#take(n, where);
        if (v) return v;
        if (this.ended) return null;
        await this.#waitData(where);
      }
    } finally {
      this.#pending--;
    }
  }

  // One slice of waiting for data on an empty ring: PeerGoneError if the
  // producer has been silent too long, an Error if this object was disposed.
  async #waitData(where) {
    this.#r.checkPeer('producer', this.#link.timeoutMs, where, 'the ring is empty');
    await this.#r.waitAsync(L.RBS_OFF_CONSUMER_WAITING, L.RBS_OFF_PRODUCER_HEARTBEAT, this.#hasData, this.#link.slice);
    this.#stillHeld(where);
  }

  #usable(where) {
    if (this.#gone !== null) throw goneError(where, 'consumer', this.#gone);
  }

  #stillHeld(where) {
    if (this.#gone === null && !this.#r.holds('consumer', this.#link.token)) this._lost();
    this.#usable(where);
  }

  /** Resolves when at least one byte is readable or the producer closed the
   *  ring (at once if so): what an empty acquire()/tryRead() waits for. */
  async waitForData() {
    const where = 'Consumer.waitForData';
    this.#usable(where);
    while (!this.#hasData()) await this.#waitData(where);
    const n = this.#x.rbs_readable(this.#ptr);
    if (n < 0) throw errorFor(n, where);
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
      this.#r.checkPeer('producer', this.#link.timeoutMs, where, 'the ring is empty');
      this.#r.beatNow('consumer'); // the timer cannot run while this thread blocks
      this.#r.waitSync(
        L.RBS_OFF_CONSUMER_WAITING,
        L.RBS_OFF_PRODUCER_HEARTBEAT,
        this.#hasData,
        Math.min(left, this.#link.slice, HEARTBEAT_MS),
      );
      this.#stillHeld(where);
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
    this.#acquired = 0;
    const k = this.#acquire(Math.min(n, this.#cap), where);
    if (k === 0) return EMPTY;
    const p0 = this.#r.spans(this.#sc, k, where);
    this.#acquired = this.#r.l0;
    return new Uint8Array(this.#r.buffer, p0, this.#acquired);
  }

  /** Consumes the first `n` bytes of the last acquire()'s view. */
  release(n) {
    const where = 'Consumer.release';
    this.#usable(where);
    checkCount(n, where, 'n', 0, this.#acquired, " (the length of the last acquire()'s view)");
    this.#acquired = 0;
    if (n > 0) this.#releaseNow(n, where);
  }

  #idle(where) {
    if (this.#pending !== 0 || this.#gone !== null) {
      this.#usable(where);
      throw new Error(`${where}: a read() of this consumer is still pending; await it first`);
    }
  }

  // rbs_read_acquire: the count (0 when empty, also when ended), or throws.
  #acquire(n, where) {
    const k = this.#x.rbs_read_acquire(this.#ptr, n, this.#sc);
    if (k >= 0) return k;
    if (k === L.RBS_ECLOSED) return 0;
    throw errorFor(k, where);
  }

  // Up to n bytes copied into a new Uint8Array, or null when none are there.
  // Drops the caller's acquire, as C's acquire does.
  #take(n, where) {
    this.#acquired = 0;
    const k = this.#acquire(Math.min(n, this.#cap), where);
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
  #timeout = DEFAULT_PEER_TIMEOUT_MS;
  #producer = null;
  #consumer = null;
  #dropped = (role) => {
    if (this.#producer === role) this.#producer = null;
    if (this.#consumer === role) this.#consumer = null;
  };

  /**
   * A byte ring of at least `capacity` bytes (rounded up to a power of two,
   * at least 16), in a shared memory of its own.
   */
  constructor(capacity, region, timeoutMs) {
    if (capacity === INTERNAL) {
      this.#r = region;
      this.#timeout = timeoutMs;
    } else this.#r = byteRing({ capacity }, 'new RingBuffer', 'capacity');
  }

  /**
   * The same with options: { capacity, memory?, offset?, peerTimeoutMs? }.
   * With memory (a shared WebAssembly.Memory) and offset (a multiple of 64),
   * the ring is formatted in place there instead.  peerTimeoutMs: how long
   * the other side may stay silent while this side waits for it before the
   * wait fails with PeerGoneError (default 5000; 0 or Infinity: never).
   */
  static create(options) {
    const where = 'RingBuffer.create';
    const timeoutMs = createPeerTimeout(options, where, describe);
    return new RingBuffer(INTERNAL, byteRing(options, where, 'options.capacity'), timeoutMs);
  }

  /**
   * Opens, in this thread, a ring from ring.handle posted by another thread,
   * or { memory, offset } of a byte ring that C code formatted in any shared
   * memory.  Makes this thread's own wasm instance over that memory (compiling
   * the module first if the handle brings none).  options: { peerTimeoutMs? }
   * as for create().
   */
  static async attach(handle, options) {
    if (typeof handle === 'object' && handle !== null && handle.module === undefined) await getModule();
    return RingBuffer.#open(handle, options, 'RingBuffer.attach');
  }

  /** attach() without waiting: compiles synchronously if the handle brings no
   *  module (fine in workers and worklets). */
  static attachSync(handle, options) {
    return RingBuffer.#open(handle, options, 'RingBuffer.attachSync');
  }

  static #open(handle, options, where) {
    const timeoutMs = attachPeerTimeout(options, where, describe);
    return new RingBuffer(INTERNAL, RingRegion.open(handle, { kind: L.RBS_KIND_BYTES, where }), timeoutMs);
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

  /** How long a wait tolerates a silent other side (Infinity: forever). */
  get peerTimeoutMs() {
    return this.#timeout;
  }

  /** The producer role, claimed for this object on first use. */
  get producer() {
    if (!this.#producer) this.#claimNow('producer', 'RingBuffer.producer');
    return this.#producer;
  }

  /** The consumer role, claimed for this object on first use. */
  get consumer() {
    if (!this.#consumer) this.#claimNow('consumer', 'RingBuffer.consumer');
    return this.#consumer;
  }

  // The role object, made once the region granted the claim.
  #make(role) {
    const link = { token: this.#token, timeoutMs: this.#timeout, slice: sliceFor(this.#timeout), dropped: this.#dropped };
    const obj = role === 'producer' ? new Producer(INTERNAL, this.#r, link) : new Consumer(INTERNAL, this.#r, link);
    if (role === 'producer') this.#producer = obj;
    else this.#consumer = obj;
    return obj;
  }

  #claimNow(role, where) {
    // onLost reaches the object through this ring (the region holds no role object).
    const onLost = () => (role === 'producer' ? this.#producer : this.#consumer)?._lost();
    this.#r.claim(role, this.#token, where, { onLost });
    return this.#make(role);
  }

  /**
   * Claims `role` ('producer' or 'consumer') and resolves with its object, as
   * the getters do.  With { takeOver: true } a role held by another instance
   * is taken if its holder stays silent (no heartbeat, no data moved) for
   * `staleMs` (default: peerTimeoutMs, or 5000 if that is off) while this
   * watches: the answer to "the previous holder's thread ended without
   * dispose()".  A holder heard from meanwhile is alive: the claim rejects.
   */
  async claim(role, options) {
    const where = 'RingBuffer.claim';
    if (role !== 'producer' && role !== 'consumer')
      throw new TypeError(`${where}: role must be 'producer' or 'consumer'; got ${describe(role)}`);
    if (options !== undefined && (typeof options !== 'object' || options === null))
      throw new TypeError(`${where}: options must be an object { takeOver?, staleMs? } or absent; got ${describe(options)}`);
    const held = role === 'producer' ? this.#producer : this.#consumer;
    if (held) return held;
    if (!options?.takeOver) return this.#claimNow(role, where);
    const staleMs =
      options.staleMs === undefined
        ? this.#timeout === Infinity
          ? DEFAULT_PEER_TIMEOUT_MS
          : this.#timeout
        : checkPeerTimeout(options.staleMs, where, 'options.staleMs', describe);
    if (staleMs === Infinity)
      throw new RangeError(`${where}: options.staleMs must be a finite number of milliseconds > 0 for a takeOver; got ${options.staleMs}`);
    const onLost = () => (role === 'producer' ? this.#producer : this.#consumer)?._lost();
    await this.#r.takeOver(role, this.#token, where, staleMs, { onLost });
    return (role === 'producer' ? this.#producer : this.#consumer) ?? this.#make(role);
  }

  /** Gives up the roles this object holds (see Producer.dispose and
   *  Consumer.dispose); the object may claim them again later. */
  dispose() {
    this.#producer?.dispose();
    this.#consumer?.dispose();
  }

  /** Whether a producer holds its role and was heard from (heartbeat or
   *  data) within peerTimeoutMs, as far as this object watched it: false when
   *  the role is free, or once a holder stays silent that long (its thread
   *  ended or hangs).  With the timeout off, whether the role is held. */
  get producerAlive() {
    return this.#r.alive('producer', this.#timeout);
  }

  /** The same for the consumer. */
  get consumerAlive() {
    return this.#r.alive('consumer', this.#timeout);
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
