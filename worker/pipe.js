// pipe.js — MessagePipe: whole messages through a ring of kind
// RBS_KIND_MESSAGES (core/src/msg.c), one sender and one receiver, with the
// same create / handle / attach / role rules as RingBuffer.  The sender is
// the ring's producer role and the receiver its consumer role, claimed in the
// shared header on first use of pipe.sender / pipe.receiver.
//
// One copy each way, no staging: a message is reserved in the ring
// (rbs_msg_reserve), the caller's bytes are copied in -- or a string encoded
// in with TextEncoder.encodeInto -- and committed (rbs_msg_commit); the
// receiver acquires the message in place (rbs_msg_acquire), copies it into a
// Uint8Array the caller owns (or decodes it), and releases it.  (Text in an
// engine whose encodeInto/decode refuse shared memory takes one more copy:
// see "Text and shared memory" below.)
//
// Liveness is RingBuffer's (liveness.js): peerTimeoutMs, waits cut in slices
// that reject with PeerGoneError when the other end stays silent, dispose(),
// claim(role, { takeOver }).
//
// Results: null means "the pipe ended" (the sender closed it and every message
// was received); undefined means "nothing now" (tryRecv, or recvSync's
// timeout).  A zero-length message is an empty Uint8Array, never either.
//
// Waking (the receiver waits, the sender wakes it):
//   - The receiver waits on the producer's heartbeat word, not on the write
//     counter: a close does not move the write counter, so a receiver waiting
//     on it could miss a close that raced its wait.  The sender adds 1 to the
//     heartbeat whenever it wakes the receiver -- after a message or a close --
//     so the value the receiver saw has always changed by then.  (The liveness
//     timer's adds to it wake nobody: Atomics.wait returns on a notify.)
//   - No lost wake-up (RingRegion.waitAsync/waitSync): the receiver adds to
//     its waiting word, loads the heartbeat, re-checks for a message, then
//     waits on the heartbeat with the value it loaded.  The sender publishes,
//     then loads the waiting word (every Atomics and wasm atomic access is
//     sequentially consistent): either it sees the waiter and bumps and
//     notifies, or the waiter's re-check sees the message.
//   - Each side wakes the other only when the other's waiting word says it
//     waits, and then each of its waits at most once.  A side numbers its
//     waits in its own heartbeat word (an Atomics.add just before it sets its
//     waiting word; the liveness timer of liveness.js adds to the same word,
//     which only makes numbers change more often).  The waker remembers the
//     number at which a notify actually woke a waiter (Atomics.notify returned
//     1) and skips the notify while the number stays the same: that wait was
//     woken, it re-checks after it resumes and sees everything published
//     before, and if it must wait again it does so under a new number.  A
//     notify that found no waiter yet (it had set its waiting word but not
//     reached Atomics.wait) is not remembered, so the next one is made: a
//     waiter's re-check before it sleeps sees only what was published before
//     it, and a sender may still lack room after it.  So a burst of messages
//     sent while the receiver wakes costs one notify, and so does a run of
//     messages received while a sender waits for room.  (Remembering a
//     counter instead of a wait number loses wake-ups: a receiver can drain,
//     then wait again at the same read counter.)
//   - A sender waiting for room waits on the read counter, which every
//     release moves.
import * as L from './layout.js';
import { checkTimeout, describe, errorFor, roundCapacity } from './errors.js';
import { DEFAULT_PEER_TIMEOUT_MS, attachPeerTimeout, createPeerTimeout, HEARTBEAT_MS, checkPeerTimeout, sliceFor } from './liveness.js';
import { RingRegion, deadline, msLeft, newToken } from './region.js';
import { getModule } from './wasm.js';

const INTERNAL = Symbol('ring-buffer-safe pipe internal');
const RESOLVED = Promise.resolve();
const noop = () => {};
const DATA_KINDS = 'a string, an ArrayBuffer, a SharedArrayBuffer, a TypedArray or a DataView';

// Text and shared memory.  The Encoding standard's encodeInto() and decode()
// do not take views of a SharedArrayBuffer ([AllowShared] is not on them):
// Chromium (checked with 156) throws "The provided Uint8Array value must not
// be shared"; Node 20 accepts them.  Each is probed once, on an empty view of
// the ring's memory.  Where they are accepted, a string is encoded straight
// into its reserved place in the ring and a message decoded in place; where
// not, through `plain`, a non-shared buffer reused for every message (grown to
// the largest one): one extra copy, no allocation.
// An AudioWorkletGlobalScope has no TextEncoder/TextDecoder: made on first use.
let encoder = null;
let decoder = null;
let encodesShared; // undefined until probed
let decodesShared;
let plain = new Uint8Array(256);

