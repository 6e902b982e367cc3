// MessagePipe's API on one thread: sizes, every kind of data, strings in and
// out, the largest message, all-or-nothing trySend, waiting send/recv, close
// and the iterator, roles, handles of other rings, bad arguments, a corrupt
// frame, and the notify rule (none on a busy pipe, one per wait).
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
  assert.equal(new MessagePipe(1000).capacity, 1024);
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
  for (const d of inputs) assert.equal(p.trySend(d), true);
  const view = (d) => (ArrayBuffer.isView(d) ? new Uint8Array(d.buffer, d.byteOffset, d.byteLength) : new Uint8Array(d));
  for (const d of inputs) {
    const m = p.tryRecv();
    assert.ok(m instanceof Uint8Array);
    assert.deepEqual([...m], [...view(d)]);
    assert.equal(Object.prototype.toString.call(m.buffer), '[object ArrayBuffer]', 'not a view of the shared memory');
    assert.equal(m.byteOffset, 0);
    assert.equal(m.buffer.byteLength, m.length, 'a buffer of its own, exactly the message');
  }
  assert.equal(p.tryRecv(), undefined, 'nothing more: undefined, not null');
});

test('strings are sent as UTF-8 and come back the same with recvText; recv gives their bytes', async () => {
  const p = MessagePipe.create({ capacity: 4096 });
  const texts = ['', 'a', 'hello, world', 'héllo € 中文 😀 𝄞', '\u0000\u007f\u0080\u07ff\u0800\uffff', 'x'.repeat(1000)];
  for (const t of texts) await p.send(t);
  for (const t of texts) assert.equal(await p.recvText(), t);
  for (const t of texts) p.trySend(t);
  for (const t of texts) assert.deepEqual(p.tryRecv(), new TextEncoder().encode(t));
  // A lone surrogate is not UTF-8: it goes as U+FFFD, as TextEncoder writes it.
  p.trySend('a\ud800b');
  assert.equal(p.tryRecvText(), 'a\ufffdb');
  // Invalid UTF-8 received as text becomes U+FFFD.
  p.trySend(new Uint8Array([0x61, 0xff, 0x62]));
  assert.equal(p.tryRecvText(), 'a\ufffdb');
  assert.equal(p.tryRecvText(), undefined);
});

