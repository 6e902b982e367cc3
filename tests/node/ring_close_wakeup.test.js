// A consumer waiting on an empty ring wakes for a close (and for data) that
// lands between its last re-check and its sleep: the lost wake-up of a
// consumer that waited on the write counter, which a close does not move.
// With peerTimeoutMs 0 a wait has no slices, so a lost wake-up there was a
// read() that never settled; readSync's 250 ms slices hid it as a stall.
//
// 1. The exact interleaving, every time: the worker (ring_close_wakeup.worker.js)
//    stops its consumer inside its first Atomics.wait / waitAsync call on the
//    ring -- after the re-check, before the sleep -- until this thread has
//    closed (or written), for readSync, read() and waitForData().
// 2. Real timing: 200 rings, each closed at a varying moment right around the
//    consumer's wait (this thread sees the consumer's waiting count go up,
//    spins a random while, closes; the worker spins a varying while just
//    before each wait, so the gap that matters is wide enough to be hit).
//    A lost wake-up of read()/waitForData() hangs (caught by the bound); one
//    of readSync() only stalls for its 250 ms slice, which part 1 catches.
// Every wait is bounded here, so a lost wake-up fails the test instead of
// hanging it.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Worker } from 'node:worker_threads';
import { RingBuffer, layout as L } from '../../dist/index.js';

const WORKER = new URL('./ring_close_wakeup.worker.js', import.meta.url);
const BOUND_MS = 10_000; // far beyond any wake-up; only a lost one reaches it

const pattern = (n, seed) => Uint8Array.from({ length: n }, (_, i) => (i * 7 + seed * 13 + (i >> 8)) & 255);

// xorshift32: the stress test's choices, reproducible from the seed it prints.
function rng(seed) {
  let x = seed >>> 0 || 1;
  return (n) => {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    return x % n;
  };
}

// Resolves with the next message of `worker` that passes `accept`, rejects on
// an error message, an error, an exit, or after BOUND_MS with `why`.
function next(worker, why, accept = () => true) {
  return new Promise((resolve, reject) => {
    const off = () => {
      clearTimeout(timer);
      worker.off('message', onMsg);
      worker.off('error', onErr);
      worker.off('exit', onExit);
    };
    const onMsg = (m) => {
      if (m.at === 'error') {
        off();
        reject(new Error(`worker: ${m.error}`));
      } else if (accept(m)) {
        off();
        resolve(m);
      }
    };
    const onErr = (e) => {
      off();
      reject(e);
    };
    const onExit = (code) => {
      off();
      reject(new Error(`the worker exited (code ${code}) before it answered`));
    };
    const timer = setTimeout(() => {
      off();
      reject(new Error(`${why}: no answer from the consumer in ${BOUND_MS} ms (a lost wake-up)`));
    }, BOUND_MS);
    worker.on('message', onMsg);
    worker.once('error', onErr);
    worker.once('exit', onExit);
  });
}

for (const how of ['readSync', 'read', 'waitForData']) {
  for (const action of ['close', 'write']) {
    test(`${how}: a ${action} between the consumer's re-check and its sleep wakes it (peerTimeoutMs 0)`, async () => {
      const ring = RingBuffer.create({ capacity: 64, peerTimeoutMs: 0 });
      const p = ring.producer;
      const first = pattern(40, 1);
      const more = pattern(50, 2);
      assert.equal(p.tryWriteAll(first), true);
      const ctl = new Int32Array(new SharedArrayBuffer(4));
      const expect = action === 'write' ? first.length + more.length : undefined;
      const worker = new Worker(WORKER, { workerData: { mode: 'window', handle: ring.handle, ctl, how, expect } });
      try {
        const what = `${how}, ${action} in the window`;
        worker.on('message', (m) => {
          if (m.at === 'window') {
            // The consumer found the ring empty and open and is about to sleep.
            if (action === 'close') p.close();
            else assert.equal(p.tryWriteAll(more), true);
            Atomics.store(ctl, 0, 1);
            Atomics.notify(ctl, 0);
          } else if (m.at === 'all') p.close(); // the written bytes arrived: now end the stream
        });
        const done = await next(worker, what, (m) => m.at === 'done');
        assert.equal(done.windows, 1, 'the consumer waited once with the ring empty (the window was held)');
        assert.notEqual(
          done.waits[0],
          'timed-out',
          `the wait that began after the ${action} slept until its slice ended instead of returning (waits: ${done.waits})`,
        );
        const want = action === 'write' ? [...first, ...more] : [...first];
        assert.deepEqual(done.bytes, want, 'every byte, in order, then the end of the stream');
      } finally {
        await worker.terminate();
        p.dispose();
      }
    });
  }
}

test('200 closes at varying moments around the consumer wait: each one ends the stream', { timeout: 300_000 }, async () => {
  const seed = Number(process.env.RBS_WAKEUP_SEED ?? Date.now() % 0x7fffffff);
  const rand = rng(seed);
  const worker = new Worker(WORKER, { workerData: { mode: 'stress' } });
  try {
    await next(worker, 'stress worker start', (m) => m.at === 'ready');
    for (let i = 0; i < 200; i++) {
      const what = `iteration ${i} (seed ${seed})`;
      const ring = RingBuffer.create({ capacity: 64, peerTimeoutMs: 0 });
      const p = ring.producer;
      const i32 = new Int32Array(ring.memory.buffer);
      const waiting = (ring.offset + L.RBS_OFF_CONSUMER_WAITERS) >>> 2;
      const data = pattern(rand(150), i);
      const how = ['read', 'waitForData', 'readSync'][i % 3];
      const answer = next(worker, `${what}, ${how}`, (m) => m.at === 'done');
      worker.postMessage({ handle: ring.handle, how });
      await p.write(data); // more than the capacity waits for the consumer to drain
      // The consumer has everything.  Mostly: wait for it to start waiting
      // for more, then close a varying while later, between its re-check and
      // its sleep or while it sleeps; every fourth ring: close at once,
      // wherever the consumer is.
      if (i % 4 !== 3) {
        const giveUp = Date.now() + BOUND_MS;
        while (ring.available !== 0 || Atomics.load(i32, waiting) === 0)
          if (Date.now() > giveUp) assert.fail(`${what}: the consumer never waited on the empty ring`);
        for (let k = rand(3000); k > 0; k--) Atomics.load(i32, waiting);
      }
      await p.close();
      const done = await answer;
      assert.deepEqual(done.bytes, [...data], `${what}: every byte, in order, then the end of the stream`);
      p.dispose();
    }
  } finally {
    await worker.terminate();
  }
});
