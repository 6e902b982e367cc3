// heartbeat.js — this thread's one timer that beats every role it holds.
// Entries hold their Roles weakly, so a ring nobody can use any more stops
// beating (its peer then sees it gone) instead of leaking.

import * as L from '../../build/wasm/layout.js';

/** How often a held role's heartbeat moves, and the longest slice of a watched
 *  wait: rbs.h's, so that C and JS sides judge each other alike. */
export const HEARTBEAT_MS = L.RBS_HEARTBEAT_MS;

const HAS_INTERVAL = typeof setInterval === 'function' && typeof clearInterval === 'function';
const beating = new Set(); // { ref, role, token }
let timer = null;

function tick() {
  for (const e of beating) {
    const roles = e.ref.deref();
    if (roles === undefined || !roles.beat(e.role, e.token)) beating.delete(e);
  }
  if (beating.size === 0) stopTimer();
}

function stopTimer() {
  if (timer !== null) clearInterval(timer);
  timer = null;
}

/** Calls roles.beat(role, token) every HEARTBEAT_MS until it returns false
 *  (no timer in a scope without one, such as an AudioWorkletGlobalScope:
 *  there the calls beat).  Returns the entry for stopBeating. */
export function startBeating(roles, role, token) {
  const e = { ref: new WeakRef(roles), role, token };
  beating.add(e);
  if (timer === null && HAS_INTERVAL) {
    timer = setInterval(tick, HEARTBEAT_MS);
    // A Node worker ends when its work is done: a heartbeat must not keep it alive.
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
