// C and JS sharing byte rings in an Emscripten program's memory, each side
// with the other's protocol: a C pthread (tests/emscripten/peer.c, rbs.h's
// waits and liveness calls) against the JS package in a worker_thread, in
// both directions, every byte checked; a stall that outlasts the peer timeout
// while the heartbeat beats (no error), and a side killed mid-stream (the
// other sees it gone, after every committed byte); the program with a fixed
// and with a growable memory, grown mid-stream from C and from JS, and a ring
// placed above the old end reached by a JS side that attached before.
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { layout as L } from '../../dist/index.js';
import { jsSide, loadProgram as program, peerDone, stopAll } from './program.mjs';

const PEER_TIMEOUT_MS = 1000;
after(stopAll);

// The C side never sleeps out a slice: a lost wake-up would (rbs.h).
function assertCleanC(c, what) {
  assert.equal(c.firstBad, -1, `${what}: wrong byte at ${c.firstBad}`);
  assert.equal(c.sleptOut, 0, `${what}: ${c.sleptOut} of ${c.waits} C waits slept out a whole slice`);
}

// With the peer timeout off the JS waits have no slices at all: a lost
// wake-up would hang the test (its timeout), not just slow it.
for (const [variant, peerMs] of [['fixed', PEER_TIMEOUT_MS], ['fixed', 0], ['growable', PEER_TIMEOUT_MS]]) {
  const name = `${variant} memory, peer timeout ${peerMs ? `${peerMs} ms` : 'off'}`;
  test(`${name}: C producer -> JS consumer, every byte, both sides sleeping and woken`, { timeout: 60_000 }, async () => {
    const M = await program(variant);
    const ring = M._peer_byte_ring(16384);
    const total = 8 << 20;
    const p = M._peer_new(ring, total, 5000, peerMs);
    const js = jsSide({ task: 'consume-bytes', memory: M.wasmMemory, rings: [ring], peerTimeoutMs: peerMs });
    await js.ready;
    assert.equal(M._peer_start(p, 1), 0);
    const [got] = (await js.done).rings;
    const c = await peerDone(M, p);
    assert.deepEqual(got.end, 'closed');
    assert.equal(got.firstBad, -1, `wrong byte at ${got.firstBad}`);
    assert.equal(got.moved, total);
    assert.equal(c.result, 1, `C producer ended with ${c.result}`);
    assertCleanC(c, 'producer');
    assert.ok(c.waits > 0, 'the C producer waited for room');
  });

  test(`${name}: JS producer -> C consumer, every byte`, { timeout: 60_000 }, async () => {
    const M = await program(variant);
    const ring = M._peer_byte_ring(16384);
    const total = 8 << 20;
    const c = M._peer_new(ring, total, 7000, peerMs);
    const js = jsSide({ task: 'produce-bytes', memory: M.wasmMemory, offset: ring, total, chunk: 3000, peerTimeoutMs: peerMs });
    await js.ready; // a worker takes longer than a slice to start: no wait should outlast it
    assert.equal(M._peer_start(c, 0), 0);
    const sent = await js.done;
    const r = await peerDone(M, c);
    assert.equal(sent.moved, total);
    assert.equal(r.result, 1, `C consumer ended with ${r.result}`);
    assert.equal(r.moved, total);
    assertCleanC(r, 'consumer');
  });
}

