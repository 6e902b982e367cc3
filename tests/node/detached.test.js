// Data, targets and audio planes whose ArrayBuffer was detached (transferred
// to another thread) are refused with a TypeError that names the argument,
// never the engine's own error nor a silent write or read of nothing; the
// ring is left as it was.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AudioRing, MessagePipe, RingBuffer } from '../../dist/index.js';

/** Every kind of binary argument, over one buffer that is then detached. */
function detachedArgs() {
  const b = new ArrayBuffer(16);
  const args = {
    ArrayBuffer: b,
    Uint8Array: new Uint8Array(b),
    subarray: new Uint8Array(b, 4, 8),
    Float32Array: new Float32Array(b),
    DataView: new DataView(b, 2, 6),
  };
  structuredClone(b, { transfer: [b] }); // as postMessage(b, [b]) does
  assert.equal(b.byteLength, 0, 'detached');
  return args;
}

const named = (where, name) => (e) =>
  e instanceof TypeError && e.message.startsWith(`${where}: ${name} is `) && /a detached ArrayBuffer/.test(e.message);

test('byte ring: detached data and targets are named TypeErrors, nothing moves', async () => {
  const ring = new RingBuffer(64);
  const p = ring.producer;
  const c = ring.consumer;
  for (const [kind, v] of Object.entries(detachedArgs())) {
    assert.throws(() => p.tryWrite(v), named('Producer.tryWrite', 'data'), kind);
    assert.throws(() => p.tryWriteAll(v), named('Producer.tryWriteAll', 'data'), kind);
    assert.throws(() => p.writeSync(v, 0), named('Producer.writeSync', 'data'), kind);
    await assert.rejects(p.write(v), named('Producer.write', 'data'), kind);
    await assert.rejects(ring.write(v), named('Producer.write', 'data'), kind);
    assert.throws(() => c.readInto(v), named('Consumer.readInto', 'target'), kind);
  }
  assert.equal(ring.available, 0);
  p.tryWrite(Uint8Array.of(1, 2, 3));
  for (const [kind, v] of Object.entries(detachedArgs())) assert.throws(() => c.readInto(v), named('Consumer.readInto', 'target'), kind);
  assert.equal(ring.available, 3, 'a refused readInto consumed nothing');
});

test('message pipe: detached data and targets are named TypeErrors, nothing is sent or received', async () => {
  const pipe = MessagePipe.create({ capacity: 256 });
  const s = pipe.sender;
  const r = pipe.receiver;
  for (const [kind, v] of Object.entries(detachedArgs())) {
    assert.throws(() => s.trySend(v), named('MessageSender.trySend', 'data'), kind);
    assert.throws(() => s.sendSync(v, 0), named('MessageSender.sendSync', 'data'), kind);
    await assert.rejects(s.send(v), named('MessageSender.send', 'data'), kind);
  }
  assert.equal(r.tryRecv(), undefined, 'nothing was sent, not even an empty message');
  s.trySend('kept');
  for (const [kind, v] of Object.entries(detachedArgs())) assert.throws(() => r.recvInto(v), named('MessageReceiver.recvInto', 'target'), kind);
  assert.equal(r.tryRecvText(), 'kept', 'a refused recvInto took nothing');
});

test('audio: detached planes and samples are named TypeErrors, no frame written or read', () => {
  const ring = AudioRing.create({ channels: 2, capacityFrames: 64 });
  const w = ring.writer;
  const rd = ring.reader;
  const live = () => new Float32Array(4);
  const dead = () => detachedArgs().Float32Array;
  assert.throws(() => w.write([dead(), live()]), named('AudioWriter.write', 'planes[0]'));
  assert.throws(() => w.write([live(), dead()]), named('AudioWriter.write', 'planes[1]'));
  assert.throws(() => w.writeInterleaved(dead()), named('AudioWriter.writeInterleaved', 'samples'));
  assert.equal(ring.framesWritten, 0);
  assert.equal(ring.overruns, 0);
  assert.equal(w.write([live(), live()]), 4);
  assert.throws(() => rd.read([dead(), dead()]), named('AudioReader.read', 'planes[0]'));
  assert.throws(() => rd.read([live(), dead()]), named('AudioReader.read', 'planes[1]'));
  assert.throws(() => rd.readOrSilence([dead(), live()]), named('AudioReader.readOrSilence', 'planes[0]'));
  assert.equal(ring.framesAvailable, 4, 'nothing was read');
  assert.equal(ring.underruns, 0);
});
