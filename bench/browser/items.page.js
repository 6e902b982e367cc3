// items.page.js — the WASM single-item loop in Chromium: two Workers, each
// with its own instance of the bench's item-loop module over one shared
// memory, move 1-byte items through rbs's byte ring one rbs_write/rbs_read
// call each (bench/wasm/item_loop.c, the native suite's 1-byte workload), and
// the same two Workers move 1-byte items through ringbuf.js, one push/pop of
// a one-element Uint8Array each, and through the floor (item_floor.c: the
// least a ring in WebAssembly does per item, a yardstick).  Same ring capacity (8192 items, as the
// native suite), rounds alternate which goes first, every item is checked.
// Leaves { samples: {impl: [M items/s per round]}, checked, errors, ... } in
// window.result.
import { RingBuffer } from '/ringbuf/index.mjs';

const q = new URLSearchParams(location.search);
const rounds = Number(q.get('rounds') || 7);
const quick = q.get('quick') === '1';
const fault = q.get('fault') === '1';

// Empty steps (about a cycle each) a loop spins when its ring is full or
// empty before it polls again (item_loop.c's spin()), instead of the native
// loops' pause instruction: polling flat out steals the cache line the other
// side writes for every item.  Measured here (1-byte items, all three rings):
// 0 steps gave 4 to 47 M items/s from run to run, ~1000 steps 9 to 15,
// 25600 to 102400 steps 40 to 63 for rbs and 100 to 118 for the floor.
const BACKOFF = 32768;
const backoff = Number(q.get('backoff') ?? BACKOFF);
const CAPACITY = 8192;
const RUN_SECONDS = 0.25; // per impl per round (full run)
const RING = 8192; // above the module's static region (bench/wasm/check-module.mjs)
const LAYOUT = {
  ring: RING,
  // each side's line: item byte at +0, wait count at +4, its rbs_view at +16
  producerLine: 16768,
  consumerLine: 16832,
  startWord: 16896,
  floor: 20480, // item_floor.c's ring (bench_floor_size() bytes, zeroed)
  pingWord: 16960, // bench_pingpong's word, its own line
};
const REGION_SIZE = LAYOUT.producerLine - RING; // the ring's header and data fit
const ROUND_TRIPS = quick ? 2000 : 20000;

function worker() {
  const w = new Worker('./items.worker.js', { type: 'module' });
  let pending = null;
  w.onmessage = ({ data }) => pending?.(data);
  w.onerror = (e) => pending?.({ error: `worker error: ${e.message}` });
  return {
    ask(msg) {
      return new Promise((resolve, reject) => {
        pending = (d) => (d.error ? reject(new Error(d.error)) : resolve(d));
        w.postMessage(msg);
      });
    },
  };
}

async function main() {
  // ?module=: another build of the bench module (to try a change to the core).
  const module = await WebAssembly.compileStreaming(fetch(q.get('module') ?? '/build-bench/item_loop.wasm'));
  const memory = new WebAssembly.Memory({ initial: 1, maximum: 1, shared: true });
  const x = new WebAssembly.Instance(module, { env: { memory } }).exports;
  const rc = x.rbs_init(0, RING, REGION_SIZE, CAPACITY); // no view: each Worker attaches its own
  if (rc !== 0) throw new Error(`rbs_init failed with code ${rc}`);
  if (LAYOUT.floor + x.bench_floor_size() > memory.buffer.byteLength) throw new Error('the floor ring does not fit');
  const ringbufStorage = RingBuffer.getStorageForCapacity(CAPACITY, Uint8Array);

  const producer = worker();
  const consumer = worker();
  const init = { cmd: 'init', module, memory, layout: LAYOUT, regionSize: REGION_SIZE, ringbufStorage };
  await Promise.all([producer.ask({ ...init, role: 'producer' }), consumer.ask({ ...init, role: 'consumer' })]);

  let seq = 0;
  let checked = 0;
  let errors = 0;
  const waits = {};
  async function run(impl, count) {
    seq++;
    const c = consumer.ask({ cmd: 'run', impl, role: 'consumer', count, first: fault ? 1 : 0, seq, backoff });
    const p = producer.ask({ cmd: 'run', impl, role: 'producer', count, first: 0, seq, backoff });
    const [pr, cr] = await Promise.all([p, c]);
    checked += count;
    errors += cr.errors;
    (waits[impl] ??= []).push({ full: pr.waits, empty: cr.waits, items: count });
    return count / ((cr.t - pr.t) / 1000) / 1e6;
  }

  const impls = ['rbs', 'ringbuf.js', 'floor'];
  // Warm-up: compiles the loops, and sizes each run to about RUN_SECONDS.
  const counts = {};
  for (const impl of impls) {
    const warm = quick ? 100_000 : 2_000_000;
    const rate = await run(impl, warm);
    counts[impl] = quick ? 300_000 : Math.max(1_000_000, Math.round(rate * 1e6 * RUN_SECONDS));
  }
  // The cache-line round trip between the two Workers, in ns: measured
  // before each round (the machine's cores are sometimes near, sometimes far).
  const i32 = new Int32Array(memory.buffer);
  async function roundTrip() {
    Atomics.store(i32, LAYOUT.pingWord >> 2, 0);
    seq++;
    const c = consumer.ask({ cmd: 'run', impl: 'cache-line', role: 'consumer', count: ROUND_TRIPS, first: 0, seq, backoff });
    const p = producer.ask({ cmd: 'run', impl: 'cache-line', role: 'producer', count: ROUND_TRIPS, first: 0, seq, backoff });
    const [pr, cr] = await Promise.all([p, c]);
    return ((cr.t - pr.t) * 1e6) / ROUND_TRIPS;
  }
  await roundTrip(); // warm-up
  const roundTrips = [];

  const samples = Object.fromEntries(impls.map((i) => [i, []]));
  for (let r = 0; r < rounds; r++) {
    roundTrips.push(await roundTrip());
    const order = r % 2 ? [...impls].reverse() : impls;
    for (const impl of order) samples[impl].push(await run(impl, counts[impl]));
  }
  return { samples, roundTrips, counts, backoff, checked, errors, waits, userAgent: navigator.userAgent };
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
