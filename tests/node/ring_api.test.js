// The byte ring's JS API on one thread: the sketch's usage, capacity
// rounding, each producer and consumer call, wrap-around, close, roles, the
// handle, and that a busy ring wakes nobody while a waiting side is woken once.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Consumer, Producer, RingBuffer, RingBufferError, layout } from '../../dist/index.js';

const busy = (re) => (e) => e instanceof RingBufferError && e.code === layout.RBS_EBUSY && e.codeName === 'RBS_EBUSY' && re.test(e.message);

const bytes = (n, f = (i) => (i * 7 + 3) & 0xff) => Uint8Array.from({ length: n }, (_, i) => f(i));

test('the sketch: new RingBuffer(1024), write 128 bytes, read 64', async () => {
  const buf = new RingBuffer(1024);
  const data = bytes(128);
  await buf.write(data);
  assert.equal(buf.available, 128);
  const first = await buf.read(64);
  assert.ok(first instanceof ArrayBuffer);
  assert.deepEqual(new Uint8Array(first), data.subarray(0, 64));
  assert.equal(buf.available, 64);
  const rest = await buf.read(1000);
  assert.deepEqual(new Uint8Array(rest), data.subarray(64));
  assert.equal(buf.available, 0);
});

test('capacity is rounded up to a power of two, at least 16', () => {
  for (const [asked, real] of [
    [1, 16],
    [16, 16],
    [17, 32],
    [1000, 1024],
    [1024, 1024],
    [(1 << 20) + 1, 1 << 21],
  ])
    assert.equal(new RingBuffer(asked).capacity, real, `capacity ${asked}`);
  assert.equal(RingBuffer.create({ capacity: 100 }).capacity, 128);
});

test('write() resolves only once every byte is in, waiting for room; bytes keep their order', async () => {
  const buf = new RingBuffer(1024);
  const data = bytes(10_000);
  let done = false;
  const w = buf.write(data).then(() => (done = true));
  await new Promise((r) => setTimeout(r, 20));
  assert.equal(done, false, 'the ring holds 1024 bytes: write() is still waiting');
  assert.equal(buf.available, 1024);
  const got = [];
  let total = 0;
  while (total < data.length) {
    const part = new Uint8Array(await buf.read(700));
    got.push(part);
    total += part.length;
  }
  await w;
  assert.equal(done, true);
  assert.deepEqual(Buffer.concat(got), Buffer.from(data));
});

test('read() waits for data, then gives 1..n bytes', async () => {
  const buf = new RingBuffer(64);
  const r = buf.read(10);
  await new Promise((res) => setTimeout(res, 10));
  buf.producer.tryWrite(bytes(3));
  assert.deepEqual(new Uint8Array(await r), bytes(3));
});

test('tryWrite writes what fits and returns the count; tryWriteAll is all or nothing', () => {
  const ring = new RingBuffer(16);
  const p = ring.producer;
  assert.equal(p.tryWrite(bytes(10)), 10);
  assert.equal(p.tryWriteAll(bytes(7)), false, '7 > 6 free: nothing written');
  assert.equal(ring.available, 10);
  assert.equal(p.tryWriteAll(bytes(6, (i) => 100 + i)), true);
  assert.equal(p.tryWrite(bytes(5)), 0, 'full');
  const c = ring.consumer;
  assert.deepEqual(c.tryRead(100), Uint8Array.from([...bytes(10), ...bytes(6, (i) => 100 + i)]));
  assert.equal(p.tryWrite(bytes(40)), 16, 'partial: the capacity');
});

test('every binary type is accepted as data, by its bytes', () => {
  const ring = new RingBuffer(256);
  const src = bytes(16);
  const inputs = [
    src.buffer,
    new DataView(src.buffer, 4, 8),
    new Uint16Array(src.buffer, 2, 3),
    new Float64Array(src.buffer, 8, 1),
    new Uint8ClampedArray(src.buffer),
  ];
  const sab = new SharedArrayBuffer(5);
  new Uint8Array(sab).set([9, 8, 7, 6, 5]);
  inputs.push(sab);
  const want = [src, src.subarray(4, 12), src.subarray(2, 8), src.subarray(8, 16), src, Uint8Array.of(9, 8, 7, 6, 5)];
  for (let i = 0; i < inputs.length; i++) {
    assert.equal(ring.producer.tryWrite(inputs[i]), want[i].length);
    assert.deepEqual(ring.consumer.tryRead(1000), want[i], `input ${i}`);
  }
});

