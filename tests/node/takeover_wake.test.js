// After a takeOver, the producer still wakes the new consumer, also once the
// stalled old holder's wait has ended: a worker holds the consumer role with
// a read() asleep, its thread pauses past staleMs (no heartbeat), this thread
// takes the role over, the worker runs again and its wait ends (it finds the
// role lost); then every read() of the new consumer is woken by the next
// write.  With peerTimeoutMs 0 a wake-up that never comes leaves the read
// pending (the bound fails the test); with a finite timeout it would cost a
// heartbeat slice per read, which the latency bound catches.
import assert from 'node:assert/strict';
import { afterEach, test } from 'node:test';
import { HEARTBEAT_MS, MIN_PEER_TIMEOUT_MS, RingBuffer } from '../../dist/index.js';
import { cleanUp, control, messageOf, reachStage, sleep, startPeer, streamBytes, track, within } from './fault_util.js';

afterEach(cleanUp);

const T = MIN_PEER_TIMEOUT_MS;

for (const peerTimeoutMs of [0, T]) {
  test(`peerTimeoutMs ${peerTimeoutMs}: the new consumer's reads are woken by each write after the old holder's wait ended`, { timeout: 30_000 }, async () => {
    const ring = track(RingBuffer.create({ capacity: 64, peerTimeoutMs }));
    const p = ring.producer;
    const ctl = control();
    const peer = startPeer('paused-consumer', { handle: ring.handle, ctl, pauseMs: T + 1500 });
    await reachStage(ctl, 1); // its read() is asleep and its thread paused
    const other = track(RingBuffer.attachSync(ring.handle, { peerTimeoutMs }));
    const c = await within(other.claim('consumer', { takeOver: true, staleMs: T }), 5000, 'takeOver');
    const old = await messageOf(peer, (m) => m.read || m.fatal, 10_000);
    assert.equal(old.fatal, undefined, old.fatal);
    assert.equal(old.read.codeName, 'RBS_EBUSY', 'the old holder\'s wait ended: it lost the role');

    const slowest = { ms: 0 };
    for (let i = 0; i < 20; i++) {
      const reading = c.read(8);
      await sleep(5); // asleep now
      const t0 = performance.now();
      assert.equal(p.tryWrite(streamBytes(i, 1)), 1);
      assert.deepEqual(await within(reading, 3000, `read ${i} (a lost wake-up)`), streamBytes(i, 1));
      slowest.ms = Math.max(slowest.ms, performance.now() - t0);
    }
    assert.ok(slowest.ms < HEARTBEAT_MS / 2, `a read took ${slowest.ms.toFixed(1)} ms after its write: woken by a slice, not by the producer`);
  });
}
