// The liveness API on one thread (fault_threads.test.js has the real
// terminated Workers): peerTimeoutMs options, the heartbeat words, dispose(),
// producerAlive/consumerAlive, PeerGoneError for a holder that went silent
// (set up here as a terminated thread leaves it: an owner token in the header
// that nothing beats), claim({ takeOver }), the worklet processors' beat, and
// that a heartbeat never keeps a Node process alive.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { afterEach, test } from 'node:test';
import {
  AudioRing,
  DEFAULT_PEER_TIMEOUT_MS,
  HEARTBEAT_MS,
  MIN_PEER_TIMEOUT_MS,
  PeerGoneError,
  RingBuffer,
  RingBufferError,
  createRingSourceNode,
  layout as L,
} from '../../dist/index.js';
import { QUANTUM, fakeAudio, quantumPlanes } from './audio_fake_scope.js';
import { cleanUp, control, headerWord, messageOf, reachStage, sleep, startPeer, streamBytes, track, within } from './fault_util.js';

afterEach(cleanUp);

const T = MIN_PEER_TIMEOUT_MS; // the shortest timeout a heartbeat can honour
const busy = (re) => (e) => e instanceof RingBufferError && e.code === L.RBS_EBUSY && re.test(e.message);
const DEAD = 0x5eadbeef & 0x7fffffff; // an owner token no live object holds

/** Leaves `role` as a terminated thread leaves it: claimed by a token nothing beats. */
function deadHolder(ring, role) {
  const off = role === 'producer' ? L.RBS_OFF_PRODUCER_OWNER : L.RBS_OFF_CONSUMER_OWNER;
  const i32 = new Int32Array(ring.memory.buffer);
  assert.equal(Atomics.compareExchange(i32, (ring.offset + off) >>> 2, 0, DEAD), 0, `${role} role is free`);
}

const beatOf = (ring, role) =>
  headerWord(ring, role === 'producer' ? L.RBS_OFF_PRODUCER_HEARTBEAT : L.RBS_OFF_CONSUMER_HEARTBEAT) >>> 0;
const ownerOf = (ring, role) =>
  headerWord(ring, role === 'producer' ? L.RBS_OFF_PRODUCER_OWNER : L.RBS_OFF_CONSUMER_OWNER) >>> 0;

