// Model-based property test of the byte ring's JS API on one thread
// (fast-check commands): random sequences of valid and invalid calls --
// tryWrite, tryWriteAll, write (awaited when it can finish), reserve+commit
// (sometimes committing more than reserved), tryRead, readInto, read,
// acquire+release, close, the queries, and calls with bad arguments -- run
// against a model: a byte queue with a capacity and a closed flag, plus the
// write and read positions (for where a zero-copy view must stop) and the
// last reservation and acquire.
//   - every valid call does what the model says: exact bytes, counts, views,
//     undefined when nothing is there now and null once the stream ended;
//   - every invalid call throws the documented error class and message and
//     changes nothing (the model is left as it was; the ring stays usable);
//   - after every call the queries agree with the model.
// Fixed seeds and a bounded number of runs: repeatable, a few seconds.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { RingBuffer, RingBufferError, layout as L } from '../../dist/index.js';

const CLOSED_TEXT = 'the producer closed the ring: the stream has ended';

/** The expected RBS_ECLOSED failure of `where`. */
const closedError = (where) => (e) => {
  assert.ok(e instanceof RingBufferError, `${where}: expected RingBufferError, got ${e && e.stack}`);
  assert.equal(e.code, -4);
  assert.equal(e.codeName, 'RBS_ECLOSED');
  assert.equal(e.message, `${where}: ${CLOSED_TEXT}`);
  return true;
};

/** Checks the queries of both roles against the model. */
function agree(m, real) {
  const used = m.q.length;
  assert.equal(real.ring.available, used);
  assert.equal(real.c.available, used);
  assert.equal(real.p.writable, m.cap - used);
  assert.equal(real.ring.closed, m.closed);
  assert.equal(real.p.closed, m.closed);
  assert.equal(real.c.ended, m.closed && used === 0);
}

const free = (m) => m.cap - m.q.length;
// Bytes a zero-copy view can hold before the end of the buffer.
const toEndW = (m) => m.cap - (m.w % m.cap);
const toEndR = (m) => m.cap - (m.r % m.cap);

function push(m, bytes) {
  for (const b of bytes) m.q.push(b);
  m.w += bytes.length;
}
function shift(m, n) {
  const out = m.q.splice(0, n);
  m.r += n;
  return Uint8Array.from(out);
}

// The caller's data in one of the binary forms the API takes.
function wrap(bytes, form) {
  switch (form) {
    case 'ArrayBuffer':
      return bytes.slice().buffer;
    case 'SharedArrayBuffer': {
      const s = new SharedArrayBuffer(bytes.length);
      new Uint8Array(s).set(bytes);
      return s;
    }
    case 'DataView': {
      const b = new Uint8Array(bytes.length + 3);
      b.set(bytes, 3);
      return new DataView(b.buffer, 3, bytes.length);
    }
    case 'subarray': {
      const b = new Uint8Array(bytes.length + 5);
      b.set(bytes, 5);
      return b.subarray(5);
    }
    default:
      return bytes;
  }
}

const FORMS = ['Uint8Array', 'ArrayBuffer', 'SharedArrayBuffer', 'DataView', 'subarray'];
const NOT_BINARY = [42, 'abc', null, undefined, {}, [1, 2, 3], true, 3n];
const BAD_COUNTS = [-1, 1.5, NaN, Infinity, -Infinity, 2 ** 32, '3', undefined, null, {}];
const BINARY_TEXT = 'must be an ArrayBuffer, a SharedArrayBuffer, a TypedArray or a DataView; got ';

const describeValue = (v) => (typeof v === 'bigint' ? `${v}n` : typeof v === 'string' ? JSON.stringify(v) : String(v));

// ---------------------------------------------------------------------------
// Valid calls

class TryWrite {
  constructor(bytes, form) {
    Object.assign(this, { bytes, form });
  }
  check = () => true;
  run(m, real) {
    if (m.closed) {
      assert.throws(() => real.p.tryWrite(wrap(this.bytes, this.form)), closedError('Producer.tryWrite'));
    } else {
      const k = Math.min(this.bytes.length, free(m));
      assert.equal(real.p.tryWrite(wrap(this.bytes, this.form)), k);
      push(m, this.bytes.subarray(0, k));
    }
    m.reserved = 0; // any write drops the reservation
    agree(m, real);
  }
  toString = () => `tryWrite(${this.form} ${this.bytes.length})`;
}

