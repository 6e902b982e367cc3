// A Worker paced only by waitForRoom feeds createRingSourceNode for SECONDS;
// after the prefill no frame may be missing (ring.underruns stays 0) unless
// the producer's records excuse it by the audio tests' one rule
// (starvation.js, copied in from e2e/ by run.mjs): it was starved, or the
// audio thread outran it.  Any other underrun is the library's fault.
// Outcome in window.result.
import { createRingSourceNode } from './node_modules/ring-buffer-safe/dist/index.js';
import { judgeUnderruns } from './starvation.js';

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
  const verdict = judgeUnderruns({ underruns, records: producer.records, who: 'the paced Worker' });
  const { intervals, ...records } = producer.records; // the verdict quotes the intervals that matter
  return { ok: verdict.ok || verdict.excused, verdict: verdict.message, underruns, framesRead: ring.framesRead, rate: ring.sampleRate, writes: producer.writes, records };
}

main().then(
  (r) => (window.result = r),
  (e) => (window.result = { error: `${e?.name}: ${e?.message}` }),
);
