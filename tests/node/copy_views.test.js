// The small-copy path keeps a 32-bit view of the caller's array it last saw
// in each direction: every byte must still arrive exactly when the caller
// alternates arrays, passes views at odd offsets, reads into the array it
// writes from, or passes a view of a resizable buffer that shrank and grew.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { RingBuffer } from '../../dist/index.js';

const pattern = (n, seed) => Uint8Array.from({ length: n }, (_, i) => (i * 31 + seed * 7 + 1) & 0xff);

// Writes `from` and reads it back into `into` (the first n bytes), through a
// ring whose positions move on by 4 each time, so copies also straddle the end.
function through(ring, from, into, n) {
  assert.equal(ring.producer.tryWrite(from), from.length);
  assert.equal(ring.consumer.readInto(into.subarray(0, n)), n);
}

test('alternating arrays, odd offsets and lengths: every byte exact', () => {
  const ring = RingBuffer.create({ capacity: 64 });
  const store = new ArrayBuffer(256);
  const targets = [new Uint8Array(16), new Uint8Array(store, 0, 16), new Uint8Array(store, 1, 16), new Uint8Array(store, 6, 16), new Uint8Array(24)];
  for (let round = 0; round < 200; round++) {
    const n = 1 + (round % 16);
    const data = pattern(n, round);
    const sources = [data, new Uint8Array(store, 128 + (round % 5), n)];
    const src = sources[round % 2];
    src.set(data);
    const dst = targets[round % targets.length];
    dst.fill(0xee);
    through(ring, src, dst, n);
    assert.deepEqual(dst.subarray(0, n), data, `round ${round}: ${n} bytes at offset ${dst.byteOffset}`);
    if (dst.length > n) assert.equal(dst[n], 0xee, `round ${round}: a byte past the count was written`);
  }
});

test('reading into the very array that was written from', () => {
  const ring = RingBuffer.create({ capacity: 32 });
  const a = pattern(12, 1);
  const want = a.slice();
  for (let round = 0; round < 20; round++) {
    through(ring, a, a, 12);
    assert.deepEqual(a, want);
  }
});

test('one view of a resizable buffer that shrinks and grows between calls', () => {
  const ring = RingBuffer.create({ capacity: 64 });
  const buffer = new ArrayBuffer(64, { maxByteLength: 64 });
  const view = new Uint8Array(buffer); // the same array every call; its length tracks the buffer's
  for (const size of [64, 16, 48, 8, 40, 12, 64]) {
    buffer.resize(size);
    const data = pattern(size, size);
    view.set(data);
    assert.equal(ring.producer.tryWrite(view), size);
    view.fill(0);
    assert.equal(ring.consumer.readInto(view), size);
    assert.deepEqual(view, data, `buffer of ${size} bytes`);
  }
});