class TryWriteAll {
  constructor(bytes, form) {
    Object.assign(this, { bytes, form });
  }
  check = () => true;
  run(m, real) {
    const n = this.bytes.length;
    const data = wrap(this.bytes, this.form);
    if (n > m.cap) {
      // An argument error: nothing changes, the reservation stays.
      assert.throws(() => real.p.tryWriteAll(data), {
        name: 'RangeError',
        message: `Producer.tryWriteAll: data is ${n} bytes, more than the ring's capacity ${m.cap} can ever hold at once; data.byteLength must be from 0 to ${m.cap} (write() takes any length)`,
      });
    } else if (m.closed) {
      assert.throws(() => real.p.tryWriteAll(data), closedError('Producer.tryWriteAll'));
      m.reserved = 0;
    } else {
      const fits = n <= free(m);
      assert.equal(real.p.tryWriteAll(data), fits);
      if (fits) push(m, this.bytes);
      m.reserved = 0;
    }
    agree(m, real);
  }
  toString = () => `tryWriteAll(${this.form} ${this.bytes.length})`;
}

// write() that can finish on this one thread: it fits now (or the ring is closed).
class Write {
  constructor(bytes, form) {
    Object.assign(this, { bytes, form });
  }
  check = (m) => m.closed || this.bytes.length <= free(m);
  async run(m, real) {
    const p = real.p.write(wrap(this.bytes, this.form));
    if (m.closed) await assert.rejects(p, closedError('Producer.write'));
    else {
      assert.equal(await p, undefined);
      push(m, this.bytes);
    }
    m.reserved = 0;
    agree(m, real);
  }
  toString = () => `write(${this.form} ${this.bytes.length})`;
}

class Reserve {
  constructor(n, seed) {
    Object.assign(this, { n, seed });
  }
  check = () => true;
  run(m, real) {
    m.reserved = 0;
    if (m.closed) {
      assert.throws(() => real.p.reserve(this.n), closedError('Producer.reserve'));
      agree(m, real);
      return;
    }
    const v = real.p.reserve(this.n);
    const len = Math.min(this.n, free(m), toEndW(m));
    assert.ok(v instanceof Uint8Array);
    assert.equal(v.length, len);
    if (len > 0) {
      assert.equal(v.buffer, real.ring.memory.buffer, 'a view of the ring itself');
      for (let i = 0; i < len; i++) v[i] = (this.seed + 31 * i) & 0xff;
      m.reserved = len;
      m.resBytes = v.slice();
    }
    agree(m, real);
  }
  toString = () => `reserve(${this.n})`;
}

// Commits n bytes of the last reservation: valid when n <= its length.
class Commit {
  constructor(n) {
    this.n = n;
  }
  check = () => true;
  run(m, real) {
    const n = this.n;
    if (n > m.reserved) {
      assert.throws(() => real.p.commit(n), {
        name: 'RangeError',
        message: `Producer.commit: n must be an integer from 0 to ${m.reserved} (the length of the last reserve()'s view); got ${n}`,
      });
    } else if (n > 0 && m.closed) {
      assert.throws(() => real.p.commit(n), closedError('Producer.commit'));
      m.reserved = 0;
    } else {
      assert.equal(real.p.commit(n), undefined);
      if (n > 0) push(m, m.resBytes.subarray(0, n));
      m.reserved = 0;
    }
    agree(m, real);
  }
  toString = () => `commit(${this.n})`;
}

// What a read of up to n bytes gives when the model holds none: undefined now, null at the end.
const nothing = (m) => (m.closed ? null : undefined);

class TryRead {
  constructor(n) {
    this.n = n;
  }
  check = () => true;
  run(m, real) {
    if (this.n === 0) {
      assert.throws(() => real.c.tryRead(0), { name: 'RangeError', message: 'Consumer.tryRead: n must be an integer from 1 to 4294967295; got 0' });
    } else {
      const got = real.c.tryRead(this.n);
      if (m.q.length === 0) assert.equal(got, nothing(m));
      else {
        assert.ok(got instanceof Uint8Array);
        assert.deepEqual(got, shift(m, Math.min(this.n, m.q.length)));
      }
      m.acquired = 0;
    }
    agree(m, real);
  }
  toString = () => `tryRead(${this.n})`;
}

class ReadInto {
  constructor(n, form) {
    Object.assign(this, { n, form });
  }
  check = () => true;
  run(m, real) {
    const target = wrap(new Uint8Array(this.n).fill(0xa5), this.form);
    const k = real.c.readInto(target);
    const view = target instanceof ArrayBuffer || target instanceof SharedArrayBuffer ? new Uint8Array(target) : new Uint8Array(target.buffer, target.byteOffset, target.byteLength);
    if (this.n === 0) assert.equal(k, m.closed && m.q.length === 0 ? null : 0, 'an empty target takes nothing');
    else if (m.q.length === 0) assert.equal(k, nothing(m));
    else {
      const want = shift(m, Math.min(this.n, m.q.length));
      assert.equal(k, want.length);
      assert.deepEqual(view.subarray(0, k), want);
    }
    assert.ok(view.subarray(k || 0).every((b) => b === 0xa5), 'nothing written past the count');
    m.acquired = 0;
    agree(m, real);
  }
  toString = () => `readInto(${this.form} ${this.n})`;
}

