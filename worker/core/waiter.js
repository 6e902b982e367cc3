// waiter.js — the one way a side waits for the other: the waiter's half of
// the wake protocol of rbs.h ("Waking a side that sleeps"; the C calls are
// the waker), cut in slices so the peer is watched, for blocking (Worker) and
// asynchronous (any thread) callers alike.
import { hasWaitAsync, isNode, now } from './env.js';

// Looks before a side sleeps (each a wasm call of well under a microsecond):
// the other side is usually busy on its own core and about to act, and a
// short spin saves a sleep here and a notify there.
const SPIN = 128;
const KEEP_ALIVE_MS = 2147483647; // 2^31 - 1, the longest setTimeout
const noop = () => {};

/** A deadline `timeoutMs` from now (Infinity: none). */
export function deadline(timeoutMs) {
  return timeoutMs === Infinity ? Infinity : now() + timeoutMs;
}

/**
 * The steps of one wait of endpoint `ep` until `ready()`: yields
 * [wakeIndex, seenValue, ms] for each slice to sleep, returns true once
 * ready, false when `until` passed.  Between slices the endpoint checks its
 * peer (PeerGoneError) and that it still holds its role.
 */
function* steps(ep, ready, until, where, state) {
  const i32 = ep._region.i32;
  const w = ep._waitWords; // indexes of this role's wake, waiters and seq words
  for (;;) {
    for (let k = 0; k < SPIN; k++) if (ready()) return true;
    const left = until - now();
    if (left <= 0) return false;
    ep._checkPeer(where, state);
    // Loaded before the new wait number is taken: a wake of that number ends
    // the sleep even if it lands before the last look, which may still find
    // too little (a message or n frames need more than one release).
    const seen = Atomics.load(i32, w.wake);
    Atomics.add(i32, w.seq, 1); // a new wait number: the waker wakes each at most once
    Atomics.add(i32, w.waiters, 1);
    try {
      if (ready()) return true;
      yield [w.wake, seen, Math.min(left, ep._sliceMs)];
    } finally {
      Atomics.sub(i32, w.waiters, 1);
    }
    ep._stillHeld(where);
  }
}

/** Blocks (Atomics.wait: Workers only) until ready(); false on timeout. */
export function waitSync(ep, ready, until, where, state) {
  const it = steps(ep, ready, until, where, state);
  try {
    for (let s = it.next(); ; s = it.next()) {
      if (s.done) return s.value;
      ep._beatNow(); // this thread's timer cannot run while it blocks
      Atomics.wait(ep._region.i32, s.value[0], s.value[1], s.value[2]);
    }
  } finally {
    it.return();
  }
}

/** The same without blocking (Atomics.waitAsync; a 1 ms poll where missing). */
export async function waitAsync(ep, ready, until, where, state) {
  const it = steps(ep, ready, until, where, state);
  try {
    for (let s = it.next(); ; s = it.next()) {
      if (s.done) return s.value;
      await sleepOn(ep._region.i32, s.value[0], s.value[1], s.value[2]);
    }
  } finally {
    it.return();
  }
}

async function sleepOn(i32, index, seen, ms) {
  if (!hasWaitAsync()) return new Promise((resolve) => setTimeout(resolve, 1));
  const r = Atomics.waitAsync(i32, index, seen, ms);
  if (!r.async) return;
  // A pending waitAsync does not keep Node's event loop alive: a timer does.
  const node = isNode();
  const keep = node ? setTimeout(noop, KEEP_ALIVE_MS) : 0;
  try {
    await r.value;
  } finally {
    if (node) clearTimeout(keep);
  }
}
