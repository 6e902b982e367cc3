// C programs compiled with Emscripten as peers of the JS package, in headless
// Chromium (self-contained: its own demo server with the isolation headers,
// serving the test page, the example and the builds of mk/emscripten.mk):
//   - the example synth's C thread plays through createRingSourceNode(context,
//     { ring }) on the ring it made in its own heap; a sink node records the
//     output and every non-silent frame must be the synth's next one, with
//     the fixed and the growable memory (grown mid-stream from C and JS);
//   - a C producer feeds a Worker's readSync, every byte checked, both
//     memories, the growable one grown mid-stream from both sides;
//   - the example page itself plays (README, "From an Emscripten program").
import { test, expect } from '@playwright/test';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createDemoServer } from '../demo/server.js';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const SECONDS = 2;
let server;
let base;

test.beforeAll(async () => {
    const mounts = [
        { prefix: '/dist/', dir: path.join(REPO, 'dist') },
        { prefix: '/build/', dir: path.join(REPO, 'build', 'emscripten') },
        { prefix: '/example/build/', dir: path.join(REPO, 'build', 'examples', 'emscripten') },
        { prefix: '/example/', dir: path.join(REPO, 'examples', 'emscripten') },
        { prefix: '/', dir: path.join(REPO, 'tests', 'emscripten', 'page') },
    ];
    server = createDemoServer({ mounts });
    await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${server.address().port}`;
});

test.afterAll(async () => {
    server?.closeAllConnections();
    await new Promise((resolve) => server?.close(resolve));
});

async function open(page, variant) {
    const errors = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${base}/index.html?variant=${variant}`);
    await expect(page.locator('html')).toHaveAttribute('data-ready', 'true', { timeout: 30_000 });
    expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
    return errors;
}

for (const variant of ['fixed', 'growable']) {
    const grow = variant === 'growable';
    test(`${variant} memory: the C synth plays through a source node on its own ring, every frame checked`, async ({ page }) => {
        const errors = await open(page, variant);
        const r = await page.evaluate(([s, g]) => window.runAudio(s, g), [SECONDS, grow]);
        test.info().annotations.push({
            type: 'audio',
            description: `${r.checked} of ${r.frames} frames checked, ${r.silent} silent, underruns ${r.underruns}, growth ${JSON.stringify(r.growth)}`,
        });
        expect(r.firstBad).toBeNull();
        expect(r.checked).toBe(r.frames);
        expect(r.synthResult).toBe(1);
        expect(r.framesWritten).toBe(r.frames);
        expect(r.overruns).toBe(0);
        expect(r.started).toBe(true);
        if (grow) {
            expect(r.growth.map((g) => g.by)).toEqual(['C', 'JS']);
            expect(r.growth[0].address).not.toBe(0);
            expect(r.growth[1].length).toBeGreaterThan(r.initialLength);
            expect(r.growth[1].at).toBeLessThan(r.frames);
        }
        expect(errors).toEqual([]);
    });

    test(`${variant} memory: a C producer feeds a Worker's readSync, every byte checked`, async ({ page }) => {
        const errors = await open(page, variant);
        const r = await page.evaluate(([t, g]) => window.runBytes(t, g), [16 << 20, grow]);
        expect(r.end).toBe('closed');
        expect(r.firstBad).toBe(-1);
        expect(r.moved).toBe(r.total);
        expect(r.cResult).toBe(1);
        expect(r.cSleptOut).toBe(0);
        if (grow) {
            expect(r.cGrown).not.toBe(0);
            expect(r.grownByJs).not.toBeNull();
            expect(r.grownByJs).toBeLessThan(r.total);
            expect(r.length).toBeGreaterThan(r.initialLength);
        }
        expect(errors).toEqual([]);
    });
}

test('the example page plays the synth and shows it alive', async ({ page }) => {
    const errors = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${base}/example/`);
    await page.locator('#play').click();
    await expect(page.locator('#status')).toContainText('playing', { timeout: 30_000 });
    const state = await page.waitForFunction(() => {
        const s = window.exampleState?.();
        return s && s.framesRead > 24000 && s;
    }, null, { timeout: 30_000 });
    const s = await state.jsonValue();
    expect(s.started).toBe(true);
    expect(s.writerAlive).toBe(true);
    expect(s.readerAlive).toBe(true);
    await page.locator('#stop').click();
    await expect(page.locator('#status')).toContainText('stopped', { timeout: 10_000 });
    expect(errors).toEqual([]);
});
