// MessagePipe's API on one thread: sizes, every kind of data, strings in and
// out, the largest message, all-or-nothing trySend, waiting send/recv, close
// and the iterator, roles, handles of other rings, bad arguments, a corrupt
// frame, and the wake rule (the wake word never moves on a busy pipe, once per wait).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  MessagePipe,
  MessageReceiver,
  MessageSender,
  RingBuffer,
  RingBufferError,
  createSharedMemory,
  layout as L,
  strerror,
} from '../../dist/index.js';

const bytes = (n, k = 1) => Uint8Array.from({ length: n }, (_, i) => (i * 7 + k) & 0xff);
const tick = () => new Promise((resolve) => setImmediate(resolve));
const busy = (re) => (e) => e instanceof RingBufferError && e.codeName === 'RBS_EBUSY' && re.test(e.message);
const word = (pipe, off) => Atomics.load(new Int32Array(pipe.memory.buffer), (pipe.offset + off) >>> 2);

/** Receives everything waiting now. */
function drain(receiver) {
  const out = [];
  for (let m = receiver.tryRecv(); m !== undefined && m !== null; m = receiver.tryRecv()) out.push(m);
  return out;
}

test('create: capacity rounded up to a power of two; the largest message is capacity / 2 - 4', () => {
  for (const [asked, real] of [
    [1, 16],
    [100, 128],
    [4096, 4096],
    [65537, 131072],
  ]) {
    const p = MessagePipe.create({ capacity: asked });
    assert.equal(p.capacity, real);
    assert.equal(p.maxMessageSize, real / 2 - 4);
    assert.equal(p.sender.maxMessageSize, real / 2 - 4);
    assert.equal(p.receiver.maxMessageSize, real / 2 - 4);
    assert.equal(p.handle.kind, L.RBS_KIND_MESSAGES);
  }
  assert.equal(MessagePipe.create({ capacity: 1000 }).capacity, 1024);
  assert.throws(() => new MessagePipe(1000), { name: 'TypeError', message: 'MessagePipe is not constructed directly: use MessagePipe.create(options) or .attach(handle)' });
});

test('every binary type is sent as its bytes; recv gives a Uint8Array of its own, not shared', () => {
  const p = MessagePipe.create({ capacity: 4096 });
  const src = bytes(48);
  const sab = new SharedArrayBuffer(5);
  new Uint8Array(sab).set([9, 8, 7, 6, 5]);
  const inputs = [
    src,
    src.subarray(3, 20),
    src.slice().buffer,
    sab,
    new Uint16Array(src.buffer, 2, 10),
    new Float64Array(src.slice(0, 40).buffer),
    new DataView(src.buffer, 5, 11),
    new Uint8Array(0),
  ];
  for (const d of inputs) assert.equal(p.sender.trySend(d), true);
  const view = (d) => (ArrayBuffer.isView(d) ? new Uint8Array(d.buffer, d.byteOffset, d.byteLength) : new Uint8Array(d));
  for (const d of inputs) {
    const m = p.receiver.tryRecv();
    assert.ok(m instanceof Uint8Array);
    assert.deepEqual([...m], [...view(d)]);
    assert.equal(Object.prototype.toString.call(m.buffer), '[object ArrayBuffer]', 'not a view of the shared memory');
    assert.equal(m.byteOffset, 0);
    assert.equal(m.buffer.byteLength, m.length, 'a buffer of its own, exactly the message');
  }
  assert.equal(p.receiver.tryRecv(), undefined, 'nothing more: undefined, not null');
});

test('strings are sent as UTF-8 and come back the same with recvText; recv gives their bytes', async () => {
  const p = MessagePipe.create({ capacity: 4096 });
  const texts = ['', 'a', 'hello, world', 'héllo € 中文 😀 𝄞', '\u0000\u007f\u0080\u07ff\u0800\uffff', 'x'.repeat(1000)];
  for (const t of texts) await p.sender.send(t);
  for (const t of texts) assert.equal(await p.receiver.recvText(), t);
  for (const t of texts) p.sender.trySend(t);
  for (const t of texts) assert.deepEqual(p.receiver.tryRecv(), new TextEncoder().encode(t));
  // A lone surrogate is not UTF-8: it goes as U+FFFD, as TextEncoder writes it.
  p.sender.trySend('a\ud800b');
  assert.equal(p.receiver.tryRecvText(), 'a\ufffdb');
  // Invalid UTF-8 received as text becomes U+FFFD.
  p.sender.trySend(new Uint8Array([0x61, 0xff, 0x62]));
  assert.equal(p.receiver.tryRecvText(), 'a\ufffdb');
  assert.equal(p.receiver.tryRecvText(), undefined);
});

