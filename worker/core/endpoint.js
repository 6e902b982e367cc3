// endpoint.js — what every role object (Producer, Consumer, MessageSender,
// MessageReceiver, AudioWriter, AudioReader) shares: its claim on a role of
// one ring, the state once it gave the role up or lost it, the queue that
// keeps its asynchronous calls in order, and its waits for the other side.
import * as L from '../../build/wasm/layout.js';
import { Channel } from './channel.js';
import { RingBufferError } from './errors.js';
import { HEARTBEAT_MS } from './heartbeat.js';
import { OTHER, ROLE_WORDS } from './roles.js';
import { waitAsync, waitSync } from './waiter.js';

const noop = () => {};

/** The class in a message's "Producer.write" (a minifier renames classes). */
const className = (where) => where.split('.')[0];

/** Why an endpoint can no longer be used. */
const DISPOSED = 'disposed';
const LOST = 'lost';

// Each subclass names itself (static apiName) for messages: a minifier renames classes.
export class Endpoint {
  #channel;
  #role;
  #token;
  #gone = null; // DISPOSED or LOST
  #tail = null; // the last queued call (read only while one is pending)
  #pending = 0; // queued calls not finished
  /** @protected nonzero while a queued call is pending or the role is gone:
   *  one field for the synchronous calls' fast check (see _idle). */
  _busy = 0;

  /** @private made by a Channel once the role is claimed */
  constructor(channel, role, region, token, peerTimeoutMs) {
    if (!(channel instanceof Channel))
      throw new TypeError(
        `${new.target.apiName} is not constructed directly: it is a claimed role of a ring; use the ring's getter ` +
          '(ring.producer, pipe.sender, audioRing.writer...) or claim()',
      );
    this.#channel = channel;
    this.#role = role;
    this.#token = token;
    /** The ring as this thread sees it (views, trusted geometry, wasm exports). */
    this._region = region;
    // The trusted geometry every call passes, unpacked once (region.js).
    this._x = region.x;
    this._ring = region.ring;
    this._geo = region.geo;
    this._cap = region.capacity;
    this.peerTimeoutMs = peerTimeoutMs;
    /** The longest single sleep of a wait: a heartbeat while the peer is watched. */
    this._sliceMs = peerTimeoutMs === Infinity ? Infinity : HEARTBEAT_MS;
    const w = ROLE_WORDS[role];
    this._waitWords = { wake: region.word(w.wake), waiters: region.word(w.waiters), seq: region.word(w.seq) };
  }

  /** True once the producer closed the ring. */
  get closed() {
    return this._region.closed(`${this.constructor.apiName}.closed`);
  }

  /** True once dispose() gave the role up (or another instance took it over). */
  get disposed() {
    return this.#gone !== null;
  }

  /**
   * Gives the role up: the owner word goes back to 0 so another instance (this
   * thread's or another's) may claim it, and the heartbeat stops.  The ring
   * and its data stay; pending calls reject.  Harmless twice.
   */
  dispose() {
    if (this.#gone !== null) return;
    this.#channel._roles.release(this.#role, this.#token);
    this.#end(DISPOSED);
  }

  /** @private the heartbeat found the role taken over by another instance */
  _lost() {
    if (this.#gone === null) this.#end(LOST);
  }

  #end(why) {
    this.#gone = why;
    this._busy = 1;
    this._dropped();
    this.#channel._dropped(this);
    // Our own waits look at #gone when woken: wake them (only we wait on this word).
    const { wake } = this._waitWords;
    Atomics.add(this._region.i32, wake, 1);
    Atomics.notify(this._region.i32, wake);
  }

  /** @protected what a subclass forgets when the role goes (reservations). */
  _dropped() {}

  /** @protected throws if this endpoint may no longer be used */
  _usable(where) {
    if (this.#gone === null) return;
    const name = className(where);
    throw new RingBufferError(
      this.#gone === DISPOSED
        ? `${where}: this ${name} was disposed (it gave the ${this.#role} role up); claim the role again from its ring`
        : `${where}: the ${this.#role} role was taken over by another instance (a claim with { takeOver: true } found ` +
            `this ${name} silent for its timeout); it can no longer be used`,
      L.RBS_EBUSY,
    );
  }

  /** @protected a synchronous call: throws if gone or if a queued call is
   *  pending (callers test _busy first: `if (this._busy) this._idle(where)`) */
  _idle(where) {
    if (this._busy === 0) return;
    this._usable(where);
    throw new RingBufferError(`${where}: an earlier asynchronous call of this ${className(where)} is still pending; await it first`, L.RBS_EBUSY);
  }


  /**
   * @protected Runs async `fn` after the calls queued before it (at once, up
   * to its first await, when none is pending), so calls keep their order.
   */
  _serial(fn) {
    const go = async () => {
      try {
        return await fn();
      } finally {
        if (--this.#pending === 0 && this.#gone === null) this._busy = 0;
      }
    };
    this._busy = 1;
    const run = this.#pending++ === 0 ? go() : this.#tail.then(go);
    this.#tail = run.then(noop, noop);
    return run;
  }

  /** @protected throws PeerGoneError when the other side stays silent (waiter.js) */
  _checkPeer(where, state, extra) {
    this.#channel._roles.checkPeer(OTHER[this.#role], this.peerTimeoutMs, where, state, extra);
  }

  /** @protected after a slice: notices a takeOver the timer has not reported yet */
  _stillHeld(where) {
    if (this.#gone === null && !this.#channel._roles.holds(this.#role, this.#token)) this._lost();
    this._usable(where);
  }

  /** @protected moves this role's heartbeat (where the timer cannot run) */
  _beatNow() {
    this.#channel._roles.beatNow(this.#role);
  }

  /**
   * @protected Waits until ready() (which must also be true once this
   * endpoint is gone, to end the wait) or the deadline `until` (see
   * waiter.deadline): true if ready.  Blocking when `sync` (Workers), else a
   * promise.
   */
  _waitFor(ready, { sync = false, until = Infinity, where, state }) {
    return sync ? waitSync(this, ready, until, where, state) : waitAsync(this, ready, until, where, state);
  }
}
