// roles.js — the two roles of a ring (producer, consumer) as this thread sees
// them: claiming one in the shared header, beating its heartbeat while held,
// watching the other for silence, and taking over a role whose holder died.
// docs/design.md ("Liveness") has the rationale and the limits.
import * as L from '../../build/wasm/layout.js';
import { describe } from './checks.js';
import { now } from './env.js';
import { PeerGoneError, RingBufferError } from './errors.js';
import { HEARTBEAT_MS, startBeating, stopBeating } from './heartbeat.js';

/** peerTimeoutMs when none is given. */
export const DEFAULT_PEER_TIMEOUT_MS = 5000;
/** The least peerTimeoutMs: four heartbeats, so a live idle peer is never taken for gone (rbs.h's). */
export const MIN_PEER_TIMEOUT_MS = L.RBS_MIN_PEER_TIMEOUT_MS;

/** The header words of each role: its claim, heartbeat and counter, and the
 *  words of its waits (rbs.h, "Waking a side that sleeps"). */
export const ROLE_WORDS = {
  producer: {
    owner: L.RBS_OFF_PRODUCER_OWNER,
    beat: L.RBS_OFF_PRODUCER_HEARTBEAT,
    counter: L.RBS_OFF_WRITE,
    wake: L.RBS_OFF_PRODUCER_WAKE,
    waiters: L.RBS_OFF_PRODUCER_WAITERS,
    seq: L.RBS_OFF_PRODUCER_WAIT_SEQ,
  },
  consumer: {
    owner: L.RBS_OFF_CONSUMER_OWNER,
    beat: L.RBS_OFF_CONSUMER_HEARTBEAT,
    counter: L.RBS_OFF_READ,
    wake: L.RBS_OFF_CONSUMER_WAKE,
    waiters: L.RBS_OFF_CONSUMER_WAITERS,
    seq: L.RBS_OFF_CONSUMER_WAIT_SEQ,
  },
};
export const OTHER = { producer: 'consumer', consumer: 'producer' };

/** A nonzero 31-bit token naming one object's claim on a role. */
export function newToken() {
  return ((Math.random() * 0x7fffffff) | 0) || 1;
}

/**
 * A peer timeout option: undefined -> the default; 0 or Infinity -> off
 * (Infinity); else at least MIN_PEER_TIMEOUT_MS.
 */
