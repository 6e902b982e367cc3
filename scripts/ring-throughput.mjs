#!/usr/bin/env node
// ring-throughput.mjs — main thread -> worker bytes per second through a
// RingBuffer (dist/), for a few chunk sizes: the main thread writes with
// `await producer.write(chunk)` (and, separately, with tryWrite + waitForRoom),
// a worker reads with readInto and waitForData.  Byte i of the stream is
// i & 0xff; the worker checks the first and last byte of every piece it gets
// and the total.  A measurement, not a test:  node scripts/ring-throughput.mjs
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import { RingBuffer } from '../dist/index.js';

const CAPACITY = 1 << 20;

if (isMainThread) {
  const runs = [
    { chunk: 64, total: 64 << 20 },
    { chunk: 64 << 10, total: 1 << 30 },
  ];
  for (const { chunk, total } of runs)
    for (const mode of ['write', 'tryWrite']) {
      const ring = new RingBuffer(CAPACITY);
      const worker = new Worker(new URL(import.meta.url), { workerData: { handle: ring.handle, total } });
      const done = new Promise((res, rej) => {
        worker.once('message', res);
        worker.once('error', rej);
      });
      await new Promise((r) => worker.once('online', r));
      const pattern = Uint8Array.from({ length: chunk + 256 }, (_, i) => i & 0xff);
      const p = ring.producer;
      const t0 = performance.now();
      for (let pos = 0; pos < total; pos += chunk) {
        const data = pattern.subarray(pos & 0xff, (pos & 0xff) + chunk);
        if (mode === 'write') await p.write(data);
        else
          for (let off = 0; off < chunk; ) {
            const k = p.tryWrite(off ? data.subarray(off) : data);
            off += k;
            if (k === 0) await p.waitForRoom();
          }
      }
      await p.close();
      const r = await done;
      const secs = (performance.now() - t0) / 1000;
      if (!r.ok || r.bytes !== total) throw new Error(`worker: ${r.error ?? r.bytes}`);
      const mbs = total / secs / 1e6;
      console.log(
        `chunk ${String(chunk).padStart(6)} B  ${mode.padEnd(8)}  ${(total / 2 ** 20).toFixed(0).padStart(5)} MiB in ${secs.toFixed(2)} s  ` +
          `${mbs.toFixed(1).padStart(8)} MB/s  ${(total / chunk / secs / 1e6).toFixed(2)} M chunks/s`,
      );
      await worker.terminate();
    }
} else {
  const { handle, total } = workerData;
  const c = (await RingBuffer.attach(handle)).consumer;
  const buf = new Uint8Array(CAPACITY);
  let pos = 0;
  try {
    for (;;) {
      const k = c.readInto(buf);
      if (k === 0) {
        if (c.ended) break;
        await c.waitForData();
        continue;
      }
      if (buf[0] !== (pos & 0xff) || buf[k - 1] !== ((pos + k - 1) & 0xff)) throw new Error(`wrong byte near ${pos}`);
      pos += k;
    }
    parentPort.postMessage({ ok: pos === total, bytes: pos });
  } catch (e) {
    parentPort.postMessage({ ok: false, error: String(e) });
  }
}
