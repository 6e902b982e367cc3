// page.js — the browser half of the C <-> JS tests, driven by
// e2e/emscripten.spec.js through window.runAudio and window.runBytes.  The
// program (?variant=fixed|growable) owns the memory; this page attaches its
// rings.
import { AudioRing, createRingSinkNode, createRingSourceNode } from '/dist/index.js';

const variant = new URLSearchParams(location.search).get('variant') ?? 'fixed';
const status = (text) => (document.querySelector('#status').textContent = text);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function loadScript(src) {
  return new Promise((resolve, reject) => {
    const s = Object.assign(document.createElement('script'), { src, onload: resolve, onerror: () => reject(new Error(`${src} did not load`)) });
    document.head.append(s);
  });
}

// The example synth's sample (examples/emscripten/synth.c, synth_sample).
function synthSample(frame, channel, rate) {
  const increment = Math.trunc((220 * (channel + 1) * 4294967296) / rate) >>> 0;
  const phase = Math.imul(frame, increment) >>> 0;
  return Math.fround(((phase >>> 16) - 32767.5) * (0.25 / 32768));
}

await loadScript(`/build/peer-${variant}.js`);
const M = await globalThis.createPeer(); // in a page the factory fetches its .wasm itself
const memory = M.wasmMemory;
const initialLength = memory.buffer.byteLength;

/**
 * The synth's C thread -> a ring in the program's heap -> a source node ->
 * a sink node recording into a JS ring, read here: every frame the source
 * played that is not silence (the prefill, an underrun) must be the synth's
 * next one.  With `grow`, the heap grows mid-stream from C (malloc) and from
 * JS (memory.grow).
 */
window.runAudio = async (seconds, grow) => {
  const context = new AudioContext({ sampleRate: 48000 });
  await context.resume();
  const rate = context.sampleRate;
  const frames = Math.round(seconds * rate);
  const s = M._synth_create(2, 8192, rate);
  const ring = await AudioRing.attach({
    memory,
    offset: M._synth_ring_offset(s),
    scratchOffset: M._synth_scratch_offset(s),
    scratchSize: M._synth_scratch_size(s),
  });
  const { node } = await createRingSourceNode(context, { ring });
  const { node: sink, ring: rec } = await createRingSinkNode(context, { channels: 2, capacityFrames: 1 << 16 });
  node.connect(sink);
  M._synth_start(s, frames, 2000);
  const planes = [new Float32Array(4096), new Float32Array(4096)];
  const reader = rec.reader;
  let next = 0;
  let silent = 0;
  let firstBad = null;
  const growth = [];
  const until = performance.now() + seconds * 1000 * 3 + 10000;
  while (next < frames && firstBad === null && performance.now() < until) {
    const k = reader.read(planes);
    if (k === undefined || k === null) {
      await sleep(10);
      continue;
    }
    for (let i = 0; i < k && firstBad === null; i++) {
      if (planes[0][i] === 0 && planes[1][i] === 0) {
        silent++;
        continue;
      }
      for (let c = 0; c < 2; c++)
        if (planes[c][i] !== synthSample(next, c, rate)) firstBad = { frame: next, channel: c, got: planes[c][i], want: synthSample(next, c, rate) };
      next++;
    }
    if (grow && growth.length === 0 && next >= frames / 3) growth.push({ by: 'C', at: next, address: M._peer_grow(32 << 20), length: memory.buffer.byteLength });
    if (grow && growth.length === 1 && next >= frames / 2) {
      memory.grow(256);
      growth.push({ by: 'JS', at: next, length: memory.buffer.byteLength });
    }
  }
  while (M._synth_result(s) === 0 && performance.now() < until) await sleep(10);
  const result = {
    frames,
    checked: next,
    silent,
    firstBad,
    growth,
    initialLength,
    synthResult: M._synth_result(s),
    framesWritten: ring.framesWritten,
    framesRead: ring.framesRead,
    underruns: ring.underruns,
    overruns: ring.overruns,
    started: ring.started,
  };
  await context.close();
  return result;
};

/**
 * The C producer (peer.c) -> a byte ring in the program's heap -> a Worker
 * reading it with readSync, every byte checked; with `grow`, the C thread
 * and this page grow the memory mid-stream.
 */
window.runBytes = async (total, grow) => {
  const offset = M._peer_byte_ring(1 << 16);
  const p = M._peer_new(offset, total, 4096, 2000);
  if (grow) M._peer_grow_at(p, total / 3, 48 << 20);
  const worker = new Worker('./bytes.worker.js', { type: 'module' });
  const report = new Promise((resolve) => (worker.onmessage = (e) => e.data.type === 'done' && resolve(e.data)));
  const ready = new Promise((resolve) => worker.addEventListener('message', (e) => e.data.type === 'ready' && resolve()));
  worker.postMessage({ memory, offset });
  await ready;
  M._peer_start(p, 1);
  let grownByJs = null;
  while (M._peer_result(p) === 0) {
    if (grow && grownByJs === null && M._peer_moved(p) >= total / 2) {
      memory.grow(128);
      grownByJs = M._peer_moved(p);
    }
    await sleep(5);
  }
  const got = await report;
  worker.terminate();
  return { ...got, total, cResult: M._peer_result(p), cSleptOut: M._peer_slept_out(p), cGrown: M._peer_grown(p), grownByJs, length: memory.buffer.byteLength, initialLength };
};

document.documentElement.dataset.ready = 'true';
status(`ready: ${variant} memory, ${initialLength} bytes, crossOriginIsolated ${crossOriginIsolated}`);
