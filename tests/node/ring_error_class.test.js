// Every ring error is one class: a RingBufferError with C's code and its
// name.  A corrupt ring answers RBS_ECORRUPT from every call of every kind,
// never RBS_EINVAL, a RangeError or a TypeError; closed, busy and gone are
// RingBufferErrors too (PeerGoneError extends it).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AudioRing, MessagePipe, PeerGoneError, RingBuffer, RingBufferError, layout as L, strerror } from '../../dist/index.js';

/** Asserts fn throws (or rejects with) a RingBufferError of code `name`, from
 *  `where`, with rbs_strerror's sentence unless the message is the package's own. */
async function ringError(fn, name, where, own = false) {
  let err;
  try {
    await fn();
  } catch (e) {
    err = e;
  }
  assert.ok(err, `${where}: nothing was thrown`);
  assert.ok(err instanceof RingBufferError, `${where}: ${err.constructor.name}: ${err.message}`);
  assert.ok(!(err instanceof RangeError) && !(err instanceof TypeError), where);
  assert.equal(err.codeName, name, `${where}: ${err.message}`);
  assert.equal(err.code, L[name]);
  assert.ok(err.message.startsWith(`${where}: `), err.message);
  if (!own) assert.ok(err.message.includes(strerror(L[name])), err.message);
  return err;
}

const word = (ring, off) => (ring.offset + off) >>> 2;

test('a byte ring whose counter is out of range: RBS_ECORRUPT from every call and query', async () => {
  const ring = new RingBuffer(64);
  const p = ring.producer;
  const c = ring.consumer;
  p.tryWrite(new Uint8Array(10));
  Atomics.store(new Uint32Array(ring.memory.buffer), word(ring, L.RBS_OFF_WRITE), 1000);
  const E = 'RBS_ECORRUPT';
  await ringError(() => c.tryRead(4), E, 'Consumer.tryRead');
  await ringError(() => c.readInto(new Uint8Array(4)), E, 'Consumer.readInto');
  await ringError(() => c.acquire(4), E, 'Consumer.acquire');
  await ringError(() => c.readSync(4, 0), E, 'Consumer.readSync');
  await ringError(() => c.read(4), E, 'Consumer.read');
  await ringError(() => c.waitForData(), E, 'Consumer.waitForData');
  await ringError(() => c.available, E, 'Consumer.available');
  await ringError(() => ring.available, E, 'RingBuffer.available');
  await ringError(() => p.tryWrite(new Uint8Array(1)), E, 'Producer.tryWrite');
  await ringError(() => p.tryWriteAll(new Uint8Array(1)), E, 'Producer.tryWriteAll');
  await ringError(() => p.reserve(1), E, 'Producer.reserve');
  await ringError(() => p.writeSync(new Uint8Array(1), 0), E, 'Producer.writeSync');
  await ringError(() => p.write(new Uint8Array(1)), E, 'Producer.write');
  await ringError(() => p.writable, E, 'Producer.writable');
  await ringError(() => RingBuffer.attach(ring.handle), E, 'RingBuffer.attach');
});

test('a rewritten meta line: RBS_ECORRUPT from the queries, from a call with nothing to do, and from attach', async () => {
  const pipe = MessagePipe.create({ capacity: 256 });
  const u32 = new Uint32Array(pipe.memory.buffer);
  u32[word(pipe, L.RBS_OFF_CAPACITY)] = 1 << 20;
  const E = 'RBS_ECORRUPT';
  await ringError(() => pipe.receiver.tryRecv(), E, 'MessageReceiver.tryRecv');
  await ringError(() => pipe.receiver.recvInto(new Uint8Array(8)), E, 'MessageReceiver.recvInto');
  await ringError(() => pipe.closed, E, 'MessagePipe.closed');
  await ringError(() => pipe.sender.closed, E, 'MessageSender.closed');
  await ringError(() => pipe.receiver.closed, E, 'MessageReceiver.closed');
  await ringError(() => pipe.receiver.ended, E, 'MessageReceiver.ended');
  const bytes = new RingBuffer(64);
  new Uint32Array(bytes.memory.buffer)[word(bytes, L.RBS_OFF_KIND)] = L.RBS_KIND_AUDIO;
  await ringError(() => bytes.producer.closed, E, 'Producer.closed');
  await ringError(() => bytes.consumer.closed, E, 'Consumer.closed');
  await ringError(() => bytes.consumer.ended, E, 'Consumer.ended');
  await ringError(() => bytes.closed, E, 'RingBuffer.closed');
  await ringError(() => MessagePipe.attach(pipe.handle), E, 'MessagePipe.attach');
  const ring = AudioRing.create({ channels: 2, capacityFrames: 64 });
  new Uint32Array(ring.memory.buffer)[word(ring, L.RBS_OFF_CHANNELS)] = 1;
  await ringError(() => ring.framesAvailable, E, 'AudioRing.framesAvailable');
  await ringError(() => ring.framesWritable, E, 'AudioRing.framesWritable');
  await ringError(() => ring.reader.read([new Float32Array(4), new Float32Array(4)]), E, 'AudioReader.read');
  await ringError(() => ring.closed, E, 'AudioRing.closed');
  await ringError(() => ring.ended, E, 'AudioRing.ended');
  await ringError(() => ring.started, E, 'AudioRing.started');
  await ringError(() => AudioRing.attach(ring.handle), E, 'AudioRing.attach');
});

