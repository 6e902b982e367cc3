// hostile_scratch.worker.js — the other thread of the Emscripten-style test.
// Commands from the main thread: { refuse: [{ label, handle }] } tries each
// handle with attach and attachSync and reports how each was refused;
// { claim: handle } attaches as the allowed writer and claims; { write: quanta }
// writes that many 128-frame quanta of a known signal; { end: true } disposes.
import { parentPort, workerData } from 'node:worker_threads';

const { AudioRing } = await import(workerData.dist);
const outcome = (e) => (e ? { name: e.name, message: e.message, code: e.code } : { name: 'none' });
let ring = null;

/** The signal's sample i of channel c (hostile_scratch.test.js checks it). */
const signal = (c, i) => ((i + 1000 * c) % 4096) / 4096;

async function refuse(cases) {
  const out = [];
  for (const { label, handle } of cases) {
    let sync = null;
    let async = null;
    try {
      AudioRing.attachSync(handle).dispose();
    } catch (e) {
      sync = e;
    }
    try {
      (await AudioRing.attach(handle)).dispose();
    } catch (e) {
      async = e;
    }
    out.push({ label, sync: outcome(sync), async: outcome(async) });
  }
  return out;
}

function write(quanta) {
  const planes = Array.from({ length: ring.channels }, () => new Float32Array(128));
  let wrote = 0;
  for (let q = 0; q < quanta; q++) {
    for (let c = 0; c < planes.length; c++) for (let i = 0; i < 128; i++) planes[c][i] = signal(c, q * 128 + i);
    wrote += ring.writer.write(planes);
  }
  return wrote;
}

parentPort.on('message', async (m) => {
  try {
    if (m.refuse) parentPort.postMessage({ refused: await refuse(m.refuse) });
    else if (m.claim) {
      ring = await AudioRing.attach(m.claim);
      void ring.writer; // the claim
      parentPort.postMessage({ claimed: true });
    } else if (m.write) parentPort.postMessage({ wrote: write(m.write) });
    else if (m.end) {
      ring.dispose();
      parentPort.postMessage({ done: true });
    }
  } catch (e) {
    parentPort.postMessage({ error: outcome(e) });
  }
});
parentPort.postMessage({ ready: true });