export function checkPeerTimeout(ms, where, name = 'options.peerTimeoutMs') {
  if (ms === undefined) return DEFAULT_PEER_TIMEOUT_MS;
  const what = `a number of milliseconds from ${MIN_PEER_TIMEOUT_MS} (four ${HEARTBEAT_MS} ms heartbeats), or 0 or Infinity to never give up on the other side`;
  if (typeof ms !== 'number') throw new TypeError(`${where}: ${name} must be ${what}; got ${describe(ms)}`);
  if (ms === 0 || ms === Infinity) return Infinity;
  if (!(ms >= MIN_PEER_TIMEOUT_MS)) throw new RangeError(`${where}: ${name} must be ${what}; got ${ms}`);
  return ms;
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** The roles of one ring on this thread. */
export class Roles {
  #r;
  #i32;
  #beats = { producer: null, consumer: null }; // heartbeat entries this thread runs
  #onLost = { producer: null, consumer: null };
  #seen = { producer: null, consumer: null }; // the last look at each role's words

  constructor(region) {
    this.#r = region;
    this.#i32 = region.i32;
  }

  #at(role, word) {
    return this.#r.word(ROLE_WORDS[role][word]);
  }

  /**
   * Claims `role` for `token`.  Claiming again with the same token is
   * harmless; a role another token holds is refused (RBS_EBUSY).  A new claim
   * beats on this thread's timer unless opts.beat is false (a worklet beats
   * in process()); opts.onLost is called if a takeOver elsewhere takes it.
   */
  claim(role, token, where, opts) {
    const prev = Atomics.compareExchange(this.#i32, this.#at(role, 'owner'), 0, token);
    if (prev !== 0 && prev !== token)
      throw new RingBufferError(
        `${where}: the ${role} role of this ring is already held by another instance (owner token ${prev >>> 0}); ` +
          `a ring has exactly one ${role}. Its holder gives it up with dispose(); one whose thread ended without ` +
          'that can be replaced by a claim with { takeOver: true }',
        L.RBS_EBUSY,
      );
    if (prev === 0) this.#held(role, token, opts);
  }

  // A claim took effect: the heartbeat moves at once (a watcher sees the new
  // holder), then on the timer.
  #held(role, token, opts) {
    this.beatNow(role);
    if (opts?.beat === false) return;
    stopBeating(this.#beats[role]);
    this.#beats[role] = startBeating(this, role, token);
    this.#onLost[role] = opts?.onLost ?? null;
  }

  /** The timer's beat: moves the heartbeat while `token` holds `role`;
   *  false (and onLost called) once it does not. */
  beat(role, token) {
    if (!this.holds(role, token)) {
      const lost = this.#onLost[role];
      this.#beats[role] = null;
      this.#onLost[role] = null;
      if (lost) lost();
      return false;
    }
    this.beatNow(role);
    return true;
  }

  /** Moves `role`'s heartbeat once (a blocking wait's slice, a close: where the timer may not run). */
  beatNow(role) {
    Atomics.add(this.#i32, this.#at(role, 'beat'), 1);
  }

  holds(role, token) {
    return Atomics.load(this.#i32, this.#at(role, 'owner')) === token;
  }

  /** Gives `role` up if `token` holds it: owner back to 0, heartbeat stopped. */
  release(role, token) {
    const e = this.#beats[role];
    if (e !== null && e.token === token) {
      stopBeating(e);
      this.#beats[role] = null;
      this.#onLost[role] = null;
    }
    const held = Atomics.compareExchange(this.#i32, this.#at(role, 'owner'), token, 0) === token;
    if (held) this.beatNow(role);
    return held;
  }

  /**
   * Milliseconds `role` has been silent as this object watched it: since its
   * owner word, heartbeat or counter last changed between two looks (the first
   * look counts as a change); -1 when the role is free.  Only the holder
   * writes those words, so the watcher's own work never counts.
   */
  silentMs(role) {
    const i32 = this.#i32;
    const owner = Atomics.load(i32, this.#at(role, 'owner'));
    const beat = Atomics.load(i32, this.#at(role, 'beat'));
    const ctr = Atomics.load(i32, this.#at(role, 'counter'));
    const t = now();
    const o = this.#seen[role];
    if (o === null) this.#seen[role] = { owner, beat, ctr, at: t };
    else if (o.owner !== owner || o.beat !== beat || o.ctr !== ctr) Object.assign(o, { owner, beat, ctr, at: t });
    return owner === 0 ? -1 : t - this.#seen[role].at;
  }

  /** Whether `role` is held and was heard from within `timeoutMs` (any holder when Infinity). */
  alive(role, timeoutMs) {
    const s = this.silentMs(role);
    return s >= 0 && (timeoutMs === Infinity || s < timeoutMs);
  }

  /** Throws PeerGoneError when `role` is held and silent for `timeoutMs`;
   *  a waiter calls it before each slice, after finding `state` still true. */
  checkPeer(role, timeoutMs, where, state, extra) {
    if (timeoutMs === Infinity) return;
    const s = this.silentMs(role);
    if (s < timeoutMs) return;
    const ms = Math.round(s);
    const ctr = role === 'producer' ? 'write' : 'read';
    throw new PeerGoneError(
      `${where}: the ${role} has been silent for ${ms} ms while ${state} (its heartbeat and the ${ctr} counter did ` +
        `not move, the ring is not closed): its thread has ended or hangs (peerTimeoutMs ${timeoutMs})`,
      role,
      ms,
      timeoutMs,
      extra,
    );
  }

  /**
   * Claims `role` for `token` even if another token holds it, provided that
   * holder stays silent for `staleMs` while this watches; a holder heard from
   * meanwhile is alive and the claim is refused.  The dead holder's waiting
   * count stays: each wait is woken once by its number, so a stale count
   * costs at most one notify (rbs.h, "Waking a side that sleeps").
   * Resolves with the displaced token (0 if the role was free).
   */
  async takeOver(role, token, where, staleMs, opts) {
    const ownerIdx = this.#at(role, 'owner');
    let since = null;
    for (;;) {
      const prev = Atomics.load(this.#i32, ownerIdx);
      if (prev === 0 || prev === token) {
        this.claim(role, token, where, opts);
        return 0;
      }
      const s = this.silentMs(role);
      const at = this.#seen[role].at;
      if (since === null) since = at;
      else if (at !== since)
        throw new RingBufferError(
          `${where}: the ${role} role is held by a live instance (owner token ${prev >>> 0}, heard from ` +
            `${Math.round(s)} ms ago): takeOver takes only a role whose holder stays silent for ${staleMs} ms`,
          L.RBS_EBUSY,
        );
      if (s >= staleMs) {
        if (Atomics.compareExchange(this.#i32, ownerIdx, prev, token) !== prev) continue;
        this.#held(role, token, opts);
        return prev >>> 0;
      }
      await sleep(Math.min(staleMs - s, HEARTBEAT_MS));
    }
  }
}
