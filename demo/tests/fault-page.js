// fault-page.js — the page of the fault e2e test (e2e/fault.spec.js).
// window.faultTest.run(options) starts the producer Worker (fault-producer.js)
// in `mode`, terminates it at the chosen point, reads everything with this
// thread's consumer, and reports what it read and how the read ended.
import { RingBuffer, PeerGoneError, layout as L } from '/dist/index.js';
import { byteAt } from './flows-shared.js';

async function run({ mode, capacity, committed, reserve, total, peerTimeoutMs }) {
    const worker = new Worker(new URL('./fault-producer.js', import.meta.url), { type: 'module' });
    const errors = [];
    worker.onerror = (e) => errors.push(String(e.message));
    const ring = RingBuffer.create({ capacity, peerTimeoutMs });
    const consumer = ring.consumer;
    const ctl = new Int32Array(new SharedArrayBuffer(16));
    worker.postMessage({ mode, handle: ring.handle, ctl, committed, reserve, total, peerTimeoutMs });
    const until = performance.now() + 15000;
    const waitFor = async (ok, what) => {
        while (!ok()) {
            if (performance.now() > until) throw new Error(`timed out waiting for ${what}; worker errors: ${errors}`);
            await new Promise((r) => setTimeout(r, 5));
        }
    };
    const header = new Int32Array(ring.memory.buffer);
    const word = (off) => Atomics.load(header, (ring.offset + off) >>> 2);
    const parts = [];
    let got = 0;
    await waitFor(() => Atomics.load(ctl, 0) >= 1, 'the worker to start');
    if (mode === 'write') {
        // Read slowly for a while, then stop; terminate once the writer waits.
        while (got < 20000) {
            const v = await consumer.read(700);
            parts.push(v);
            got += v.length;
        }
        await waitFor(() => ring.available === capacity && word(L.RBS_OFF_PRODUCER_WAITERS) > 0, 'the writer to wait for room');
    }
    worker.terminate();
    const stageAtTerminate = Atomics.load(ctl, 0);
    const written = word(L.RBS_OFF_WRITE) >>> 0;
    const t0 = performance.now();
    let end;
    for (;;) {
        let v;
        try {
            v = await consumer.read(4096);
        } catch (e) {
            end = { name: e.name, isPeerGone: e instanceof PeerGoneError, role: e.role, silentMs: e.silentMs, message: e.message };
            break;
        }
        if (v === null) {
            end = { name: 'end of stream' };
            break;
        }
        parts.push(v);
        got += v.length;
    }
    const endedAfterMs = performance.now() - t0;
    let mismatch = -1;
    let pos = 0;
    for (const p of parts) {
        for (let i = 0; i < p.length && mismatch < 0; i++) if (p[i] !== byteAt(pos + i)) mismatch = pos + i;
        pos += p.length;
    }
    const r = { got, written, mismatch, end, endedAfterMs, stageAtTerminate, errors, producerAlive: ring.producerAlive, closed: ring.closed };
    document.getElementById('out').textContent = JSON.stringify(r, null, 2);
    return r;
}

window.faultTest = { run };
document.getElementById('out').textContent = JSON.stringify({ ready: true, crossOriginIsolated });
document.documentElement.dataset.ready = 'true';
