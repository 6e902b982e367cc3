// hostile_arena.js — the supervisor's half of the hostile-peer suites: one
// shared memory holding the ring (and an audio ring's staging block) with
// canary bytes in every other byte, an honest worker and a hostile worker
// over it, a watch on the honest side's current call, and the canary count.
import { Worker } from 'node:worker_threads';
import { pathToFileURL } from 'node:url';
import { CTL, CTL_WORDS, canaryByte } from './hostile_shared.js';

/** The package under test: dist/index.js, or RBS_DIST (to show a broken copy fails). */
export const DIST = process.env.RBS_DIST
  ? pathToFileURL(process.env.RBS_DIST).href
  : new URL('../../dist/index.js', import.meta.url).href;

/** How long the hostile worker writes, per kind (RBS_HOSTILE_MS; default 1 s). */
export const HOSTILE_MS = Number(process.env.RBS_HOSTILE_MS) > 0 ? Number(process.env.RBS_HOSTILE_MS) : 1000;

// A call still running after this long has hung: the honest worker is stopped.
const HUNG_MS = 5000;
const CANARY = 8192; // canary bytes at least before, between and after the blocks

const align64 = (n) => Math.ceil(n / 64) * 64;

/**
 * Places the ring at a 64-aligned offset after CANARY bytes, then (audio)
 * the staging block CANARY bytes after the ring, then CANARY bytes more;
 * everything else in the memory is canary, the module's static region too
 * (instantiating and calling the module writes no byte there).
 */
export function arenaLayout(capacity, scratchSize, L) {
  const offset = 2 * CANARY; // past the static region (RING_OFFSET 8192) and a canary block
  const ringEnd = offset + L.RBS_HEADER_SIZE + capacity;
  const scratchOffset = scratchSize ? align64(ringEnd) + CANARY : 0;
  const end = (scratchSize ? scratchOffset + scratchSize : ringEnd) + CANARY;
  return { offset, ringEnd, scratchOffset, scratchSize, bytes: end };
}

/** Fills every byte outside the ring and the staging block with the canary pattern. */
export function fillCanaries(memory, lay) {
  const u8 = new Uint8Array(memory.buffer);
  for (let i = 0; i < u8.length; i++) if (!inBlocks(i, lay)) u8[i] = canaryByte(i);
}

/** Canary bytes changed: the count and the first few offsets. */
export function canariesChanged(memory, lay) {
  const u8 = new Uint8Array(memory.buffer);
  let count = 0;
  const first = [];
  for (let i = 0; i < u8.length; i++)
    if (!inBlocks(i, lay) && u8[i] !== canaryByte(i)) {
      if (count++ < 4) first.push(i);
    }
  return { count, first };
}

function inBlocks(i, lay) {
  return (
    (i >= lay.offset && i < lay.ringEnd) ||
    (lay.scratchSize > 0 && i >= lay.scratchOffset && i < lay.scratchOffset + lay.scratchSize)
  );
}

function start(script, workerData) {
  const w = new Worker(new URL(script, import.meta.url), { workerData });
  const names = [];
  const result = new Promise((resolve, reject) => {
    w.on('message', (m) => {
      if (m.callName !== undefined) names[m.id] = m.callName;
      else resolve(m);
    });
    w.once('error', reject);
    w.once('exit', (code) => reject(new Error(`${script} exited (code ${code}) without a result`)));
  });
  return { w, names, result };
}

/**
 * Runs the honest worker `honestScript` and hostile_writer.worker.js over one
 * memory laid out by `lay` for HOSTILE_MS; resolves with both reports, or
 * rejects naming the honest call that hung.
 */
export async function runArena({ honestScript, memory, lay, ring }) {
  const ctl = new Int32Array(new SharedArrayBuffer(CTL_WORDS * 4));
  const clock = new Float64Array(new SharedArrayBuffer(8)); // when the current call began (Date.now())
  const common = { dist: DIST, memory, lay, ring, ctl, ms: HOSTILE_MS };
  const honest = start(honestScript, { ...common, clock });
  const hostile = start('./hostile_writer.worker.js', common);
  let watch;
  const hung = new Promise((_, reject) => {
    watch = setInterval(() => {
      if (Atomics.load(ctl, CTL.IN_CALL) === 0 || Date.now() - clock[0] < HUNG_MS) return;
      const name = honest.names[Atomics.load(ctl, CTL.CALL_ID)] ?? '?';
      reject(new Error(`the honest side hung for over ${HUNG_MS} ms in ${name}`));
    }, 200);
  });
  try {
    const [h, x] = await Promise.race([Promise.all([honest.result, hostile.result]), hung]);
    return { honest: h, hostile: x };
  } finally {
    clearInterval(watch);
    Atomics.store(ctl, CTL.STOP, 1);
    await Promise.all([honest.w.terminate(), hostile.w.terminate()]);
  }
}