test('reserve/commit and acquire/release hand out contiguous views, shorter where the ring wraps', () => {
  const ring = new RingBuffer(16);
  const p = ring.producer;
  const c = ring.consumer;
  assert.equal(p.tryWrite(bytes(12)), 12);
  assert.equal(c.tryRead(12).length, 12); // both counters at 12: 4 bytes to the end
  const v = p.reserve(10);
  assert.equal(v.length, 4, 'contiguous up to the end of the buffer');
  v.set([1, 2, 3, 4]);
  assert.equal(ring.available, 0, 'nothing visible before commit');
  p.commit(4);
  const w = p.reserve(10);
  assert.equal(w.length, 10, 'after the wrap');
  w.set(bytes(10));
  p.commit(6);
  assert.equal(ring.available, 10);
  const a = c.acquire(100);
  assert.deepEqual(a, Uint8Array.of(1, 2, 3, 4));
  c.release(2);
  assert.equal(ring.available, 8);
  const b = c.acquire(100);
  assert.deepEqual(b, Uint8Array.of(3, 4));
  c.release(2);
  assert.deepEqual(c.acquire(100), bytes(6));
  c.release(6);
  assert.equal(ring.available, 0);
  assert.equal(c.acquire(5), undefined, 'nothing there now: undefined');
  assert.equal(p.reserve(0).length, 0);
  assert.equal(p.reserve(3).length, 3);
  assert.equal(p.tryWrite(new Uint8Array(0)), 0, 'any write, even of nothing, drops the view');
  assert.throws(() => p.commit(3), { name: 'RangeError', message: /^Producer\.commit: n must be an integer from 0 to 0 / });
  assert.equal(ring.available, 0);
  assert.equal(p.tryWrite(bytes(16)), 16);
  assert.equal(p.reserve(5).length, 0, 'full: an empty view (a write)');
});

test('readInto copies into the caller\'s buffer across the wrap and returns the count', () => {
  const ring = new RingBuffer(16);
  ring.producer.tryWrite(bytes(10));
  ring.consumer.tryRead(10);
  ring.producer.tryWrite(bytes(14, (i) => 200 + i)); // wraps after 6
  const into = new Uint8Array(20).fill(0xee);
  assert.equal(ring.consumer.readInto(into), 14);
  assert.deepEqual(into.subarray(0, 14), bytes(14, (i) => 200 + i));
  assert.equal(into[14], 0xee, 'nothing written past the count');
  assert.equal(ring.consumer.readInto(into), undefined, 'nothing there now');
  assert.equal(ring.consumer.readInto(new Uint8Array(0)), 0, 'an empty target takes 0 bytes');
});

test('close() ends the stream after the bytes already written; writing after it fails', async () => {
  const ring = new RingBuffer(64);
  const p = ring.producer;
  const c = ring.consumer;
  const pending = c.read(10);
  p.tryWrite(bytes(5));
  assert.deepEqual(await pending, bytes(5));
  p.tryWrite(bytes(3));
  await p.close();
  assert.equal(c.closed, true);
  assert.equal(c.ended, false, 'three bytes still waiting');
  assert.deepEqual(await c.read(10), bytes(3));
  assert.equal(c.ended, true);
  assert.equal(await c.read(10), null);
  assert.equal(await ring.read(10), null, 'the sketch read() too');
  assert.equal(c.tryRead(10), null, 'ended: null');
  assert.equal(c.readInto(new Uint8Array(4)), null);
  assert.equal(c.acquire(4), null);
  assert.equal(c.readSync(4, 0), null);
  assert.throws(() => p.tryWrite(bytes(1)), (e) => e instanceof RingBufferError && e.code === layout.RBS_ECLOSED && /closed the ring/.test(e.message));
  await assert.rejects(p.write(bytes(1)), { name: 'RingBufferError', code: layout.RBS_ECLOSED });
});

test('close() waits for pending writes; a waiting reader is woken by the close', async () => {
  const ring = new RingBuffer(16);
  const p = ring.producer;
  const w = p.write(bytes(40));
  const closed = p.close();
  const c = ring.consumer;
  let total = 0;
  for (;;) {
    const v = await c.read(7);
    if (v === null) break;
    total += v.length;
  }
  await w;
  await closed;
  assert.equal(total, 40, 'every byte of the write, then the end');
  const ring2 = new RingBuffer(16);
  const r = ring2.consumer.read(4);
  setTimeout(() => ring2.producer.close(), 10);
  assert.equal(await r, null);
});

test('a role held by another instance cannot be claimed; the same object may ask again', async () => {
  const ring = new RingBuffer(64);
  const p = ring.producer;
  assert.equal(ring.producer, p);
  const other = await RingBuffer.attach(ring.handle);
  assert.throws(() => other.producer, busy(/^RingBuffer\.producer: the producer role of this ring is already held by another instance/));
  const c = other.consumer;
  assert.throws(() => ring.consumer, busy(/^RingBuffer\.consumer: the consumer role of this ring is already held by another instance/));
  p.tryWrite(bytes(4));
  assert.deepEqual(c.tryRead(4), bytes(4), 'two objects, one ring');
  // dist/ is minified: a class's .name is not its API name, which the message gives.
  for (const [Cls, name] of [[Producer, 'Producer'], [Consumer, 'Consumer']])
    assert.throws(() => new Cls(), { name: 'TypeError', message: new RegExp(`^${name} is not constructed directly: it is a claimed role of a ring`) });
});