test('the largest message goes through; one byte more is a RangeError naming the size and the limit', async () => {
  const p = MessagePipe.create({ capacity: 256 }); // max 124
  const max = p.maxMessageSize;
  assert.equal(max, 124);
  const big = bytes(max);
  assert.equal(p.sender.trySend(big), true);
  assert.deepEqual(p.receiver.tryRecv(), big);
  assert.throws(() => p.sender.trySend(bytes(max + 1)), (e) => {
    assert.ok(e instanceof RangeError);
    assert.match(e.message, /^MessageSender\.trySend: data is 125 bytes, larger than maxMessageSize 124 \(capacity 256/);
    return true;
  });
  await assert.rejects(p.sender.send(bytes(500)), /MessageSender\.send: data is 500 bytes, larger than maxMessageSize 124/);
  // A string is measured in UTF-8: 124 bytes go even though 3 per unit would
  // not fit; 125 do not.
  const s124 = '€'.repeat(40) + 'abcd'; // 120 + 4 bytes, 44 units
  assert.equal(p.sender.trySend(s124), true);
  assert.equal(p.receiver.tryRecvText(), s124);
  assert.equal(p.sender.trySend('a'.repeat(124)), true);
  assert.equal(p.receiver.tryRecvText(), 'a'.repeat(124));
  assert.throws(() => p.sender.trySend('€'.repeat(40) + 'abcde'), /data is a string of 125 bytes in UTF-8, larger than maxMessageSize 124/);
  assert.throws(() => p.sender.trySend('😀'.repeat(32)), /a string of 128 bytes in UTF-8/);
  assert.equal(p.receiver.tryRecv(), undefined, 'nothing of a refused message arrived');
});

test('trySend returns false when the message does not fit now, and nothing of it arrives', () => {
  const p = MessagePipe.create({ capacity: 1024 }); // max 508
  const sent = [];
  for (let k = 0; ; k++) {
    const m = bytes(13 + ((k * 37) % 200), k);
    if (!p.sender.trySend(m)) break;
    sent.push(m);
  }
  assert.ok(sent.length > 5);
  assert.equal(p.sender.trySend(bytes(300)), false);
  assert.equal(p.sender.trySend('a'.repeat(300)), false);
  const got = drain(p.receiver);
  assert.deepEqual(got, sent, 'exactly the accepted messages, whole and in order');
  assert.equal(p.receiver.tryRecv(), undefined);
  // Free again: what was refused now fits.
  assert.equal(p.sender.trySend(bytes(300)), true);
  assert.deepEqual(p.receiver.tryRecv(), bytes(300));
});

test('trySend of a string that fits exactly, but not at 3 bytes per unit, succeeds', () => {
  const p = MessagePipe.create({ capacity: 1024 }); // max 508
  assert.equal(p.sender.trySend(bytes(500)), true); // frame: 504
  assert.equal(p.sender.trySend(bytes(180)), true); // frame: 184; 336 left
  const s = 'z'.repeat(150); // 150 bytes fit; the worst case, 450, would not
  assert.equal(p.sender.trySend(s), true);
  assert.equal(p.sender.trySend('z'.repeat(180)), false, 'now full');
  assert.deepEqual(p.receiver.tryRecv(), bytes(500));
  assert.deepEqual(p.receiver.tryRecv(), bytes(180));
  assert.equal(p.receiver.tryRecvText(), s);
  assert.equal(p.receiver.tryRecv(), undefined);
});

test('zero-length messages arrive as empty messages, never as "nothing" or "end"', async () => {
  const p = MessagePipe.create({ capacity: 64 });
  p.sender.trySend(new Uint8Array(0));
  p.sender.trySend('');
  await p.sender.send(new ArrayBuffer(0));
  for (let k = 0; k < 3; k++) assert.deepEqual(p.receiver.tryRecv(), new Uint8Array(0));
  assert.equal(p.receiver.tryRecv(), undefined);
});

test('messages wrap around the ring whole, in order, many times', () => {
  const p = MessagePipe.create({ capacity: 256 });
  let sent = 0;
  let received = 0;
  for (let round = 0; round < 2000; round++) {
    const m = bytes(round % 125, round);
    if (p.sender.trySend(m)) sent++;
    else {
      const got = p.receiver.tryRecv();
      assert.deepEqual(got, bytes(received % 125, received));
      received++;
      round--;
    }
  }
  for (const got of drain(p.receiver)) {
    assert.deepEqual(got, bytes(received % 125, received));
    received++;
  }
  assert.equal(received, sent);
});

test('recv() waits for a message; queued calls get messages in order', async () => {
  const p = MessagePipe.create({ capacity: 1024 });
  const a = p.receiver.recv();
  const b = p.receiver.recvText();
  const c = p.receiver.recv();
  assert.throws(() => p.receiver.tryRecv(), busy(/^MessageReceiver\.tryRecv: an earlier asynchronous call of this MessageReceiver is still pending; await it first$/));
  assert.throws(() => p.receiver.recvSync(0), busy(/^MessageReceiver\.recvSync: an earlier asynchronous call/));
  await tick();
  p.sender.trySend(bytes(3));
  p.sender.trySend('two');
  setTimeout(() => p.sender.trySend(bytes(5, 9)), 20);
  assert.deepEqual(await a, bytes(3));
  assert.equal(await b, 'two');
  assert.deepEqual(await c, bytes(5, 9));
});

test('send() waits for room; queued sends keep their order', async () => {
  const p = MessagePipe.create({ capacity: 256 }); // max 124
  assert.equal(p.sender.trySend(bytes(124, 1)), true);
  assert.equal(p.sender.trySend(bytes(100, 2)), true);
  let done = 0;
  const s1 = p.sender.send(bytes(120, 3)).then(() => done++);
  const s2 = p.sender.send('after').then(() => done++);
  assert.throws(() => p.sender.trySend('x'), busy(/^MessageSender\.trySend: an earlier asynchronous call of this MessageSender is still pending; await it first$/));
  await tick();
  assert.equal(done, 0, 'no room yet');
  assert.deepEqual(p.receiver.tryRecv(), bytes(124, 1));
  await s1;
  assert.equal(done, 1, "the second waits for the first, then for room of its own");
  assert.deepEqual(p.receiver.tryRecv(), bytes(100, 2));
  await s2;
  assert.deepEqual(p.receiver.tryRecv(), bytes(120, 3));
  assert.equal(p.receiver.tryRecvText(), 'after');
});

test('sendSync and recvSync time out with false and undefined', () => {
  const p = MessagePipe.create({ capacity: 64 }); // max 28
  assert.equal(p.receiver.recvSync(0), undefined);
  assert.equal(p.receiver.recvSync(15), undefined);
  assert.equal(p.sender.sendSync(bytes(28)), true); // frame: 32
  assert.equal(p.sender.sendSync(bytes(20), 0), true); // frame: 24; 8 left
  assert.equal(p.sender.sendSync(bytes(20), 15), false, 'no room within 15 ms');
  assert.deepEqual(p.receiver.recvSync(15), bytes(28));
  assert.deepEqual(p.receiver.recvSync(), bytes(20));
  assert.throws(() => p.receiver.recvSync(-1), RangeError);
  assert.throws(() => p.sender.sendSync('x', 'soon'), TypeError);
});

test('close: waiting messages arrive, then the end (null); sending after it is RBS_ECLOSED', async () => {
  const p = MessagePipe.create({ capacity: 256 });
  p.sender.trySend('one');
  await p.sender.send(bytes(7));
  await p.sender.close();
  await p.sender.close(); // closing twice is harmless
  assert.equal(p.closed, true);
  assert.equal(p.receiver.closed, true);
  assert.equal(p.receiver.ended, false, 'messages still waiting');
  assert.equal(await p.receiver.recvText(), 'one');
  assert.deepEqual(p.receiver.tryRecv(), bytes(7));
  assert.equal(p.receiver.ended, true);
  assert.equal(p.receiver.tryRecv(), null);
  assert.equal(await p.receiver.recv(), null);
  assert.equal(await p.receiver.recvText(), null);
  assert.equal(p.receiver.recvSync(10), null);
  const closed = (e) => e instanceof RingBufferError && e.codeName === 'RBS_ECLOSED' && e.message.includes(strerror(L.RBS_ECLOSED));
  assert.throws(() => p.sender.trySend('late'), closed);
  await assert.rejects(p.sender.send('late'), closed);
  assert.throws(() => p.sender.sendSync('late'), closed);
});

test('close() after pending sends takes effect after them', async () => {
  const p = MessagePipe.create({ capacity: 64 }); // max 28
  p.sender.trySend(bytes(28));
  p.sender.trySend(bytes(20)); // 8 bytes left
  const sending = p.sender.send(bytes(20, 5));
  const closing = p.sender.close();
  await tick();
  assert.equal(p.closed, false, 'the close waits for the send');
  assert.deepEqual(p.receiver.tryRecv(), bytes(28));
  await sending;
  await closing;
  assert.equal(p.closed, true);
  assert.deepEqual(p.receiver.tryRecv(), bytes(20));
  assert.deepEqual(p.receiver.tryRecv(), bytes(20, 5));
  assert.equal(p.receiver.tryRecv(), null);
});

test('for await ends when the sender closes: before, and while the receiver waits', async () => {
  const p = MessagePipe.create({ capacity: 1024 });
  for (const t of ['a', 'b', 'c']) p.sender.trySend(t);
  await p.sender.close();
  const got = [];
  for await (const m of p.receiver) got.push(new TextDecoder().decode(m));
  assert.deepEqual(got, ['a', 'b', 'c']);

  const q = MessagePipe.create({ capacity: 1024 });
  const seen = [];
  const loop = (async () => {
    for await (const m of q.receiver) seen.push(m.length);
    return 'ended';
  })();
  await tick();
  q.sender.trySend(bytes(4));
  await tick();
  q.sender.trySend(bytes(6));
  await tick();
  assert.ok(word(q, L.RBS_OFF_CONSUMER_WAIT_SEQ) >= 1 && word(q, L.RBS_OFF_CONSUMER_WAITERS) === 1, 'the iterator was waiting');
  await q.sender.close();
  assert.equal(await loop, 'ended');
  assert.deepEqual(seen, [4, 6]);
});

test('breaking out of for await loses no message', async () => {
  const p = MessagePipe.create({ capacity: 1024 });
  for (let k = 0; k < 5; k++) p.sender.trySend(bytes(k + 1));
  for await (const m of p.receiver) if (m.length === 2) break;
  assert.deepEqual(p.receiver.tryRecv(), bytes(3));
});

test('bad data is a TypeError naming what is accepted', async () => {
  const p = MessagePipe.create({ capacity: 256 });
  for (const bad of [42, null, undefined, true, {}, [1, 2, 3], () => {}, Symbol('s'), 10n]) {
    assert.throws(
      () => p.sender.trySend(bad),
      (e) => e instanceof TypeError && /^MessageSender\.trySend: data must be a string, an ArrayBuffer, a SharedArrayBuffer, a TypedArray or a DataView; got /.test(e.message),
    );
    await assert.rejects(p.sender.send(bad), TypeError);
    assert.throws(() => p.sender.sendSync(bad, 0), TypeError);
  }
  assert.equal(p.receiver.tryRecv(), undefined, 'nothing was sent');
});

test('bad options and handles are refused, saying why', async () => {
  assert.throws(() => MessagePipe.create(), /MessagePipe\.create: options must be an object/);
  assert.throws(() => MessagePipe.create({ capacity: 0 }), RangeError);
  assert.throws(() => MessagePipe.create({ capacity: '1k' }), TypeError);
  assert.throws(() => MessagePipe.create({ capacity: 2 ** 31 }), RangeError);
  await assert.rejects(MessagePipe.attach(null), /MessagePipe\.attach: handle must be an object/);
  await assert.rejects(MessagePipe.attach({ memory: new ArrayBuffer(8), offset: 0 }), TypeError);

  // A byte ring's handle is not a pipe's, and the other way round.
  const ring = new RingBuffer(1024);
  await assert.rejects(MessagePipe.attach(ring.handle), (e) => {
    assert.ok(e instanceof TypeError);
    assert.match(e.message, /MessagePipe\.attach: the ring at handle\.offset \d+ is a byte ring \(kind 1\); this call needs a message ring \(kind 2\)/);
    return true;
  });
  const pipe = MessagePipe.create({ capacity: 1024 });
  await assert.rejects(RingBuffer.attach(pipe.handle), /is a message ring \(kind 2\); this call needs a byte ring/);

  // A handle that mixes two pipes' fields belongs to neither.
  const other = MessagePipe.create({ capacity: 4096 });
  await assert.rejects(
    MessagePipe.attach({ ...pipe.handle, capacity: other.capacity }),
    /handle\.capacity number 4096 does not match the ring at handle\.offset \d+ \(capacity 1024\): the handle belongs to another ring/,
  );
  // A memory with no ring at the offset.
  await assert.rejects(MessagePipe.attach({ memory: createSharedMemory(65536), offset: 8192 }), (e) => {
    assert.ok(e instanceof RingBufferError);
    assert.equal(e.code, L.RBS_ENOTRING);
    assert.equal(e.codeName, 'RBS_ENOTRING');
    assert.ok(e.message.includes(strerror(L.RBS_ENOTRING)));
    return true;
  });
});

test('each role belongs to one object: a second sender or receiver is refused', async () => {
  const p = MessagePipe.create({ capacity: 1024 });
  const other = await MessagePipe.attach(p.handle);
  assert.equal(p.sender, p.sender);
  assert.ok(p.sender instanceof MessageSender);
  assert.throws(() => other.sender, busy(/^MessagePipe\.sender: the producer role of this ring is already held by another instance/));
  assert.ok(other.receiver instanceof MessageReceiver);
  assert.throws(() => p.receiver, busy(/^MessagePipe\.receiver: the consumer role of this ring is already held/));
  // The two objects are one pipe.
  p.sender.trySend('across');
  assert.equal(other.receiver.tryRecvText(), 'across');
  assert.throws(() => new MessageSender(), { name: 'TypeError', message: /^MessageSender is not constructed directly: it is a claimed role of a ring/ });
  assert.throws(() => new MessageReceiver(), { name: 'TypeError', message: /^MessageReceiver is not constructed directly/ });
});

test('two pipes placed in one memory are independent', () => {
  const memory = createSharedMemory(65536);
  const a = MessagePipe.create({ capacity: 1024, memory, offset: 8192 });
  const b = MessagePipe.create({ capacity: 1024, memory, offset: 8192 + 320 + 1024 });
  a.sender.trySend('to a');
  b.sender.trySend('to b');
  assert.equal(b.receiver.tryRecvText(), 'to b');
  assert.equal(a.receiver.tryRecvText(), 'to a');
  assert.throws(() => MessagePipe.create({ capacity: 1024, memory, offset: 8200 }), /options\.offset must be a multiple of 64/);
});

test('a corrupt frame length is RBS_ECORRUPT with its text, and nothing is read outside the ring', () => {
  const p = MessagePipe.create({ capacity: 256 });
  p.sender.trySend(bytes(10));
  const u32 = new Uint32Array(p.memory.buffer);
  u32[(p.offset + L.RBS_OFF_DATA) >> 2] = 5000; // the length word of the first frame
  assert.throws(() => p.receiver.tryRecv(), (e) => {
    assert.ok(e instanceof RingBufferError, `${e.constructor.name}: ${e.message}`);
    assert.equal(e.code, L.RBS_ECORRUPT);
    assert.equal(e.codeName, 'RBS_ECORRUPT');
    assert.ok(e.message.startsWith('MessageReceiver.tryRecv: '));
    assert.ok(e.message.includes(strerror(L.RBS_ECORRUPT)));
    return true;
  });
});

test('a busy pipe wakes nobody; a burst to a waiting receiver, or a drain for a waiting sender, moves the wake word once', async () => {
  const p = MessagePipe.create({ capacity: 4096 });
  for (let k = 0; k < 50; k++) p.sender.trySend(bytes(20, k));
  assert.equal(drain(p.receiver).length, 50);
  assert.equal(word(p, L.RBS_OFF_CONSUMER_WAKE), 0, 'the receiver never waited: nobody woken');
  assert.equal(word(p, L.RBS_OFF_PRODUCER_WAKE), 0);
  assert.equal(word(p, L.RBS_OFF_CONSUMER_WAIT_SEQ), 0);

  const first = p.receiver.recv(); // finds nothing: waits
  await tick();
  const seq = word(p, L.RBS_OFF_CONSUMER_WAIT_SEQ);
  assert.ok(seq >= 1 && word(p, L.RBS_OFF_CONSUMER_WAITERS) === 1, 'the receiver sleeps');
  for (let k = 0; k < 100; k++) assert.equal(p.sender.trySend(bytes(30, k)), true);
  assert.equal(word(p, L.RBS_OFF_CONSUMER_WAKE), 1, 'one wake-up for the burst');
  assert.equal(word(p, L.RBS_OFF_CONSUMER_WOKEN_AT), seq);
  assert.deepEqual(await first, bytes(30, 0));
  const rest = drain(p.receiver);
  assert.equal(rest.length, 99, 'one wake-up, every message drained');
  assert.deepEqual(rest[98], bytes(30, 99));
  assert.equal(word(p, L.RBS_OFF_CONSUMER_WAIT_SEQ), seq, 'no other wait');
  assert.equal(p.sender.sent, 150);
  assert.equal(p.receiver.received, 150);

  // The other way: a sender waiting for room is woken once by a receiver
  // that drains the full ring.
  while (p.sender.trySend(bytes(60))); // full
  const late = p.sender.send(bytes(60, 7)); // waits for room
  await tick();
  assert.equal(word(p, L.RBS_OFF_PRODUCER_WAITERS), 1);
  const got = drain(p.receiver);
  assert.ok(got.length > 30);
  assert.equal(word(p, L.RBS_OFF_PRODUCER_WAKE), 1, 'one wake-up for the drained ring');
  await late;
  assert.deepEqual(p.receiver.tryRecv(), bytes(60, 7));
  assert.equal(word(p, L.RBS_OFF_CONSUMER_WAKE), 1);
});

test('recvInto copies the next message into a target without allocating one; a longer message stays, with its size', () => {
  const p = MessagePipe.create({ capacity: 1024 });
  const target = new Uint8Array(64).fill(0xee);
  assert.equal(p.receiver.recvInto(target), undefined, 'nothing waiting');
  p.sender.trySend(bytes(10, 3));
  p.sender.trySend('héllo');
  p.sender.trySend(bytes(100, 4));
  assert.equal(p.receiver.recvInto(target), 10);
  assert.deepEqual(target.subarray(0, 10), bytes(10, 3));
  assert.equal(target[10], 0xee, 'nothing past the message');
  assert.equal(p.receiver.recvInto(new DataView(target.buffer, 20, 30)), 6);
  assert.equal(new TextDecoder().decode(target.subarray(20, 26)), 'héllo');
  assert.throws(() => p.receiver.recvInto(target), (e) => {
    assert.ok(e instanceof RangeError);
    assert.equal(e.size, 100);
    assert.equal(e.message, "MessageReceiver.recvInto: the next message is 100 bytes, more than target's 64; it stays in the pipe");
    return true;
  });
  assert.equal(p.receiver.recvInto(new Uint8Array(100)), 100, 'the refused message is still next');
  assert.throws(() => p.receiver.recvInto('x'), { name: 'TypeError', message: /^MessageReceiver\.recvInto: target must be an ArrayBuffer/ });
  p.sender.trySend(new Uint8Array(0));
  assert.equal(p.receiver.recvInto(new Uint8Array(0)), 0, 'an empty message fits an empty target');
  p.sender.close();
  assert.equal(p.receiver.recvInto(target), null, 'the end');
  assert.equal(p.receiver.received, 4);
});
