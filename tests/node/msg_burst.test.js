// A bursty sender across threads, both directions: runs of 1..300 messages
// with 1..4 ms of idling after each, so the receiver drains, waits, and is
// woken again hundreds of times; it idles before the close too, so the close
// reaches a waiting receiver.  Every message is checked, every wait is
// bounded (a lost wake-up fails the test instead of freezing it), and the
// sender wakes each wait of the receiver at most once (the wake word moves
// at most once per wait number).
import assert from 'node:assert/strict';
import { test } from 'node:test';
// peerTimeoutMs: 0 here and in the worker: waits are not cut into liveness
// slices, so a lost wake-up hangs until the stall check fails the test.
import { MessagePipe } from '../../dist/index.js';
import { runPeer } from './ring_helpers.js';
import { assertWakeups, numbers, recvAll, sendAll } from './msg_stream_util.js';

const COUNT = 40_000;

test(`bursts, main thread sender -> worker receiver (recvSync between bursts): ${COUNT} messages`, { timeout: 120_000 }, async (t) => {
  const pipe = MessagePipe.create({ capacity: 16 * 1024, peerTimeoutMs: 0 });
  const before = numbers(pipe);
  const seed = 21;
  const peer = runPeer({ handle: pipe.handle, role: 'receiver', count: COUNT, seed }, './msg_peer.worker.js');
  t.after(() => peer.worker.terminate()); // also when the test fails first
  const used = await sendAll(pipe.sender, { count: COUNT, seed, sync: false, bursts: true });
  const r = await peer.done;
  assert.ok(r.ok, r.error);
  assert.equal(r.count, COUNT, 'every message arrived, in order, then the end');
  assert.ok(used.gaps > 100, `${used.gaps} idle gaps`);
  const d = assertWakeups(before, pipe);
  assert.ok(d.receiverWaits > 100 && d.receiverWakes > 100, `the receiver waited ${d.receiverWaits} times and was woken ${d.receiverWakes}`);
});

test(`bursts, worker sender -> main thread receiver (waitAsync between bursts, iterator sees the close): ${COUNT} messages`, { timeout: 120_000 }, async (t) => {
  const pipe = MessagePipe.create({ capacity: 16 * 1024, peerTimeoutMs: 0 });
  const before = numbers(pipe);
  const seed = 22;
  const peer = runPeer({ handle: pipe.handle, role: 'sender', count: COUNT, seed, bursts: true }, './msg_peer.worker.js');
  t.after(() => peer.worker.terminate()); // also when the test fails first
  const r = await recvAll(pipe.receiver, { count: COUNT, seed, sync: false, endWith: 'iterator' });
  const p = await peer.done;
  assert.ok(p.ok, p.error);
  assert.equal(r.count, COUNT, 'every message arrived, in order, then the iterator finished');
  assert.ok(p.used.gaps > 100, `${p.used.gaps} idle gaps`);
  const d = assertWakeups(before, pipe);
  assert.ok(d.receiverWaits > 100 && d.receiverWakes > 100, `the receiver waited ${d.receiverWaits} times and was woken ${d.receiverWakes}`);
});

test('bursts, worker receiver ends with its iterator when the main thread closes', { timeout: 60_000 }, async (t) => {
  const pipe = MessagePipe.create({ capacity: 16 * 1024, peerTimeoutMs: 0 });
  const before = numbers(pipe);
  const seed = 23;
  const count = 2_000;
  const peer = runPeer({ handle: pipe.handle, role: 'receiver', count, seed, endWith: 'iterator' }, './msg_peer.worker.js');
  t.after(() => peer.worker.terminate()); // also when the test fails first
  const used = await sendAll(pipe.sender, { count, seed, sync: false, bursts: true });
  const r = await peer.done;
  assert.ok(r.ok, r.error);
  assert.equal(r.count, count);
  assert.ok(used.gaps > 0);
  assert.ok(assertWakeups(before, pipe).receiverWakes > 0, 'the close or a burst woke the waiting receiver');
});
