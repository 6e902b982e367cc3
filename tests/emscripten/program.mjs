// program.mjs — what the Node tests share about the Emscripten test program
// (tests/emscripten/peer.c with the example synth): loading it, the byte
// pattern both sides stream, the synth's samples, and the JS side's worker.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

const require = createRequire(import.meta.url);
const BUILD = new URL('../../build/emscripten/', import.meta.url);

const programs = new Map();

/**
 * The program built with a 'fixed' or 'growable' memory, instantiated once
 * per process.  On
 * Node the factory fetches its .wasm by path and fails (ERR_INVALID_URL), so
 * the bytes are handed over as wasmBinary.
 */
export function loadProgram(variant) {
  if (!programs.has(variant)) programs.set(variant, instantiate(variant));
  return programs.get(variant);
}

async function instantiate(variant) {
  const createPeer = require(new URL(`peer-${variant}.js`, BUILD).pathname);
  const M = await createPeer({ wasmBinary: readFileSync(new URL(`peer-${variant}.wasm`, BUILD)) });
  if (!(M.wasmMemory?.buffer instanceof SharedArrayBuffer)) throw new Error('Module.wasmMemory is not a shared memory: build with -pthread');
  return M;
}

/** peer.c's pattern: the stream's byte i is pattern[i % PERIOD]. */
export const PERIOD = 65521;
export const MAX_CHUNK = 65536;
export const patternByte = (j) => (Math.imul(j, 2654435761) >>> 24) & 0xff;
export function makePattern() {
  const p = new Uint8Array(PERIOD + MAX_CHUNK);
  for (let j = 0; j < p.length; j++) p[j] = patternByte(j % PERIOD);
  return p;
}

/** The example synth's sample (synth.c, synth_sample), recomputed in JS. */
export function synthSample(frame, channel, rate) {
  const increment = Math.trunc((220 * (channel + 1) * 4294967296) / rate) >>> 0;
  const phase = Math.imul(frame, increment) >>> 0;
  return Math.fround(((phase >>> 16) - 32767.5) * (0.25 / 32768));
}

/** peer.c's results for peer `p`. */
export function peerReport(M, p) {
  const bad = M._peer_first_bad(p) >>> 0;
  return {
    result: M._peer_result(p),
    moved: M._peer_moved(p) >>> 0,
    firstBad: bad === 0xffffffff ? -1 : bad,
    waits: M._peer_waits(p) >>> 0,
    sleptOut: M._peer_slept_out(p) >>> 0,
    ms: M._peer_ms(p),
  };
}

/** Resolves once peer `p` of program M finished (result nonzero). */
export async function peerDone(M, p, timeoutMs = 30000) {
  const until = Date.now() + timeoutMs;
  while (M._peer_result(p) === 0) {
    if (Date.now() > until) throw new Error(`the C peer did not finish in ${timeoutMs} ms: ${JSON.stringify(peerReport(M, p))}`);
    await new Promise((r) => setTimeout(r, 5));
  }
  return peerReport(M, p);
}

const workers = new Set();

/** Ends the JS sides still running (a failed test's), so the process can exit. */
export async function stopJsSides() {
  await Promise.all([...workers].map((w) => w.terminate()));
}

/** Ends the programs' pthread workers too, which would keep the process alive. */
export async function stopAll() {
  await stopJsSides();
  for (const M of programs.values()) (await M).PThread.terminateAllThreads();
}

/**
 * The JS side in a worker_thread (js_side.worker.mjs) running `task`; returns
 * { worker, ready, done }: `ready` resolves once it holds its role, `done`
 * with its report, and the other messages ('died') go to onMessage.
 */
export function jsSide(task, onMessage = () => {}) {
  const worker = new Worker(new URL('./js_side.worker.mjs', import.meta.url), { workerData: task });
  workers.add(worker);
  worker.on('exit', () => workers.delete(worker));
  let readyResolve;
  const ready = new Promise((r) => (readyResolve = r));
  const done = new Promise((resolve, reject) => {
    worker.on('message', (m) => {
      if (m.type === 'ready') readyResolve(m);
      else if (m.type === 'done') resolve(m);
      else onMessage(m);
    });
    worker.on('error', reject);
    worker.on('exit', (code) => reject(new Error(`the JS side's worker exited (${code}) before it reported`)));
  });
  done.catch(() => {}); // a test that terminates the worker does not await it
  return { worker, ready, done };
}
