// Every bad input gets its error: the exact class and a message that names
// the argument and what it may be; every ring error is a RingBufferError whose
// code and codeName are C's, with rbs_strerror's text.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { RingBuffer, RingBufferError, layout, strerror } from '../../dist/index.js';
import { formatRing } from './wasm_raw.js';

/** Asserts fn throws (or its promise rejects with) `Cls` whose message matches every fragment. */
async function fails(fn, Cls, ...fragments) {
  let err;
  try {
    await fn();
  } catch (e) {
    err = e;
  }
  assert.ok(err, `expected a ${Cls.name}, nothing was thrown`);
  assert.equal(err.constructor, Cls, `${err.constructor.name}: ${err.message}`);
  for (const f of fragments) assert.ok(err.message.includes(f), `message ${JSON.stringify(err.message)} lacks ${JSON.stringify(f)}`);
  return err;
}

const CAP_RANGE = 'an integer from 1 to 1073741824 (rounded up to a power of two, at least 16)';

test('capacity: a positive integer up to 2^30', async () => {
  for (const bad of [0, -1, 1.5, 2 ** 30 + 1, NaN, Infinity])
    await fails(() => new RingBuffer(bad), RangeError, 'new RingBuffer: capacity must be', CAP_RANGE, `got ${bad}`);
  for (const bad of ['1024', undefined, null, 10n, {}])
    await fails(() => new RingBuffer(bad), TypeError, 'capacity must be a number', CAP_RANGE);
  await fails(() => RingBuffer.create({ capacity: -5 }), RangeError, 'RingBuffer.create: options.capacity must be', CAP_RANGE);
  await fails(() => RingBuffer.create(null), TypeError, 'RingBuffer.create: options must be an object');
  await fails(() => RingBuffer.create(64), TypeError, 'options must be an object', 'got number 64');
});

test('create() in a given memory: a shared memory, a 64-aligned offset where the ring fits', async () => {
  const shared = new WebAssembly.Memory({ initial: 1, maximum: 1, shared: true });
  await fails(() => RingBuffer.create({ capacity: 64, memory: {} }), TypeError, 'options.memory must be a shared WebAssembly.Memory', 'got a plain object');
  await fails(
    () => RingBuffer.create({ capacity: 64, memory: new WebAssembly.Memory({ initial: 1 }) }),
    TypeError,
    'options.memory must be a shared WebAssembly.Memory',
  );
  await fails(() => RingBuffer.create({ capacity: 64, memory: shared, offset: 100 }), RangeError, 'options.offset must be a multiple of 64 from 64 to', 'got 100');
  await fails(() => RingBuffer.create({ capacity: 64, memory: shared, offset: 0 }), RangeError, 'options.offset', 'got 0');
  await fails(
    () => RingBuffer.create({ capacity: 65536, memory: shared, offset: 64 }),
    RangeError,
    'options.offset must be an offset where 65856 bytes fit, but the memory has only 65536 bytes: use a larger memory',
  );
  await fails(() => RingBuffer.create({ capacity: 64, memory: shared, offset: '64' }), TypeError, 'options.offset must be a number');
  await fails(() => RingBuffer.create({ capacity: 64, offset: 64 }), TypeError, 'options.offset needs options.memory');
});

test('data must be binary', async () => {
  const p = new RingBuffer(64).producer;
  const kinds = 'must be an ArrayBuffer, a SharedArrayBuffer, a TypedArray or a DataView';
  for (const [bad, got] of [
    ['text', 'got string "text"'],
    [123, 'got number 123'],
    [null, 'got null'],
    [undefined, 'got undefined'],
    [[1, 2, 3], 'got a Array'],
    [{ length: 3 }, 'got a plain object'],
  ]) {
    await fails(() => p.tryWrite(bad), TypeError, 'Producer.tryWrite: data', kinds, got);
    await fails(() => p.tryWriteAll(bad), TypeError, 'Producer.tryWriteAll: data', kinds);
    await fails(() => p.write(bad), TypeError, 'Producer.write: data', kinds);
  }
  await fails(() => new RingBuffer(64).write('x'), TypeError, 'data', kinds);
  await fails(() => new RingBuffer(64).consumer.readInto('x'), TypeError, 'Consumer.readInto: target', kinds);
});

