// A wait on a ring whose meta line was rewritten ends with RBS_ECORRUPT,
// never waits on: at once when the ring is corrupt before the call, and at
// the next slice (HEARTBEAT_MS) when it becomes corrupt while the call
// sleeps.  Found by the hostile-peer test (an audio writer's waitForRoom
// never ended on a corrupt ring).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AudioRing, HEARTBEAT_MS, MessagePipe, RingBuffer, RingBufferError, layout as L } from '../../dist/index.js';

// Rewrites the capacity word of the ring's meta line (a stray or forged write).
function corrupt(ch) {
  const u32 = new Uint32Array(ch.memory.buffer);
  u32[(ch.offset + L.RBS_OFF_CAPACITY) >>> 2] = ch.capacity * 2;
}

async function endsCorrupt(what, promise, ms) {
  let timer;
  const late = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} still waits after ${ms} ms on a corrupt ring`)), ms);
  });
  try {
    await assert.rejects(Promise.race([promise, late]), (e) => {
      assert.ok(e instanceof RingBufferError, `${what}: ${e}`);
      assert.equal(e.codeName, 'RBS_ECORRUPT', what);
      return true;
    });
  } finally {
    clearTimeout(timer);
  }
}

// Each kind's waits, set up so that they must wait: [name, ring factory, start the wait].
const fullBytes = () => {
  const rb = RingBuffer.create({ capacity: 16 });
  rb.producer.tryWrite(new Uint8Array(16));
  return rb;
};
const fullPipe = () => {
  const p = MessagePipe.create({ capacity: 16 });
  while (p.sender.trySend(new Uint8Array(4)));
  return p;
};
const fullAudio = () => {
  const a = AudioRing.create({ channels: 2, capacityFrames: 8 });
  a.writer.write([new Float32Array(8), new Float32Array(8)]);
  return a;
};
const WAITS = [
  ['Producer.waitForRoom', fullBytes, (rb) => rb.producer.waitForRoom()],
  ['Producer.write', fullBytes, (rb) => rb.producer.write(new Uint8Array(4))],
  ['Consumer.waitForData', () => RingBuffer.create({ capacity: 16 }), (rb) => rb.consumer.waitForData()],
  ['Consumer.read', () => RingBuffer.create({ capacity: 16 }), (rb) => rb.consumer.read(4)],
  ['MessageSender.send', fullPipe, (p) => p.sender.send(new Uint8Array(4))],
  ['MessageReceiver.recv', () => MessagePipe.create({ capacity: 16 }), (p) => p.receiver.recv()],
  ['AudioWriter.waitForRoom', fullAudio, (a) => a.writer.waitForRoom(4)],
];

for (const [name, make, wait] of WAITS) {
  test(`${name} on a ring corrupt before the call: RBS_ECORRUPT at once`, async () => {
    const ch = make();
    try {
      corrupt(ch);
      await endsCorrupt(name, wait(ch), 100);
    } finally {
      ch.dispose();
    }
  });

  test(`${name} asleep when the ring becomes corrupt: RBS_ECORRUPT at the next slice`, async () => {
    const ch = make();
    try {
      const p = wait(ch);
      await new Promise((resolve) => setTimeout(resolve, 20));
      corrupt(ch);
      await endsCorrupt(name, p, 3 * HEARTBEAT_MS);
    } finally {
      ch.dispose();
    }
  });
}

// Each kind's blocking waits, ring corrupt before the call: [name, factory, the call].
const SYNC_WAITS = [
  ['Producer.writeSync', fullBytes, (rb) => rb.producer.writeSync(new Uint8Array(4), 200)],
  ['Consumer.readSync', () => RingBuffer.create({ capacity: 16 }), (rb) => rb.consumer.readSync(4, 200)],
  ['MessageSender.sendSync', fullPipe, (p) => p.sender.sendSync(new Uint8Array(4), 200)],
  ['MessageReceiver.recvSync', () => MessagePipe.create({ capacity: 16 }), (p) => p.receiver.recvSync(200)],
  ['AudioWriter.waitForRoomSync', fullAudio, (a) => a.writer.waitForRoomSync(4, 200)],
];

for (const [name, make, call] of SYNC_WAITS)
  test(`${name} on a corrupt ring: RBS_ECORRUPT at once, not a timeout`, () => {
    const ch = make();
    try {
      corrupt(ch);
      const t0 = performance.now();
      assert.throws(() => call(ch), (e) => e instanceof RingBufferError && e.codeName === 'RBS_ECORRUPT');
      assert.ok(performance.now() - t0 < 100, 'at once');
    } finally {
      ch.dispose();
    }
  });
