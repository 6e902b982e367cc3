// pipe.js — whole messages through a ring of kind RBS_KIND_MESSAGES
// (core/src/msg.c): MessagePipe (a Channel) and its endpoints, MessageSender
// (the producer role) and MessageReceiver (the consumer role).  A message is
// reserved in the ring, the caller's bytes copied in (or a string encoded in:
// text.js) and committed; the receiver copies it out (or decodes it) in place
// and releases it.  The C calls wake a sleeping other side.
import * as L from '../../build/wasm/layout.js';
import { Channel } from '../core/channel.js';
import { checkAttached, checkTimeout, roundCapacity, toBytes } from '../core/checks.js';
import { copyIn, copyOut } from '../core/copy.js';
import { Endpoint } from '../core/endpoint.js';
import { requireBlocking } from '../core/env.js';
import { errorFor, handoutError } from '../core/errors.js';
import { messagesWasm } from '../core/modules.js';
import { Region } from '../core/region.js';
import { deadline } from '../core/waiter.js';
import { decodeAt, staging, textEncoder, utf8Length } from './text.js';

let resolved = null; // the promise a send that went in at once returns (made once)
const BYTES = 0; // what a receive returns: a new Uint8Array,
const TEXT = 1; // or a string
const DATA_KINDS = 'a string, an ArrayBuffer, a SharedArrayBuffer, a TypedArray or a DataView';

// The payload position C wrote to a role's scratch word, checked against this
// side's own capacity: a message never crosses the end of the data area.
function payloadAt(r, scratchOff, len, where) {
  const pos = r.position(scratchOff);
  if (len > r.capacity - pos) throw errorFor(L.RBS_ECORRUPT, where, 'the message handed out crosses the end of the ring');
  return r.dataStart + pos;
}

export class MessageSender extends Endpoint {
  static get apiName() {
    return 'MessageSender';
  }
  #max;
  #sent = 0;

  /** @private claimed through pipe.sender */
  constructor(...args) {
    super(...args);
    const r = this._region;
    this.#max = r.capacity / 2 - L.RBS_MSG_HEADER;
  }

  /** The largest message, in bytes (capacity / 2 - 4); a string counts its UTF-8 bytes. */
  get maxMessageSize() {
    return this.#max;
  }

  /** Messages this sender has sent. */
  get sent() {
    return this.#sent;
  }

  /** Sends `data` (bytes or a string, as UTF-8) as one message if it fits
   *  now; returns whether it did.  Nothing of a refused message is sent. */
  trySend(data) {
    const where = 'MessageSender.trySend';
    if (this._busy) this._idle(where);
    return this.#offer(data, where);
  }

  /**
   * Sends `data` as one message, waiting for room; resolves once it is in the
   * ring.  Calls are queued, so messages keep the order of the calls; the
   * data is read when the message goes in.
   */
  send(data) {
    if (this._busy === 0) {
      try {
        if (this.#offer(data, 'MessageSender.send')) return (resolved ??= Promise.resolve());
      } catch (e) {
        return Promise.reject(e);
      }
    }
    return this._serial(async () => {
      const where = 'MessageSender.send';
      this._usable(where);
      const fits = this.#fits(this.#size(data, where));
      while (!this.#offer(data, where)) await this._waitFor(fits, { where, state: 'the pipe is full' });
    });
  }

  /**
   * Blocking send for Workers (Atomics.wait): waits for room at most
   * `timeoutMs` (default: forever); returns whether the message was sent.
   * Throws at once on a thread that may not block.
   */
  sendSync(data, timeoutMs) {
    const where = 'MessageSender.sendSync';
    requireBlocking(where, 'send()');
    if (this._busy) this._idle(where);
    const until = deadline(checkTimeout(timeoutMs, where));
    let fits = null;
    while (!this.#offer(data, where)) {
      fits ??= this.#fits(this.#size(data, where));
      if (!this._waitFor(fits, { sync: true, until, where, state: 'the pipe is full' })) return false;
    }
    return true;
  }

  /** Ends the stream once the pending send() calls are done: the receiver
   *  gets every message sent before, then the end (null). */
  close() {
    return this._serial(async () => {
      const where = 'MessageSender.close';
      this._usable(where);
      const c = this._x.rbs_wasm_close(this._ring, this._geo);
      if (c < 0) throw errorFor(c, where);
    });
  }

  // The message's exact size, for a wait for room (a smaller one would make
  // the wait's ready() true while the send still fails).
  #size(data, where) {
    return typeof data === 'string' ? utf8Length(data) : toBytes(data, where, 'data', DATA_KINDS).length;
  }

  #tooBig(where, what) {
    return new RangeError(
      `${where}: data is ${what}, larger than maxMessageSize ${this.#max} ` +
        `(capacity ${this._region.capacity} / 2 - 4); a message must be from 0 to ${this.#max} bytes`,
    );
  }

