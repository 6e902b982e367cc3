// liveness.js — how one side of a ring learns that the other is gone.
//
// A Worker can be terminated, crash or hang while it holds a role, and a
// terminated thread runs no cleanup: its owner word stays set and it never
// closes the ring.  So each side keeps a heartbeat in shared memory, and a side
// that waits for the other watches it:
//
//   - Beating.  While a role is held, a timer of the holder's thread adds 1 to
//     the role's heartbeat word (RBS_OFF_PRODUCER_HEARTBEAT or
//     RBS_OFF_CONSUMER_HEARTBEAT) every HEARTBEAT_MS; a blocking wait
//     (writeSync/readSync, when the timer cannot run) adds 1 at each slice of
//     at most HEARTBEAT_MS; the AudioWorklet processors add 1 per process().
//     Nothing is added on the hot path (tryWrite, readInto, ...): moving the
//     counters already proves the side is alive, and the watcher counts that.
//     Only Atomics.add, never a store: MessagePipe's sender and RingBuffer's
//     producer add to the producer's word to wake the other side, and a bump
//     without notify is harmless to them (Atomics.wait wakes only on notify; a
//     changed value only makes the waiter re-check).
//   - Watching.  A side about to wait for data (consumer) or room (producer)
//     looks at the other role's owner word, heartbeat word and counter.  When
//     none of them moved for `peerTimeoutMs` of its watching, the ring is
//     still empty (full) and not closed, and the role is held, the wait
//     rejects/throws PeerGoneError.  A free role (never claimed yet, or given
//     up with dispose()) is not a silent one: the waiter waits for its next
//     holder.  Waits are cut in slices of at most HEARTBEAT_MS so the watch
//     runs while nothing arrives.
//   - Taking over.  A role whose holder died stays claimed; a new holder may
//     take it only after watching it silent for the timeout (takeOver), so a
//     live holder is never displaced by accident.
//
// Limits (documented in the .d.ts): a holder's thread that blocks its event
// loop longer than peerTimeoutMs without moving data (a long synchronous
// computation, a debugger pause, a main thread in a hidden tab whose timers
// the browser throttles to one a minute, a suspended AudioContext for the
// worklet nodes) looks gone; raise peerTimeoutMs or pass 0 to turn the check
// off.

/** peerTimeoutMs when none is given. */
export const DEFAULT_PEER_TIMEOUT_MS = 5000;

/** How often a held role's heartbeat moves, and the longest slice of a wait. */
export const HEARTBEAT_MS = 250;

/**
 * The other side of the ring has been silent -- no heartbeat, no data moved,
 * no close -- for at least peerTimeoutMs while this side waited for it: its
 * thread ended (a terminated or crashed Worker) or hangs.  Nothing was lost:
 * every byte it committed was delivered; what it had reserved and not
 * committed was never visible.
 */
export class PeerGoneError extends Error {
  /**
   * @param {string} message
   * @param {'producer'|'consumer'} role  the role that went silent
   * @param {number} silentMs             how long it was silent, as watched
   * @param {number} peerTimeoutMs        the limit it passed
   */
  constructor(message, role, silentMs, peerTimeoutMs) {
    super(message);
    this.name = 'PeerGoneError';
    this.role = role;
    this.silentMs = silentMs;
    this.peerTimeoutMs = peerTimeoutMs;
  }
}

/** A peer timeout option: undefined -> the default; 0 or Infinity -> off
 *  (returned as Infinity); else a positive finite number of milliseconds. */
export function checkPeerTimeout(ms, where, name = 'options.peerTimeoutMs', describe = String) {
  if (ms === undefined) return DEFAULT_PEER_TIMEOUT_MS;
  const what = 'a number of milliseconds > 0, or 0 or Infinity to never give up on the other side';
  if (typeof ms !== 'number') throw new TypeError(`${where}: ${name} must be ${what}; got ${describe(ms)}`);
  if (!(ms >= 0)) throw new RangeError(`${where}: ${name} must be ${what}; got ${ms}`);
  return ms === 0 ? Infinity : ms;
}

/** The options of attach()/attachSync() ({ peerTimeoutMs? } or absent),
 *  checked; returns the peer timeout. */
export function attachPeerTimeout(options, where, describe = String) {
  if (options !== undefined && (typeof options !== 'object' || options === null))
    throw new TypeError(`${where}: options must be an object { peerTimeoutMs? } or absent; got ${describe(options)}`);
  return checkPeerTimeout(options?.peerTimeoutMs, where, 'options.peerTimeoutMs', describe);
}

/** The options of a ring's create() ({ capacity, memory?, offset?,
 *  peerTimeoutMs? }), checked to be an object; returns the peer timeout. */
export function createPeerTimeout(options, where, describe = String) {
  if (typeof options !== 'object' || options === null)
    throw new TypeError(
      `${where}: options must be an object { capacity, memory?, offset?, peerTimeoutMs? }; got ${describe(options)}`,
    );
  return checkPeerTimeout(options.peerTimeoutMs, where, 'options.peerTimeoutMs', describe);
}

/** The longest single wait while watching a peer with `timeoutMs`. */
export function sliceFor(timeoutMs) {
  return timeoutMs === Infinity ? Infinity : Math.max(1, Math.min(HEARTBEAT_MS, timeoutMs / 4));
}

// ---------------------------------------------------------------------------
// This thread's beating roles: one timer for all of them.  Entries hold the
// region weakly, so a ring nobody can use any more stops beating (its peer
// then sees it gone, as if its thread had ended) instead of leaking.

const HAS_INTERVAL = typeof setInterval === 'function' && typeof clearInterval === 'function';
const HAS_WEAKREF = typeof WeakRef === 'function';
const beating = new Set(); // { ref, role, token }
let timer = null;

function tick() {
  for (const e of beating) {
    const region = e.ref.deref();
    if (region === undefined || !region.beat(e.role, e.token)) beating.delete(e);
  }
  if (beating.size === 0) stopTimer();
}

function stopTimer() {
  if (timer !== null) clearInterval(timer);
  timer = null;
}

/**
 * Starts beating `role` of `region` for `token` on this thread's timer (none
 * in a scope without timers, such as an AudioWorkletGlobalScope: there the
 * calls themselves beat).  region.beat(role, token) is called every
 * HEARTBEAT_MS and returns false once the role is no longer held by `token`.
 * Returns the entry to pass to stopBeating.
 */
export function startBeating(region, role, token) {
  const e = { ref: HAS_WEAKREF ? new WeakRef(region) : { deref: () => region }, role, token };
  beating.add(e);
  if (timer === null && HAS_INTERVAL) {
    timer = setInterval(tick, HEARTBEAT_MS);
    // In Node a heartbeat must not keep a thread alive that has nothing else
    // to do (a worker ends when its work is done).
    if (typeof timer === 'object' && timer !== null && typeof timer.unref === 'function') timer.unref();
  }
  return e;
}

export function stopBeating(entry) {
  if (entry && beating.delete(entry) && beating.size === 0) stopTimer();
}

/** Roles this thread beats now (for tests). */
export function beatingCount() {
  return beating.size;
}
