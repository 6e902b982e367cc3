// Faults in a real browser: a producer Worker that the page terminates
// (worker.terminate()) between reserve and commit, or in the middle of a long
// write() waiting for room, leaves the main thread's consumer exactly the
// committed bytes, and the consumer's read() rejects with PeerGoneError
// within the peer timeout instead of waiting forever.
//
// The page is a bare fixture served on the isolated server's origin through
// page.route (with COOP/COEP, so it is cross-origin isolated); the library
// comes from the server's /dist/ and the Worker from a module Blob that
// imports it.
import { test, expect } from './screenshot.js';

const FIXTURE = '/fault-fixture.html';
const ISOLATION = {
    'Content-Type': 'text/html; charset=utf-8',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Cross-Origin-Embedder-Policy': 'require-corp',
};

async function openFixture(page) {
    await page.route(`**${FIXTURE}`, (route) =>
        route.fulfill({ status: 200, headers: ISOLATION, body: '<!doctype html><title>fault</title><h1>Faults</h1><pre id="out" style="white-space: pre-wrap"></pre>' }),
    );
    await page.goto(FIXTURE);
    expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
}

// Runs in the page: starts the producer Worker in `mode`, terminates it at
// the chosen point, reads everything with the main thread's consumer, and
// reports what it read and how the read ended.
async function runFault({ mode, capacity, committed, reserve, total, peerTimeoutMs }) {
    const { RingBuffer, PeerGoneError, layout: L } = await import('/dist/index.js');
    const byteAt = (i) => (i * 131 + (i >>> 8) * 7 + 1) & 0xff;
    const workerSource = `
        import { RingBuffer } from '${location.origin}/dist/index.js';
        const byteAt = ${byteAt.toString()};
        const bytes = (from, n) => Uint8Array.from({ length: n }, (_, i) => byteAt(from + i));
        onmessage = async ({ data: d }) => {
            const ring = await RingBuffer.attach(d.handle, { peerTimeoutMs: d.peerTimeoutMs });
            const p = ring.producer;
            const stage = (n) => { Atomics.store(d.ctl, 0, n); Atomics.notify(d.ctl, 0); };
            if (d.mode === 'reserve') {
                if (!p.tryWriteAll(bytes(0, d.committed))) throw new Error('did not fit');
                const view = p.reserve(d.reserve);
                view.fill(0xee, 0, view.length >> 1); // half written, never committed
                stage(1);
                for (;;) Atomics.wait(d.ctl, 3, 0); // terminated here
            } else {
                stage(1);
                await p.write(bytes(0, d.total)); // terminated while this waits for room
                stage(2);
            }
        };`;
    const url = URL.createObjectURL(new Blob([workerSource], { type: 'text/javascript' }));
    const worker = new Worker(url, { type: 'module' });
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
    URL.revokeObjectURL(url);
    const r = { got, written, mismatch, end, endedAfterMs, stageAtTerminate, errors, producerAlive: ring.producerAlive, closed: ring.closed };
    document.getElementById('out').textContent = JSON.stringify(r, null, 2);
    return r;
}

test('a Worker terminated between reserve and commit: the page reads exactly the committed bytes, then PeerGoneError', async ({ page }) => {
    await openFixture(page);
    const r = await page.evaluate(runFault, { mode: 'reserve', capacity: 4096, committed: 3000, reserve: 800, peerTimeoutMs: 1000 });
    test.info().annotations.push({ type: 'fault', description: `read ${r.got} bytes, then ${r.end.name} after ${Math.round(r.endedAfterMs)} ms` });
    expect(r.errors).toEqual([]);
    expect(r.stageAtTerminate).toBe(1);
    expect(r.got).toBe(3000);
    expect(r.written).toBe(3000);
    expect(r.mismatch).toBe(-1);
    expect(r.end.isPeerGone).toBe(true);
    expect(r.end.name).toBe('PeerGoneError');
    expect(r.end.role).toBe('producer');
    expect(r.end.silentMs).toBeGreaterThanOrEqual(1000);
    expect(r.end.message).toMatch(/^Consumer\.read: the producer has been silent for \d+ ms while the ring is empty/);
    expect(r.endedAfterMs).toBeLessThan(10000);
    expect(r.producerAlive).toBe(false);
    expect(r.closed).toBe(false);
});

test('a Worker terminated in the middle of a long write() that waits for room: a byte-exact prefix, then PeerGoneError', async ({ page }) => {
    await openFixture(page);
    const r = await page.evaluate(runFault, { mode: 'write', capacity: 1024, total: 256 * 1024, peerTimeoutMs: 1000 });
    test.info().annotations.push({ type: 'fault', description: `read ${r.got} of ${256 * 1024} bytes, then ${r.end.name} after ${Math.round(r.endedAfterMs)} ms` });
    expect(r.errors).toEqual([]);
    expect(r.stageAtTerminate).toBe(1);
    expect(r.got).toBe(r.written);
    expect(r.got).toBeGreaterThan(20000);
    expect(r.got).toBeLessThan(256 * 1024);
    expect(r.mismatch).toBe(-1);
    expect(r.end.isPeerGone).toBe(true);
    expect(r.end.role).toBe('producer');
    expect(r.end.silentMs).toBeGreaterThanOrEqual(1000);
    expect(r.endedAfterMs).toBeLessThan(10000);
});
