// hostile_bytes.worker.js — the honest side of the byte ring under the
// hostile peer: every call of RingBuffer, Producer and Consumer (hostile_honest.js).
import { FAILED } from './hostile_account.js';
import { bool, count, honestChannel, honestMain, randomTools, readCount, seqByte } from './hostile_honest.js';
import { xorshift } from './hostile_shared.js';

const GUARD = 16; // bytes after a read's target that it must leave alone

honestMain(({ lib, acct, memory, lay, ring: spec }) => {
  const { RingBuffer, layout: L } = lib;
  const cap = spec.capacity;
  const dataStart = lay.offset + L.RBS_OFF_DATA;
  const { upto, chance } = randomTools(xorshift(0xb17e5));
  const src = new Uint8Array(2 * cap).map((_, i) => seqByte(0, i));
  const out = new Uint8Array(2 * cap + GUARD);
  const options = { capacity: cap, memory, offset: lay.offset, peerTimeoutMs: 1000 };
  const kept = honestChannel(acct, RingBuffer, options);
  const { reformat, end } = kept;

  const view = (name, v) => acct.view(name, v, memory.buffer, dataStart, cap);

  // A read into out[0, n) that must leave the GUARD bytes after it alone.
  function guarded(name, n, fn) {
    out.fill(0xc3, n, n + GUARD);
    const k = acct.call(name, () => fn(out.subarray(0, n)), readCount(Math.min(n, cap)));
    for (let i = n; i < n + GUARD; i++) if (out[i] !== 0xc3) return acct.escape(`${name} wrote past its target`);
    return k;
  }

  // What a waiting call gets: help from the other role of this thread, then dispose().
  const drain = () => acct.call('Consumer.readInto (help)', () => kept.current.consumer.readInto(out.subarray(0, cap)));
  const feed = () => acct.call('Producer.tryWrite (help)', () => kept.current.producer.tryWrite(src.subarray(0, 1 + upto(cap - 1))));
  const writer = (p) => ({ help: drain, end: () => p.dispose() });
  const reader = (c) => ({ help: feed, end: () => c.dispose() });

  const P = (fn) => () => {
    const p = end('producer');
    return p && fn(p);
  };
  const C = (fn) => () => {
    const c = end('consumer');
    return c && fn(c);
  };

  const steps = [
    P((p) => acct.call('Producer.writable', () => p.writable, count(cap))),
    P((p) => acct.call('Producer.closed', () => p.closed, bool)),
    P((p) => acct.call('Producer.capacity', () => p.capacity, (n) => n === cap)),
    P((p) => {
      const n = upto(2 * cap);
      acct.call('Producer.tryWrite', () => p.tryWrite(src.subarray(0, n)), count(Math.min(n, cap)));
    }),
    P((p) => acct.call('Producer.tryWriteAll', () => p.tryWriteAll(src.subarray(0, upto(cap))), bool)),
    P((p) => acct.callAsync('Producer.write', () => p.write(src.subarray(0, upto(2 * cap))), writer(p), (r) => r === undefined)),
    P((p) => {
      const n = upto(2 * cap);
      acct.call('Producer.writeSync', () => p.writeSync(src.subarray(0, n), upto(1)), count(n));
    }),
    P((p) => {
      const v = acct.call('Producer.reserve', () => p.reserve(upto(2 * cap)), (v) => v instanceof Uint8Array && v.length <= cap);
      if (v === FAILED) return;
      view('Producer.reserve', v);
      v.set(src.subarray(0, v.length));
      acct.call('Producer.commit', () => p.commit(upto(v.length)), (r) => r === undefined);
    }),
    P((p) => acct.callAsync('Producer.waitForRoom', () => p.waitForRoom(), writer(p), (r) => r === undefined)),
    P((p) => chance(64) && acct.callAsync('Producer.close', () => p.close(), writer(p), (r) => r === undefined)),
    P((p) => chance(32) && acct.call('Producer.dispose', () => p.dispose())),
    C((c) => acct.call('Consumer.available', () => c.available, count(cap))),
    C((c) => acct.call('Consumer.closed', () => c.closed, bool)),
    C((c) => acct.call('Consumer.capacity', () => c.capacity, (n) => n === cap)),
    C((c) => acct.call('Consumer.ended', () => c.ended, bool)),
    C((c) => {
      const n = 1 + upto(2 * cap);
      acct.call('Consumer.tryRead', () => c.tryRead(n), (v) => v == null || (v instanceof Uint8Array && v.length >= 1 && v.length <= Math.min(n, cap)));
    }),
    C((c) => guarded('Consumer.readInto', upto(2 * cap), (t) => c.readInto(t))),
    C((c) => {
      const n = 1 + upto(2 * cap);
      return acct.callAsync('Consumer.read', () => c.read(n), reader(c), (v) => v === null || (v instanceof Uint8Array && v.length >= 1 && v.length <= n));
    }),
    C((c) => {
      const n = 1 + upto(2 * cap);
      acct.call('Consumer.readSync', () => c.readSync(n, upto(1)), (v) => v == null || (v instanceof Uint8Array && v.length >= 1 && v.length <= n));
    }),
    C((c) => {
      const v = acct.call('Consumer.acquire', () => c.acquire(1 + upto(2 * cap)), (v) => v == null || (v instanceof Uint8Array && v.length <= cap));
      if (!(v instanceof Uint8Array)) return;
      view('Consumer.acquire', v);
      out.set(v);
      acct.call('Consumer.release', () => c.release(upto(v.length)), (r) => r === undefined);
    }),
    () => {
      // Positions handed out in quick succession, each a chance for the hostile side to race it.
      for (let i = 0; i < 64; i++) {
        const p = end('producer');
        const v = p && acct.call('Producer.reserve', () => p.reserve(1 + upto(63)), (v) => v instanceof Uint8Array && v.length <= 64);
        if (!(v instanceof Uint8Array)) return;
        view('Producer.reserve', v);
        if (acct.call('Producer.commit', () => p.commit(v.length)) === FAILED) return;
        const c = end('consumer');
        const a = c && acct.call('Consumer.acquire', () => c.acquire(64), (a) => a == null || (a instanceof Uint8Array && a.length <= 64));
        if (!(a instanceof Uint8Array)) return;
        view('Consumer.acquire', a);
        if (acct.call('Consumer.release', () => c.release(a.length)) === FAILED) return;
      }
    },
    C((c) => acct.callAsync('Consumer.waitForData', () => c.waitForData(), reader(c), (r) => r === undefined)),
    C((c) => chance(32) && acct.call('Consumer.dispose', () => c.dispose())),
    () => {
      if (kept.current === null) return;
      acct.call('RingBuffer.available', () => kept.current.available, count(cap));
      acct.call('RingBuffer.closed', () => kept.current.closed, bool);
      acct.call('RingBuffer.producerAlive', () => kept.current.producerAlive, bool);
      acct.call('RingBuffer.consumerAlive', () => kept.current.consumerAlive, bool);
    },
    async () => {
      if (kept.current === null) return;
      // The handle names the capacity, so a forged one is refused (RangeError naming handle.capacity).
      const forged = (e) => e instanceof RangeError && e.message.includes('handle.capacity');
      const options = { peerTimeoutMs: 1000 };
      const o = chance(2)
        ? acct.call('RingBuffer.attachSync', () => RingBuffer.attachSync(kept.current.handle, options), null, forged)
        : await acct.callAsync('RingBuffer.attach', () => RingBuffer.attach(kept.current.handle, options), { end: () => {} }, null, forged);
      if (o === FAILED) return;
      acct.call('RingBuffer.available (attached)', () => o.available, count(cap));
      acct.call('RingBuffer.dispose (attached)', () => o.dispose());
    },
    async () => {
      if (kept.current === null || !chance(8)) return;
      const name = chance(2) ? 'producer' : 'consumer';
      const e = await acct.callAsync(`RingBuffer.claim('${name}')`, () => kept.current.claim(name), { end: () => kept.current?.dispose() });
      if (e !== FAILED) acct.call(`${e.constructor.name}.dispose`, () => e.dispose());
    },
    () => kept.current && acct.callAsync('RingBuffer.write', () => kept.current.write(src.subarray(0, upto(2 * cap))), { help: drain, end: () => kept.current?.dispose() }, (r) => r === undefined),
    () => {
      if (kept.current === null) return;
      const n = 1 + upto(2 * cap);
      return acct.callAsync('RingBuffer.read', () => kept.current.read(n), { help: feed, end: () => kept.current?.dispose() }, (v) => v === null || (v instanceof ArrayBuffer && v.byteLength >= 1 && v.byteLength <= n));
    },
  ];

  // Writes n bytes of the stream `seed` one way and reads them back another.
  async function round(seed) {
    const token = acct.quietBegin();
    if (token < 0) return;
    reformat();
    const p = end('producer');
    const c = end('consumer');
    if (!p || !c) return;
    let exact = true;
    const k0 = upto(cap - 1); // moves the positions, so that the round may wrap
    if (k0 > 0) {
      exact &&= acct.call('Producer.tryWrite', () => p.tryWrite(src.subarray(0, k0))) === k0;
      exact &&= acct.call('Consumer.readInto', () => c.readInto(out.subarray(0, k0))) === k0;
    }
    const n = 1 + upto(cap - 1);
    const want = new Uint8Array(n).map((_, i) => seqByte(seed, i));
    exact &&= await writeAll(p, want);
    exact &&= await readAll(c, n);
    exact &&= out.subarray(0, n).every((b, i) => b === want[i]);
    exact &&= acct.call('Consumer.available', () => c.available) === 0;
    acct.round(token, exact, `bytes: ${k0} then ${n}`);
  }

  async function writeAll(p, want) {
    const n = want.length;
    switch (upto(3)) {
      case 0:
        return acct.call('Producer.tryWriteAll', () => p.tryWriteAll(want)) === true;
      case 1:
        return acct.call('Producer.writeSync', () => p.writeSync(want, 100)) === n;
      case 2:
        return (await acct.callAsync('Producer.write', () => p.write(want), { end: () => p.dispose() })) === undefined;
      default:
        for (let at = 0; at < n; ) {
          const v = acct.call('Producer.reserve', () => p.reserve(n - at));
          if (v === FAILED || v.length === 0) return false;
          view('Producer.reserve', v);
          v.set(want.subarray(at, at + v.length));
          if (acct.call('Producer.commit', () => p.commit(v.length)) === FAILED) return false;
          at += v.length;
        }
        return true;
    }
  }

  async function readAll(c, n) {
    const how = upto(4);
    for (let at = 0; at < n; ) {
      let k;
      if (how === 0) k = acct.call('Consumer.readInto', () => c.readInto(out.subarray(at, n)));
      else if (how === 1 || how === 2 || how === 3) {
        const v =
          how === 1
            ? acct.call('Consumer.tryRead', () => c.tryRead(n - at))
            : how === 2
              ? acct.call('Consumer.readSync', () => c.readSync(n - at, 100))
              : await acct.callAsync('Consumer.read', () => c.read(n - at), { end: () => c.dispose() });
        if (!(v instanceof Uint8Array)) return false;
        out.set(v, at);
        k = v.length;
      } else {
        const v = acct.call('Consumer.acquire', () => c.acquire(n - at));
        if (!(v instanceof Uint8Array)) return false;
        view('Consumer.acquire', v);
        out.set(v, at);
        if (acct.call('Consumer.release', () => c.release(v.length)) === FAILED) return false;
        k = v.length;
      }
      if (typeof k !== 'number' || k <= 0) return false;
      at += k;
    }
    return true;
  }

  reformat();
  return { steps, round, dispose: () => kept.current?.dispose() };
});