// read() that can finish on this one thread: data is there, or the ring ended.
class Read {
  constructor(n) {
    this.n = n;
  }
  check = (m) => m.q.length > 0 || m.closed;
  async run(m, real) {
    const got = await real.c.read(this.n);
    if (m.q.length === 0) assert.equal(got, null);
    else assert.deepEqual(got, shift(m, Math.min(this.n, m.q.length)));
    m.acquired = 0;
    agree(m, real);
  }
  toString = () => `read(${this.n})`;
}

class Acquire {
  constructor(n) {
    this.n = n;
  }
  check = () => true;
  run(m, real) {
    if (this.n === 0) {
      assert.throws(() => real.c.acquire(0), { name: 'RangeError', message: 'Consumer.acquire: n must be an integer from 1 to 4294967295; got 0' });
      agree(m, real);
      return;
    }
    const v = real.c.acquire(this.n);
    if (m.q.length === 0) {
      assert.equal(v, nothing(m));
      m.acquired = 0;
    } else {
      const len = Math.min(this.n, m.q.length, toEndR(m));
      assert.equal(v.length, len);
      assert.equal(v.buffer, real.ring.memory.buffer, 'a view of the ring itself');
      assert.deepEqual(Uint8Array.from(v), Uint8Array.from(m.q.slice(0, len)));
      m.acquired = len;
    }
    agree(m, real);
  }
  toString = () => `acquire(${this.n})`;
}

class Release {
  constructor(n) {
    this.n = n;
  }
  check = () => true;
  run(m, real) {
    const n = this.n;
    if (n > m.acquired) {
      assert.throws(() => real.c.release(n), {
        name: 'RangeError',
        message: `Consumer.release: n must be an integer from 0 to ${m.acquired} (the length of the last acquire()'s view); got ${n}`,
      });
    } else {
      assert.equal(real.c.release(n), undefined);
      shift(m, n);
      m.acquired = 0;
    }
    agree(m, real);
  }
  toString = () => `release(${this.n})`;
}

class Close {
  check = () => true;
  async run(m, real) {
    assert.equal(await real.p.close(), undefined);
    m.closed = true;
    agree(m, real);
  }
  toString = () => 'close()';
}

// ---------------------------------------------------------------------------
// Invalid calls: the documented error, and nothing changes.

class BadData {
  constructor(method, value) {
    Object.assign(this, { method, value });
  }
  check = () => true;
  async run(m, real) {
    const where = `Producer.${this.method}`;
    const expected = (e) => e instanceof TypeError && e.message.startsWith(`${where}: data ${BINARY_TEXT}`);
    if (this.method === 'write') await assert.rejects(real.p.write(this.value), expected);
    else assert.throws(() => real.p[this.method](this.value), expected);
    agree(m, real);
  }
  toString = () => `${this.method}(${describeValue(this.value)})`;
}

class BadTarget {
  constructor(value) {
    this.value = value;
  }
  check = () => true;
  run(m, real) {
    assert.throws(() => real.c.readInto(this.value), (e) => e instanceof TypeError && e.message.startsWith(`Consumer.readInto: target ${BINARY_TEXT}`));
    agree(m, real);
  }
  toString = () => `readInto(${describeValue(this.value)})`;
}

// A count that is not an integer in range: TypeError when not a number, else RangeError.
class BadCount {
  constructor(method, value) {
    Object.assign(this, { method, value });
  }
  check = () => true;
  async run(m, real) {
    const role = ['reserve', 'commit'].includes(this.method) ? 'Producer' : 'Consumer';
    const obj = role === 'Producer' ? real.p : real.c;
    const max = this.method === 'commit' ? m.reserved : this.method === 'release' ? m.acquired : 2 ** 32 - 1;
    const min = ['read', 'tryRead', 'acquire'].includes(this.method) ? 1 : 0; // a read asks for at least a byte
    const isNumber = typeof this.value === 'number';
    const expected = (e) => {
      assert.equal(e.name, isNumber ? 'RangeError' : 'TypeError', e.message);
      assert.ok(
        e.message.startsWith(`${role}.${this.method}: n must be ${isNumber ? '' : 'a number, '}an integer from ${min} to ${max}`),
        e.message,
      );
      return true;
    };
    if (this.method === 'read') await assert.rejects(obj.read(this.value), expected);
    else assert.throws(() => obj[this.method](this.value), expected);
    agree(m, real);
  }
  toString = () => `${this.method}(${describeValue(this.value)})`;
}

// ---------------------------------------------------------------------------

