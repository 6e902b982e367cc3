// Property test across two threads: for each case fast-check draws (a seed,
// a capacity, a stream length, a chunk limit), a producer worker_thread runs
// a random program of writes generated from the seed (tryWrite, tryWriteAll,
// write, writeSync, reserve + a full or partial commit, yields) and the main
// thread runs a random program of reads from the same kind of generator
// (tryRead, readInto, read, acquire + a full or partial release,
// waitForData).  The bytes read must be exactly the deterministic stream, in
// order, nothing lost or repeated, ending with null after the producer's
// close().  Fixed fast-check seed, a handful of cases: repeatable.
import assert from 'node:assert/strict';
import { Worker } from 'node:worker_threads';
import { test } from 'node:test';
import fc from 'fast-check';
import { RingBuffer } from '../../dist/index.js';
import { streamByte, within } from './fault_util.js';
import { xorshift } from './prop_util.js';

/** Runs the consumer's random program until the end of the stream; returns bytes read and op counts. */
async function consume(consumer, seed, maxLen) {
  const rnd = xorshift(seed ^ 0x5bd1e995);
  const ops = [0, 0, 0, 0, 0];
  let pos = 0;
  const check = (v, k = v.length) => {
    for (let i = 0; i < k; i++)
      if (v[i] !== streamByte(pos + i)) throw new Error(`byte ${pos + i}: got ${v[i]}, want ${streamByte(pos + i)}`);
    pos += k;
  };
  for (;;) {
    const op = rnd() % 5;
    const n = 1 + (rnd() % maxLen);
    ops[op]++;
    // Each read gives data, undefined when nothing is there now, or null at the end.
    switch (op) {
      case 0: {
        const v = consumer.tryRead(n);
        if (v === null) return { read: pos, ops };
        if (v !== undefined) {
          if (v.length === 0 || v.length > n) throw new Error(`tryRead(${n}) gave ${v.length}`);
          check(v);
        }
        break;
      }
      case 1: {
        const buf = new Uint8Array(n + 2).fill(0xa5);
        const k = consumer.readInto(buf.subarray(1, n + 1));
        if (k === null) return { read: pos, ops };
        const got = k ?? 0;
        if (k === 0) throw new Error(`readInto of ${n} bytes gave 0`);
        if (buf[0] !== 0xa5 || buf.subarray(got + 1).some((b) => b !== 0xa5)) throw new Error('readInto wrote outside its count');
        check(buf.subarray(1), got);
        break;
      }
      case 2: {
        const v = await consumer.read(n);
        if (v === null) return { read: pos, ops };
        if (v.length === 0 || v.length > n) throw new Error(`read(${n}) gave ${v.length}`);
        check(v);
        break;
      }
      case 3: {
        const v = consumer.acquire(n);
        if (v === null) return { read: pos, ops };
        if (v === undefined) break;
        const k = rnd() % 3 === 0 ? rnd() % (v.length + 1) : v.length;
        check(v, k); // the bytes it keeps are checked when read again
        consumer.release(k);
        break;
      }
      default:
        if (consumer.ended) return { read: pos, ops };
        await consumer.waitForData();
    }
  }
}

/** Starts the producer; `done` settles with its answer.  The caller terminates it. */
function startProducer(data) {
  const worker = new Worker(new URL('./prop_producer.worker.js', import.meta.url), { workerData: data });
  const done = new Promise((resolve, reject) => {
    worker.once('message', resolve);
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`producer exited (code ${code}) without an answer`)));
  });
  done.catch(() => {});
  return { worker, done };
}

test('property: random producer and consumer programs on two threads move the exact stream', { timeout: 60_000 }, async () => {
  const cases = [];
  await fc.assert(
    fc.asyncProperty(
      fc.record({
        seed: fc.integer({ min: 1, max: 0x7fffffff }),
        capacity: fc.constantFrom(16, 64, 256, 4096),
        total: fc.integer({ min: 20_000, max: 150_000 }),
        maxLen: fc.constantFrom(8, 100, 1000, 10_000),
      }),
      async ({ seed, capacity, total, maxLen }) => {
        const ring = RingBuffer.create({ capacity, peerTimeoutMs: 20_000 });
        const producer = startProducer({ handle: ring.handle, seed, total, maxLen });
        let got;
        let r;
        try {
          got = await within(consume(ring.consumer, seed, maxLen), 30_000, `consumer (seed ${seed})`);
          r = await within(producer.done, 10_000, 'producer');
        } finally {
          // Also when the consumer failed: no worker left running, no read left
          // pending (a pending wait keeps Node alive), so a failure ends the run.
          ring.dispose();
          await producer.worker.terminate();
        }
        assert.equal(r.fatal, undefined, r.fatal);
        assert.equal(r.written, total);
        assert.equal(got.read, total, `read ${got.read} of ${total} bytes`);
        assert.equal(ring.available, 0);
        cases.push({ seed, capacity, total, maxLen, producerOps: r.ops, consumerOps: got.ops });
      },
    ),
    { seed: 20261127, numRuns: 16, endOnFailure: true },
  );
  assert.equal(cases.length, 16);
  // Every call of both programs ran somewhere in the cases.
  const sum = (k) => cases.reduce((a, c) => a.map((x, i) => x + c[k][i]), cases[0][k].map(() => 0));
  assert.ok(sum('producerOps').every((x) => x > 0), JSON.stringify(sum('producerOps')));
  assert.ok(sum('consumerOps').every((x) => x > 0), JSON.stringify(sum('consumerOps')));
});
