// A Worker paced only by waitForRoom feeds createRingSourceNode for SECONDS;
// after the prefill no frame may be missing (ring.underruns stays 0) unless
// the producer was starved: its own timestamps then show a wait between two
// writes longer than what the ring held when it last wrote.  Underruns
// without such a gap are the library's fault.  Outcome in window.result.
import { createRingSourceNode } from './node_modules/ring-buffer-safe/dist/index.js';

const SECONDS = 3;

async function main() {
  const context = new AudioContext();
  const { node, ring } = await createRingSourceNode(context, { channels: 2 }); // defaults: 4096 frames, prefill 256
  node.connect(context.destination);
  await context.resume();
  const worker = new Worker('./worker.js', { type: 'module' });
  const report = new Promise((resolve, reject) => {
    worker.onmessage = (e) => resolve(e.data);
    worker.onerror = (e) => reject(new Error(`worker: ${e.message}`));
  });
  worker.postMessage({ handle: ring.handle, seconds: SECONDS });
  const producer = await report;
  while (!ring.ended) await new Promise((r) => setTimeout(r, 20));
  const underruns = ring.underruns;
  await context.close();
  const starved = producer.starved.length > 0;
  const verdict = underruns === 0 ? 'no underrun' : starved ? 'starved producer' : 'library fault';
  return { ok: verdict !== 'library fault', verdict, underruns, framesRead: ring.framesRead, rate: ring.sampleRate, ...producer };
}

main().then(
  (r) => (window.result = r),
  (e) => (window.result = { error: `${e?.name}: ${e?.message}` }),
);
