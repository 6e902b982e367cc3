// prop_producer.worker.js — the producer of the two-thread property test: a
// random program of writes generated from `seed` (every producer call, with
// random lengths, awaits and yields), writing the deterministic stream
// (fault_util.js streamByte) up to `total` bytes, then close().  Posts
// { done, written, ops } or { fatal }.
import { parentPort, workerData } from 'node:worker_threads';
import { RingBuffer } from '../../dist/index.js';
import { streamBytes } from './fault_util.js';
import { xorshift } from './prop_util.js';

const { handle, seed, total, maxLen } = workerData;
try {
  const ring = RingBuffer.attachSync(handle, { peerTimeoutMs: 20_000 });
  const p = ring.producer;
  const cap = ring.capacity;
  const rnd = xorshift(seed);
  const ops = [0, 0, 0, 0, 0, 0];
  let pos = 0;
  while (pos < total) {
    const op = rnd() % 6;
    const len = Math.min(1 + (rnd() % maxLen), total - pos);
    ops[op]++;
    switch (op) {
      case 0: {
        const k = p.tryWrite(streamBytes(pos, len));
        if (k > len || k > cap) throw new Error(`tryWrite wrote ${k} of ${len}`);
        pos += k;
        if (k === 0) await p.waitForRoom();
        break;
      }
      case 1: {
        if (len > cap) break;
        if (p.tryWriteAll(streamBytes(pos, len))) pos += len;
        else await p.waitForRoom();
        break;
      }
      case 2:
        await p.write(streamBytes(pos, len));
        pos += len;
        break;
      case 3: {
        const k = p.writeSync(streamBytes(pos, len), 20_000);
        if (k !== len) throw new Error(`writeSync wrote ${k} of ${len}`);
        pos += len;
        break;
      }
      case 4: {
        const v = p.reserve(len);
        if (v.length === 0) {
          await p.waitForRoom();
          break;
        }
        v.set(streamBytes(pos, v.length));
        // Commit all, or a random part (the rest is dropped, never seen).
        const k = rnd() % 3 === 0 ? rnd() % (v.length + 1) : v.length;
        p.commit(k);
        pos += k;
        break;
      }
      default:
        await new Promise((resolve) => setImmediate(resolve));
    }
  }
  await p.close();
  parentPort.postMessage({ done: true, written: pos, ops });
} catch (e) {
  parentPort.postMessage({ fatal: String(e && e.stack ? e.stack : e) });
}