test('peerTimeoutMs: default 5000, 0 and Infinity turn the watch off, below four heartbeats or not a number is refused by name', async () => {
  assert.equal(DEFAULT_PEER_TIMEOUT_MS, 5000);
  assert.equal(HEARTBEAT_MS, 250);
  assert.equal(MIN_PEER_TIMEOUT_MS, 4 * HEARTBEAT_MS);
  assert.equal(new RingBuffer(64).peerTimeoutMs, 5000);
  assert.equal(RingBuffer.create({ capacity: 64 }).peerTimeoutMs, 5000);
  assert.equal(RingBuffer.create({ capacity: 64, peerTimeoutMs: 0 }).peerTimeoutMs, Infinity);
  assert.equal(RingBuffer.create({ capacity: 64, peerTimeoutMs: Infinity }).peerTimeoutMs, Infinity);
  const ring = track(RingBuffer.create({ capacity: 64, peerTimeoutMs: 1234.5 }));
  assert.equal(ring.peerTimeoutMs, 1234.5);
  assert.equal((await RingBuffer.attach(ring.handle)).peerTimeoutMs, 5000);
  assert.equal(RingBuffer.attachSync(ring.handle, { peerTimeoutMs: MIN_PEER_TIMEOUT_MS }).peerTimeoutMs, MIN_PEER_TIMEOUT_MS);
  const a = track(AudioRing.create({ channels: 1, capacityFrames: 64, peerTimeoutMs: 0 }));
  assert.equal(a.peerTimeoutMs, Infinity);
  assert.equal(a.writer.peerTimeoutMs, Infinity);
  assert.equal(AudioRing.attachSync(a.handle).peerTimeoutMs, 5000);
  assert.equal((await AudioRing.attach(a.handle, { peerTimeoutMs: 9000 })).peerTimeoutMs, 9000);

  const what = /must be a number of milliseconds from 1000 \(four 250 ms heartbeats\), or 0 or Infinity to never give up on the other side; got /;
  for (const [f, cls, where] of [
    [() => RingBuffer.create({ capacity: 64, peerTimeoutMs: '5s' }), TypeError, 'RingBuffer.create: options.peerTimeoutMs'],
    [() => RingBuffer.create({ capacity: 64, peerTimeoutMs: -1 }), RangeError, 'RingBuffer.create: options.peerTimeoutMs'],
    [() => RingBuffer.create({ capacity: 64, peerTimeoutMs: NaN }), RangeError, 'RingBuffer.create: options.peerTimeoutMs'],
    [() => RingBuffer.attachSync(ring.handle, { peerTimeoutMs: null }), TypeError, 'RingBuffer.attachSync: options.peerTimeoutMs'],
    [() => AudioRing.create({ channels: 1, capacityFrames: 64, peerTimeoutMs: -5 }), RangeError, 'AudioRing.create: options.peerTimeoutMs'],
    [() => AudioRing.attachSync(a.handle, { peerTimeoutMs: {} }), TypeError, 'AudioRing.attachSync: options.peerTimeoutMs'],
  ]) {
    assert.throws(f, (e) => e instanceof cls && e.message.startsWith(where) && what.test(e.message), where);
  }
  await assert.rejects(RingBuffer.attach(ring.handle, { peerTimeoutMs: -2 }), { name: 'RangeError', message: /^RingBuffer\.attach: options\.peerTimeoutMs must be/ });
  assert.throws(() => RingBuffer.attachSync(ring.handle, 5), { name: 'TypeError', message: /^RingBuffer\.attachSync: options must be an object \{ peerTimeoutMs\? \} or absent; got number 5/ });
  assert.throws(() => AudioRing.attachSync(a.handle, 'x'), { name: 'TypeError', message: /^AudioRing\.attachSync: options must be an object/ });
});

test('a held role beats on the timer; dispose() frees it for another instance and stops the beat; a disposed role object refuses every call', async () => {
  const ring = track(RingBuffer.create({ capacity: 64, peerTimeoutMs: T }));
  assert.equal(ownerOf(ring, 'producer'), 0);
  const p = ring.producer;
  assert.notEqual(ownerOf(ring, 'producer'), 0);
  const b0 = beatOf(ring, 'producer');
  await sleep(3 * HEARTBEAT_MS + 100);
  assert.ok(beatOf(ring, 'producer') - b0 >= 2, `the heartbeat moved ${beatOf(ring, 'producer') - b0} times in ${3 * HEARTBEAT_MS + 100} ms`);
  assert.equal(ring.producerAlive, true);
  assert.equal(ring.consumerAlive, false, 'no consumer holds the role');

  const view = p.reserve(8);
  view.fill(9);
  p.dispose();
  p.dispose(); // harmless
  assert.equal(p.disposed, true);
  assert.equal(ownerOf(ring, 'producer'), 0);
  assert.equal(ring.producerAlive, false);
  const b1 = beatOf(ring, 'producer');
  await sleep(2 * HEARTBEAT_MS + 100);
  assert.equal(beatOf(ring, 'producer'), b1, 'no beat after dispose');
  const gone = busy(/^Producer\.\w+: this Producer was disposed \(it gave the producer role up\); claim the role again from its ring$/);
  for (const f of [() => p.tryWrite(new Uint8Array(1)), () => p.tryWriteAll(new Uint8Array(1)), () => p.reserve(1), () => p.commit(8), () => p.writeSync(new Uint8Array(1))])
    assert.throws(f, gone);
  await assert.rejects(p.write(new Uint8Array(1)), busy(/^Producer\.write: this Producer was disposed/));
  await assert.rejects(p.close(), busy(/^Producer\.close: this Producer was disposed/));
  await assert.rejects(p.waitForRoom(), busy(/^Producer\.waitForRoom: this Producer was disposed/));
  assert.equal(ring.available, 0, 'the dropped reservation was never published');
  assert.equal(ring.closed, false);

  // Another instance claims the freed role; this ring's getter would be refused now.
  const other = track(RingBuffer.attachSync(ring.handle));
  await other.write(streamBytes(0, 5));
  assert.throws(() => ring.producer, busy(/producer role of this ring is already held by another instance/));
  other.dispose();
  const p2 = ring.producer;
  assert.notEqual(p2, p);
  assert.equal(p2.tryWrite(streamBytes(5, 3)), 3);
  assert.deepEqual(ring.consumer.tryRead(64), streamBytes(0, 8));
  ring.dispose();
  assert.equal(ownerOf(ring, 'producer'), 0);
  assert.equal(ownerOf(ring, 'consumer'), 0);
});