const bytes = fc.uint8Array({ maxLength: 80 });
const form = fc.constantFrom(...FORMS);
const count = fc.oneof(fc.nat(40), fc.nat(120));
const commands = [
  fc.tuple(bytes, form).map(([b, f]) => new TryWrite(b, f)),
  fc.tuple(bytes, form).map(([b, f]) => new TryWriteAll(b, f)),
  fc.tuple(bytes, form).map(([b, f]) => new Write(b, f)),
  fc.tuple(count, fc.nat(255)).map(([n, s]) => new Reserve(n, s)),
  count.map((n) => new Commit(n)),
  count.map((n) => new TryRead(n)),
  fc.tuple(count, form).map(([n, f]) => new ReadInto(n, f)),
  fc.integer({ min: 1, max: 100 }).map((n) => new Read(n)),
  count.map((n) => new Acquire(n)),
  count.map((n) => new Release(n)),
  fc.constant(null).map(() => new Close()),
  fc.tuple(fc.constantFrom('tryWrite', 'tryWriteAll', 'write'), fc.constantFrom(...NOT_BINARY)).map(([f, v]) => new BadData(f, v)),
  fc.constantFrom(...NOT_BINARY).map((v) => new BadTarget(v)),
  fc.tuple(fc.constantFrom('reserve', 'commit', 'tryRead', 'acquire', 'release', 'read'), fc.constantFrom(...BAD_COUNTS, 0)).map(
    ([f, v]) => new BadCount(f, v === 0 && ['reserve', 'commit', 'release'].includes(f) ? -1 : v),
  ),
];

test('property: random call sequences on one thread do what the byte-queue model says; bad calls throw and change nothing', { timeout: 60_000 }, async () => {
  let runs = 0;
  let calls = 0;
  await fc.assert(
    fc.asyncProperty(fc.constantFrom(16, 32, 64, 128), fc.commands(commands, { maxCommands: 80, size: 'max' }), async (cap, cmds) => {
      runs++;
      const setup = () => {
        const ring = RingBuffer.create({ capacity: cap });
        const real = { ring, p: ring.producer, c: ring.consumer };
        const model = { cap, q: [], w: 0, r: 0, closed: false, reserved: 0, resBytes: null, acquired: 0 };
        return { model, real };
      };
      await fc.asyncModelRun(setup, cmds);
      calls += [...cmds].length;
      // The ring this run used stays usable: fresh roles, once given up, work.
    }),
    { seed: 0x5eed, numRuns: 1000 },
  );
  assert.equal(runs, 1000);
  assert.ok(calls > 1000 * 10, `${calls} calls ran`);
});

test('property: a ring keeps working after any sequence of bad calls, and counters wrap past 2^32', { timeout: 60_000 }, async () => {
  // Drives the free-running counters across 2^32 (a 16-byte ring, many
  // rounds) with random chunk sizes, interleaving every kind of bad call.
  await fc.assert(
    fc.asyncProperty(fc.array(fc.integer({ min: 1, max: 16 }), { minLength: 20, maxLength: 60 }), async (sizes) => {
      const ring = RingBuffer.create({ capacity: 16 });
      // Start both counters just below 2^32 (as after 4 GiB moved), through the header.
      const u32 = new Uint32Array(ring.memory.buffer);
      const start = 2 ** 32 - 8; // every run crosses 2^32 (it moves at least 20 bytes)
      for (const off of [L.RBS_OFF_WRITE, L.RBS_OFF_READ, L.RBS_OFF_CACHED_READ, L.RBS_OFF_CACHED_WRITE]) u32[(ring.offset + off) >>> 2] = start;
      const p = ring.producer;
      const c = ring.consumer;
      let pos = 0;
      let readPos = 0;
      for (const n of sizes) {
        assert.throws(() => p.tryWrite('x'), TypeError);
        assert.throws(() => p.reserve(-n), RangeError);
        assert.throws(() => c.release(n), RangeError);
        assert.throws(() => p.commit(n), RangeError);
        const v = p.reserve(n);
        for (let i = 0; i < v.length; i++) v[i] = (pos + i) & 0xff;
        p.commit(v.length);
        pos += v.length;
        const got = c.tryRead(n) ?? new Uint8Array(0); // undefined: nothing there now
        for (let i = 0; i < got.length; i++) assert.equal(got[i], (readPos + i) & 0xff);
        readPos += got.length;
      }
      const rest = c.tryRead(16) ?? new Uint8Array(0);
      for (let i = 0; i < rest.length; i++) assert.equal(rest[i], (readPos + i) & 0xff);
      assert.equal(readPos + rest.length, pos);
      assert.equal(ring.available, 0);
    }),
    { seed: 7, numRuns: 50 },
  );
});