test('the handle is structured-cloneable and attaches the same ring', async () => {
  const ring = new RingBuffer(128);
  const h = ring.handle;
  assert.deepEqual(Object.keys(h).sort(), ['abiVersion', 'capacity', 'kind', 'memory', 'module', 'offset']);
  assert.ok(h.memory instanceof WebAssembly.Memory && h.module instanceof WebAssembly.Module);
  assert.equal(h.kind, layout.RBS_KIND_BYTES);
  const clone = structuredClone(h);
  const there = await RingBuffer.attach(clone);
  assert.equal(there.capacity, 128);
  assert.equal(there.offset, ring.offset);
  ring.producer.tryWrite(bytes(9));
  assert.equal(there.available, 9);
  assert.deepEqual(there.consumer.tryRead(9), bytes(9));
  const sync = RingBuffer.attachSync({ memory: h.memory, offset: h.offset });
  assert.equal(sync.capacity, 128);
});

test('rings can share one memory: create({ capacity, memory, offset })', () => {
  const memory = new WebAssembly.Memory({ initial: 1, maximum: 1, shared: true });
  const a = RingBuffer.create({ capacity: 1024, memory, offset: 8192 });
  const b = RingBuffer.create({ capacity: 1024, memory, offset: 8192 + 2048 });
  a.producer.tryWrite(bytes(100));
  b.producer.tryWrite(bytes(50, () => 1));
  assert.equal(a.available, 100);
  assert.equal(b.available, 50);
  assert.deepEqual(a.consumer.tryRead(1000), bytes(100));
});

test('a busy ring wakes nobody; a waiting reader is woken once for a burst, a waiting writer once for a drain', async () => {
  const ring = new RingBuffer(256);
  const i32 = new Int32Array(ring.memory.buffer);
  const word = (off) => Atomics.load(i32, (ring.offset + off) >>> 2);
  const p = ring.producer;
  const c = ring.consumer;
  for (let i = 0; i < 1000; i++) {
    p.tryWrite(bytes(100));
    c.tryRead(100);
    const v = p.reserve(10);
    p.commit(v.length);
    c.readInto(new Uint8Array(10));
  }
  assert.equal(word(layout.RBS_OFF_CONSUMER_WAKE), 0, 'no side waited, so nobody was woken');
  assert.equal(word(layout.RBS_OFF_PRODUCER_WAKE), 0);

  const r = c.read(1);
  await new Promise((res) => setTimeout(res, 10)); // the reader is now waiting
  const seq = word(layout.RBS_OFF_CONSUMER_WAIT_SEQ);
  assert.ok(seq > 0 && word(layout.RBS_OFF_CONSUMER_WAITERS) === 1, 'the reader sleeps');
  for (let i = 0; i < 20; i++) p.tryWrite(bytes(1)); // a burst before the reader runs
  assert.equal(word(layout.RBS_OFF_CONSUMER_WAKE), 1, 'the wake word moved once for the burst');
  assert.equal(word(layout.RBS_OFF_CONSUMER_WOKEN_AT), seq, 'the wait woken is the one that slept');
  assert.deepEqual(await r, bytes(1));

  while (p.tryWrite(bytes(64)) > 0); // full
  const w = p.write(bytes(30, () => 5));
  await new Promise((res) => setTimeout(res, 10)); // the writer is now waiting
  assert.equal(word(layout.RBS_OFF_PRODUCER_WAITERS), 1);
  while (c.tryRead(7) !== undefined); // a drain before the writer runs
  assert.equal(word(layout.RBS_OFF_PRODUCER_WAKE), 1, 'the wake word moved once for the drain');
  await w;
  assert.deepEqual(c.tryRead(100), bytes(30, () => 5));
  assert.equal(word(layout.RBS_OFF_CONSUMER_WAKE), 1, 'nobody read-waited since');
});

test('the sync calls time out: readSync gives undefined, writeSync the count written', () => {
  const ring = new RingBuffer(16);
  const t0 = Date.now();
  assert.equal(ring.consumer.readSync(4, 30), undefined);
  assert.ok(Date.now() - t0 >= 25, 'it waited about the timeout');
  assert.equal(ring.producer.writeSync(bytes(20), 30), 16, 'the ring held 16, nobody read');
  assert.deepEqual(ring.consumer.readSync(100, 0), bytes(16));
});

test('sync calls are refused while an async call of the same side is pending', async () => {
  const ring = new RingBuffer(16);
  const w = ring.producer.write(bytes(20));
  assert.throws(() => ring.producer.tryWrite(bytes(1)), busy(/^Producer\.tryWrite: an earlier asynchronous call of this Producer is still pending; await it first$/));
  assert.throws(() => ring.producer.writeSync(bytes(1), 0), busy(/^Producer\.writeSync: an earlier asynchronous call/));
  assert.throws(() => ring.producer.reserve(1), busy(/^Producer\.reserve: an earlier asynchronous call/));
  ring.consumer.tryRead(20);
  await w;
  assert.equal(ring.producer.tryWrite(bytes(1)), 1);
});