  // ready() of a wait for room: room for n bytes now, an error to report, or gone.
  #fits(n) {
    return () => this.disposed || this._x.rbs_wasm_msg_reserve(this._ring, this._geo, n) !== L.RBS_EAGAIN;
  }

  // Sends data if it fits now: true, false (no room), or throws.
  #offer(data, where) {
    if (typeof data === 'string') return this.#offerText(data, where);
    const src = toBytes(data, where, 'data', DATA_KINDS);
    const n = src.length;
    if (n === 0) checkAttached(src, where);
    if (n > this.#max) throw this.#tooBig(where, `${n} bytes`);
    const p = this.#reserve(n, where);
    if (p < 0) return false;
    if (n !== 0) copyIn(this._region, p, src, 0, n);
    this.#commit(n, where);
    return true;
  }

  // A string goes straight from encodeInto into the ring.  It reserves the
  // worst case, 3 bytes per UTF-16 unit, then commits what was written; the
  // exact size is counted only when the worst case is too large or does not
  // fit now.
  #offerText(s, where) {
    const { encoder, intoShared } = textEncoder(this._region.u8, where);
    if (!intoShared) return this.#offerStaged(encoder, s, where);
    const worst = 3 * s.length;
    let want = worst;
    if (want > this.#max) {
      want = utf8Length(s);
      if (want > this.#max) throw this.#tooBig(where, `a string of ${want} bytes in UTF-8`);
    }
    let p = this.#reserve(want, where);
    if (p < 0) {
      // No room for the worst case: count the exact size, but only if room
      // for the least it can be (a byte per unit) is there.
      if (want !== worst || this.#reserve(s.length, where) < 0) return false;
      want = utf8Length(s);
      if (want === worst) return false;
      p = this.#reserve(want, where);
      if (p < 0) return false;
    }
    const { written } = encoder.encodeInto(s, this._region.u8.subarray(p, p + want));
    this.#commit(written, where);
    return true;
  }

  // Where encodeInto() refuses shared memory: encode into the plain staging
  // buffer, reserve exactly what was written, copy it in.
  #offerStaged(encoder, s, where) {
    let room = 3 * s.length;
    if (room > this.#max) {
      room = utf8Length(s);
      if (room > this.#max) throw this.#tooBig(where, `a string of ${room} bytes in UTF-8`);
    }
    const buf = staging(room);
    const { written } = encoder.encodeInto(s, buf); // room is enough: all of s is read
    const p = this.#reserve(written, where);
    if (p < 0) return false;
    copyIn(this._region, p, buf, 0, written);
    this.#commit(written, where);
    return true;
  }

  // The payload's byte address for a message of n bytes, or -1 when it does not fit now.
  #reserve(n, where) {
    const k = this._x.rbs_wasm_msg_reserve(this._ring, this._geo, n);
    if (k >= 0) return payloadAt(this._region, L.RBS_OFF_PRODUCER_SCRATCH, n, where);
    if (k === L.RBS_EAGAIN) return -1;
    throw errorFor(k, where);
  }

  #commit(n, where) {
    const c = this._x.rbs_wasm_msg_commit(this._ring, this._geo, n);
    if (c < 0) throw handoutError(c, where);
    this.#sent++;
  }
}

export class MessageReceiver extends Endpoint {
  static get apiName() {
    return 'MessageReceiver';
  }
  #received = 0;
  #ready;

  /** @private claimed through pipe.receiver */
  constructor(...args) {
    super(...args);
    const r = this._region;
    // A message, the end, or an error to report: anything but "nothing yet".
    this.#ready = () => this.disposed || this._x.rbs_wasm_msg_peek_size(this._ring, this._geo) !== L.RBS_EAGAIN;
  }

  /** The largest message, in bytes. */
  get maxMessageSize() {
    return this._region.capacity / 2 - L.RBS_MSG_HEADER;
  }

  /** True when the sender closed the pipe and every message was received. */
  get ended() {
    const k = this._x.rbs_wasm_msg_peek_size(this._ring, this._geo);
    if (k < 0 && k !== L.RBS_ECLOSED && k !== L.RBS_EAGAIN) throw errorFor(k, 'MessageReceiver.ended');
    return k === L.RBS_ECLOSED;
  }

  /** Messages this receiver has received. */
  get received() {
    return this.#received;
  }

  /** The next message in a new Uint8Array; undefined when none is waiting,
   *  null once the pipe ended. */
  tryRecv() {
    const where = 'MessageReceiver.tryRecv';
    if (this._busy) this._idle(where);
    return this.#take(where, BYTES);
  }

  /** The next message as a string (its bytes as UTF-8; invalid bytes become
   *  U+FFFD); undefined when none is waiting, null once the pipe ended. */
  tryRecvText() {
    const where = 'MessageReceiver.tryRecvText';
    if (this._busy) this._idle(where);
    return this.#take(where, TEXT);
  }

