// audio_peer.worker.js — the worker end of the audio stream tests: attaches an
// AudioRing (its own wasm instance over the same memory) to the ring of the
// handle it is given, plays the writer or the reader of the checked stream
// (audio_util.js) and posts { ok, ...result, counters } or { ok: false, error }.
import { parentPort, workerData } from 'node:worker_threads';
import { AudioRing } from '../../dist/index.js';
import { consume, produce } from './audio_util.js';

const { handle, role, total, seed, maxChunk, mode } = workerData;
try {
  const ring = await AudioRing.attach(handle);
  if (role === 'writer') {
    const chunks = await produce(ring, { total, seed, maxChunk, mode, sync: true });
    parentPort.postMessage({ ok: true, chunks, overruns: ring.overruns, framesWritten: ring.framesWritten });
  } else {
    const r = await consume(ring, { total, seed, maxChunk, sync: true });
    parentPort.postMessage({ ok: true, ...r, left: ring.framesAvailable, underruns: ring.underruns, framesRead: ring.framesRead });
  }
} catch (e) {
  parentPort.postMessage({ ok: false, error: String(e && e.stack ? e.stack : e) });
}