test('a message ring with a corrupt frame or counter: RBS_ECORRUPT from every receive and send', async () => {
  const pipe = MessagePipe.create({ capacity: 256 });
  const r = pipe.receiver;
  pipe.sender.trySend(new Uint8Array(10));
  const u32 = new Uint32Array(pipe.memory.buffer);
  u32[(pipe.offset + L.RBS_OFF_DATA) >>> 2] = 5000; // the first frame's length word
  const E = 'RBS_ECORRUPT';
  await ringError(() => r.tryRecv(), E, 'MessageReceiver.tryRecv');
  await ringError(() => r.tryRecvText(), E, 'MessageReceiver.tryRecvText');
  await ringError(() => r.recvInto(new Uint8Array(64)), E, 'MessageReceiver.recvInto');
  await ringError(() => r.recvSync(0), E, 'MessageReceiver.recvSync');
  await ringError(() => r.recv(), E, 'MessageReceiver.recv');
  // The sender looks at the read counter when it needs room: fill the pipe, then move it past the write counter.
  const full = MessagePipe.create({ capacity: 256 });
  while (full.sender.trySend(new Uint8Array(20)));
  while (full.sender.trySend(new Uint8Array(1))); // not even the smallest frame fits now
  const f32 = new Uint32Array(full.memory.buffer);
  f32[word(full, L.RBS_OFF_READ)] = f32[word(full, L.RBS_OFF_WRITE)] + 2000;
  await ringError(() => full.sender.trySend('x'), E, 'MessageSender.trySend');
  await ringError(() => full.sender.sendSync('x', 0), E, 'MessageSender.sendSync');
  await ringError(() => full.sender.send(new Uint8Array(3)), E, 'MessageSender.send');
});

test('an audio ring with a torn frame count or a counter out of range: RBS_ECORRUPT from every call', async () => {
  const ring = AudioRing.create({ channels: 2, capacityFrames: 64 });
  const w = ring.writer;
  const rd = ring.reader;
  const planes = () => [new Float32Array(8), new Float32Array(8)];
  w.write(planes());
  const u32 = new Uint32Array(ring.memory.buffer);
  u32[word(ring, L.RBS_OFF_WRITE)] += 3; // no longer whole 8-byte frames
  const E = 'RBS_ECORRUPT';
  await ringError(() => rd.read(planes()), E, 'AudioReader.read');
  await ringError(() => rd.readOrSilence(planes()), E, 'AudioReader.readOrSilence');
  await ringError(() => ring.framesAvailable, E, 'AudioRing.framesAvailable');
  u32[word(ring, L.RBS_OFF_WRITE)] += 1 << 20;
  await ringError(() => w.write(planes()), E, 'AudioWriter.write');
  await ringError(() => w.writeInterleaved(new Float32Array(4)), E, 'AudioWriter.writeInterleaved');
  await ringError(() => ring.framesWritable, E, 'AudioRing.framesWritable');
});

test('closed, busy and gone are RingBufferErrors too', async () => {
  const ring = RingBuffer.create({ capacity: 64, peerTimeoutMs: 1000 });
  await ring.producer.close();
  await ringError(() => ring.producer.tryWrite(new Uint8Array(1)), 'RBS_ECLOSED', 'Producer.tryWrite');
  const other = RingBuffer.attachSync(ring.handle);
  await ringError(() => other.producer, 'RBS_EBUSY', 'RingBuffer.producer', true);
  const pipe = MessagePipe.create({ capacity: 64, peerTimeoutMs: 1000 });
  const owner = (pipe.offset + L.RBS_OFF_PRODUCER_OWNER) >>> 2;
  Atomics.store(new Int32Array(pipe.memory.buffer), owner, 0x5eadbeef & 0x7fffffff); // a holder that never beats
  const e = await ringError(() => pipe.receiver.recv(), 'RBS_EPEERGONE', 'MessageReceiver.recv', true);
  assert.ok(e instanceof PeerGoneError);
  assert.equal(e.name, 'PeerGoneError');
  pipe.dispose();
  ring.dispose();
});
