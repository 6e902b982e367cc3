// The message stream across threads, both directions: 1,000,000 messages of
// 0..4096 bytes, text and binary mixed, sent and received with every method,
// each checked whole and in order; the sender's close() ends the stream.
import assert from 'node:assert/strict';
import { test } from 'node:test';
// peerTimeoutMs: 0 here and in the worker: waits are not cut into liveness
// slices, so a lost wake-up hangs until the stall check fails the test.
import { MessagePipe } from '../../dist/index.js';
import { runPeer } from './ring_helpers.js';
import { MAX_BYTES, assertWakeups, numbers, recvAll, sendAll } from './msg_stream_util.js';

const COUNT = Number(process.env.RBS_NODE_MSG_COUNT ?? 1_000_000);

function assertUsed({ gaps, ...used }, who) {
  assert.ok(!gaps, 'no idle gaps in this stream');
  for (const [m, n] of Object.entries(used)) assert.ok(n > 0, `${who} used ${m}`);
}

test(`main thread sender -> worker receiver: ${COUNT} messages of 0..${MAX_BYTES} bytes (64 KiB ring)`, { timeout: 300_000 }, async (t) => {
  const pipe = MessagePipe.create({ capacity: 64 * 1024, peerTimeoutMs: 0 });
  const before = numbers(pipe);
  assert.ok(pipe.maxMessageSize >= MAX_BYTES);
  const seed = 11;
  const peer = runPeer({ handle: pipe.handle, role: 'receiver', count: COUNT, seed }, './msg_peer.worker.js');
  t.after(() => peer.worker.terminate()); // also when the test fails first
  const used = await sendAll(pipe.sender, { count: COUNT, seed, sync: false });
  const r = await peer.done;
  assert.ok(r.ok, r.error);
  assert.equal(r.count, COUNT, 'every message arrived, in order, then the end');
  assertUsed(used, 'sender');
  assertUsed(r.used, 'receiver');
  assert.equal(pipe.sender.sent, COUNT);
  assert.equal(r.received, COUNT);
  assertWakeups(before, pipe);
});

test(`worker sender -> main thread receiver: ${COUNT} messages of 0..${MAX_BYTES} bytes (64 KiB ring)`, { timeout: 300_000 }, async (t) => {
  const pipe = MessagePipe.create({ capacity: 64 * 1024, peerTimeoutMs: 0 });
  const before = numbers(pipe);
  const seed = 12;
  const peer = runPeer({ handle: pipe.handle, role: 'sender', count: COUNT, seed }, './msg_peer.worker.js');
  t.after(() => peer.worker.terminate()); // also when the test fails first
  const r = await recvAll(pipe.receiver, { count: COUNT, seed, sync: false });
  const p = await peer.done;
  assert.ok(p.ok, p.error);
  assert.equal(r.count, COUNT, 'every message arrived, in order, then the end');
  assertUsed(p.used, 'sender');
  assertUsed(r.used, 'receiver');
  assert.equal(pipe.receiver.received, COUNT);
  assert.equal(p.sent, COUNT);
  assertWakeups(before, pipe);
});
