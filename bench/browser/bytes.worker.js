// bytes.worker.js — the consumer side of the page-to-Worker benchmark
// (bytes.page.js): for each lane, rbs's Consumer.readInto or ringbuf.js's pop
// into a view of the checker module's memory (the lane's read size), pausing
// `backoff` loop turns when the ring is empty, and every byte compared with
// the stream's pattern by bench/wasm/verify.c (the same check for both).
import * as lib from '/dist/index.js';
import { RingBuffer as RbRing } from '/ringbuf/index.mjs';
import * as S from './bytes.shared.js';

let ctrl, f64, verify, lanes;

let backoff = 0;
let sink = 0; // spin()'s result goes here, so its loop has a use

// `steps` loop turns that do next to nothing: the pause before polling again.
function spin(steps) {
  let s = sink;
  for (let k = 0; k < steps; k++) s = (s + k) | 0;
  return s;
}

async function init({ ctrl: buffer, fault, lanes: specs, backoff: steps }) {
  backoff = steps;
  ctrl = new Int32Array(buffer);
  f64 = new Float64Array(buffer);
  const { instance } = await WebAssembly.instantiateStreaming(fetch('/build-bench/verify.wasm'));
  verify = instance.exports;
  const mem = new Uint8Array(verify.memory.buffer);
  const want = verify.bench_want();
  const max = Math.max(...specs.map((l) => l.read));
  if (max > verify.bench_verify_max()) throw new Error(`chunks of ${max} B exceed the checker's ${verify.bench_verify_max()}`);
  // want[i] is the byte at a stream position p with p % PERIOD == i % PERIOD;
  // a fault run expects every byte one higher, so every byte must fail.
  for (let i = 0; i < max + S.PERIOD; i++) mem[want + i] = (i + (fault ? 1 : 0)) % S.PERIOD;
  lanes = [];
  for (const l of specs) {
    const got = new Uint8Array(verify.memory.buffer, verify.bench_got(), l.read);
    let read;
    if (l.impl === 'rbs') {
      const consumer = (await lib.RingBuffer.attach(l.handle)).consumer;
      read = () => consumer.readInto(got);
    } else {
      const rb = new RbRing(l.storage, Uint8Array);
      read = () => rb.pop(got);
    }
    lanes.push({ read, received: 0 });
  }
}

// Reads until the page has stopped and every byte it wrote has come through.
function run({ id, seq }) {
  const lane = lanes[id];
  const count = verify.bench_count_wrong;
  const read = lane.read;
  let received = lane.received;
  let errors = 0;
  Atomics.store(ctrl, S.READY, seq);
  for (;;) {
    const n = read();
    if (n > 0) {
      errors += count(received % S.PERIOD, n);
      received += n;
      continue;
    }
    if (Atomics.load(ctrl, S.STOP) === seq && received >= f64[S.END]) break;
    if (backoff) sink = spin(backoff);
  }
  lane.received = received;
  f64[S.RECEIVED] = received;
  Atomics.store(ctrl, S.ERRORS, errors);
  Atomics.store(ctrl, S.DONE, seq);
}

onmessage = async ({ data }) => {
  try {
    if (data.cmd === 'init') await init(data);
    else run(data);
    postMessage({ ok: true });
  } catch (e) {
    postMessage({ error: String(e && e.stack ? e.stack : e) });
  }
};