test('lengths: non-negative integers (read: at least 1), commit/release at most what was handed out', async () => {
  const ring = new RingBuffer(64);
  const p = ring.producer;
  const c = ring.consumer;
  // A read asks for at least one byte (0 would be indistinguishable from "nothing there").
  for (const [fn, name, min] of [
    [(n) => c.tryRead(n), 'Consumer.tryRead: n must be', 1],
    [(n) => c.acquire(n), 'Consumer.acquire: n must be', 1],
    [(n) => p.reserve(n), 'Producer.reserve: n must be', 0],
  ]) {
    const range = `an integer from ${min} to 4294967295`;
    await fails(() => fn(-1), RangeError, name, range, 'got -1');
    await fails(() => fn(2.5), RangeError, name, range, 'got 2.5');
    await fails(() => fn(2 ** 32), RangeError, name, range);
    await fails(() => fn('3'), TypeError, name, 'a number', 'got string "3"');
    if (min === 1) await fails(() => fn(0), RangeError, name, range, 'got 0');
  }
  await fails(() => c.read(0), RangeError, 'Consumer.read: n must be an integer from 1 to 4294967295', 'got 0');
  await fails(() => ring.read(-3), RangeError, 'n must be an integer from 1', 'got -3');
  await fails(() => c.readSync(0), RangeError, 'Consumer.readSync: n must be an integer from 1');
  await fails(() => p.commit(1), RangeError, "Producer.commit: n must be an integer from 0 to 0 (the length of the last reserve()'s view)", 'got 1');
  assert.equal(p.reserve(10).length, 10);
  await fails(() => p.commit(11), RangeError, 'n must be an integer from 0 to 10', 'got 11');
  p.commit(10);
  assert.equal(c.acquire(4).length, 4);
  await fails(() => c.release(5), RangeError, "Consumer.release: n must be an integer from 0 to 4 (the length of the last acquire()'s view)");
  await fails(() => p.tryWriteAll(new Uint8Array(65)), RangeError, 'Producer.tryWriteAll: data is 65 bytes', 'from 0 to 64');
  await fails(() => c.readSync(1, -1), RangeError, 'Consumer.readSync: timeoutMs must be a number of milliseconds from 0 to Infinity', 'got -1');
  await fails(() => p.writeSync(new Uint8Array(1), 'soon'), TypeError, 'Producer.writeSync: timeoutMs must be a number');
});

test('handles: an object with a shared memory and a 64-aligned offset inside it', async () => {
  const ring = new RingBuffer(256);
  const h = ring.handle;
  await fails(() => RingBuffer.attach(null), TypeError, 'RingBuffer.attach: handle must be an object { memory, offset }');
  await fails(() => RingBuffer.attach('handle'), TypeError, 'handle must be an object', 'got string');
  await fails(() => RingBuffer.attach({ ...h, memory: new ArrayBuffer(8) }), TypeError, 'handle.memory must be a shared WebAssembly.Memory', 'got a ArrayBuffer');
  await fails(() => RingBuffer.attach({ ...h, offset: h.offset + 4 }), RangeError, 'handle.offset must be a multiple of 64 from 64 to');
  await fails(() => RingBuffer.attach({ ...h, offset: 2 ** 20 }), RangeError, 'handle.offset must be a multiple of 64');
  await fails(() => RingBuffer.attach({ ...h, module: {} }), TypeError, 'handle.module must be a WebAssembly.Module');
  await fails(() => RingBuffer.attachSync({ memory: h.memory }), TypeError, 'RingBuffer.attachSync: handle.offset must be a number');
});

test('a handle from another ring, or pointing at no ring', async () => {
  const memory = new WebAssembly.Memory({ initial: 1, maximum: 1, shared: true });
  const a = RingBuffer.create({ capacity: 256, memory, offset: 8192 });
  const b = RingBuffer.create({ capacity: 1024, memory, offset: 16384 });
  await fails(
    () => RingBuffer.attach({ ...a.handle, offset: b.offset }),
    RangeError,
    'RingBuffer.attach: handle.capacity number 256 does not match the ring at handle.offset 16384 (capacity 1024): the handle belongs to another ring',
  );
  await fails(() => RingBuffer.attach({ ...a.handle, kind: layout.RBS_KIND_AUDIO }), RangeError, 'handle.kind number 3 does not match', 'belongs to another ring');
  const e = await fails(() => RingBuffer.attach({ memory, offset: 4096 }), RingBufferError, 'RingBuffer.attach: the ring at offset 4096: ', strerror(layout.RBS_ENOTRING));
  assert.equal(e.code, layout.RBS_ENOTRING);
  assert.equal(e.codeName, 'RBS_ENOTRING');
  // a message ring is not a byte ring
  assert.equal(formatRing(memory, 32768, 256, { kind: layout.RBS_KIND_MESSAGES }), 0);
  await fails(() => RingBuffer.attach({ memory, offset: 32768 }), TypeError, 'the ring at handle.offset 32768 is a message ring (kind 2); this call needs a byte ring (kind 1)');
});