// Each of these waits out a peer timeout or more: they run side by side.
describe('stalls and deaths, each way', { concurrency: true }, () => {
  test('a C producer that stalls 1.5x the peer timeout but beats is not gone to the JS consumer', async () => {
    const M = await program('fixed');
    const ring = M._peer_byte_ring(4096);
    const total = 1 << 20;
    const p = M._peer_new(ring, total, 1000, PEER_TIMEOUT_MS);
    M._peer_stall(p, total / 2, PEER_TIMEOUT_MS * 1.5);
    const js = jsSide({ task: 'consume-bytes', memory: M.wasmMemory, rings: [ring], peerTimeoutMs: PEER_TIMEOUT_MS });
    await js.ready;
    M._peer_start(p, 1);
    const [got] = (await js.done).rings;
    assert.equal(got.end, 'closed');
    assert.equal(got.moved, total);
    assert.equal(got.firstBad, -1);
    assert.ok(got.ms >= PEER_TIMEOUT_MS * 1.5, `the stream took ${got.ms} ms`);
    assert.equal((await peerDone(M, p)).result, 1);
  });

  test('a C producer killed mid-stream: the JS consumer reads every committed byte, then PeerGoneError', async () => {
    const M = await program('fixed');
    const ring = M._peer_byte_ring(4096);
    const p = M._peer_new(ring, 1 << 20, 1000, PEER_TIMEOUT_MS);
    M._peer_die(p, 300001);
    const js = jsSide({ task: 'consume-bytes', memory: M.wasmMemory, rings: [ring], peerTimeoutMs: PEER_TIMEOUT_MS });
    await js.ready;
    M._peer_start(p, 1);
    const [got] = (await js.done).rings;
    assert.equal(got.end, 'PeerGoneError');
    assert.equal(got.moved, 300001, 'nothing committed is lost');
    assert.equal(got.firstBad, -1);
    assert.equal(M._peer_moved(p), 300001);
    assert.equal(M._peer_result(p), 0, 'the C thread died without a word');
  });

  test('a JS producer that stalls 1.5x the peer timeout (its timer beating) is not gone to the C consumer', async () => {
    const M = await program('fixed');
    const ring = M._peer_byte_ring(4096);
    const total = 1 << 20;
    const c = M._peer_new(ring, total, 1000, PEER_TIMEOUT_MS);
    M._peer_start(c, 0);
    const js = jsSide({
      task: 'produce-bytes', memory: M.wasmMemory, offset: ring, total, chunk: 1000,
      peerTimeoutMs: PEER_TIMEOUT_MS, stallAt: total / 2, stallMs: PEER_TIMEOUT_MS * 1.5,
    });
    await js.done;
    const r = await peerDone(M, c);
    assert.equal(r.result, 1, `C consumer ended with ${r.result}`);
    assert.equal(r.moved, total);
    assert.equal(r.firstBad, -1);
    assert.ok(r.ms >= PEER_TIMEOUT_MS * 1.5, `the stream took ${r.ms} ms`);
  });

  test('a JS producer that hangs mid-stream: the C consumer reads every committed byte, then RBS_EPEERGONE', async () => {
    const M = await program('fixed');
    const ring = M._peer_byte_ring(4096);
    const c = M._peer_new(ring, 1 << 20, 1000, PEER_TIMEOUT_MS);
    M._peer_start(c, 0);
    let died;
    const js = jsSide(
      { task: 'produce-bytes', memory: M.wasmMemory, offset: ring, total: 1 << 20, chunk: 1000, peerTimeoutMs: PEER_TIMEOUT_MS, dieAt: 200003 },
      (m) => (died = m),
    );
    const r = await peerDone(M, c);
    await js.worker.terminate();
    assert.equal(died?.at, 200003);
    assert.equal(r.result, L.RBS_EPEERGONE, `C consumer ended with ${r.result}`);
    assert.equal(r.moved, 200003, 'nothing committed is lost');
    assert.equal(r.firstBad, -1);
  });
});

test('growable memory grown mid-stream from C and from JS; a ring above the old end, reached by the same JS side', async () => {
  const M = await program('growable');
  const memory = M.wasmMemory;
  const before = memory.buffer.byteLength;
  const ring = M._peer_byte_ring(16384);
  const total = 16 << 20;
  const p = M._peer_new(ring, total, 5000, PEER_TIMEOUT_MS);
  M._peer_grow_at(p, total / 4, 48 << 20); // the C producer's thread allocates 48 MiB mid-stream
  let more;
  const js = jsSide(
    { task: 'consume-bytes', memory, rings: [ring], peerTimeoutMs: PEER_TIMEOUT_MS, growAt: total / 2, growPages: 256, more: true },
    (m) => m.type === 'more?' && more(m),
  );
  const asked = new Promise((r) => (more = r));
  await js.ready;
  M._peer_start(p, 1);
  const first = await asked; // the first stream ended; the worker attached it before any growth
  const c1 = await peerDone(M, p);
  assert.equal(c1.result, 1);
  assert.notEqual(M._peer_grown(p), 0, 'the C thread grew the heap');
  assertCleanC(c1, 'producer');
  const grown = memory.buffer.byteLength;
  assert.ok(grown > before, `memory grew from ${before} to ${grown}`);
  assert.equal(first.growth?.to - first.growth?.from, 256 << 16, 'the JS side grew it by 256 pages');
  assert.deepEqual(first.rings[0], { ...first.rings[0], moved: total, firstBad: -1, end: 'closed' });
  // A ring larger than the whole old memory cannot lie below its end.
  const high = M._peer_byte_ring(32 << 20);
  assert.ok(high !== 0, 'allocated');
  assert.ok(high + L.RBS_HEADER_SIZE + (32 << 20) > before, 'the ring ends above the old end');
  const p2 = M._peer_new(high, 64 << 20, 65536, PEER_TIMEOUT_MS);
  js.worker.postMessage({ rings: [high] });
  M._peer_start(p2, 1);
  const done = await js.done;
  const c2 = await peerDone(M, p2);
  assert.equal(c2.result, 1);
  assertCleanC(c2, 'producer above the old end');
  assert.deepEqual(done.rings[1], { ...done.rings[1], moved: 64 << 20, firstBad: -1, end: 'closed' });
  assert.equal(done.firstLength, before, 'the SharedArrayBuffer the worker held from the start kept its length');
  assert.equal(done.grown, true);
});
