// bytes.page.js — page -> Worker bytes per second through each ring's JS API:
// the page writes a stream in chunks of 16 B, 1 KiB and 64 KiB (rbs:
// Producer.tryWrite; ringbuf.js: push), pausing briefly when the ring is
// full; the Worker reads up to 64 KiB at a time (rbs: Consumer.readInto;
// ringbuf.js: pop) and checks every byte.  Same capacity for both, rounds
// alternate which goes first; a run lasts RUN_SECONDS of producing, from the
// Worker's first poll to its last byte (both seen on the page's clock).
// Leaves { samples: {chunk: {impl: [MB/s per round]}}, checked, errors } in
// window.result.
import * as lib from '/dist/index.js';
import { RingBuffer as RbRing } from '/ringbuf/index.mjs';
import * as S from './bytes.shared.js';

const q = new URLSearchParams(location.search);
const rounds = Number(q.get('rounds') || 7);
const quick = q.get('quick') === '1';
const fault = q.get('fault') === '1';
const RUN_SECONDS = quick ? 0.02 : 0.2;
const WAIT_MS = 10_000;
// The Worker's read buffer: READ_BYTES, or a chunk if larger (?read=chunk:
// one chunk): a consumer takes what is there, as a stream's reader does.
// BACKOFF: empty loop turns (about a microsecond) a side spins when its ring
// is full or empty before it polls again, so that it does not steal the
// cache lines the other side is writing (see BENCH_PAUSE in
// bench/native/bench.h); measured here, it doubles both rings' 16 B rate
// and leaves the larger chunks as they were.
const READ_BYTES = 65536;
const BACKOFF = 2000;
const readParam = q.get('read') ?? String(READ_BYTES);
const readFor = (chunk) => (readParam === 'chunk' ? chunk : Math.max(chunk, Number(readParam)));
const backoff = Number(q.get('backoff') ?? BACKOFF);

const ctrlBuffer = new SharedArrayBuffer(S.CONTROL_BYTES);
const ctrl = new Int32Array(ctrlBuffer);
const f64 = new Float64Array(ctrlBuffer);

// views[s]: the chunk that starts at a stream position p with p % PERIOD == s.
// Every write offers views[pos % PERIOD] whole, whatever the last write took,
// so nothing is allocated per call.
function viewsFor(chunk) {
  const source = new Uint8Array(chunk + S.PERIOD);
  for (let i = 0; i < source.length; i++) source[i] = i % S.PERIOD;
  return Array.from({ length: S.PERIOD }, (_, s) => source.subarray(s, s + chunk));
}

function spinUntil(index, seq, what) {
  const give = performance.now() + WAIT_MS;
  while (Atomics.load(ctrl, index) !== seq)
    if (performance.now() > give) throw new Error(`the Worker did not ${what} within ${WAIT_MS / 1000} s`);
}

// The producing loops: each runs until `until` (the clock is read every 64
// calls) and returns the new stream position.
let sink = 0; // spin()'s result goes here, so its loop has a use

// `steps` loop turns that do next to nothing: the pause before polling again.
function spin(steps) {
  let s = sink;
  for (let k = 0; k < steps; k++) s = (s + k) | 0;
  return s;
}

function produceRbs(producer, views, pos, until) {
  let s = pos % S.PERIOD;
  for (let k = 1; ; k++) {
    const n = producer.tryWrite(views[s]);
    if (n === 0 && backoff) sink = spin(backoff);
    pos += n;
    s = (s + n) % S.PERIOD;
    if ((k & 63) === 0 && performance.now() >= until) return pos;
  }
}

function produceRingbuf(ring, views, pos, until) {
  let s = pos % S.PERIOD;
  for (let k = 1; ; k++) {
    const n = ring.push(views[s]);
    if (n === 0 && backoff) sink = spin(backoff);
    pos += n;
    s = (s + n) % S.PERIOD;
    if ((k & 63) === 0 && performance.now() >= until) return pos;
  }
}

async function main() {
  const worker = new Worker('./bytes.worker.js', { type: 'module' });
  let answer = null;
  worker.onmessage = ({ data }) => answer?.(data);
  worker.onerror = (e) => answer?.({ error: `worker error: ${e.message}` });
  const ask = (msg) =>
    new Promise((resolve, reject) => {
      answer = (d) => (d.error ? reject(new Error(d.error)) : resolve(d));
      worker.postMessage(msg);
    });

  // One lane per (chunk, impl), kept for the whole run: the stream goes on.
  const lanes = [];
  for (const chunk of S.CHUNKS) {
    const capacity = S.capacityFor(chunk);
    const views = viewsFor(chunk);
    const ring = lib.RingBuffer.create({ capacity });
    const storage = RbRing.getStorageForCapacity(capacity, Uint8Array);
    const rb = new RbRing(storage, Uint8Array);
    if (ring.capacity !== capacity || rb.capacity() !== capacity) throw new Error('capacities differ');
    lanes.push({ chunk, impl: 'rbs', pos: 0, produce: produceRbs, target: ring.producer, views, handle: ring.handle });
    lanes.push({ chunk, impl: 'ringbuf.js', pos: 0, produce: produceRingbuf, target: rb, views, storage });
  }
  await ask({
    cmd: 'init',
    ctrl: ctrlBuffer,
    fault,
    backoff,
    lanes: lanes.map((l, id) => ({ id, chunk: l.chunk, read: readFor(l.chunk), impl: l.impl, handle: l.handle, storage: l.storage })),
  });

  let seq = 0;
  let checked = 0;
  let errors = 0;
  // One run of a lane: bytes per second from the Worker's first poll to its last byte.
  async function run(id) {
    const lane = lanes[id];
    seq++;
    const done = ask({ cmd: 'run', id, seq });
    spinUntil(S.READY, seq, 'start');
    const start = lane.pos;
    const t0 = performance.now();
    lane.pos = lane.produce(lane.target, lane.views, lane.pos, t0 + RUN_SECONDS * 1000);
    f64[S.END] = lane.pos;
    Atomics.store(ctrl, S.STOP, seq);
    spinUntil(S.DONE, seq, 'finish');
    const t1 = performance.now();
    await done;
    if (f64[S.RECEIVED] !== lane.pos) throw new Error(`${lane.impl} ${lane.chunk} B: the Worker got ${f64[S.RECEIVED]} of ${lane.pos} bytes`);
    checked += lane.pos - start;
    errors += Atomics.load(ctrl, S.ERRORS);
    return (lane.pos - start) / ((t1 - t0) / 1000) / 1e6;
  }

  for (let id = 0; id < lanes.length; id++) await run(id); // warm-up
  const samples = {};
  for (let r = 0; r < rounds; r++) {
    for (const chunk of S.CHUNKS) {
      const ids = lanes.flatMap((l, id) => (l.chunk === chunk ? [id] : []));
      if (r % 2) ids.reverse();
      for (const id of ids) ((samples[chunk] ??= {})[lanes[id].impl] ??= []).push(await run(id));
    }
  }
  worker.terminate();
  const reads = Object.fromEntries(S.CHUNKS.map((c) => [c, readFor(c)]));
  return { samples, checked, errors, runSeconds: RUN_SECONDS, reads, backoff, userAgent: navigator.userAgent };
}

const out = document.getElementById('out');
main().then(
  (r) => {
    window.result = r;
    out.textContent = JSON.stringify(r, null, 1);
  },
  (e) => {
    window.result = { error: String(e && e.stack ? e.stack : e) };
    out.textContent = window.result.error;
  },
);