  /**
   * The next message copied into `target` (allocates nothing): its length,
   * undefined when none is waiting, null once the pipe ended.  A message
   * longer than target.byteLength stays in the pipe: RangeError, whose
   * `size` says how large a target it needs.
   */
  recvInto(target) {
    const where = 'MessageReceiver.recvInto';
    if (this._busy) this._idle(where);
    const dst = toBytes(target, where, 'target');
    if (dst.length === 0) checkAttached(dst, where, 'target');
    return this.#take(where, dst);
  }

  /** Waits for the next message: a new Uint8Array, or null once the pipe
   *  ended.  Calls are queued. */
  recv() {
    return this.#queue('MessageReceiver.recv', BYTES);
  }

  /** recv() decoded as UTF-8: a string, or null. */
  recvText() {
    return this.#queue('MessageReceiver.recvText', TEXT);
  }

  /**
   * Blocking receive for Workers (Atomics.wait): the next message, undefined
   * if `timeoutMs` (default: forever) passed first, or null once the pipe
   * ended.  Throws at once on a thread that may not block.
   */
  recvSync(timeoutMs) {
    const where = 'MessageReceiver.recvSync';
    requireBlocking(where, 'recv()');
    if (this._busy) this._idle(where);
    const until = deadline(checkTimeout(timeoutMs, where));
    for (;;) {
      const m = this.#take(where, BYTES);
      if (m !== undefined) return m;
      if (!this._waitFor(this.#ready, { sync: true, until, where, state: 'no message is waiting' })) return undefined;
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

  #queue(where, how) {
    if (this._busy === 0) {
      try {
        const m = this.#take(where, how);
        if (m !== undefined) return Promise.resolve(m);
      } catch (e) {
        return Promise.reject(e);
      }
    }
    return this._serial(async () => {
      this._usable(where);
      for (;;) {
        const m = this.#take(where, how);
        if (m !== undefined) return m;
        await this._waitFor(this.#ready, { where, state: 'no message is waiting' });
      }
    });
  }

  // The next message copied out (BYTES), decoded (TEXT) or copied into a
  // target (a Uint8Array: its length is returned); undefined if none, null
  // at the end.
  #take(where, how) {
    const k = this._x.rbs_wasm_msg_acquire(this._ring, this._geo);
    if (k < 0) {
      if (k === L.RBS_EAGAIN) return undefined;
      if (k === L.RBS_ECLOSED) return null;
      throw errorFor(k, where);
    }
    const r = this._region;
    const p = payloadAt(r, L.RBS_OFF_CONSUMER_SCRATCH, k, where);
    let out;
    if (how === TEXT) out = decodeAt(r.u8, p, k, where);
    else if (how === BYTES) {
      out = new Uint8Array(k); // the caller's own, non-shared buffer
      copyOut(r, p, out, 0, k);
    } else {
      if (k > how.length) {
        const e = new RangeError(`${where}: the next message is ${k} bytes, more than target's ${how.length}; it stays in the pipe`);
        e.size = k;
        throw e;
      }
      copyOut(r, p, how, 0, k);
      out = k;
    }
    const c = this._x.rbs_wasm_msg_release(this._ring, this._geo);
    if (c < 0) throw handoutError(c, where);
    this.#received++;
    return out;
  }
}

export class MessagePipe extends Channel {
  static get apiName() {
    return 'MessagePipe';
  }
  static get kind() {
    return L.RBS_KIND_MESSAGES;
  }
  static get wasm() {
    return messagesWasm();
  }
  static get roleNames() {
    return { producer: 'sender', consumer: 'receiver' };
  }
  static get endpoints() {
    return { producer: MessageSender, consumer: MessageReceiver };
  }
  static get createShape() {
    return '{ capacity, memory?, offset?, peerTimeoutMs? }';
  }

  /** @protected the largest message is capacity / 2 - 4 */
  static format(o, where) {
    const capacity = roundCapacity(o.capacity, where, 'options.capacity');
    return Region.format({ kind: L.RBS_KIND_MESSAGES, wasm: messagesWasm(), capacity, memory: o.memory, offset: o.offset, where });
  }

  /** The largest message in bytes: capacity / 2 - 4. */
  get maxMessageSize() {
    return this.capacity / 2 - L.RBS_MSG_HEADER;
  }

  /** The sending end (the ring's producer role), claimed for this object on first use. */
  get sender() {
    return this._endpoint('producer', 'MessagePipe.sender');
  }

  /** The receiving end (the ring's consumer role), claimed on first use. */
  get receiver() {
    return this._endpoint('consumer', 'MessagePipe.receiver');
  }

  /** Whether a sender holds its role and was heard from within peerTimeoutMs. */
  get senderAlive() {
    return this._alive('producer');
  }

  /** The same for the receiver. */
  get receiverAlive() {
    return this._alive('consumer');
  }
}