function staging(n) {
  if (plain.length < n) plain = new Uint8Array(Math.max(n, 2 * plain.length));
  return plain;
}

function theEncoder(u8, where) {
  if (!encoder) {
    if (typeof TextEncoder !== 'function') throw new TypeError(`${where}: this scope has no TextEncoder; send bytes instead`);
    encoder = new TextEncoder();
  }
  if (encodesShared === undefined) {
    try {
      encoder.encodeInto('', u8.subarray(0, 0));
      encodesShared = true;
    } catch {
      encodesShared = false;
    }
  }
  return encoder;
}

/** UTF-8 bytes of `u8[p .. p+len)` (shared memory) as a string; invalid
 *  bytes become U+FFFD. */
function decodeAt(u8, p, len, where) {
  if (!decoder) {
    if (typeof TextDecoder !== 'function') throw new TypeError(`${where}: this scope has no TextDecoder; use recv() for bytes`);
    decoder = new TextDecoder();
  }
  if (decodesShared === undefined) {
    try {
      decoder.decode(u8.subarray(0, 0));
      decodesShared = true;
    } catch {
      decodesShared = false;
    }
  }
  if (decodesShared) return decoder.decode(u8.subarray(p, p + len));
  const buf = staging(len);
  buf.set(u8.subarray(p, p + len));
  return decoder.decode(buf.subarray(0, len));
}

// Before a side sleeps it looks again this many times (each look a wasm
// call of about 0.05 us, so a few microseconds in all).  The other side is
// usually busy on its own core and about to make room or send: a short spin
// then saves a futex sleep here and a notify there.  Without it, a sender
// faster than its receiver was woken once per message the receiver freed.
const SPIN = 128;

function spun(ready) {
  for (let k = 0; k < SPIN; k++) if (ready()) return true;
  return false;
}

/** Bytes of `s` in UTF-8 as TextEncoder writes it (a lone surrogate becomes
 *  U+FFFD, 3 bytes). */
export function utf8Length(s) {
  let n = s.length;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) continue;
    if (c < 0x800) n += 1;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length && (s.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      n += 2; // a surrogate pair: 2 units, 4 bytes
      i++;
    } else n += 2;
  }
  return n;
}

/** A Uint8Array over binary data (no copy), or throws TypeError. */
function bytesOf(data, where) {
  if (data instanceof Uint8Array) return data;
  if (ArrayBuffer.isView(data)) return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  const tag = Object.prototype.toString.call(data);
  if (tag === '[object ArrayBuffer]' || tag === '[object SharedArrayBuffer]') return new Uint8Array(data);
  throw new TypeError(`${where}: data must be ${DATA_KINDS}; got ${describe(data)}`);
}

function checkInternal(key, cls, getter) {
  if (key !== INTERNAL) throw new TypeError(`${cls} is not constructed directly: use pipe.${getter} of a MessagePipe`);
}

// Liveness, as for RingBuffer (liveness.js): a role is held by one object,
// its heartbeat beats while it is held, and a side that waits for the other
// watches it.  Why a role object can no longer be used (its #gone):
const DISPOSED = 'disposed';
const LOST = 'lost';

function goneError(where, name, why) {
  return new Error(
    why === DISPOSED
      ? `${where}: this ${name} was disposed (it gave the role up); claim the role again with pipe.${name}`
      : `${where}: the ${name} role was taken over by another instance (a claim with { takeOver: true } found this one ` +
          `silent for its timeout); this ${name} can no longer be used`,
  );
}

export class MessageSender {
  #r;
  #x;
  #ptr;
  #sc; // byte address of the producer's scratch word (rbs_msg_reserve's *ptr)
  #max;
  #u32;
  #i32;
  #flag; // index of the consumer-waiting word
  #beat; // index of the heartbeat word the receiver waits on
  #waitNo; // index of the receiver's wait number (the consumer's heartbeat word)
  #notifiedAt = -1; // the receiver's wait number at our last wake-up (-1: none)
  #tail = RESOLVED;
  #pending = 0; // send()/close() calls queued and not finished
  #sent = 0;
  #wakeups = 0;
  #waits = 0;
  #link; // { token, timeoutMs, slice, dropped }
  #gone = null; // DISPOSED or LOST once this object may no longer send

