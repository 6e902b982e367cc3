// ring_helpers.js — starting a worker peer and waiting for its one answer.
import { Worker } from 'node:worker_threads';

/** Starts ring_peer.worker.js (or `script`) with `data`; resolves with the
 *  message it posts, rejects if it throws or exits without one. */
export function runPeer(data, script = './ring_peer.worker.js') {
  const worker = new Worker(new URL(script, import.meta.url), { workerData: data });
  const done = new Promise((resolve, reject) => {
    worker.once('message', resolve);
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`worker exited (code ${code}) without an answer`)));
  });
  return { worker, done: done.finally(() => worker.terminate()) };
}
