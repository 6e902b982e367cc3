// A write() or writeSync() rejected partway (the consumer gone, the producer
// disposed) carries `written`: exactly the bytes of that call that went into
// the ring, so the caller can resume from there and the stream stays exact.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MIN_PEER_TIMEOUT_MS, PeerGoneError, RingBuffer, RingBufferError, layout as L } from '../../dist/index.js';
import { streamBytes, firstStreamMismatch, within } from './fault_util.js';
import { rawExports } from './wasm_raw.js';

const T = MIN_PEER_TIMEOUT_MS;
const DEAD = 0x5eadbeef & 0x7fffffff; // an owner token nothing beats

/** A ring whose consumer role is held by a thread that read `drain` bytes
 *  (through its own raw instance) after `start` and then died. */
function ringWithDyingConsumer() {
  const ring = RingBuffer.create({ capacity: 1024, peerTimeoutMs: T });
  const i32 = new Int32Array(ring.memory.buffer);
  Atomics.store(i32, (ring.offset + L.RBS_OFF_CONSUMER_OWNER) >>> 2, DEAD);
  const x = rawExports(ring.memory);
  const geo = Number(x.rbs_wasm_attach(ring.offset, L.RBS_HEADER_SIZE + 1024) & 0xffffffffn);
  const drain = (n) => x.rbs_wasm_read(ring.offset, geo, 1024, n); // into bytes below the ring
  return { ring, drain };
}

/** What a new consumer finds: the bytes in the ring, after a takeOver. */
async function takeRest(ring) {
  const next = RingBuffer.attachSync(ring.handle, { peerTimeoutMs: T });
  const c = await within(next.claim('consumer', { takeOver: true, staleMs: T }), 5000, 'takeOver');
  return { next, c, bytes: c.tryRead(4096) };
}

for (const sync of [false, true]) {
  const call = sync ? 'writeSync' : 'write';
  test(`${call}() rejected by PeerGoneError partway carries written; resuming from it keeps the stream exact`, { timeout: 20_000 }, async () => {
    const { ring, drain } = ringWithDyingConsumer();
    const p = ring.producer;
    const data = streamBytes(0, 3000);
    let error;
    if (sync) {
      // The consumer drained 500 bytes before it died: done first, writeSync blocks this thread.
      assert.equal(p.tryWrite(data.subarray(0, 1024)), 1024);
      assert.equal(drain(500), 500);
      try {
        p.writeSync(data.subarray(1024));
      } catch (e) {
        error = e;
      }
      if (error) error.written += 1024; // this call's count, plus the bytes written before it
    } else {
      const writing = p.write(data).then(() => null, (e) => e);
      await new Promise((resolve) => setTimeout(resolve, 50)); // 1024 in, waiting for room
      assert.equal(drain(500), 500); // the consumer's last act
      error = await within(writing, 5000, 'write');
    }
    assert.ok(error instanceof PeerGoneError, String(error));
    assert.ok(error instanceof RingBufferError);
    assert.equal(error.role, 'consumer');
    assert.equal(error.written, 1524, 'the first 1024, then 500 more once the consumer had read 500');
    assert.equal(ring.available, 1024);
    const { next, c, bytes } = await takeRest(ring);
    assert.equal(bytes.length, 1024);
    assert.equal(firstStreamMismatch(bytes, 500), -1, 'the bytes after what the dead consumer read, exact');
    const resumed = p.write(data.subarray(error.written)); // from where the rejected call stopped
    let pos = 1524;
    while (pos < data.length) {
      const v = await within(c.read(4096), 5000, 'read');
      assert.equal(firstStreamMismatch(v, pos), -1);
      pos += v.length;
    }
    await resumed;
    next.dispose();
    ring.dispose();
  });
}

test('write() rejected because its producer was disposed carries written; a write that put nothing in carries 0', async () => {
  const ring = RingBuffer.create({ capacity: 64, peerTimeoutMs: 0 });
  const p = ring.producer;
  const writing = p.write(streamBytes(0, 100)).then(() => null, (e) => e);
  const queued = p.write(streamBytes(100, 10)).then(() => null, (e) => e);
  await new Promise((resolve) => setTimeout(resolve, 20));
  p.dispose();
  const e = await within(writing, 2000, 'write');
  assert.ok(e instanceof RingBufferError);
  assert.equal(e.codeName, 'RBS_EBUSY');
  assert.match(e.message, /^Producer\.write: this Producer was disposed/);
  assert.equal(e.written, 64);
  const q = await within(queued, 2000, 'the queued write');
  assert.equal(q.codeName, 'RBS_EBUSY');
  assert.equal(q.written, 0, 'nothing of the queued call went in');
  assert.equal(firstStreamMismatch(ring.consumer.tryRead(100), 0), -1);
  ring.dispose();
});
