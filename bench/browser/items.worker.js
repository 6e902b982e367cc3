// items.worker.js — one side of the 1-byte items workload (items.page.js):
// rbs's C loop (bench/wasm/item_loop.c) in this Worker's own instance of the
// bench module over the shared memory, the floor's loop (item_floor.c, the
// same module), or ringbuf.js pushing/popping one Uint8Array element per call.  Both spin when the ring is full or empty.
// { cmd: 'init', role, ... } instantiates the module and fills this side's
// own rbs_view (rbs_attach) in its line, as each party of a ring attaches.
// A run is { cmd: 'run', impl, role, count, first, seq, backoff } (impl
// 'cache-line': count round trips of one cache line, bench_pingpong); the consumer marks
// the start word once it spins, the producer waits for it before its clock
// starts.  Replies { seq, t } (t: timeOrigin + now at the producer's start or
// the consumer's end) with { errors, waits } or { error }.
import { RingBuffer } from '/ringbuf/index.mjs';

const VIEW = 16; // where this side's rbs_view lies in its line (items.page.js's LAYOUT)

let x = null; // this Worker's instance of the item-loop module
let layout = null;
let i32 = null;
let rb = null; // ringbuf.js view of the peer's ring

let sink = 0; // spin()'s result goes here, so its loop has a use

// The JS twin of item_loop.c's spin(): `steps` loop turns that do next to nothing.
function spin(steps) {
  let s = sink;
  for (let k = 0; k < steps; k++) s = (s + k) | 0;
  return s;
}

const clock = () => performance.timeOrigin + performance.now();

function rbsRun(role, count, first, backoff) {
  const line = role === 'producer' ? layout.producerLine : layout.consumerLine;
  const rc =
    role === 'producer'
      ? x.bench_items_produce(line + VIEW, line, count, line + 4, backoff)
      : x.bench_items_consume(line + VIEW, line, count, first, line + 4, backoff);
  if (rc < 0) throw new Error(`rbs ${role}: rbs_${role === 'producer' ? 'write' : 'read'} failed with code ${rc}`);
  return { errors: role === 'producer' ? 0 : rc, waits: new Uint32Array(i32.buffer, line + 4, 1)[0] };
}

function floorRun(role, count, first, backoff) {
  const { floor, producerLine, consumerLine } = layout;
  if (role === 'producer') {
    x.bench_floor_produce(floor, count, producerLine + 4, backoff);
    return { errors: 0, waits: new Uint32Array(i32.buffer, producerLine + 4, 1)[0] };
  }
  const wrong = x.bench_floor_consume(floor, count, first, consumerLine + 4, backoff);
  return { errors: wrong, waits: new Uint32Array(i32.buffer, consumerLine + 4, 1)[0] };
}

function ringbufRun(role, count, first, backoff) {
  const one = new Uint8Array(1);
  let waits = 0;
  if (role === 'producer') {
    for (let i = 0; i < count; i++) {
      one[0] = i;
      while (rb.push(one) === 0) {
        waits++;
        sink = spin(backoff);
      }
    }
    return { errors: 0, waits };
  }
  let errors = 0;
  for (let i = 0; i < count; i++) {
    while (rb.pop(one) === 0) {
      waits++;
      sink = spin(backoff);
    }
    if (one[0] !== ((first + i) & 255)) errors++;
  }
  return { errors, waits };
}

onmessage = ({ data }) => {
  try {
    if (data.cmd === 'init') {
      x = new WebAssembly.Instance(data.module, { env: { memory: data.memory } }).exports;
      layout = data.layout;
      i32 = new Int32Array(data.memory.buffer);
      // this side's own rbs_view, in its own line (item_loop.c)
      const line = data.role === 'producer' ? layout.producerLine : layout.consumerLine;
      const rc = x.rbs_attach(line + VIEW, layout.ring, data.regionSize);
      if (rc !== 0) throw new Error(`rbs_attach failed with code ${rc}`);
      rb = new RingBuffer(data.ringbufStorage, Uint8Array);
      postMessage({ ready: true });
      return;
    }
    const { impl, role, count, first, seq, backoff } = data;
    const start = layout.startWord >> 2;
    let t;
    if (role === 'consumer') {
      Atomics.store(i32, start, seq);
    } else {
      while (Atomics.load(i32, start) !== seq); // the consumer is spinning: start the clock
      t = clock();
    }
    let r;
    if (impl === 'cache-line') {
      // count round trips; the consumer's side echoes, the producer's starts
      x.bench_pingpong(layout.pingWord, count, role === 'producer' ? 1 : 0);
      r = { errors: 0, waits: 0 };
    } else {
      const run = impl === 'rbs' ? rbsRun : impl === 'floor' ? floorRun : ringbufRun;
      r = run(role, count, first, backoff);
    }
    if (role === 'consumer') t = clock();
    postMessage({ seq, t, ...r });
  } catch (e) {
    postMessage({ seq: data.seq, error: String(e && e.stack ? e.stack : e) });
  }
};
