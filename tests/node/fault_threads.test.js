// Faults between threads, with real worker_threads stopped by
// worker.terminate() (no finally, no dispose, no close runs on that side):
//   - a producer terminated between reserve and commit, or in the middle of a
//     long write()/writeSync() that waits for room, leaves the consumer
//     exactly the committed bytes, and the consumer's read rejects with
//     PeerGoneError instead of hanging; a new producer takes the role over
//     and the stream continues byte-exact;
//   - a consumer that stops reading makes tryWrite return 0, tryWriteAll
//     refuse and write() wait -- while it is alive, for longer than the peer
//     timeout -- and never overwrites its unread bytes; once it is gone the
//     write rejects with PeerGoneError, and a new consumer reads those bytes;
//   - readSync in a worker throws PeerGoneError when the producer dies;
//   - a second producer or consumer (byte ring, audio ring) in another
//     thread gets an error saying the role is taken, and takeOver refuses a
//     live holder;
//   - an AudioWriter terminated while writing leaves only whole frames, in
//     order, and writerAlive turns false.
// Every wait is bounded (within(), reachStage(), test timeouts): a hang fails.
import assert from 'node:assert/strict';
import { afterEach, test } from 'node:test';
import { AudioRing, PeerGoneError, RingBuffer, RingBufferError, layout as L } from '../../dist/index.js';
import {
  cleanUp,
  control,
  firstStreamMismatch,
  headerWord,
  messageOf,
  reachStage,
  sleep,
  startPeer,
  streamBytes,
  track,
  within,
} from './fault_util.js';

afterEach(cleanUp);

const T = 1000; // peerTimeoutMs of these tests

/** Reads with `consumer` until the end or an error; returns { bytes, error }. */
async function drain(consumer, limitMs = 10_000) {
  const parts = [];
  let n = 0;
  for (;;) {
    let v;
    try {
      v = await within(consumer.read(4096), limitMs, 'Consumer.read');
    } catch (error) {
      return { bytes: concat(parts, n), error };
    }
    if (v === null) return { bytes: concat(parts, n), error: null };
    parts.push(v);
    n += v.length;
  }
}

