// js_side.worker.mjs — the JS side of a C <-> JS test, in its own
// worker_thread with its own instance of the package's wasm, attached to a
// ring in the Emscripten program's memory.  workerData is the task:
//   { task: 'consume-bytes', memory, rings: [offset...], peerTimeoutMs, growAt?, growPages?, more? }
//       reads each ring to its end in turn, checking every byte; reports
//       per ring { moved, firstBad, ms, end } (end: 'closed' or the error's name);
//       with `more`, then posts 'more?' and reads the rings of the answer
//       (attached only then: rings placed after the memory grew)
//   { task: 'serve-bytes', memory, peerTimeoutMs }
//       for each message { offset }: attaches that ring, posts 'ready', reads
//       it to its end checking every byte, posts { type: 'read', ...report }
//   { task: 'produce-bytes', memory, offset, total, chunk, peerTimeoutMs, stallAt?, stallMs?, dieAt? }
//       writes the pattern with writeSync, then closes; at dieAt it posts
//       'died' and blocks forever (no heartbeat, no close: a thread that hangs)
//   { task: 'consume-audio', memory, offset, scratchOffset, scratchSize, peerTimeoutMs, paceMs?, dieAt?, growAt?, growPages? }
//       reads every frame, checking every sample against the synth's, napping
//       paceMs after each read; at dieAt frames it hangs (no read, no beat)
// growAt/growPages: memory.grow(growPages) from this thread once growAt
// bytes or frames went through (the JS side growing the memory mid-stream).
import { parentPort, workerData } from 'node:worker_threads';
import { AudioRing, RingBuffer } from '../../dist/index.js';
import { PERIOD, makePattern, synthSample } from './program.mjs';

const t = workerData;
const post = (m) => parentPort.postMessage(m);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const never = new Int32Array(new SharedArrayBuffer(4));
const firstBuffer = t.memory.buffer; // as this thread first saw the memory
const nextMessage = () => new Promise((r) => parentPort.once('message', r));

function maybeGrow(at, state) {
  if (state.grown || t.growAt === undefined || at < t.growAt) return;
  const from = t.memory.buffer.byteLength;
  t.memory.grow(t.growPages);
  state.growth = { from, to: t.memory.buffer.byteLength };
  state.grown = true;
}

// Reads a byte ring to its end, checking every byte against the pattern.
function readToEnd(ring, pattern, state) {
  const c = ring.consumer;
  let at = 0;
  let firstBad = -1;
  let t0 = 0;
  let end = 'closed';
  for (;;) {
    let chunk;
    try {
      chunk = c.readSync(65536);
    } catch (e) {
      end = e.name;
      break;
    }
    if (chunk === null) break;
    if (at === 0) t0 = performance.now();
    const base = at % PERIOD;
    if (firstBad < 0)
      for (let i = 0; i < chunk.length; i++)
        if (chunk[i] !== pattern[base + i]) {
          firstBad = at + i;
          break;
        }
    at += chunk.length;
    maybeGrow(at, state);
  }
  return { moved: at, firstBad, ms: performance.now() - t0, end };
}

async function attachAll(offsets) {
  const rings = [];
  for (const offset of offsets) rings.push(await RingBuffer.attach({ memory: t.memory, offset }, { peerTimeoutMs: t.peerTimeoutMs }));
  for (const r of rings) void r.consumer; // claims each ring's consumer role now
  return rings;
}

async function consumeBytes() {
  const pattern = makePattern();
  const state = { grown: false };
  const rings = await attachAll(t.rings);
  post({ type: 'ready' });
  const reports = rings.map((r) => readToEnd(r, pattern, state));
  if (t.more) {
    const answer = nextMessage();
    post({ type: 'more?', rings: reports, growth: state.growth });
    for (const r of await attachAll((await answer).rings)) reports.push(readToEnd(r, pattern, state));
  }
  post({ type: 'done', rings: reports, grown: state.grown, firstLength: firstBuffer.byteLength, length: t.memory.buffer.byteLength });
}

async function serveBytes() {
  const pattern = makePattern();
  const state = { grown: false };
  parentPort.on('message', async ({ offset }) => {
    const [ring] = await attachAll([offset]);
    post({ type: 'ready' });
    post({ type: 'read', ...readToEnd(ring, pattern, state) });
    ring.dispose();
  });
}

async function produceBytes() {
  const pattern = makePattern();
  const ring = await RingBuffer.attach({ memory: t.memory, offset: t.offset }, { peerTimeoutMs: t.peerTimeoutMs });
  const p = ring.producer;
  post({ type: 'ready' });
  let at = 0;
  let stallAt = t.stallAt ?? Infinity;
  const dieAt = t.dieAt ?? Infinity;
  const t0 = performance.now();
  while (at < t.total) {
    if (at >= dieAt) {
      post({ type: 'died', at });
      Atomics.wait(never, 0, 0); // hangs here: the timer never beats again
    }
    if (at >= stallAt) {
      await sleep(t.stallMs); // the heartbeat timer keeps beating meanwhile
      stallAt = Infinity;
    }
    const n = Math.min(t.chunk, t.total - at, dieAt - at, stallAt - at);
    const base = at % PERIOD;
    p.writeSync(pattern.subarray(base, base + n));
    at += n;
  }
  await p.close();
  post({ type: 'done', moved: at, ms: performance.now() - t0 });
}

async function consumeAudio() {
  const ring = await AudioRing.attach(
    { memory: t.memory, offset: t.offset, scratchOffset: t.scratchOffset, scratchSize: t.scratchSize },
    { peerTimeoutMs: t.peerTimeoutMs },
  );
  const r = ring.reader;
  post({ type: 'ready' });
  const ch = ring.channels;
  const rate = ring.sampleRate;
  const planes = Array.from({ length: ch }, () => new Float32Array(1000)); // not a divisor of the blocks
  let at = 0;
  let firstBad = null;
  let end = 'closed';
  const state = { grown: false };
  for (;;) {
    let k;
    try {
      k = r.read(planes);
    } catch (e) {
      end = e.name;
      break;
    }
    if (k === null) break;
    if (k === undefined) {
      Atomics.wait(never, 0, 0, 1); // the reader never waits for the writer: poll
      continue;
    }
    for (let c = 0; c < ch && firstBad === null; c++)
      for (let i = 0; i < k; i++)
        if (planes[c][i] !== synthSample(at + i, c, rate)) {
          firstBad = { frame: at + i, channel: c, got: planes[c][i], want: synthSample(at + i, c, rate) };
          break;
        }
    at += k;
    maybeGrow(at, state);
    if (at >= (t.dieAt ?? Infinity)) Atomics.wait(never, 0, 0); // hangs: no read, no beat
    if (t.paceMs) Atomics.wait(never, 0, 0, t.paceMs);
  }
  post({ type: 'done', frames: at, firstBad, end, underruns: ring.underruns, overruns: ring.overruns, grown: state.grown });
}

const tasks = { 'consume-bytes': consumeBytes, 'serve-bytes': serveBytes, 'produce-bytes': produceBytes, 'consume-audio': consumeAudio };
await tasks[t.task]();
