// Audio across threads: an AudioRing's writer in one thread and its reader in a
// node worker_thread (each its own wasm instance over one shared memory), both
// ways, planar, interleaved and mixed writes, with random chunk sizes, and
// every sample of a coded ramp checked (audio_util.js): nothing lost, nothing
// repeated, no channel swapped, no frame torn; no overrun since the writer
// only writes what fits.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Worker } from 'node:worker_threads';
import { AudioRing } from '../../dist/index.js';
import { consume, produce } from './audio_util.js';

function peer(workerData) {
  const w = new Worker(new URL('./audio_peer.worker.js', import.meta.url), { workerData });
  return new Promise((resolve, reject) => {
    w.once('message', (m) => (m.ok ? resolve(m) : reject(new Error(`worker: ${m.error}`))));
    w.once('error', reject);
    w.once('exit', (code) => reject(new Error(`worker exited (${code}) before reporting`)));
  });
}

const TOTAL = 300_000;

for (const { channels, capacityFrames, mode, maxChunk } of [
  { channels: 2, capacityFrames: 1024, mode: 'planar', maxChunk: 700 },
  { channels: 2, capacityFrames: 512, mode: 'interleaved', maxChunk: 300 },
  { channels: 3, capacityFrames: 1000, mode: 'mixed', maxChunk: 900 }, // frames straddle the buffer's end
  { channels: 1, capacityFrames: 256, mode: 'mixed', maxChunk: 128 },
]) {
  const what = `${channels} ch, ${capacityFrames} frames, ${mode} writes`;

  test(`main-thread AudioWriter -> worker AudioReader: ${what}`, async () => {
    const ring = AudioRing.create({ channels, capacityFrames, sampleRate: 48000 });
    const seed = 1000 + channels;
    const done = peer({ handle: ring.handle, role: 'reader', total: TOTAL, seed, maxChunk });
    await produce(ring, { total: TOTAL, seed, maxChunk, mode, sync: false });
    const r = await done;
    assert.equal(r.frames, TOTAL);
    assert.equal(r.left, 0, 'no frame beyond the stream');
    assert.equal(ring.overruns, 0);
    assert.equal(ring.underruns, 0);
    assert.equal(ring.framesWritten, TOTAL);
    assert.equal(ring.framesRead, TOTAL);
  });

  test(`worker AudioWriter -> main-thread AudioReader: ${what}`, async () => {
    const ring = AudioRing.create({ channels, capacityFrames, sampleRate: 44100 });
    const seed = 2000 + channels;
    const done = peer({ handle: ring.handle, role: 'writer', total: TOTAL, seed, maxChunk, mode });
    const r = await consume(ring, { total: TOTAL, seed, maxChunk, sync: false });
    const w = await done;
    assert.equal(r.frames, TOTAL);
    assert.equal(ring.framesAvailable, 0);
    assert.equal(w.overruns, 0);
    assert.equal(w.framesWritten, TOTAL);
    assert.equal(ring.framesRead, TOTAL);
  });
}
