// A side that waits for more than one unit of progress (a message of n bytes,
// n audio frames) is woken when that much is there, even when a smaller
// release woke its wait number between its registering as a waiter and its
// sleep.  The interleaving is made exactly, on one thread: the moment the
// waiting side adds itself to the waiting count, the other side frees a
// little (not enough), which uses up the wake of that wait number; then the
// other side frees everything.  peerTimeoutMs 0: waits have no slices, so a
// lost wake-up leaves the call pending (the bound fails the test).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AudioRing, MessagePipe, layout as L } from '../../dist/index.js';
import { within } from './fault_util.js';

/** Runs `act` once, inside the first Atomics.add of +1 to the header word at `off` of `ring`. */
function onAdd(ring, off, act) {
  const real = Atomics.add;
  const index = (ring.offset + off) >>> 2;
  Atomics.add = function (arr, i, v) {
    const r = real.call(Atomics, arr, i, v);
    if (arr.buffer === ring.memory.buffer && i === index && v === 1) {
      Atomics.add = real;
      act();
    }
    return r;
  };
  return () => (Atomics.add = real);
}

test('a send() waiting for room for its message is woken when a later release makes the room', async () => {
  const pipe = MessagePipe.create({ capacity: 256, peerTimeoutMs: 0 });
  const s = pipe.sender;
  const r = pipe.receiver;
  let sent = 0;
  while (s.trySend(new Uint8Array(12).fill(sent))) sent++; // 16-byte frames: full
  assert.equal(sent, 16);
  let partial = 0;
  const restore = onAdd(pipe, L.RBS_OFF_PRODUCER_WAITERS, () => {
    partial = r.tryRecv().length; // 16 bytes free: not enough for the 104-byte frame
  });
  try {
    const big = new Uint8Array(100).fill(0xbb);
    const sending = s.send(big);
    await new Promise((resolve) => setTimeout(resolve, 20));
    assert.equal(partial, 12, 'the small release came between the registration and the sleep');
    let got = 1;
    while (r.tryRecv() !== undefined) got++; // now there is room for it
    assert.equal(got, 16);
    await within(sending, 3000, 'send() after the ring drained');
    assert.deepEqual(r.tryRecv(), big);
  } finally {
    restore();
    pipe.dispose();
  }
});

test('an AudioWriter waiting for room for n frames is woken when a later read makes the room', async () => {
  const ring = AudioRing.create({ channels: 1, capacityFrames: 64, peerTimeoutMs: 0 });
  const w = ring.writer;
  const rd = ring.reader;
  assert.equal(w.write([new Float32Array(64)]), 64); // full
  const small = [new Float32Array(4)];
  let partial = 0;
  const restore = onAdd(ring, L.RBS_OFF_PRODUCER_WAITERS, () => {
    partial = rd.read(small); // 4 frames free: not enough for 32
  });
  try {
    const waiting = w.waitForRoom(32);
    await new Promise((resolve) => setTimeout(resolve, 20));
    assert.equal(partial, 4, 'the small read came between the registration and the sleep');
    assert.equal(rd.read([new Float32Array(60)]), 60); // all 64 free now
    await within(waiting, 3000, 'waitForRoom(32) after the reader drained');
    assert.equal(ring.framesWritable, 64);
  } finally {
    restore();
    ring.dispose();
  }
});
