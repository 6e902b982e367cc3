// fault_peer.worker.js — the other thread of the fault tests, which the main
// thread terminates at a chosen point (worker.terminate(): no finally block,
// no dispose, no close runs; the thread just stops).  ctl[0] is the stage it
// reached (notified), so the main thread knows where it is.
import { parentPort, workerData } from 'node:worker_threads';
import { AudioRing, RingBuffer } from '../../dist/index.js';
import { streamBytes, firstStreamMismatch } from './fault_util.js';

const d = workerData;
const ctl = d.ctl;

function stage(n) {
  Atomics.store(ctl, 0, n);
  Atomics.notify(ctl, 0);
}

// Blocks this thread for good: the main thread terminates it here.
function hang() {
  for (;;) Atomics.wait(ctl, 63, 0);
}

// Stays alive doing nothing, its event loop free (so its heartbeat runs).
function idle() {
  setInterval(() => {}, 1000);
}

const errorInfo = (e) => ({ name: e.name, message: e.message, code: e.code, codeName: e.codeName, role: e.role, silentMs: e.silentMs });

const modes = {
  // Commits `committed` bytes of the stream, then reserves `reserve` more,
  // writes stray bytes into the first half of the view, and never commits.
  async 'reserve-half'() {
    const ring = RingBuffer.attachSync(d.handle, { peerTimeoutMs: d.peerTimeoutMs });
    const p = ring.producer;
    if (!p.tryWriteAll(streamBytes(0, d.committed))) throw new Error('the committed bytes did not fit');
    const view = p.reserve(d.reserve);
    if (view.length !== d.reserve) throw new Error(`reserve(${d.reserve}) gave ${view.length} bytes`);
    view.fill(0xee, 0, view.length >> 1);
    stage(1);
    hang();
  },

  // One long write of the stream that has to wait for room (the main thread
  // reads slowly, then stops and terminates this thread while it waits).
  async 'long-write'() {
    const ring = RingBuffer.attachSync(d.handle, { peerTimeoutMs: d.peerTimeoutMs });
    const p = ring.producer;
    const data = streamBytes(0, d.total);
    stage(1);
    if (d.sync) p.writeSync(data);
    else await p.write(data);
    stage(2); // only if the main thread let it finish
  },

  // A new producer takes over the dead one's role and continues the stream.
  async 'takeover-write'() {
    const ring = RingBuffer.attachSync(d.handle, { peerTimeoutMs: d.peerTimeoutMs });
    const t0 = performance.now();
    const p = await ring.claim('producer', { takeOver: true, staleMs: d.staleMs });
    parentPort.postMessage({ took: true, watchedMs: performance.now() - t0 });
    await p.write(streamBytes(d.from, d.n));
    await p.close();
    parentPort.postMessage({ done: true });
  },

  // Blocking reads until the end or PeerGoneError; reports what it got.
  async 'read-sync'() {
    const ring = RingBuffer.attachSync(d.handle, { peerTimeoutMs: d.peerTimeoutMs });
    const c = ring.consumer;
    stage(1);
    let got = 0;
    let mismatch = -1;
    try {
      for (;;) {
        const v = c.readSync(4096, 20_000);
        if (v === null) break;
        const m = firstStreamMismatch(v, got);
        if (m >= 0 && mismatch < 0) mismatch = got + m;
        got += v.length;
      }
      parentPort.postMessage({ got, mismatch, error: null });
    } catch (e) {
      parentPort.postMessage({ got, mismatch, error: errorInfo(e) });
    }
  },

  // Reads exactly n bytes of the stream, then stops reading for good (alive
  // and idle: its heartbeat goes on until the main thread terminates it).
  async 'consume-then-stop'() {
    const ring = RingBuffer.attachSync(d.handle, { peerTimeoutMs: d.peerTimeoutMs });
    const c = ring.consumer;
    let got = 0;
    while (got < d.n) {
      const v = c.readSync(d.n - got, 10_000);
      if (!v) throw new Error(`the stream stopped at ${got} of ${d.n} (${v})`);
      const m = firstStreamMismatch(v, got);
      if (m >= 0) throw new Error(`byte ${got + m} is wrong`);
      got += v.length;
    }
    stage(1);
    idle();
  },

  // Claims the consumer, leaves a read() pending, then blocks this thread for
  // pauseMs (no heartbeat, as in a debugger pause); once it runs again it
  // reports how the read, a tryRead and the ring's getter fail.
  async 'paused-consumer'() {
    const ring = RingBuffer.attachSync(d.handle, { peerTimeoutMs: 0 });
    const c = ring.consumer;
    const reading = c.read(1).then(
      () => null,
      (e) => errorInfo(e),
    );
    await new Promise((resolve) => setTimeout(resolve, 50)); // the read is asleep
    stage(1);
    Atomics.wait(ctl, 63, 0, d.pauseMs);
    const read = await reading;
    const attempt = (f) => {
      try {
        f();
        return null;
      } catch (e) {
        return errorInfo(e);
      }
    };
    parentPort.postMessage({ read, tryRead: attempt(() => c.tryRead(1)), getter: attempt(() => ring.consumer), disposed: c.disposed });
    idle();
  },

  // Tries to take roles the main thread holds: every attempt must fail.
  async 'claim-taken'() {
    const out = {};
    const ring = RingBuffer.attachSync(d.handle);
    const attempt = async (name, f) => {
      try {
        await f();
        out[name] = null;
      } catch (e) {
        out[name] = errorInfo(e);
      }
    };
    await attempt('producer', () => ring.producer);
    await attempt('consumer', () => ring.consumer);
    await attempt('write', () => ring.write(new Uint8Array(1)));
    await attempt('takeOver', () => ring.claim('producer', { takeOver: true, staleMs: d.staleMs }));
    const audio = AudioRing.attachSync(d.audioHandle);
    const planes = [new Float32Array(4), new Float32Array(4)];
    await attempt('audioWrite', () => audio.writer.write(planes));
    await attempt('audioRead', () => audio.reader.read(planes));
    await attempt('audioTakeOver', () => audio.claim('writer', { takeOver: true, staleMs: d.staleMs }));
    parentPort.postMessage({ out, framesWritable: audio.framesWritable, bytesAvailable: ring.available });
  },

  // Writes frames f = 0, 1, 2, ... (sample of channel c: 4 f + c) for as long
  // as it lives, never more than fit (so none is dropped), in chunks of
  // varying length; ctl[1] counts the frames it wrote.
  async 'audio-writer'() {
    const audio = AudioRing.attachSync(d.audioHandle, { peerTimeoutMs: d.peerTimeoutMs });
    const writer = audio.writer;
    const ch = audio.channels;
    const max = 300;
    const planes = Array.from({ length: ch }, () => new Float32Array(max));
    let f = 0;
    let seed = d.seed >>> 0 || 1;
    for (;;) {
      seed ^= seed << 13;
      seed ^= seed >>> 17;
      seed ^= seed << 5;
      const want = 1 + ((seed >>> 0) % max);
      const k = Math.min(want, audio.framesWritable);
      if (k === 0) {
        Atomics.wait(ctl, 63, 0, 1);
        continue;
      }
      for (let c = 0; c < ch; c++) for (let i = 0; i < k; i++) planes[c][i] = 4 * (f + i) + c;
      const w = writer.write(planes.map((p) => p.subarray(0, k)));
      if (w !== k) throw new Error(`wrote ${w} of ${k} frames that fit`);
      f += k;
      Atomics.store(ctl, 1, f);
      if (Atomics.load(ctl, 0) === 0) stage(1);
    }
  },
};

try {
  await modes[d.mode]();
} catch (e) {
  parentPort.postMessage({ fatal: String(e && e.stack ? e.stack : e) });
}
