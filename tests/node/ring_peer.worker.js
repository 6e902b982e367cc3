// ring_peer.worker.js — the worker end of the stream tests: attaches to the
// ring from the handle it is given (its own wasm instance over the same
// memory), plays `role`, and posts { ok, bytes, used } or { ok: false, error }.
import { parentPort, workerData } from 'node:worker_threads';
import { RingBuffer } from '../../dist/index.js';
import { consume, produce } from './ring_stream_util.js';

const { handle, role, total, seed, maxChunk } = workerData;
try {
  const ring = await RingBuffer.attach(handle);
  if (role === 'producer') {
    const used = await produce(ring.producer, { total, seed, maxChunk, sync: true });
    parentPort.postMessage({ ok: true, bytes: total, used });
  } else {
    const r = await consume(ring.consumer, { seed, maxChunk, sync: true });
    parentPort.postMessage({ ok: true, ...r });
  }
} catch (e) {
  parentPort.postMessage({ ok: false, error: String(e && e.stack ? e.stack : e) });
}
