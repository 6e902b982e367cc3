// audio_peer.worker.js — the worker end of the audio stream tests: attaches an
// AudioWriter or AudioReader (its own wasm instance over the same memory) to
// the ring of the handle it is given, plays its side of the checked stream
// (audio_util.js) and posts { ok, ...result, counters } or { ok: false, error }.
import { parentPort, workerData } from 'node:worker_threads';
import { AudioReader, AudioWriter } from '../../dist/index.js';
import { consume, produce } from './audio_util.js';

const { handle, role, total, seed, maxChunk, mode } = workerData;
try {
  if (role === 'writer') {
    const writer = await AudioWriter.attach(handle);
    const chunks = await produce(writer, { total, seed, maxChunk, mode, sync: true });
    parentPort.postMessage({ ok: true, chunks, overruns: writer.overruns, framesWritten: writer.framesWritten });
  } else {
    const reader = await AudioReader.attach(handle);
    const r = await consume(reader, { total, seed, maxChunk, sync: true });
    parentPort.postMessage({ ok: true, ...r, left: reader.framesAvailable, underruns: reader.underruns, framesRead: reader.framesRead });
  }
} catch (e) {
  parentPort.postMessage({ ok: false, error: String(e && e.stack ? e.stack : e) });
}
