// The message stream across threads, both directions: 1,000,000 messages of
// 0..4096 bytes, text and binary mixed, sent and received with every method,
// each checked whole and in order; the sender's close() ends the stream.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MessagePipe } from '../../dist/index.js';
import { runPeer } from './ring_helpers.js';
import { MAX_BYTES, recvAll, sendAll, waitNumber } from './msg_stream_util.js';

const COUNT = Number(process.env.RBS_NODE_MSG_COUNT ?? 1_000_000);

function assertUsed({ gaps, ...used }, who) {
  assert.ok(!gaps, 'no idle gaps in this stream');
  for (const [m, n] of Object.entries(used)) assert.ok(n > 0, `${who} used ${m}`);
}

test(`main thread sender -> worker receiver: ${COUNT} messages of 0..${MAX_BYTES} bytes (64 KiB ring)`, { timeout: 300_000 }, async () => {
  const pipe = MessagePipe.create({ capacity: 64 * 1024 });
  const numbered = waitNumber(pipe);
  assert.ok(pipe.maxMessageSize >= MAX_BYTES);
  const seed = 11;
  const peer = runPeer({ handle: pipe.handle, role: 'receiver', count: COUNT, seed }, './msg_peer.worker.js');
  const used = await sendAll(pipe.sender, { count: COUNT, seed, sync: false });
  const r = await peer.done;
  assert.ok(r.ok, r.error);
  assert.equal(r.count, COUNT, 'every message arrived, in order, then the end');
  assertUsed(used, 'sender');
  assertUsed(r.used, 'receiver');
  assert.equal(pipe.sender.sent, COUNT);
  const woken = waitNumber(pipe) - numbered;
  assert.ok(pipe.sender.notifies <= woken + 1, `${pipe.sender.notifies} notifies for ${woken} wait numbers (+1 for the close): no wait woken twice`);
});

test(`worker sender -> main thread receiver: ${COUNT} messages of 0..${MAX_BYTES} bytes (64 KiB ring)`, { timeout: 300_000 }, async () => {
  const pipe = MessagePipe.create({ capacity: 64 * 1024 });
  const numbered = waitNumber(pipe);
  const seed = 12;
  const peer = runPeer({ handle: pipe.handle, role: 'sender', count: COUNT, seed }, './msg_peer.worker.js');
  const r = await recvAll(pipe.receiver, { count: COUNT, seed, sync: false });
  const p = await peer.done;
  assert.ok(p.ok, p.error);
  assert.equal(r.count, COUNT, 'every message arrived, in order, then the end');
  assertUsed(p.used, 'sender');
  assertUsed(r.used, 'receiver');
  assert.equal(pipe.receiver.received, COUNT);
  const woken = waitNumber(pipe) - numbered;
  assert.ok(p.notifies <= woken + 1, `${p.notifies} notifies for ${woken} wait numbers (+1 for the close): no wait woken twice`);
});