test('a corrupt ring: found at attach, and by the calls on an open ring, always RBS_ECORRUPT', async () => {
  const ring = new RingBuffer(64);
  const i32 = new Int32Array(ring.memory.buffer);
  const at = (off) => (ring.offset + off) / 4;
  const c = ring.consumer;
  ring.producer.tryWrite(new Uint8Array(10));
  Atomics.store(i32, at(layout.RBS_OFF_WRITE), 1000); // 1000 bytes "written" into a 64-byte ring
  const corrupt = strerror(layout.RBS_ECORRUPT);
  const isCorrupt = (e) => {
    assert.equal(e.code, layout.RBS_ECORRUPT);
    assert.equal(e.codeName, 'RBS_ECORRUPT');
  };
  isCorrupt(await fails(() => RingBuffer.attach(ring.handle), RingBufferError, 'RingBuffer.attach: the ring at offset', corrupt));
  isCorrupt(await fails(() => c.tryRead(5), RingBufferError, 'Consumer.tryRead: ', corrupt));
  isCorrupt(await fails(() => c.available, RingBufferError, 'Consumer.available', corrupt));
  isCorrupt(await fails(() => ring.available, RingBufferError, 'RingBuffer.available', corrupt));
  isCorrupt(await fails(() => c.read(1), RingBufferError, 'Consumer.read', corrupt));
  isCorrupt(await fails(() => ring.producer.tryWrite(new Uint8Array(1)), RingBufferError, 'Producer.tryWrite', corrupt));
  Atomics.store(i32, at(layout.RBS_OFF_WRITE), 10);
  assert.equal(c.tryRead(100).length, 10, 'repaired, it works again');

  // The meta line overwritten: this side keeps its own geometry, and a call
  // with nothing to do (and every query) reports the corruption.
  i32[at(layout.RBS_OFF_CAPACITY)] = 48;
  isCorrupt(await fails(() => c.tryRead(1), RingBufferError, 'Consumer.tryRead', corrupt));
  isCorrupt(await fails(() => c.available, RingBufferError, corrupt));
  isCorrupt(await fails(() => RingBuffer.attach(ring.handle), RingBufferError, corrupt));
  i32[at(layout.RBS_OFF_CAPACITY)] = 64;
  i32[at(layout.RBS_OFF_ABI_VERSION)] = layout.RBS_ABI_VERSION + 1;
  const v = await fails(() => RingBuffer.attach(ring.handle), RingBufferError, strerror(layout.RBS_EVERSION));
  assert.equal(v.codeName, 'RBS_EVERSION');
});

test('claiming a role another instance holds is a RingBufferError (RBS_EBUSY) that says so', async () => {
  const ring = new RingBuffer(64);
  ring.consumer;
  const other = RingBuffer.attachSync(ring.handle);
  const e = await fails(() => other.consumer, RingBufferError, 'RingBuffer.consumer: the consumer role of this ring is already held by another instance');
  assert.equal(e.codeName, 'RBS_EBUSY');
  assert.equal(e.code, layout.RBS_EBUSY);
  await fails(() => other.read(1), RingBufferError, 'consumer role', 'already held');
});

test('C codes map to JS errors with rbs_strerror\'s text', async () => {
  const ring = new RingBuffer(64);
  await ring.close();
  const e = await fails(() => ring.producer.tryWrite(new Uint8Array(1)), RingBufferError, `Producer.tryWrite: ${strerror(layout.RBS_ECLOSED)}`);
  assert.equal(e.code, layout.RBS_ECLOSED);
  assert.equal(e.name, 'RingBufferError');
  assert.ok(e instanceof Error);
});
