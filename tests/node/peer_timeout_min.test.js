// A peer timeout the heartbeat cannot honour is refused by name wherever one
// is taken (below MIN_PEER_TIMEOUT_MS, four heartbeats, a live idle peer
// could miss a beat in time and be reported gone); at the minimum, a live
// idle peer in another thread is never reported gone however long it idles.
import assert from 'node:assert/strict';
import { afterEach, test } from 'node:test';
import {
  AudioRing,
  HEARTBEAT_MS,
  MIN_PEER_TIMEOUT_MS,
  MessagePipe,
  RingBuffer,
  createRingSinkNode,
  createRingSourceNode,
} from '../../dist/index.js';
import { fakeAudio } from './audio_fake_scope.js';
import { cleanUp, control, reachStage, sleep, startPeer, streamBytes, track } from './fault_util.js';

afterEach(cleanUp);

const TOO_SHORT = [1, 50, 200, HEARTBEAT_MS, 999, MIN_PEER_TIMEOUT_MS - 0.5];
const refused = (where, name = 'options.peerTimeoutMs') => (e) =>
  e instanceof RangeError &&
  e.message.startsWith(`${where}: ${name} must be a number of milliseconds from ${MIN_PEER_TIMEOUT_MS} (four ${HEARTBEAT_MS} ms heartbeats), or 0 or Infinity`);

test('MIN_PEER_TIMEOUT_MS is four heartbeats', () => {
  assert.equal(MIN_PEER_TIMEOUT_MS, 4 * HEARTBEAT_MS);
});

test('every create and attach refuses a peerTimeoutMs below the minimum, naming it; the minimum and 0/Infinity are taken', async () => {
  const ring = RingBuffer.create({ capacity: 64 });
  const pipe = MessagePipe.create({ capacity: 64 });
  const audio = AudioRing.create({ channels: 1, capacityFrames: 64 });
  for (const ms of TOO_SHORT) {
    const o = { peerTimeoutMs: ms };
    assert.throws(() => RingBuffer.create({ capacity: 64, ...o }), refused('RingBuffer.create'), String(ms));
    assert.throws(() => RingBuffer.attachSync(ring.handle, o), refused('RingBuffer.attachSync'));
    await assert.rejects(RingBuffer.attach(ring.handle, o), refused('RingBuffer.attach'));
    assert.throws(() => MessagePipe.create({ capacity: 64, ...o }), refused('MessagePipe.create'));
    await assert.rejects(MessagePipe.attach(pipe.handle, o), refused('MessagePipe.attach'));
    assert.throws(() => AudioRing.create({ channels: 1, capacityFrames: 64, ...o }), refused('AudioRing.create'));
    await assert.rejects(AudioRing.attach(audio.handle, o), refused('AudioRing.attach'));
    await assert.rejects(ring.claim('producer', { takeOver: true, staleMs: ms }), refused('RingBuffer.claim', 'options.staleMs'));
  }
  for (const ms of [MIN_PEER_TIMEOUT_MS, 0, Infinity]) {
    assert.equal(RingBuffer.create({ capacity: 64, peerTimeoutMs: ms }).peerTimeoutMs, ms === 0 ? Infinity : ms);
    assert.equal((await MessagePipe.attach(pipe.handle, { peerTimeoutMs: ms })).peerTimeoutMs, ms === 0 ? Infinity : ms);
  }
});

test('the worklet node factories refuse it before loading anything, naming themselves', async () => {
  const fake = fakeAudio();
  globalThis.AudioWorkletNode = fake.AudioWorkletNode;
  try {
    await assert.rejects(createRingSourceNode(fake.context, { peerTimeoutMs: 200 }), refused('createRingSourceNode'));
    await assert.rejects(createRingSinkNode(fake.context, { peerTimeoutMs: 999 }), refused('createRingSinkNode'));
    assert.equal(fake.modules.length, 0, 'refused before addModule');
  } finally {
    delete globalThis.AudioWorkletNode;
  }
});

test('at the minimum, a live consumer idling in another thread is never reported gone', { timeout: 30_000 }, async () => {
  const ring = track(RingBuffer.create({ capacity: 64, peerTimeoutMs: MIN_PEER_TIMEOUT_MS }));
  const ctl = control();
  startPeer('consume-then-stop', { handle: ring.handle, ctl, n: 1, peerTimeoutMs: MIN_PEER_TIMEOUT_MS });
  const p = ring.producer;
  await p.write(streamBytes(0, 1));
  await reachStage(ctl, 1); // it read its byte and idles, its event loop free
  assert.equal(p.tryWrite(streamBytes(1, 64)), 64); // full
  let outcome = null;
  const writing = p.write(streamBytes(65, 1)).then(
    () => (outcome = 'written'),
    (e) => (outcome = e),
  );
  for (let t = 0; t < 4 * MIN_PEER_TIMEOUT_MS; t += 50) {
    await sleep(50);
    assert.equal(outcome, null, `at ${t} ms the waiting write ended: ${outcome}`);
    assert.equal(ring.consumerAlive, true, `at ${t} ms the live consumer looked gone`);
  }
  p.dispose();
  await writing;
});