function concat(parts, n) {
  const out = new Uint8Array(n);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

function assertPeerGone(error, role, where) {
  assert.ok(error instanceof PeerGoneError, `expected PeerGoneError, got ${error && error.stack}`);
  assert.ok(error instanceof RingBufferError);
  assert.equal(error.name, 'PeerGoneError');
  assert.equal(error.codeName, 'RBS_EPEERGONE');
  assert.equal(error.role, role);
  assert.equal(error.peerTimeoutMs, T);
  assert.ok(error.silentMs >= T, `silentMs ${error.silentMs} >= ${T}`);
  const state = role === 'producer' ? 'empty' : 'full';
  assert.match(error.message, new RegExp(`^${where}: the ${role} has been silent for \\d+ ms while the ring is ${state}`));
  assert.match(error.message, /its thread has ended or hangs \(peerTimeoutMs 1000\)/);
}

test('a producer terminated between reserve and commit: the consumer reads exactly the committed bytes, then PeerGoneError; a takeOver continues the stream', { timeout: 30_000 }, async () => {
  const ring = track(RingBuffer.create({ capacity: 4096, peerTimeoutMs: T }));
  const consumer = ring.consumer;
  const ctl = control();
  const peer = startPeer('reserve-half', { handle: ring.handle, ctl, committed: 1000, reserve: 600, peerTimeoutMs: T });
  await reachStage(ctl, 1);
  assert.equal(headerWord(ring, L.RBS_OFF_RESERVED), 600, 'the worker holds a 600-byte reservation, half written');
  await peer.worker.terminate();
  assert.deepEqual(peer.messages, []);

  const { bytes, error } = await drain(consumer);
  assert.equal(bytes.length, 1000, 'every committed byte and nothing of the reservation');
  assert.equal(firstStreamMismatch(bytes), -1);
  assertPeerGone(error, 'producer', 'Consumer.read');
  assert.equal(ring.closed, false);
  assert.equal(ring.available, 0);
  assert.equal(ring.producerAlive, false);
  assert.notEqual(headerWord(ring, L.RBS_OFF_PRODUCER_OWNER), 0, 'the dead producer never gave its role up');

  // A new producer takes the dead one's role over and the stream continues
  // right after the committed bytes: the half-written reservation never shows.
  // (Until it has, a read still fails: the role is held by a silent holder.)
  const next = startPeer('takeover-write', { handle: ring.handle, ctl: control(), from: 1000, n: 9000, staleMs: T, peerTimeoutMs: T });
  const took = await messageOf(next, (m) => m.took || m.fatal);
  assert.equal(took.fatal, undefined, took.fatal);
  assert.ok(took.watchedMs >= T - 5, `the new producer watched the silent role ${took.watchedMs} ms before taking it`);
  const rest = await drain(consumer);
  assert.equal(rest.error, null, rest.error && rest.error.stack);
  assert.equal(rest.bytes.length, 9000);
  assert.equal(firstStreamMismatch(rest.bytes, 1000), -1);
  await messageOf(next, (m) => m.done);
  await next.exited;
  assert.equal(ring.closed, true);
});

for (const sync of [false, true]) {
  const call = sync ? 'writeSync()' : 'write()';
  test(`a producer terminated in the middle of a long ${call} that waits for room: the consumer gets a byte-exact prefix, then PeerGoneError`, { timeout: 30_000 }, async () => {
    const ring = track(RingBuffer.create({ capacity: 1024, peerTimeoutMs: T }));
    const consumer = ring.consumer;
    const ctl = control();
    const total = 256 * 1024;
    const peer = startPeer('long-write', { handle: ring.handle, ctl, total, sync, peerTimeoutMs: T });
    await reachStage(ctl, 1);
    // Read slowly for a while, so the writer waits for room again and again.
    const parts = [];
    let got = 0;
    while (got < 20_000) {
      const v = await within(consumer.read(700), 10_000, 'Consumer.read');
      parts.push(v);
      got += v.length;
      if (parts.length % 8 === 0) await sleep(2);
    }
    // Stop reading; terminate the writer once the ring is full and it waits.
    const until = performance.now() + 10_000;
    while (!(ring.available === ring.capacity && headerWord(ring, L.RBS_OFF_PRODUCER_WAITERS) > 0)) {
      assert.ok(performance.now() < until, 'the writer did not come to wait for room');
      await sleep(5);
    }
    await peer.worker.terminate();
    assert.equal(Atomics.load(ctl, 0), 1, 'the write was still in progress');
    const written = headerWord(ring, L.RBS_OFF_WRITE) >>> 0;
    const { bytes, error } = await drain(consumer);
    const all = concat([...parts, bytes], got + bytes.length);
    assert.equal(all.length, written, 'the consumer read every committed byte');
    assert.ok(written < total, 'terminated before the end of the write');
    assert.equal(firstStreamMismatch(all), -1);
    assertPeerGone(error, 'producer', 'Consumer.read');
    assert.deepEqual(peer.messages, []);
  });
}

test('a consumer that stops reading: tryWrite returns 0, write() waits without overwriting, then PeerGoneError once it is gone; the unread bytes are intact for the next consumer', { timeout: 30_000 }, async () => {
  const ring = track(RingBuffer.create({ capacity: 1024, peerTimeoutMs: T }));
  const producer = ring.producer;
  const ctl = control();
  const peer = startPeer('consume-then-stop', { handle: ring.handle, ctl, n: 300, peerTimeoutMs: T });
  await within(producer.write(streamBytes(0, 300)), 10_000, 'write of the first 300 bytes');
  await reachStage(ctl, 1); // read them, then stopped reading (alive, idle)
  assert.equal(producer.tryWrite(streamBytes(300, 2000)), 1024, 'fills the ring exactly');
  const unread = () => new Uint8Array(ring.memory.buffer, ring.offset + L.RBS_OFF_DATA, 1024).slice();
  const before = unread();
  assert.equal(producer.tryWrite(streamBytes(1324, 10)), 0);
  assert.equal(producer.tryWriteAll(streamBytes(1324, 1)), false);
  assert.equal(producer.reserve(10).length, 0);
  let settled = null;
  const pending = producer.write(streamBytes(1324, 100)).then(
    () => (settled = 'resolved'),
    (e) => {
      settled = 'rejected';
      throw e;
    },
  );
  pending.catch(() => {});
  // The consumer is alive (its heartbeat runs): the write keeps waiting past
  // the peer timeout, and nothing in the ring changes.
  await sleep(T + 600);
  assert.equal(settled, null, 'write() must wait while the consumer is alive');
  assert.equal(ring.consumerAlive, true);
  assert.deepEqual(unread(), before, 'no unread byte was overwritten');
  assert.equal(headerWord(ring, L.RBS_OFF_WRITE) >>> 0, 1324);

  await peer.worker.terminate();
  const error = await within(pending.then(() => null, (e) => e), 10_000, 'the waiting write');
  assertPeerGone(error, 'consumer', 'Producer.write');
  assert.deepEqual(unread(), before, 'still nothing overwritten');
  assert.equal(ring.consumerAlive, false);

  // A new consumer takes the role over and finds every unread byte.
  const other = track(RingBuffer.attachSync(ring.handle, { peerTimeoutMs: T }));
  const consumer = await within(other.claim('consumer', { takeOver: true, staleMs: T }), 10_000, 'takeOver');
  const next = within(drain(consumer), 15_000, 'drain');
  await producer.write(streamBytes(1324, 5000));
  await producer.close();
  const { bytes, error: e2 } = await next;
  assert.equal(e2, null);
  assert.equal(bytes.length, 1024 + 5000);
  assert.equal(firstStreamMismatch(bytes, 300), -1);
});

test('readSync in a worker throws PeerGoneError after the committed bytes when the producer worker is terminated', { timeout: 30_000 }, async () => {
  const ring = track(RingBuffer.create({ capacity: 4096, peerTimeoutMs: T }));
  const pctl = control();
  const cctl = control();
  const producer = startPeer('reserve-half', { handle: ring.handle, ctl: pctl, committed: 2000, reserve: 1000, peerTimeoutMs: T });
  const consumer = startPeer('read-sync', { handle: ring.handle, ctl: cctl, peerTimeoutMs: T });
  await reachStage(pctl, 1);
  await reachStage(cctl, 1);
  await producer.worker.terminate();
  const r = await messageOf(consumer, (m) => 'got' in m || m.fatal, 15_000);
  assert.equal(r.fatal, undefined, r.fatal);
  assert.equal(r.got, 2000);
  assert.equal(r.mismatch, -1);
  assert.equal(r.error.name, 'PeerGoneError');
  assert.equal(r.error.role, 'producer');
  assert.ok(r.error.silentMs >= T);
  assert.match(r.error.message, /^Consumer\.readSync: the producer has been silent for \d+ ms while the ring is empty/);
  await consumer.exited;
});

test('a second producer or consumer in another thread is refused, and takeOver refuses a live holder', { timeout: 30_000 }, async () => {
  const ring = track(RingBuffer.create({ capacity: 256, peerTimeoutMs: T }));
  ring.producer;
  ring.consumer;
  await ring.write(streamBytes(0, 10));
  const audio = track(AudioRing.create({ channels: 2, capacityFrames: 128, peerTimeoutMs: T }));
  audio.writer.write([new Float32Array(3).fill(1), new Float32Array(3).fill(2)]);
  audio.reader.read([new Float32Array(1), new Float32Array(1)]);
  const peer = startPeer('claim-taken', { handle: ring.handle, audioHandle: audio.handle, ctl: control(), staleMs: T });
  const { out, framesWritable, bytesAvailable } = await messageOf(peer, (m) => m.out || m.fatal, 20_000).then((m) => {
    assert.equal(m.fatal, undefined, m.fatal);
    return m;
  });
  const held = (role) => new RegExp(`the ${role} role of this ring is already held by another instance \\(owner token \\d+\\); a ring has exactly one ${role}`);
  assert.match(out.producer.message, /^RingBuffer\.producer: /);
  assert.match(out.producer.message, held('producer'));
  assert.match(out.consumer.message, /^RingBuffer\.consumer: /);
  assert.match(out.consumer.message, held('consumer'));
  assert.match(out.write.message, held('producer'));
  assert.match(out.takeOver.message, /^RingBuffer\.claim: the producer role is held by a live instance \(owner token \d+, heard from \d+ ms ago\)/);
  assert.match(out.audioWrite.message, /^AudioRing\.writer: /);
  assert.match(out.audioWrite.message, held('producer'));
  assert.match(out.audioRead.message, /^AudioRing\.reader: /);
  assert.match(out.audioRead.message, held('consumer'));
  assert.match(out.audioTakeOver.message, /^AudioRing\.claim: the producer role is held by a live instance/);
  for (const e of Object.values(out)) {
    assert.equal(e.name, 'RingBufferError');
    assert.equal(e.codeName, 'RBS_EBUSY');
  }
  // Nothing the refused attempts did touched the rings.
  assert.equal(bytesAvailable, 10);
  assert.equal(framesWritable, 126);
  assert.deepEqual(new Uint8Array(await ring.read(100)), streamBytes(0, 10));
  await peer.exited;
});

test('an AudioWriter terminated while writing leaves only whole frames, in order; writerAlive turns false', { timeout: 30_000 }, async () => {
  // 3 channels: 12-byte frames that wrap around the end of the 8 KiB ring.
  const ring = track(AudioRing.create({ channels: 3, capacityFrames: 600, peerTimeoutMs: T }));
  const reader = ring.reader;
  const ctl = control();
  const peer = startPeer('audio-writer', { audioHandle: ring.handle, ctl, seed: 7, peerTimeoutMs: T });
  const planes = Array.from({ length: 3 }, () => new Float32Array(257));
  let f = 0;
  let bad = null;
  const take = () => {
    const k = reader.read(planes) ?? 0; // undefined: none there now (the writer never closes)
    for (let i = 0; i < k && bad === null; i++)
      for (let c = 0; c < 3; c++)
        if (planes[c][i] !== 4 * (f + i) + c) bad = `frame ${f + i} channel ${c}: ${planes[c][i]}`;
    f += k;
    return k;
  };
  const until = performance.now() + 15_000;
  while (f < 30_000) {
    assert.ok(performance.now() < until, `only ${f} frames arrived`);
    assert.deepEqual(peer.messages, []);
    if (take() === 0) await sleep(1);
  }
  assert.equal(ring.writerAlive, true);
  await peer.worker.terminate(); // wherever it is: between calls or inside one
  while (take() > 0);
  assert.equal(bad, null);
  assert.equal(peer.messages.length, 0, JSON.stringify(peer.messages));
  const wrote = Atomics.load(ctl, 1); // counted after each write: the last one may be missing
  assert.ok(f >= wrote, `read ${f} frames, the writer counted ${wrote}`);
  assert.equal(f, ring.framesWritten, 'every frame written was read');
  assert.equal(ring.framesAvailable, 0);
  assert.equal(ring.overruns, 0);
  const t0 = performance.now();
  while (ring.writerAlive) {
    assert.ok(performance.now() - t0 < 10_000, 'writerAlive stayed true');
    await sleep(50);
  }
});
