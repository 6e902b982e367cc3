// ring_duplex.worker.js — one thread that is at the same time the producer of
// one ring and the consumer of another, both in the same memory, so its wasm
// instance runs calls while the other thread's instance does too.  Posts
// { ok, sent, received, stackTop } or { ok: false, error }.
import { parentPort, workerData } from 'node:worker_threads';
import { RingBuffer } from '../../dist/index.js';
import { consume, produce } from './ring_stream_util.js';
import { rawExports } from './wasm_raw.js';

const { out, in: inp, total, seed, maxChunk } = workerData;
try {
  const tx = await RingBuffer.attach(out);
  const rx = await RingBuffer.attach(inp);
  const [used, got] = await Promise.all([
    produce(tx.producer, { total, seed, maxChunk, sync: false }),
    consume(rx.consumer, { seed: seed ^ 1, maxChunk, sync: false }),
  ]);
  const stackTop = rawExports(out.memory).stackSave();
  parentPort.postMessage({ ok: true, sent: total, received: got.bytes, used, stackTop });
} catch (e) {
  parentPort.postMessage({ ok: false, error: String(e && e.stack ? e.stack : e) });
}