test('dispose() while a read() or write() waits rejects it; the consumer gives back an unreleased acquire', async () => {
  const ring = track(RingBuffer.create({ capacity: 16, peerTimeoutMs: 0 }));
  const c = ring.consumer;
  const reading = c.read(4);
  await sleep(20);
  c.dispose();
  await assert.rejects(within(reading, 5000, 'read'), busy(/^Consumer\.read: this Consumer was disposed/));
  for (const f of [() => c.tryRead(1), () => c.readInto(new Uint8Array(1)), () => c.acquire(1), () => c.release(0), () => c.readSync(1, 0)])
    assert.throws(f, busy(/^Consumer\.\w+: this Consumer was disposed \(it gave the consumer role up\); claim the role again from its ring$/));

  const p = ring.producer;
  assert.equal(p.tryWrite(streamBytes(0, 16)), 16);
  const writing = p.write(streamBytes(16, 4));
  await sleep(20);
  p.dispose();
  await assert.rejects(within(writing, 5000, 'write'), busy(/^Producer\.write: this Producer was disposed/));
  assert.equal(ring.available, 16);

  const c2 = ring.consumer;
  assert.deepEqual(c2.acquire(5), streamBytes(0, 5));
  c2.dispose(); // the acquired bytes stay unread
  assert.deepEqual(ring.consumer.tryRead(16), streamBytes(0, 16));
});

test('a silent holder: alive at first, then producerAlive false and read() rejects with PeerGoneError after peerTimeoutMs; a free role is waited for instead', { timeout: 20_000 }, async () => {
  const ring = track(RingBuffer.create({ capacity: 64, peerTimeoutMs: T }));
  const c = ring.consumer;
  // Nobody holds the producer role: a read waits for one, past the timeout.
  let settled = false;
  const first = c.read(10).then((v) => {
    settled = true;
    return v;
  });
  await sleep(T + 300);
  assert.equal(settled, false, 'a free role is not a silent one');
  const other = track(RingBuffer.attachSync(ring.handle));
  await other.write(streamBytes(0, 4));
  assert.deepEqual(await within(first, 5000, 'read'), streamBytes(0, 4));
  other.dispose();

  // A holder that never beats: alive until it has been silent for T.
  deadHolder(ring, 'producer');
  assert.equal(ring.producerAlive, true, 'just seen: not silent yet');
  const t0 = performance.now();
  const e = await within(c.read(10).then(() => null, (err) => err), 5000, 'read');
  const waited = performance.now() - t0;
  assert.ok(e instanceof PeerGoneError, String(e));
  assert.equal(e.role, 'producer');
  assert.ok(e.silentMs >= T && waited >= T - 5, `silent ${e.silentMs} ms, waited ${waited} ms`);
  assert.match(e.message, /^Consumer\.read: the producer has been silent for \d+ ms while the ring is empty \(its heartbeat and the write counter did not move, the ring is not closed\): its thread has ended or hangs \(peerTimeoutMs 1000\)$/);
  assert.ok(e instanceof RingBufferError && e.code === L.RBS_EPEERGONE && e.codeName === 'RBS_EPEERGONE', 'one error class');
  assert.equal(ring.producerAlive, false);
  await assert.rejects(c.waitForData(), { name: 'PeerGoneError', message: /^Consumer\.waitForData: the producer has been silent/ });
  // Data that is there is still read, and a closed ring still ends: only a wait fails.
  const i32 = new Int32Array(ring.memory.buffer);
  Atomics.store(i32, (ring.offset + L.RBS_OFF_CLOSED) >>> 2, 1); // the dead producer had closed (as rbs_close does)
  assert.equal(await within(c.read(10), 2000, 'read'), null);
});

