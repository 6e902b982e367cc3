// Liveness as for RingBuffer: a pipe end whose thread ends without dispose()
// or close() is noticed by the other end's wait (PeerGoneError after
// peerTimeoutMs of silence), after every message it sent was delivered; its
// role can then be taken over; dispose() gives a role up cleanly.
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { test } from 'node:test';
import { Worker } from 'node:worker_threads';
import { MIN_PEER_TIMEOUT_MS, MessagePipe, PeerGoneError, RingBufferError } from '../../dist/index.js';

const TIMEOUT = MIN_PEER_TIMEOUT_MS; // the shortest a heartbeat can honour
const busy = (re) => (e) => e instanceof RingBufferError && e.codeName === 'RBS_EBUSY' && re.test(e.message);

function start(t, data) {
  const worker = new Worker(new URL('./msg_liveness.worker.js', import.meta.url), { workerData: data });
  t.after(() => worker.terminate());
  return worker;
}

async function reply(worker) {
  const [m] = await once(worker, 'message');
  assert.equal(m.error, undefined, m.error);
  return m;
}

test('a sender whose thread ended: its messages arrive, then recv() rejects with PeerGoneError; takeOver replaces it', { timeout: 30_000 }, async (t) => {
  const pipe = MessagePipe.create({ capacity: 4096, peerTimeoutMs: TIMEOUT });
  const worker = start(t, { handle: pipe.handle, role: 'sender', count: 20 });
  assert.equal((await reply(worker)).done, 20);
  assert.equal(pipe.senderAlive, true);
  await worker.terminate();
  for (let n = 0; n < 20; n++) assert.equal(await pipe.receiver.recvText(), `message ${n}`);
  const t0 = performance.now();
  await assert.rejects(pipe.receiver.recv(), (e) => {
    assert.ok(e instanceof PeerGoneError);
    assert.equal(e.role, 'producer');
    assert.ok(e.silentMs >= TIMEOUT);
    assert.match(e.message, /^MessageReceiver\.recv: the producer has been silent for \d+ ms while no message is waiting/);
    return true;
  });
  assert.ok(performance.now() - t0 >= TIMEOUT - 1, 'not before the timeout');
  assert.equal(pipe.senderAlive, false);

  // The dead sender still holds its role: a plain claim is refused, a takeOver succeeds.
  const other = await MessagePipe.attach(pipe.handle, { peerTimeoutMs: TIMEOUT });
  assert.throws(() => other.sender, busy(/the producer role of this ring is already held/));
  const sender = await other.claim('sender', { takeOver: true, staleMs: TIMEOUT });
  await sender.send('from the new sender');
  assert.equal(await pipe.receiver.recvText(), 'from the new sender');
  await sender.close();
  assert.equal(await pipe.receiver.recv(), null);
});

test('a receiver whose thread ended: send() on the full pipe rejects with PeerGoneError', { timeout: 30_000 }, async (t) => {
  const pipe = MessagePipe.create({ capacity: 256, peerTimeoutMs: TIMEOUT });
  const worker = start(t, { handle: pipe.handle, role: 'receiver', count: 3 });
  for (let n = 0; n < 3; n++) await pipe.sender.send(`message ${n}`);
  assert.equal((await reply(worker)).done, 3);
  await worker.terminate();
  while (pipe.sender.trySend('filler'));
  await assert.rejects(pipe.sender.send('one more'), (e) => {
    assert.ok(e instanceof PeerGoneError);
    assert.equal(e.role, 'consumer');
    assert.match(e.message, /^MessageSender\.send: the consumer has been silent for \d+ ms while the pipe is full/);
    return true;
  });
});

test('peerTimeoutMs: 0 never gives up on a silent sender; recvSync still times out', async () => {
  const pipe = MessagePipe.create({ capacity: 256, peerTimeoutMs: 0 });
  assert.equal(pipe.peerTimeoutMs, Infinity);
  assert.equal(pipe.receiver.recvSync(50), undefined);
  assert.throws(() => MessagePipe.create({ capacity: 256, peerTimeoutMs: -1 }), RangeError);
  assert.throws(() => MessagePipe.create({ capacity: 256, peerTimeoutMs: 400 }), { name: 'RangeError', message: /^MessagePipe\.create: options\.peerTimeoutMs must be a number of milliseconds from 1000 / });
  await assert.rejects(MessagePipe.attach(pipe.handle, 5), /options must be an object \{ peerTimeoutMs\? \}/);
});

test('dispose() gives a role up: pending calls reject, the object refuses, another object takes over the messages', async () => {
  const pipe = MessagePipe.create({ capacity: 1024 });
  const receiver = pipe.receiver;
  const pending = receiver.recv();
  await new Promise((resolve) => setImmediate(resolve));
  receiver.dispose();
  receiver.dispose(); // harmless twice
  await assert.rejects(pending, busy(/^MessageReceiver\.recv: this MessageReceiver was disposed \(it gave the consumer role up\); claim the role again from its ring$/));
  assert.equal(receiver.disposed, true);
  assert.throws(() => receiver.tryRecv(), busy(/^MessageReceiver\.tryRecv: this MessageReceiver was disposed/));

  const other = await MessagePipe.attach(pipe.handle);
  pipe.sender.trySend('kept for the next receiver');
  assert.equal(other.receiver.tryRecvText(), 'kept for the next receiver');

  const sender = pipe.sender;
  sender.dispose();
  assert.throws(() => sender.trySend('x'), busy(/^MessageSender\.trySend: this MessageSender was disposed/));
  await assert.rejects(sender.send('x'), busy(/^MessageSender\.send: this MessageSender was disposed/));
  assert.equal(pipe.sender === sender, false, 'the pipe claims a new sender on next use');
  pipe.sender.trySend('again');
  assert.equal(other.receiver.tryRecvText(), 'again');
});
