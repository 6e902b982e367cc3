// fault_util.js — what the fault tests share: the byte stream they send (a
// byte depends on its position, so a lost, repeated, shifted or stray byte
// shows), a worker that can be terminated at a chosen point, and bounded
// waits for the shared control words it raises.
import { Worker } from 'node:worker_threads';

/** The stream's byte at position i. */
export const streamByte = (i) => (i * 131 + (i >>> 8) * 7 + 1) & 0xff;

/** The stream's bytes from position `from`, `n` of them. */
export function streamBytes(from, n) {
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) out[i] = streamByte(from + i);
  return out;
}

/** Index of the first byte of `got` that is not the stream's byte at `from + i`, or -1. */
export function firstStreamMismatch(got, from = 0) {
  for (let i = 0; i < got.length; i++) if (got[i] !== streamByte(from + i)) return i;
  return -1;
}

/** A control block shared with a worker: [0] the stage it reached (notified), [63] a word to block on. */
export function control() {
  return new Int32Array(new SharedArrayBuffer(64 * 4));
}

// What a test leaves running when it fails (workers, rings with pending
// waits, which keep Node alive by design): undone by cleanUp() after each
// test, so a failure ends the run instead of hanging it.
const cleanups = new Set();

/** Registers `f` to run at the next cleanUp(); returns `value`. */
export function onCleanUp(f, value) {
  cleanups.add(f);
  return value;
}

/** Terminates the workers and disposes the rings registered since the last call. */
export async function cleanUp() {
  const fs = [...cleanups];
  cleanups.clear();
  for (const f of fs) {
    try {
      await f();
    } catch {
      // already gone
    }
  }
}

/** Registers a ring (or audio end) to be disposed by cleanUp(): its pending waits reject. */
export const track = (ring) => onCleanUp(() => ring.dispose(), ring);

/** Starts fault_peer.worker.js in `mode`; its messages and errors are collected. */
export function startPeer(mode, data) {
  const worker = new Worker(new URL('./fault_peer.worker.js', import.meta.url), { workerData: { mode, ...data } });
  onCleanUp(() => worker.terminate());
  const messages = [];
  const errors = [];
  worker.on('message', (m) => messages.push(m));
  worker.on('error', (e) => errors.push(e));
  const exited = new Promise((resolve) => worker.once('exit', resolve));
  return { worker, messages, errors, exited };
}

/** Resolves once ctl[0] >= stage; rejects after `ms` (a hang fails, it does not block the run). */
export async function reachStage(ctl, stage, ms = 10_000, what = `stage ${stage}`) {
  const until = performance.now() + ms;
  for (;;) {
    const now = Atomics.load(ctl, 0);
    if (now >= stage) return now;
    const left = until - performance.now();
    if (left <= 0) throw new Error(`the worker did not reach ${what} within ${ms} ms (at stage ${now})`);
    const r = Atomics.waitAsync(ctl, 0, now, Math.min(left, 100));
    if (r.async) await r.value;
  }
}

/** The first message of `peer` that satisfies `pred`, within `ms`. */
export async function messageOf(peer, pred, ms = 10_000) {
  const until = performance.now() + ms;
  for (;;) {
    const m = peer.messages.find(pred);
    if (m) return m;
    if (peer.errors.length) throw peer.errors[0];
    if (performance.now() > until) throw new Error(`no such message from the worker within ${ms} ms: ${JSON.stringify(peer.messages)}`);
    await sleep(10);
  }
}

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Resolves with what `p` settles to, or rejects if that takes longer than `ms`. */
export function within(p, ms, what) {
  let t;
  const limit = new Promise((_, reject) => {
    t = setTimeout(() => reject(new Error(`${what} did not settle within ${ms} ms`)), ms);
  });
  return Promise.race([p, limit]).finally(() => clearTimeout(t));
}

/** Header word of a ring at byte offset `off`, through its memory. */
export function headerWord(ring, off) {
  return Atomics.load(new Int32Array(ring.memory.buffer), (ring.offset + off) >>> 2);
}
