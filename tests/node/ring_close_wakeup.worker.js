// ring_close_wakeup.worker.js — the consumer end of ring_close_wakeup.test.js.
//
// workerData.mode 'window': attaches the ring of workerData.handle with
// peerTimeoutMs 0 (waits without slices) and reads it to its end with
// workerData.how ('readSync' with no timeout, 'read', or 'waitForData' then
// tryRead).  The first time the consumer calls Atomics.wait / waitAsync on the
// ring's memory -- after its re-check found the ring empty and open, before it
// sleeps -- this thread posts { at: 'window' } and blocks until the main
// thread has acted (closed, or written) and set ctl[0]: the interleaving of
// the lost wake-up, made every time.  It posts { at: 'all' } once it has
// workerData.expect bytes, then { at: 'done', bytes, waits, windows } at the
// end of the stream: `waits` is how each of its waits on the ring's memory
// ended ('ok', 'not-equal', 'timed-out').
//
// workerData.mode 'stress': for each { handle, how } posted to it, reads that
// ring to its end (`how` as above, peerTimeoutMs 0) and posts
// { at: 'done', bytes }, spinning a varying while just before each wait
// (widenWindows); the main thread closes at a varying moment around it.
import { parentPort, workerData } from 'node:worker_threads';
import { RingBuffer } from '../../dist/index.js';

const realWait = Atomics.wait;
const realWaitAsync = Atomics.waitAsync;

async function drain(consumer, how, expect, onByte) {
  const got = [];
  let told = expect === undefined;
  const add = (v) => {
    for (const b of v) got.push(b);
    if (!told && got.length >= expect) {
      told = true;
      onByte();
    }
  };
  for (;;) {
    if (how === 'readSync') {
      const v = consumer.readSync(64); // no timeout: returns data or null
      if (v === null) break;
      add(v);
    } else if (how === 'read') {
      const v = await consumer.read(64);
      if (v === null) break;
      add(v);
    } else {
      const v = consumer.tryRead(64); // undefined: nothing now; null: the end
      if (v === null) break;
      if (v) add(v);
      else await consumer.waitForData();
    }
  }
  return got;
}

async function holdWindow() {
  const { handle, ctl, how, expect } = workerData;
  const ring = await RingBuffer.attach(handle, { peerTimeoutMs: 0 });
  const mem = ring.memory.buffer;
  const waits = [];
  let windows = 0;
  // The window: the consumer re-checked and is about to sleep.  Hold it
  // there (once) while the main thread acts.
  const hold = (arr) => {
    if (arr.buffer !== mem || windows > 0) return;
    windows++;
    parentPort.postMessage({ at: 'window' });
    realWait.call(Atomics, ctl, 0, 0);
  };
  Atomics.wait = (arr, i, v, t) => {
    hold(arr);
    const r = realWait.call(Atomics, arr, i, v, t);
    if (arr.buffer === mem) waits.push(r);
    return r;
  };
  Atomics.waitAsync = (arr, i, v, t) => {
    hold(arr);
    const r = realWaitAsync.call(Atomics, arr, i, v, t);
    if (arr.buffer === mem) {
      if (r.async) r.value.then((x) => waits.push(x));
      else waits.push(r.value);
    }
    return r;
  };
  const bytes = await drain(ring.consumer, how, expect, () => parentPort.postMessage({ at: 'all' }));
  await null; // a waitAsync result settled just before is recorded
  ring.dispose();
  parentPort.postMessage({ at: 'done', bytes, waits, windows });
}

// Before each wait on the ring's memory, spins a varying while (as a slower
// machine or a preemption would): the gap between the consumer's re-check and
// its sleep is a few instructions, too short for the main thread's close to
// land in it often enough to test by timing alone.
function widenWindows(mem) {
  const word = new Int32Array(mem, 0, 1);
  let x = 0x9e3779b9;
  const spin = () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    for (let k = (x >>> 0) % 10000; k > 0; k--) Atomics.load(word, 0);
  };
  Atomics.wait = (arr, i, v, t) => {
    if (arr.buffer === mem) spin();
    return realWait.call(Atomics, arr, i, v, t);
  };
  Atomics.waitAsync = (arr, i, v, t) => {
    if (arr.buffer === mem) spin();
    return realWaitAsync.call(Atomics, arr, i, v, t);
  };
}

function stress() {
  parentPort.on('message', async ({ handle, how }) => {
    try {
      const ring = RingBuffer.attachSync(handle, { peerTimeoutMs: 0 });
      widenWindows(ring.memory.buffer);
      const bytes = await drain(ring.consumer, how);
      ring.dispose();
      parentPort.postMessage({ at: 'done', bytes });
    } catch (e) {
      parentPort.postMessage({ at: 'error', error: String(e && e.stack ? e.stack : e) });
    }
  });
  parentPort.postMessage({ at: 'ready' });
}

try {
  if (workerData.mode === 'window') await holdWindow();
  else stress();
} catch (e) {
  parentPort.postMessage({ at: 'error', error: String(e && e.stack ? e.stack : e) });
}