test('the largest message goes through; one byte more is a RangeError naming the size and the limit', async () => {
  const p = MessagePipe.create({ capacity: 256 }); // max 124
  const max = p.maxMessageSize;
  assert.equal(max, 124);
  const big = bytes(max);
  assert.equal(p.trySend(big), true);
  assert.deepEqual(p.tryRecv(), big);
  assert.throws(() => p.trySend(bytes(max + 1)), (e) => {
    assert.ok(e instanceof RangeError);
    assert.match(e.message, /^MessageSender\.trySend: data is 125 bytes, larger than maxMessageSize 124 \(capacity 256/);
    assert.equal(e.codeName, 'RBS_ETOOBIG');
    return true;
  });
  await assert.rejects(p.send(bytes(500)), /MessageSender\.send: data is 500 bytes, larger than maxMessageSize 124/);
  // A string is measured in UTF-8: 124 bytes go even though 3 per unit would
  // not fit; 125 do not.
  const s124 = '€'.repeat(40) + 'abcd'; // 120 + 4 bytes, 44 units
  assert.equal(p.trySend(s124), true);
  assert.equal(p.tryRecvText(), s124);
  assert.equal(p.trySend('a'.repeat(124)), true);
  assert.equal(p.tryRecvText(), 'a'.repeat(124));
  assert.throws(() => p.trySend('€'.repeat(40) + 'abcde'), /data is a string of 125 bytes in UTF-8, larger than maxMessageSize 124/);
  assert.throws(() => p.trySend('😀'.repeat(32)), /a string of 128 bytes in UTF-8/);
  assert.equal(p.tryRecv(), undefined, 'nothing of a refused message arrived');
});

test('trySend returns false when the message does not fit now, and nothing of it arrives', () => {
  const p = MessagePipe.create({ capacity: 1024 }); // max 508
  const sent = [];
  for (let k = 0; ; k++) {
    const m = bytes(13 + ((k * 37) % 200), k);
    if (!p.trySend(m)) break;
    sent.push(m);
  }
  assert.ok(sent.length > 5);
  assert.equal(p.trySend(bytes(300)), false);
  assert.equal(p.trySend('a'.repeat(300)), false);
  const got = drain(p.receiver);
  assert.deepEqual(got, sent, 'exactly the accepted messages, whole and in order');
  assert.equal(p.tryRecv(), undefined);
  // Free again: what was refused now fits.
  assert.equal(p.trySend(bytes(300)), true);
  assert.deepEqual(p.tryRecv(), bytes(300));
});

test('trySend of a string that fits exactly, but not at 3 bytes per unit, succeeds', () => {
  const p = MessagePipe.create({ capacity: 1024 }); // max 508
  assert.equal(p.trySend(bytes(500)), true); // frame: 504
  assert.equal(p.trySend(bytes(180)), true); // frame: 184; 336 left
  const s = 'z'.repeat(150); // 150 bytes fit; the worst case, 450, would not
  assert.equal(p.trySend(s), true);
  assert.equal(p.trySend('z'.repeat(180)), false, 'now full');
  assert.deepEqual(p.tryRecv(), bytes(500));
  assert.deepEqual(p.tryRecv(), bytes(180));
  assert.equal(p.tryRecvText(), s);
  assert.equal(p.tryRecv(), undefined);
});

test('zero-length messages arrive as empty messages, never as "nothing" or "end"', async () => {
  const p = MessagePipe.create({ capacity: 64 });
  p.trySend(new Uint8Array(0));
  p.trySend('');
  await p.send(new ArrayBuffer(0));
  for (let k = 0; k < 3; k++) assert.deepEqual(p.tryRecv(), new Uint8Array(0));
  assert.equal(p.tryRecv(), undefined);
});

test('messages wrap around the ring whole, in order, many times', () => {
  const p = MessagePipe.create({ capacity: 256 });
  let sent = 0;
  let received = 0;
  for (let round = 0; round < 2000; round++) {
    const m = bytes(round % 125, round);
    if (p.trySend(m)) sent++;
    else {
      const got = p.tryRecv();
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
  const a = p.recv();
  const b = p.recvText();
  const c = p.recv();
  assert.throws(() => p.tryRecv(), /MessageReceiver\.tryRecv: a recv\(\) of this receiver is still pending/);
  await tick();
  p.trySend(bytes(3));
  p.trySend('two');
  setTimeout(() => p.trySend(bytes(5, 9)), 20);
  assert.deepEqual(await a, bytes(3));
  assert.equal(await b, 'two');
  assert.deepEqual(await c, bytes(5, 9));
});

test('send() waits for room; queued sends keep their order', async () => {
  const p = MessagePipe.create({ capacity: 256 }); // max 124
  assert.equal(p.trySend(bytes(124, 1)), true);
  assert.equal(p.trySend(bytes(100, 2)), true);
  let done = 0;
  const s1 = p.send(bytes(120, 3)).then(() => done++);
  const s2 = p.send('after').then(() => done++);
  assert.throws(() => p.trySend('x'), /MessageSender\.trySend: a send\(\) or close\(\) of this sender is still pending/);
  await tick();
  assert.equal(done, 0, 'no room yet');
  assert.deepEqual(p.tryRecv(), bytes(124, 1));
  await s1;
  assert.equal(done, 1, "the second waits for the first, then for room of its own");
  assert.deepEqual(p.tryRecv(), bytes(100, 2));
  await s2;
  assert.deepEqual(p.tryRecv(), bytes(120, 3));
  assert.equal(p.tryRecvText(), 'after');
});

test('sendSync and recvSync time out with false and undefined', () => {
  const p = MessagePipe.create({ capacity: 64 }); // max 28
  assert.equal(p.recvSync(0), undefined);
  assert.equal(p.recvSync(15), undefined);
  assert.equal(p.sendSync(bytes(28)), true); // frame: 32
  assert.equal(p.sendSync(bytes(20), 0), true); // frame: 24; 8 left
  assert.equal(p.sendSync(bytes(20), 15), false, 'no room within 15 ms');
  assert.deepEqual(p.recvSync(15), bytes(28));
  assert.deepEqual(p.recvSync(), bytes(20));
  assert.throws(() => p.recvSync(-1), RangeError);
  assert.throws(() => p.sendSync('x', 'soon'), TypeError);
});

test('close: waiting messages arrive, then the end (null); sending after it is RBS_ECLOSED', async () => {
  const p = MessagePipe.create({ capacity: 256 });
  p.trySend('one');
  await p.send(bytes(7));
  await p.close();
  await p.close(); // closing twice is harmless
  assert.equal(p.closed, true);
  assert.equal(p.receiver.closed, true);
  assert.equal(p.receiver.ended, false, 'messages still waiting');
  assert.equal(await p.recvText(), 'one');
  assert.deepEqual(p.tryRecv(), bytes(7));
  assert.equal(p.receiver.ended, true);
  assert.equal(p.tryRecv(), null);
  assert.equal(await p.recv(), null);
  assert.equal(await p.recvText(), null);
  assert.equal(p.recvSync(10), null);
  const closed = (e) => e instanceof RingBufferError && e.codeName === 'RBS_ECLOSED' && e.message.includes(strerror(L.RBS_ECLOSED));
  assert.throws(() => p.trySend('late'), closed);
  await assert.rejects(p.send('late'), closed);
  assert.throws(() => p.sendSync('late'), closed);
});

test('close() after pending sends takes effect after them', async () => {
  const p = MessagePipe.create({ capacity: 64 }); // max 28
  p.trySend(bytes(28));
  p.trySend(bytes(20)); // 8 bytes left
  const sending = p.send(bytes(20, 5));
  const closing = p.close();
  await tick();
  assert.equal(p.closed, false, 'the close waits for the send');
  assert.deepEqual(p.tryRecv(), bytes(28));
  await sending;
  await closing;
  assert.equal(p.closed, true);
  assert.deepEqual(p.tryRecv(), bytes(20));
  assert.deepEqual(p.tryRecv(), bytes(20, 5));
  assert.equal(p.tryRecv(), null);
});

test('for await ends when the sender closes: before, and while the receiver waits', async () => {
  const p = MessagePipe.create({ capacity: 1024 });
  for (const t of ['a', 'b', 'c']) p.trySend(t);
  await p.close();
  const got = [];
  for await (const m of p) got.push(new TextDecoder().decode(m));
  assert.deepEqual(got, ['a', 'b', 'c']);

  const q = MessagePipe.create({ capacity: 1024 });
  const seen = [];
  const loop = (async () => {
    for await (const m of q.receiver) seen.push(m.length);
    return 'ended';
  })();
  await tick();
  q.trySend(bytes(4));
  await tick();
  q.trySend(bytes(6));
  await tick();
  assert.ok(q.receiver.waits >= 1, 'the iterator was waiting');
  await q.close();
  assert.equal(await loop, 'ended');
  assert.deepEqual(seen, [4, 6]);
});

test('breaking out of for await loses no message', async () => {
  const p = MessagePipe.create({ capacity: 1024 });
  for (let k = 0; k < 5; k++) p.trySend(bytes(k + 1));
  for await (const m of p) if (m.length === 2) break;
  assert.deepEqual(p.tryRecv(), bytes(3));
});

test('bad data is a TypeError naming what is accepted', async () => {
  const p = MessagePipe.create({ capacity: 256 });
  for (const bad of [42, null, undefined, true, {}, [1, 2, 3], () => {}, Symbol('s'), 10n]) {
    assert.throws(
      () => p.trySend(bad),
      (e) => e instanceof TypeError && /^MessageSender\.trySend: data must be a string, an ArrayBuffer, a SharedArrayBuffer, a TypedArray or a DataView; got /.test(e.message),
    );
    await assert.rejects(p.send(bad), TypeError);
    assert.throws(() => p.sendSync(bad, 0), TypeError);
  }
  assert.equal(p.tryRecv(), undefined, 'nothing was sent');
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
    assert.ok(e instanceof TypeError);
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
  assert.throws(() => other.sender, /MessagePipe\.sender: the producer role of this ring is already held by another instance/);
  assert.ok(other.receiver instanceof MessageReceiver);
  assert.throws(() => p.receiver, /MessagePipe\.receiver: the consumer role of this ring is already held/);
  // The two objects are one pipe.
  p.trySend('across');
  assert.equal(other.tryRecvText(), 'across');
  assert.throws(() => new MessageSender(), /MessageSender is not constructed directly/);
  assert.throws(() => new MessageReceiver(), /MessageReceiver is not constructed directly/);
});

test('two pipes placed in one memory are independent', () => {
  const memory = createSharedMemory(65536);
  const a = MessagePipe.create({ capacity: 1024, memory, offset: 8192 });
  const b = MessagePipe.create({ capacity: 1024, memory, offset: 8192 + 320 + 1024 });
  a.trySend('to a');
  b.trySend('to b');
  assert.equal(b.tryRecvText(), 'to b');
  assert.equal(a.tryRecvText(), 'to a');
  assert.throws(() => MessagePipe.create({ capacity: 1024, memory, offset: 8200 }), /options\.offset must be a multiple of 64/);
});

test('a corrupt frame length is RBS_ECORRUPT with its text, and nothing is read outside the ring', () => {
  const p = MessagePipe.create({ capacity: 256 });
  p.trySend(bytes(10));
  const u32 = new Uint32Array(p.memory.buffer);
  u32[(p.offset + L.RBS_OFF_DATA) >> 2] = 5000; // the length word of the first frame
  assert.throws(() => p.tryRecv(), (e) => {
    assert.ok(e instanceof RangeError);
    assert.equal(e.codeName, 'RBS_ECORRUPT');
    assert.ok(e.message.startsWith('MessageReceiver.tryRecv: '));
    assert.ok(e.message.includes(strerror(L.RBS_ECORRUPT)));
    return true;
  });
});

test('a busy pipe makes no notify; a burst to a waiting receiver, or a drain for a waiting sender, makes one', async () => {
  const real = Atomics.notify;
  let calls = 0;
  Atomics.notify = (...args) => {
    calls++;
    return real(...args);
  };
  try {
    const p = MessagePipe.create({ capacity: 4096 });
    for (let k = 0; k < 50; k++) p.trySend(bytes(20, k));
    assert.equal(drain(p.receiver).length, 50);
    assert.equal(calls, 0, 'the receiver never waited: no notify');
    assert.equal(p.sender.wakeups, 0);

    const first = p.recv(); // finds nothing: waits
    await tick();
    assert.equal(p.receiver.waits, 1);
    for (let k = 0; k < 100; k++) assert.equal(p.trySend(bytes(30, k)), true);
    assert.equal(p.sender.wakeups, 1, 'one notify for the burst');
    assert.equal(calls, 1);
    assert.deepEqual(await first, bytes(30, 0));
    const rest = drain(p.receiver);
    assert.equal(rest.length, 99, 'one wake-up, every message drained');
    assert.deepEqual(rest[98], bytes(30, 99));
    assert.equal(p.receiver.waits, 1);

    // The other way: a sender waiting for room is woken once by a receiver
    // that drains the full ring.
    calls = 0;
    while (p.trySend(bytes(60))); // full
    const late = p.send(bytes(60, 7)); // waits for room
    await tick();
    assert.equal(p.sender.waits, 1);
    const got = drain(p.receiver);
    assert.ok(got.length > 30);
    assert.equal(p.receiver.wakeups, 1, 'one wake-up for the drained ring');
    assert.equal(calls, 1);
    await late;
    assert.deepEqual(p.tryRecv(), bytes(60, 7));
  } finally {
    Atomics.notify = real;
  }
});
