// The byte stream across threads: at least 256 MiB each way through a small
// ring, in chunks of random size written and read with every method, each
// byte checked; the producer's close() ends the stream on the other side.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { RingBuffer } from '../../dist/index.js';
import { runPeer } from './ring_helpers.js';
import { consume, produce } from './ring_stream_util.js';

const TOTAL = Number(process.env.RBS_NODE_STREAM_BYTES ?? 256 * 1024 * 1024);
const CAPACITY = 4096;
const MAX_CHUNK = 3 * CAPACITY; // larger than the ring: write() must split and wait

test(`main thread producer -> worker consumer: ${TOTAL} bytes through a ${CAPACITY}-byte ring`, { timeout: 300_000 }, async () => {
  const ring = new RingBuffer(CAPACITY);
  const seed = 1;
  const peer = runPeer({ handle: ring.handle, role: 'consumer', total: TOTAL, seed, maxChunk: MAX_CHUNK });
  const used = await produce(ring.producer, { total: TOTAL, seed, maxChunk: MAX_CHUNK, sync: false });
  const r = await peer.done;
  assert.ok(r.ok, r.error);
  assert.equal(r.bytes, TOTAL, 'the consumer saw the end of the stream after exactly every byte');
  for (const [m, n] of [...Object.entries(used), ...Object.entries(r.used)]) assert.ok(n > 0, `${m} was used`);
  assert.equal(ring.closed, true);
  assert.equal(ring.available, 0);
});

test(`worker producer -> main thread consumer: ${TOTAL} bytes through a ${CAPACITY}-byte ring`, { timeout: 300_000 }, async () => {
  const ring = new RingBuffer(CAPACITY);
  const seed = 2;
  const peer = runPeer({ handle: ring.handle, role: 'producer', total: TOTAL, seed, maxChunk: MAX_CHUNK });
  const r = await consume(ring.consumer, { seed, maxChunk: MAX_CHUNK, sync: false });
  const p = await peer.done;
  assert.ok(p.ok, p.error);
  assert.equal(r.bytes, TOTAL, 'every byte arrived, then the end of the stream');
  for (const [m, n] of [...Object.entries(r.used), ...Object.entries(p.used)]) assert.ok(n > 0, `${m} was used`);
});