  /** @private */
  constructor(key, region, link) {
    checkInternal(key, 'MessageSender', 'sender');
    this.#r = region;
    this.#link = link;
    this.#x = region.wasm;
    this.#ptr = region.offset;
    this.#sc = region.scratch('producer');
    this.#u32 = region.u32;
    this.#i32 = region.i32;
    this.#flag = region.index(L.RBS_OFF_CONSUMER_WAITING);
    this.#beat = region.index(L.RBS_OFF_PRODUCER_HEARTBEAT);
    this.#waitNo = region.index(L.RBS_OFF_CONSUMER_HEARTBEAT);
    const max = this.#x.rbs_msg_max_size(this.#ptr);
    if (max < 0) throw errorFor(max, 'MessagePipe.sender');
    this.#max = max;
  }

  /** The largest message, in bytes (capacity / 2 - 4); a string counts its UTF-8 bytes. */
  get maxMessageSize() {
    return this.#max;
  }

  /** True once close() took effect. */
  get closed() {
    return this.#x.rbs_closed(this.#ptr) > 0;
  }

  /** Messages this sender has sent. */
  get sent() {
    return this.#sent;
  }

  /** Times this sender woke the receiver from a wait. */
  get wakeups() {
    return this.#wakeups;
  }

  /** Times this sender found no room and waited. */
  get waits() {
    return this.#waits;
  }

  /** True once dispose() gave the role up (or another instance took it over). */
  get disposed() {
    return this.#gone !== null;
  }