test('the consumer side: write() on a full ring rejects with PeerGoneError naming the consumer; with the watch off it keeps waiting', { timeout: 20_000 }, async () => {
  const ring = track(RingBuffer.create({ capacity: 16, peerTimeoutMs: T }));
  const p = ring.producer;
  deadHolder(ring, 'consumer');
  assert.equal(p.tryWrite(streamBytes(0, 20)), 16);
  await assert.rejects(within(p.write(streamBytes(16, 1)), 5000, 'write'), (e) => {
    assert.equal(e.name, 'PeerGoneError');
    assert.equal(e.role, 'consumer');
    assert.match(e.message, /^Producer\.write: the consumer has been silent for \d+ ms while the ring is full \(its heartbeat and the read counter did not move/);
    return true;
  });
  await assert.rejects(p.waitForRoom(), { name: 'PeerGoneError', message: /^Producer\.waitForRoom: the consumer has been silent/ });
  assert.equal(ring.consumerAlive, false);

  const off = track(RingBuffer.attachSync(ring.handle, { peerTimeoutMs: 0 }));
  p.dispose();
  const p2 = off.producer;
  let settled = false;
  const w = p2.write(streamBytes(16, 5)).then(() => (settled = true));
  await sleep(T + 300);
  assert.equal(settled, false, 'peerTimeoutMs 0: no PeerGoneError');
  assert.equal(off.consumerAlive, true, 'with the watch off, held counts as alive');
  // The dead consumer is replaced; the waiting write completes.
  const next = track(RingBuffer.attachSync(ring.handle));
  const c = await within(next.claim('consumer', { takeOver: true, staleMs: T }), 5000, 'takeOver');
  assert.deepEqual(c.tryRead(16), streamBytes(0, 16));
  await within(w, 5000, 'write');
  assert.deepEqual(c.tryRead(16), streamBytes(16, 5));
});

test('claim(): options checked; takeOver of a free role is a claim, of a live holder RBS_EBUSY, of a silent one a claim after staleMs', { timeout: 20_000 }, async () => {
  const ring = track(RingBuffer.create({ capacity: 64, peerTimeoutMs: T }));
  await assert.rejects(ring.claim('writer'), { name: 'TypeError', message: "RingBuffer.claim: role must be 'producer' or 'consumer'; got string \"writer\"" });
  await assert.rejects(ring.claim('producer', 1), { name: 'TypeError', message: /^RingBuffer\.claim: options must be an object \{ takeOver\?, staleMs\? \} or absent; got number 1/ });
  await assert.rejects(ring.claim('producer', { takeOver: true, staleMs: -1 }), { name: 'RangeError', message: /^RingBuffer\.claim: options\.staleMs must be a number of milliseconds from 1000/ });
  await assert.rejects(ring.claim('producer', { takeOver: true, staleMs: 300 }), { name: 'RangeError', message: /^RingBuffer\.claim: options\.staleMs must be a number of milliseconds from 1000 .*; got 300$/ });
  await assert.rejects(ring.claim('producer', { takeOver: true, staleMs: 0 }), { name: 'RangeError', message: /^RingBuffer\.claim: options\.staleMs must be a finite number of milliseconds for a takeOver; got 0$/ });
  assert.equal(ownerOf(ring, 'producer'), 0, 'a refused claim takes nothing');

  const p = await ring.claim('producer', { takeOver: true }); // free: at once
  assert.equal(p, ring.producer);
  assert.equal(await ring.claim('producer'), p, 'claiming again gives the same object');

  const rival = track(RingBuffer.attachSync(ring.handle));
  await assert.rejects(rival.claim('producer'), busy(/already held by another instance/));
  const t0 = performance.now();
  await assert.rejects(
    within(rival.claim('producer', { takeOver: true, staleMs: 2000 }), 5000, 'takeOver'),
    busy(/^RingBuffer\.claim: the producer role is held by a live instance \(owner token \d+, heard from \d+ ms ago\): takeOver takes only a role whose holder stays silent for 2000 ms$/),
  );
  assert.ok(performance.now() - t0 < 2000, 'refused as soon as the holder beat');
  assert.equal(p.disposed, false);

  deadHolder(ring, 'consumer');
  const waiters = headerWord(ring, L.RBS_OFF_CONSUMER_WAITERS);
  const t1 = performance.now();
  const c = await within(rival.claim('consumer', { takeOver: true, staleMs: T }), 5000, 'takeOver');
  assert.ok(performance.now() - t1 >= T - 5, 'watched the silent holder for staleMs first');
  assert.notEqual(ownerOf(ring, 'consumer'), DEAD);
  assert.equal(headerWord(ring, L.RBS_OFF_CONSUMER_WAITERS), waiters, 'a takeOver leaves the waiting count to its waits');
  await p.write(streamBytes(0, 7));
  assert.deepEqual(c.tryRead(64), streamBytes(0, 7));
  assert.equal(ring.consumerAlive, true);
});

test('a holder whose role was taken over finds out: its pending read rejects, its calls throw', { timeout: 20_000 }, async () => {
  // A worker holds the consumer role with a read() pending, then blocks its
  // thread (as a debugger pause would: no heartbeat); this thread takes the
  // role over, and the worker finds out once it runs again.
  const a = track(RingBuffer.create({ capacity: 64, peerTimeoutMs: 0 }));
  const ctl = control();
  const peer = startPeer('paused-consumer', { handle: a.handle, ctl, pauseMs: T + 1500 });
  await reachStage(ctl, 1);
  const b = track(RingBuffer.attachSync(a.handle));
  const cb = await within(b.claim('consumer', { takeOver: true, staleMs: T }), 5000, 'takeOver');
  const out = await messageOf(peer, (m) => m.read || m.fatal, 10_000);
  assert.equal(out.fatal, undefined, out.fatal);
  const lost = /the consumer role was taken over by another instance \(a claim with \{ takeOver: true \} found this Consumer silent for its timeout\); it can no longer be used$/;
  assert.equal(out.read.name, 'RingBufferError');
  assert.equal(out.read.codeName, 'RBS_EBUSY');
  assert.match(out.read.message, new RegExp(`^Consumer\\.read: ${lost.source}`));
  assert.match(out.tryRead.message, new RegExp(`^Consumer\\.tryRead: ${lost.source}`));
  assert.equal(out.disposed, true);
  assert.match(out.getter.message, /^RingBuffer\.consumer: the consumer role of this ring is already held by another instance/);
  await a.write(streamBytes(0, 3));
  assert.deepEqual(cb.tryRead(8), streamBytes(0, 3));
});

test('audio: writer and reader claimed on first use, writerAlive/readerAlive, dispose() and takeOver, and each call beats', { timeout: 20_000 }, async () => {
  const ring = track(AudioRing.create({ channels: 2, capacityFrames: 128, peerTimeoutMs: T }));
  const other = track(AudioRing.attachSync(ring.handle, { peerTimeoutMs: T }));
  assert.equal(ownerOf(ring, 'producer'), 0, 'nothing claimed yet');
  assert.equal(other.writerAlive, false);
  const planes = [new Float32Array(4).fill(1), new Float32Array(4).fill(2)];
  const w = ring.writer;
  assert.equal(w.write(planes), 4);
  assert.equal(other.writerAlive, true);
  const b = beatOf(ring, 'producer');
  w.write(planes);
  w.writeInterleaved(new Float32Array(4));
  assert.equal(beatOf(ring, 'producer') - b, 2, 'one beat per call');
  const r = await other.claim('reader');
  assert.equal(r, other.reader);
  assert.equal(ring.readerAlive, true);
  r.dispose();
  r.dispose();
  assert.equal(r.disposed, true);
  assert.equal(ring.readerAlive, false);
  assert.equal(ownerOf(ring, 'consumer'), 0);
  const third = track(AudioRing.attachSync(ring.handle, { peerTimeoutMs: T }));
  const out = [new Float32Array(10), new Float32Array(10)];
  assert.equal(third.reader.read(out), 10, 'another reader took the freed role');
  assert.throws(() => r.read(out), busy(/^AudioReader\.read: this AudioReader was disposed/));
  assert.throws(() => other.reader, busy(/^AudioRing\.reader: the consumer role of this ring is already held/));
  await assert.rejects(other.claim('reader', 7), { name: 'TypeError', message: /^AudioRing\.claim: options must be an object/ });
  await assert.rejects(other.claim('producer'), { name: 'TypeError', message: /^AudioRing\.claim: role must be 'writer' or 'reader'; got string "producer"/ });

  // A reader whose writer went silent: writerAlive turns false after T.
  w.dispose();
  assert.equal(third.writerAlive, false, 'a free role is not alive');
  deadHolder(ring, 'producer');
  assert.equal(third.writerAlive, true);
  await sleep(T + 100);
  assert.equal(third.writerAlive, false);
  // ... and a new writer takes its role over.
  const fourth = track(AudioRing.attachSync(ring.handle));
  const w2 = await within(fourth.claim('writer', { takeOver: true, staleMs: T }), 5000, 'takeOver');
  assert.equal(w2, fourth.writer);
  assert.equal(w2.write(planes), 4);
  assert.equal(third.writerAlive, true);
});

test('the worklet nodes beat once per process(): the writer sees its source node alive while it renders, not after', { timeout: 20_000 }, async () => {
  const fake = fakeAudio();
  globalThis.AudioWorkletNode = fake.AudioWorkletNode;
  try {
    const { node, ring } = await createRingSourceNode(fake.context, { channels: 2, capacityFrames: 1024, peerTimeoutMs: T });
    track(ring);
    assert.equal(ring.peerTimeoutMs, T);
    assert.equal(ring.writer.peerTimeoutMs, T);
    const out = quantumPlanes(2);
    const b = beatOf(ring, 'consumer');
    for (let q = 0; q < 5; q++) node.processor.process([], [out], {});
    assert.equal(beatOf(ring, 'consumer') - b, 5);
    assert.equal(ring.readerAlive, true);
    await sleep(3 * HEARTBEAT_MS);
    assert.equal(beatOf(ring, 'consumer') - b, 5, 'nothing on the main thread beats for the node');
    await sleep(T);
    assert.equal(ring.readerAlive, false, 'a context that stopped rendering looks gone');
    node.processor.process([], [out], {});
    assert.equal(ring.readerAlive, true);
    assert.equal(out[0].length, QUANTUM);
  } finally {
    delete globalThis.AudioWorkletNode;
  }
});

test('a heartbeat never keeps a Node process alive', () => {
  const dist = new URL('../../dist/index.js', import.meta.url).href;
  const code = `const m = await import(${JSON.stringify(dist)});
    const ring = new m.RingBuffer(64); ring.producer; ring.consumer;
    const a = m.AudioRing.create({ channels: 1, capacityFrames: 64 }); a.writer.write([new Float32Array(1)]); a.reader;
    console.log('claimed');`;
  const t0 = performance.now();
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', code], { encoding: 'utf8', timeout: 10_000 });
  assert.equal(r.error, undefined, `the process did not exit by itself: ${r.error}`);
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout.trim(), 'claimed');
  assert.ok(performance.now() - t0 < 10_000);
});
