// Several instances of the module on one memory at the same time: two
// threads each producing into one ring and consuming from another (both rings
// in one memory), every call that hands spans back through out-parameters
// included, while a third instance (this thread) keeps querying; and a ring
// that C code formatted inside a memory the package did not make, with
// nothing outside the ring's region touched.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { RingBuffer, layout } from '../../dist/index.js';
import { runPeer } from './ring_helpers.js';
import { produce } from './ring_stream_util.js';
import { formatRing, rawExports } from './wasm_raw.js';

const TOTAL = Number(process.env.RBS_NODE_DUPLEX_BYTES ?? 32 * 1024 * 1024);

test(`two threads, two instances, one memory: ${TOTAL} bytes each way at once`, { timeout: 300_000 }, async () => {
  const memory = new WebAssembly.Memory({ initial: 1, maximum: 1, shared: true });
  const a = RingBuffer.create({ capacity: 2048, memory, offset: 8192 });
  const b = RingBuffer.create({ capacity: 4096, memory, offset: 16384 });
  // Seeds pair up: a thread consumes with seed ^ 1 what the other produces with it.
  const w1 = runPeer({ out: a.handle, in: b.handle, total: TOTAL, seed: 10, maxChunk: 5000 }, './ring_duplex.worker.js');
  const w2 = runPeer({ out: b.handle, in: a.handle, total: TOTAL, seed: 11, maxChunk: 5000 }, './ring_duplex.worker.js');
  let polls = 0;
  let running = true;
  const both = Promise.all([w1.done, w2.done]).finally(() => (running = false));
  while (running) {
    // a third instance reading the shared counters while the two work
    const n = a.available + b.available;
    assert.ok(n >= 0 && n <= 2048 + 4096);
    polls++;
    await new Promise((r) => setImmediate(r));
  }
  const [r1, r2] = await both;
  assert.ok(r1.ok, r1.error);
  assert.ok(r2.ok, r2.error);
  assert.equal(r1.received, TOTAL, 'thread 1 got every byte thread 2 sent, in order');
  assert.equal(r2.received, TOTAL, 'thread 2 got every byte thread 1 sent, in order');
  assert.ok(polls > 0);
  // Every instance starts with the same stack pointer: two instances may run
  // at once only because no export uses it (the build's check, ring_wasm.test.js).
  assert.equal(r1.stackTop, r2.stackTop);
  assert.equal(r1.stackTop, rawExports(memory).stackSave());
});

test('attach({ memory, offset }) to a ring C formatted in a foreign, growable memory; the rest of it untouched', { timeout: 120_000 }, async () => {
  const memory = new WebAssembly.Memory({ initial: 3, maximum: 64, shared: true });
  const u8 = new Uint8Array(memory.buffer);
  for (let i = 0; i < u8.length; i++) u8[i] = (i * 2654435761) >>> 24;
  const offset = 65536 + 4480; // any multiple of 64
  const capacity = 8192;
  const end = offset + layout.RBS_HEADER_SIZE + capacity;
  assert.equal(formatRing(memory, offset, capacity, { size: u8.length - offset }), 0, 'the C call formats it');
  const before = u8.slice();

  const ring = await RingBuffer.attach({ memory, offset });
  assert.equal(ring.capacity, capacity);
  const total = 16 * 1024 * 1024;
  const peer = runPeer({ handle: { memory, offset }, role: 'consumer', total, seed: 5, maxChunk: 20_000 });
  memory.grow(2); // the program grows its memory: the ring's views stay valid
  await produce(ring.producer, { total, seed: 5, maxChunk: 20_000, sync: false });
  const r = await peer.done;
  assert.ok(r.ok, r.error);
  assert.equal(r.bytes, total);

  const after = new Uint8Array(memory.buffer, 0, before.length);
  assert.equal(Buffer.compare(after.subarray(0, offset), before.subarray(0, offset)), 0, 'nothing before the ring changed');
  assert.equal(Buffer.compare(after.subarray(end), before.subarray(end)), 0, 'nothing after the ring changed');
  assert.ok(new Uint8Array(memory.buffer).subarray(before.length).every((v) => v === 0), 'the grown pages untouched');
});
