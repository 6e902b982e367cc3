// ring_stream_util.js — both ends of a checked byte stream, shared by the
// main-thread tests and ring_peer.worker.js.  The stream is a fixed random
// pool repeated (byte i = pool[i mod P], P prime so chunk edges drift across
// it); the producer writes it in chunks of random size with a random method
// each time, the consumer reads with random sizes and methods and compares
// every byte with the pool.  Deterministic from the seed.
import { Buffer } from 'node:buffer';

export const POOL = 1_000_003;

/** mulberry32: a small seeded PRNG returning uint32s. */
export function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  };
}

/** The pool plus `extra` bytes repeating its start, so any slice of up to
 *  `extra` bytes from any position mod P is contiguous. */
export function makePool(extra) {
  const next = rng(0xc0ffee);
  const pool = new Uint8Array(POOL + extra);
  for (let i = 0; i < POOL; i++) pool[i] = next() & 0xff;
  pool.copyWithin(POOL, 0, extra);
  return pool;
}

/** A chunk size: mostly up to `max`, sometimes tiny (1..64). */
function chunkSize(next, max) {
  return next() % 8 === 0 ? 1 + (next() % 64) : 1 + (next() % max);
}

const PRODUCER_METHODS = ['write', 'tryWrite', 'tryWriteAll', 'reserve', 'writeSync'];
const CONSUMER_METHODS = ['read', 'tryRead', 'readInto', 'acquire', 'readSync'];

/**
 * Writes `total` bytes of the stream, then closes.  `sync`: whether the
 * blocking calls may be used (workers).  Returns the count of each method used.
 */
export async function produce(producer, { total, seed, maxChunk, sync }) {
  const next = rng(seed);
  const cap = producer.capacity;
  const pool = makePool(maxChunk + cap);
  const methods = sync ? PRODUCER_METHODS : PRODUCER_METHODS.slice(0, 4);
  const used = Object.fromEntries(methods.map((m) => [m, 0]));
  let pos = 0;
  while (pos < total) {
    const len = Math.min(chunkSize(next, maxChunk), total - pos);
    const at = pos % POOL;
    const chunk = pool.subarray(at, at + len);
    const method = methods[next() % methods.length];
    used[method]++;
    if (method === 'write') {
      // also exercise the other binary types write() accepts
      const kind = next() % 3;
      const data =
        kind === 0 ? chunk : kind === 1 ? new DataView(pool.buffer, at, len) : pool.slice(at, at + len).buffer;
      await producer.write(data);
      pos += len;
    } else if (method === 'tryWrite') {
      const k = producer.tryWrite(chunk);
      if (k === 0) await producer.waitForRoom();
      pos += k;
    } else if (method === 'tryWriteAll') {
      const piece = chunk.subarray(0, Math.min(len, cap));
      if (producer.tryWriteAll(piece)) pos += piece.length;
      else await producer.waitForRoom();
    } else if (method === 'reserve') {
      const view = producer.reserve(len);
      if (view.length === 0) {
        await producer.waitForRoom();
        continue;
      }
      view.set(chunk.subarray(0, view.length));
      producer.commit(view.length);
      pos += view.length;
    } else {
      pos += producer.writeSync(chunk, 10_000);
    }
  }
  await producer.close();
  return used;
}

/**
 * Reads the stream until it ends, checking every byte; returns
 * { bytes, used } or throws at the first wrong byte.
 */
export async function consume(consumer, { seed, maxChunk, sync }) {
  const next = rng(seed ^ 0x5eed);
  const cap = consumer.capacity;
  const pool = makePool(2 * cap + maxChunk);
  const methods = sync ? CONSUMER_METHODS : CONSUMER_METHODS.slice(0, 4);
  const used = Object.fromEntries(methods.map((m) => [m, 0]));
  const into = new Uint8Array(2 * cap);
  let pos = 0;
  const check = (got) => {
    const at = pos % POOL;
    const want = pool.subarray(at, at + got.length);
    if (Buffer.compare(got, want) !== 0) {
      let i = 0;
      while (got[i] === want[i]) i++;
      throw new Error(`stream byte ${pos + i}: got ${got[i]}, expected ${want[i]} (chunk of ${got.length})`);
    }
    pos += got.length;
  };
  for (;;) {
    const n = 1 + (next() % (2 * cap));
    const method = methods[next() % methods.length];
    used[method]++;
    if (method === 'read') {
      const got = await consumer.read(n);
      if (got === null) break;
      if (got.length < 1 || got.length > n) throw new Error(`read(${n}) gave ${got.length} bytes`);
      check(got);
    } else if (method === 'readSync') {
      const got = consumer.readSync(n, 10_000);
      if (got === null) break;
      if (got === undefined) throw new Error(`readSync(${n}) found nothing for 10 s`);
      check(got);
    } else {
      // Each gives data, undefined when nothing is there now, or null at the end.
      let got;
      if (method === 'tryRead') {
        got = consumer.tryRead(n);
        if (got) check(got);
      } else if (method === 'readInto') {
        got = consumer.readInto(into.subarray(0, n));
        if (got) check(into.subarray(0, got));
      } else {
        got = consumer.acquire(n);
        if (got) {
          check(got);
          consumer.release(got.length);
        }
      }
      if (got === null) break;
      if (got === undefined) await consumer.waitForData();
      else if (!got || got.length === 0) throw new Error(`${method}(${n}) gave ${got} instead of data, undefined or null`);
    }
  }
  return { bytes: pos, used };
}
