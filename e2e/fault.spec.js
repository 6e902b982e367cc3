// Faults in a real browser, in every engine: a producer Worker that the page
// terminates (worker.terminate()) between reserve and commit, or in the
// middle of a long write() waiting for room, leaves the main thread's
// consumer exactly the committed bytes, and the consumer's read() rejects
// with PeerGoneError within the peer timeout instead of waiting forever.
// The fixture is demo/tests/fault.html (its Worker: fault-producer.js).
import { test, expect } from './fixtures.js';

async function openFixture(tab) {
    await tab.open('/tests/fault.html');
    expect(await tab.evaluate(() => crossOriginIsolated)).toBe(true);
}

const runFault = (tab, options) => tab.evaluate((o) => window.faultTest.run(o), options);

test('a Worker terminated between reserve and commit: the page reads exactly the committed bytes, then PeerGoneError', async ({ tab }) => {
    await openFixture(tab);
    const r = await runFault(tab, { mode: 'reserve', capacity: 4096, committed: 3000, reserve: 800, peerTimeoutMs: 1000 });
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

test('a Worker terminated in the middle of a long write() that waits for room: a byte-exact prefix, then PeerGoneError', async ({ tab }) => {
    await openFixture(tab);
    const r = await runFault(tab, { mode: 'write', capacity: 1024, total: 256 * 1024, peerTimeoutMs: 1000 });
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