  /**
   * Gives the sender role up (the owner word back to 0, the heartbeat
   * stopped) so another instance may claim it; the pipe stays open (close()
   * first to end it).  A pending send() or close() rejects.  Harmless twice.
   */
  dispose() {
    if (this.#gone !== null) return;
    this.#gone = DISPOSED;
    this.#r.release('producer', this.#link.token);
    this.#link.dropped(this);
    Atomics.notify(this.#i32, this.#r.index(L.RBS_OFF_READ)); // only this role waits on it: our own waits end
  }

  /** @private the role was taken from this object (region.beat saw it) */
  _lost() {
    if (this.#gone !== null) return;
    this.#gone = LOST;
    this.#link.dropped(this);
    Atomics.notify(this.#i32, this.#r.index(L.RBS_OFF_READ));
  }

  /** Sends `data` as one message if it fits now; returns whether it did.
   *  Nothing of a refused message reaches the receiver. */
  trySend(data) {
    const where = 'MessageSender.trySend';
    this.#idle(where);
    return this.#offer(data, where);
  }

  /**
   * Sends `data` as one message, waiting for room; resolves once it is in the
   * ring.  Calls are queued, so messages keep the order of the calls.  The
   * data is read when the message goes in: do not change it before then.
   */
  send(data) {
    if (this.#pending === 0) {
      try {
        this.#usable('MessageSender.send');
        if (this.#offer(data, 'MessageSender.send')) return RESOLVED;
      } catch (e) {
        return Promise.reject(e);
      }
    }
    this.#pending++;
    const run = this.#tail.then(() => this.#sendWaiting(data));
    this.#tail = run.then(noop, noop);
    return run;
  }

  async #sendWaiting(data) {
    const where = 'MessageSender.send';
    try {
      this.#usable(where);
      let fits = null;
      while (!this.#offer(data, where)) {
        fits ??= this.#fits(this.#size(data, where));
        if (spun(fits) && this.#gone === null) continue;
        this.#usable(where);
        // One slice of waiting: PeerGoneError if the receiver has been silent too long.
        this.#r.checkPeer('consumer', this.#link.timeoutMs, where, 'the pipe is full');
        this.#waits++;
        Atomics.add(this.#i32, this.#beat, 1); // a new wait number (see #freed in the receiver)
        await this.#r.waitAsync(L.RBS_OFF_PRODUCER_WAITING, L.RBS_OFF_READ, fits, this.#link.slice);
        this.#stillHeld(where);
      }
    } finally {
      this.#pending--;
    }
  }

  // Throws if this object may no longer send (disposed, or its role lost).
  #usable(where) {
    if (this.#gone !== null) throw goneError(where, 'sender', this.#gone);
  }

  // After a wait: also notices a takeOver the timer has not reported yet.
  #stillHeld(where) {
    if (this.#gone === null && !this.#r.holds('producer', this.#link.token)) this._lost();
    this.#usable(where);
  }

  /**
   * Blocking send for workers (Atomics.wait; not on a browser's main thread):
   * waits for room at most `timeoutMs` (default: forever).  Returns whether
   * the message was sent.
   */
  sendSync(data, timeoutMs) {
    const where = 'MessageSender.sendSync';
    this.#idle(where);
    const until = deadline(checkTimeout(timeoutMs, where));
    let fits = null;
    for (;;) {
      if (this.#offer(data, where)) return true;
      const left = msLeft(until);
      if (left <= 0) return false;
      fits ??= this.#fits(this.#size(data, where));
      if (spun(fits) && this.#gone === null) continue;
      this.#usable(where);
      this.#r.checkPeer('consumer', this.#link.timeoutMs, where, 'the pipe is full');
      this.#waits++;
      // A new wait number; it is also this slice's heartbeat (the timer cannot run while we block).
      Atomics.add(this.#i32, this.#beat, 1);
      this.#r.waitSync(L.RBS_OFF_PRODUCER_WAITING, L.RBS_OFF_READ, fits, Math.min(left, this.#link.slice, HEARTBEAT_MS));
      this.#stillHeld(where);
    }
  }

  /**
   * Ends the stream: the receiver gets every message sent before, then the
   * end (null).  Takes effect after the pending send() calls.
   */
  close() {
    if (this.#pending === 0) {
      try {
        this.#closeNow();
      } catch (e) {
        return Promise.reject(e);
      }
      return RESOLVED;
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
    this.#usable('MessageSender.close');
    const c = this.#x.rbs_close(this.#ptr);
    if (c < 0) throw errorFor(c, 'MessageSender.close');
    if (Atomics.load(this.#i32, this.#flag) !== 0) this.#notify();
  }

  #idle(where) {
    this.#usable(where);
    if (this.#pending !== 0)
      throw new Error(`${where}: a send() or close() of this sender is still pending; await it first`);
  }

  // What a wait for room waits for: the message's exact size in bytes (a
  // smaller one would make ready() true while #offer still fails: a spin).
  #size(data, where) {
    return typeof data === 'string' ? utf8Length(data) : bytesOf(data, where).length;
  }

  #tooBig(where, what, n) {
    const e = new RangeError(
      `${where}: data is ${what}, larger than maxMessageSize ${this.#max} ` +
        `(capacity ${this.#r.capacity} / 2 - 4); a message must be from 0 to ${this.#max} bytes`,
    );
    e.code = L.RBS_ETOOBIG;
    e.codeName = 'RBS_ETOOBIG';
    e.size = n;
    return e;
  }

  // ready() for a wait: room for a message of n bytes now (or an error to report).
  #fits(n) {
    return () => this.#gone !== null || this.#x.rbs_msg_reserve(this.#ptr, n, this.#sc) !== L.RBS_EAGAIN;
  }

  // Sends data if it fits now: true, false (no room), or throws.
  #offer(data, where) {
    if (typeof data === 'string') return this.#offerText(data, where);
    const src = bytesOf(data, where);
    const n = src.length;
    if (n > this.#max) throw this.#tooBig(where, `${n} bytes`, n);
    const p = this.#reserve(n, where);
    if (p < 0) return false;
    if (n !== 0) this.#r.u8.set(src, p);
    this.#commit(n, where);
    return true;
  }

  // A string goes straight from encodeInto into the ring.  It reserves the
  // worst case, 3 bytes per UTF-16 unit (a pair of units is 4 bytes), then
  // commits what was written.  The exact size is counted only when the worst
  // case is larger than the largest message or does not fit now.
  #offerText(s, where) {
    const enc = theEncoder(this.#r.u8, where);
    if (!encodesShared) return this.#offerStaged(enc, s, where);
    const worst = 3 * s.length;
    let want = worst;
    if (want > this.#max) {
      want = utf8Length(s);
      if (want > this.#max) throw this.#tooBig(where, `a string of ${want} bytes in UTF-8`, want);
    }
    let p = this.#reserve(want, where);
    if (p < 0) {
      // No room for the worst case.  Count the exact size only if room for
      // the least it can be (1 byte per unit) is there, so a full ring costs
      // no count.
      if (want !== worst || this.#reserve(s.length, where) < 0) return false;
      want = utf8Length(s);
      if (want === worst) return false;
      p = this.#reserve(want, where);
      if (p < 0) return false;
    }
    const { written } = enc.encodeInto(s, this.#r.u8.subarray(p, p + want));
    this.#commit(written, where);
    return true;
  }

  // The same where encodeInto() refuses shared memory: encode into `plain`,
  // then reserve exactly what was written and copy it in.
  #offerStaged(enc, s, where) {
    let room = 3 * s.length;
    if (room > this.#max) {
      room = utf8Length(s);
      if (room > this.#max) throw this.#tooBig(where, `a string of ${room} bytes in UTF-8`, room);
    }
    const buf = staging(room);
    const { written } = enc.encodeInto(s, buf); // room is enough: all of s is read
    const p = this.#reserve(written, where);
    if (p < 0) return false;
    this.#r.u8.set(buf.subarray(0, written), p);
    this.#commit(written, where);
    return true;
  }

  // rbs_msg_reserve: the payload's byte address, or -1 when it does not fit now.
  #reserve(n, where) {
    const k = this.#x.rbs_msg_reserve(this.#ptr, n, this.#sc);
    if (k < 0) {
      if (k === L.RBS_EAGAIN) return -1;
      throw errorFor(k, where);
    }
    // The pointer came back through shared memory: check it lies in the ring.
    const p = this.#u32[this.#sc >>> 2];
    const r = this.#r;
    if (p < r.dataStart + L.RBS_MSG_HEADER || n > r.dataEnd - p)
      throw errorFor(L.RBS_ECORRUPT, where, 'the space handed out lies outside the ring');
    return p;
  }

  #commit(n, where) {
    const c = this.#x.rbs_msg_commit(this.#ptr, n);
    if (c < 0) throw errorFor(c, where);
    this.#sent++;
    const i32 = this.#i32;
    if (Atomics.load(i32, this.#flag) === 0) {
      this.#notifiedAt = -1;
      return;
    }
    const no = Atomics.load(this.#u32, this.#waitNo);
    if (no === this.#notifiedAt) return; // this wait was woken: it will see this message too
    if (this.#notify()) this.#notifiedAt = no;
  }

  // Bumps the word the receiver waits on, then wakes it: whether it woke it.
  #notify() {
    Atomics.add(this.#i32, this.#beat, 1);
    if (Atomics.notify(this.#i32, this.#beat) === 0) return false;
    this.#wakeups++;
    return true;
  }
}

export class MessageReceiver {
  #r;
  #x;
  #ptr;
  #sc; // byte address of the consumer's scratch words (rbs_msg_acquire's *ptr, *len)
  #u32;
  #i32;
  #flag; // index of the producer-waiting word
  #read;
  #waitNo; // index of our wait number (the consumer's heartbeat word)
  #beat; // index of the sender's wait number (the producer's heartbeat word)
  #notifiedAt = -1; // the sender's wait number at our last wake-up of it (-1: none)
  #wakeups = 0;
  #tail = RESOLVED;
  #pending = 0; // recv()/recvText() calls queued and not finished
  #received = 0;
  #waits = 0;
  #ready;
  #link; // { token, timeoutMs, slice, dropped }
  #gone = null; // DISPOSED or LOST once this object may no longer receive

  /** @private */
  constructor(key, region, link) {
    checkInternal(key, 'MessageReceiver', 'receiver');
    this.#r = region;
    this.#link = link;
    this.#x = region.wasm;
    this.#ptr = region.offset;
    this.#sc = region.scratch('consumer');
    this.#u32 = region.u32;
    this.#i32 = region.i32;
    this.#flag = region.index(L.RBS_OFF_PRODUCER_WAITING);
    this.#read = region.index(L.RBS_OFF_READ);
    this.#waitNo = region.index(L.RBS_OFF_CONSUMER_HEARTBEAT);
    this.#beat = region.index(L.RBS_OFF_PRODUCER_HEARTBEAT);
    // A message, the end, or an error to report: anything but "nothing yet".
    this.#ready = () => this.#gone !== null || this.#x.rbs_msg_peek_size(this.#ptr) !== L.RBS_EAGAIN;
  }

  /** True once dispose() gave the role up (or another instance took it over). */
  get disposed() {
    return this.#gone !== null;
  }

  /**
   * Gives the receiver role up (the owner word back to 0, the heartbeat
   * stopped) so another instance may claim it; messages not received stay
   * for it.  A pending recv() rejects.  Harmless twice.
   */
  dispose() {
    if (this.#gone !== null) return;
    this.#gone = DISPOSED;
    this.#r.release('consumer', this.#link.token);
    this.#link.dropped(this);
    Atomics.notify(this.#i32, this.#beat); // our own waits end (the sender never waits on this word)
  }

  /** @private the role was taken from this object (region.beat saw it) */
  _lost() {
    if (this.#gone !== null) return;
    this.#gone = LOST;
    this.#link.dropped(this);
    Atomics.notify(this.#i32, this.#beat);
  }

  /** The largest message, in bytes. */
  get maxMessageSize() {
    const m = this.#x.rbs_msg_max_size(this.#ptr);
    if (m < 0) throw errorFor(m, 'MessageReceiver.maxMessageSize');
    return m;
  }

  /** True once the sender closed the pipe (messages may still be waiting). */
  get closed() {
    return this.#x.rbs_closed(this.#ptr) > 0;
  }

  /** True when the sender closed the pipe and every message was received. */
  get ended() {
    return this.#x.rbs_msg_peek_size(this.#ptr) === L.RBS_ECLOSED;
  }

  /** Messages this receiver has received. */
  get received() {
    return this.#received;
  }

  /** Times this receiver had to wait (found nothing, then waited). */
  get waits() {
    return this.#waits;
  }

  /** Times this receiver woke the sender from a wait for room. */
  get wakeups() {
    return this.#wakeups;
  }

  /** The next message in a new Uint8Array; undefined when none is waiting,
   *  null when the pipe ended. */
  tryRecv() {
    const where = 'MessageReceiver.tryRecv';
    this.#idle(where);
    return this.#take(where, false);
  }

  /** The next message as a string (its bytes decoded as UTF-8); undefined
   *  when none is waiting, null when the pipe ended. */
  tryRecvText() {
    const where = 'MessageReceiver.tryRecvText';
    this.#idle(where);
    return this.#take(where, true);
  }

  /** Waits for the next message: a new Uint8Array the caller owns, or null
   *  once the pipe ended.  Calls are queued. */
  recv() {
    return this.#queue('MessageReceiver.recv', false);
  }

  /** recv() decoded as UTF-8 (invalid bytes become U+FFFD): a string, or null. */
  recvText() {
    return this.#queue('MessageReceiver.recvText', true);
  }

  /**
   * Blocking receive for workers (Atomics.wait): the next message, undefined
   * if `timeoutMs` (default: forever) passed first, or null once the pipe ended.
   */
  recvSync(timeoutMs) {
    const where = 'MessageReceiver.recvSync';
    this.#idle(where);
    const until = deadline(checkTimeout(timeoutMs, where));
    for (;;) {
      const m = this.#take(where, false);
      if (m !== undefined) return m;
      const left = msLeft(until);
      if (left <= 0) return undefined;
      if (spun(this.#ready) && this.#gone === null) continue;
      this.#usable(where);
      this.#r.checkPeer('producer', this.#link.timeoutMs, where, 'no message is waiting');
      this.#numberWait(); // also this slice's heartbeat: the timer cannot run while we block
      this.#r.waitSync(L.RBS_OFF_CONSUMER_WAITING, L.RBS_OFF_PRODUCER_HEARTBEAT, this.#ready, Math.min(left, this.#link.slice, HEARTBEAT_MS));
      this.#stillHeld(where);
    }
  }

  /** `for await (const msg of receiver)`: every message, ending when the pipe ends. */
  async *[Symbol.asyncIterator]() {
    for (;;) {
      const m = await this.recv();
      if (m === null) return;
      yield m;
    }
  }

  #queue(where, text) {
    if (this.#pending === 0) {
      try {
        this.#usable(where);
        const m = this.#take(where, text);
        if (m !== undefined) return Promise.resolve(m);
      } catch (e) {
        return Promise.reject(e);
      }
    }
    this.#pending++;
    const run = this.#tail.then(() => this.#recvWaiting(where, text));
    this.#tail = run.then(noop, noop);
    return run;
  }

  async #recvWaiting(where, text) {
    try {
      this.#usable(where);
      for (;;) {
        const m = this.#take(where, text);
        if (m !== undefined) return m;
        if (spun(this.#ready) && this.#gone === null) continue;
        this.#usable(where);
        // One slice of waiting: PeerGoneError if the sender has been silent too long.
        this.#r.checkPeer('producer', this.#link.timeoutMs, where, 'no message is waiting');
        this.#numberWait();
        await this.#r.waitAsync(L.RBS_OFF_CONSUMER_WAITING, L.RBS_OFF_PRODUCER_HEARTBEAT, this.#ready, this.#link.slice);
        this.#stillHeld(where);
      }
    } finally {
      this.#pending--;
    }
  }

  #usable(where) {
    if (this.#gone !== null) throw goneError(where, 'receiver', this.#gone);
  }

  #stillHeld(where) {
    if (this.#gone === null && !this.#r.holds('consumer', this.#link.token)) this._lost();
    this.#usable(where);
  }

  // A new number for the wait about to start, before its waiting word is set
  // (the sender wakes each number at most once; see the top of this file).
  #numberWait() {
    this.#waits++;
    Atomics.add(this.#i32, this.#waitNo, 1);
  }

  #idle(where) {
    this.#usable(where);
    if (this.#pending !== 0) throw new Error(`${where}: a recv() of this receiver is still pending; await it first`);
  }

  // The next message copied out (or decoded), undefined if none, null at the end.
  #take(where, text) {
    const sc = this.#sc;
    const k = this.#x.rbs_msg_acquire(this.#ptr, sc, sc + 4);
    if (k < 0) {
      if (k === L.RBS_EAGAIN) return undefined;
      if (k === L.RBS_ECLOSED) return null;
      throw errorFor(k, where);
    }
    // Pointer and length came back through shared memory: check them.
    const u32 = this.#u32;
    const p = u32[sc >>> 2];
    const r = this.#r;
    if (u32[(sc >>> 2) + 1] !== k || p < r.dataStart + L.RBS_MSG_HEADER || k > r.dataEnd - p)
      throw errorFor(L.RBS_ECORRUPT, where, 'the message handed out lies outside the ring');
    let out;
    if (text) out = decodeAt(r.u8, p, k, where);
    else {
      out = new Uint8Array(k); // the caller's own, non-shared buffer
      out.set(r.u8.subarray(p, p + k));
    }
    const c = this.#x.rbs_msg_release(this.#ptr);
    if (c < 0) throw errorFor(c, where);
    this.#received++;
    this.#freed();
    return out;
  }

  // After a release: wakes a sender waiting for room, once per wait of it
  // (its number is the producer's heartbeat word; see the top of the file).
  #freed() {
    if (Atomics.load(this.#i32, this.#flag) === 0) {
      this.#notifiedAt = -1;
      return;
    }
    const no = Atomics.load(this.#u32, this.#beat);
    if (no === this.#notifiedAt) return;
    if (Atomics.notify(this.#i32, this.#read) === 0) return; // not asleep yet: the next release tries again
    this.#notifiedAt = no;
    this.#wakeups++;
  }
}

function messageRing(options, where, capacityName) {
  const capacity = roundCapacity(options.capacity, where, capacityName);
  return RingRegion.create({
    capacity,
    kind: L.RBS_KIND_MESSAGES,
    where,
    memory: options.memory,
    offset: options.offset,
    init: (x, offset, size, cap) => x.rbs_msg_init(offset, size, cap),
  });
}

export class MessagePipe {
  #r;
  #token = newToken();
  #timeout = DEFAULT_PEER_TIMEOUT_MS;
  #sender = null;
  #receiver = null;
  #dropped = (role) => {
    if (this.#sender === role) this.#sender = null;
    if (this.#receiver === role) this.#receiver = null;
  };

  /** A pipe over a message ring of at least `capacity` bytes (rounded up to a
   *  power of two, at least 16), in a shared memory of its own. */
  constructor(capacity, region, timeoutMs) {
    if (capacity === INTERNAL) {
      this.#r = region;
      this.#timeout = timeoutMs;
    } else this.#r = messageRing({ capacity }, 'new MessagePipe', 'capacity');
  }

  /**
   * The same with options: { capacity, memory?, offset?, peerTimeoutMs? }.
   * With memory (a shared WebAssembly.Memory) and offset (a multiple of 64),
   * the ring is formatted in place there instead.  The largest message is
   * capacity / 2 - 4.  peerTimeoutMs: how long the other side may stay silent
   * while this side waits for it before the wait fails with PeerGoneError
   * (default 5000; 0 or Infinity: never), as for RingBuffer.
   */
  static create(options) {
    const where = 'MessagePipe.create';
    const timeoutMs = createPeerTimeout(options, where, describe);
    return new MessagePipe(INTERNAL, messageRing(options, where, 'options.capacity'), timeoutMs);
  }

  /**
   * Opens, in this thread, a pipe from pipe.handle posted by another thread,
   * or { memory, offset } of a message ring that C code formatted
   * (rbs_msg_init).  A handle of another kind of ring is refused (TypeError).
   * options: { peerTimeoutMs? } as for create().
   */
  static async attach(handle, options) {
    if (typeof handle === 'object' && handle !== null && handle.module === undefined) await getModule();
    return MessagePipe.#open(handle, options, 'MessagePipe.attach');
  }

  /** attach() without waiting: compiles synchronously if the handle brings no
   *  module (fine in workers and worklets). */
  static attachSync(handle, options) {
    return MessagePipe.#open(handle, options, 'MessagePipe.attachSync');
  }

  static #open(handle, options, where) {
    const timeoutMs = attachPeerTimeout(options, where, describe);
    return new MessagePipe(INTERNAL, RingRegion.open(handle, { kind: L.RBS_KIND_MESSAGES, where }), timeoutMs);
  }

  /** Data bytes of the ring (a power of two). */
  get capacity() {
    return this.#r.capacity;
  }

  /** The largest message in bytes: capacity / 2 - 4. */
  get maxMessageSize() {
    const m = this.#r.wasm.rbs_msg_max_size(this.#r.offset);
    if (m < 0) throw errorFor(m, 'MessagePipe.maxMessageSize');
    return m;
  }

  get memory() {
    return this.#r.memory;
  }

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

  /** The sending end (the ring's producer role), claimed for this object on
   *  first use; another object or thread holding it is refused. */
  get sender() {
    if (!this.#sender) this.#claimNow('producer', 'MessagePipe.sender');
    return this.#sender;
  }

  /** The receiving end (the ring's consumer role), claimed on first use. */
  get receiver() {
    if (!this.#receiver) this.#claimNow('consumer', 'MessagePipe.receiver');
    return this.#receiver;
  }

  // The role object, made once the region granted the claim.
  #make(role) {
    const link = { token: this.#token, timeoutMs: this.#timeout, slice: sliceFor(this.#timeout), dropped: this.#dropped };
    if (role === 'producer') return (this.#sender = new MessageSender(INTERNAL, this.#r, link));
    return (this.#receiver = new MessageReceiver(INTERNAL, this.#r, link));
  }

  #onLost(role) {
    return () => (role === 'producer' ? this.#sender : this.#receiver)?._lost();
  }

  #claimNow(role, where) {
    this.#r.claim(role, this.#token, where, { onLost: this.#onLost(role) });
    return this.#make(role);
  }

  /**
   * Claims 'sender' or 'receiver' and resolves with its object, as the
   * getters do.  With { takeOver: true } a role held by another instance is
   * taken if its holder stays silent (no heartbeat, no message moved) for
   * `staleMs` (default: peerTimeoutMs, or 5000 if that is off) while this
   * watches: for a holder whose thread ended without dispose().  A holder
   * heard from meanwhile is alive: the claim rejects.
   */
  async claim(name, options) {
    const where = 'MessagePipe.claim';
    if (name !== 'sender' && name !== 'receiver')
      throw new TypeError(`${where}: role must be 'sender' or 'receiver'; got ${describe(name)}`);
    if (options !== undefined && (typeof options !== 'object' || options === null))
      throw new TypeError(`${where}: options must be an object { takeOver?, staleMs? } or absent; got ${describe(options)}`);
    const role = name === 'sender' ? 'producer' : 'consumer';
    const held = role === 'producer' ? this.#sender : this.#receiver;
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
    await this.#r.takeOver(role, this.#token, where, staleMs, { onLost: this.#onLost(role) });
    return (role === 'producer' ? this.#sender : this.#receiver) ?? this.#make(role);
  }

  /** Gives up the roles this object holds (MessageSender.dispose,
   *  MessageReceiver.dispose); it may claim them again later. */
  dispose() {
    this.#sender?.dispose();
    this.#receiver?.dispose();
  }

  /** Whether a sender holds its role and was heard from (heartbeat or
   *  messages) within peerTimeoutMs, as far as this object watched it; false
   *  when the role is free.  With the timeout off, whether the role is held. */
  get senderAlive() {
    return this.#r.alive('producer', this.#timeout);
  }

  /** The same for the receiver. */
  get receiverAlive() {
    return this.#r.alive('consumer', this.#timeout);
  }

  /** True once the sender closed the pipe. */
  get closed() {
    return this.#r.wasm.rbs_closed(this.#r.offset) > 0;
  }

  // Shortcuts: each claims its role, as the role's method.
  send(data) {
    return this.sender.send(data);
  }
  trySend(data) {
    return this.sender.trySend(data);
  }
  sendSync(data, timeoutMs) {
    return this.sender.sendSync(data, timeoutMs);
  }
  close() {
    return this.sender.close();
  }
  recv() {
    return this.receiver.recv();
  }
  recvText() {
    return this.receiver.recvText();
  }
  tryRecv() {
    return this.receiver.tryRecv();
  }
  tryRecvText() {
    return this.receiver.tryRecvText();
  }
  recvSync(timeoutMs) {
    return this.receiver.recvSync(timeoutMs);
  }
  [Symbol.asyncIterator]() {
    return this.receiver[Symbol.asyncIterator]();
  }
}

