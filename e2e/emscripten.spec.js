// C programs compiled with Emscripten as peers of the JS package, in every
// engine (their pages come from e2e/emscripten-server.js, on E2E_PORT + 3):
//   - the example synth's C thread plays through createRingSourceNode(context,
//     { ring }) on the ring it made in its own heap; a sink node records the
//     output and every non-silent frame must be the synth's next one, with
//     the fixed and the growable memory (grown mid-stream from C and JS);
//   - a C producer feeds a Worker's readSync, every byte checked, both
//     memories, the growable one grown mid-stream from both sides;
//   - the example page itself plays (README, "From an Emscripten program").
import { test, expect } from './fixtures.js';
import { EMSCRIPTEN_URL } from './servers.js';

const SECONDS = 2;
// The program starts its pthread pool (four Workers) before the page is ready.
const START_MS = 30_000;

async function open(tab, variant) {
    await tab.goto(`${EMSCRIPTEN_URL}/index.html?variant=${variant}`);
    await tab.waitFor(() => document.documentElement.dataset.ready === 'true', null, { timeout: START_MS, what: `the ${variant} program to start` });
    expect(await tab.evaluate(() => crossOriginIsolated)).toBe(true);
}

for (const variant of ['fixed', 'growable']) {
    const grow = variant === 'growable';
    test(`${variant} memory: the C synth plays through a source node on its own ring, every frame checked`, async ({ tab }) => {
        await open(tab, variant);
        const r = await tab.evaluate(([s, g]) => window.runAudio(s, g), [SECONDS, grow]);
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
        expect(await tab.errors()).toEqual([]);
    });

    test(`${variant} memory: a C producer feeds a Worker's readSync, every byte checked`, async ({ tab }) => {
        await open(tab, variant);
        const r = await tab.evaluate(([t, g]) => window.runBytes(t, g), [16 << 20, grow]);
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
        expect(await tab.errors()).toEqual([]);
    });
}

test('the example page plays the synth and shows it alive', async ({ tab }) => {
    await tab.goto(`${EMSCRIPTEN_URL}/example/`);
    // No ready marker on the example: its module script has run once it defined exampleState.
    await tab.waitFor(() => typeof window.exampleState === 'function' && typeof globalThis.createSynth === 'function', null, { what: 'the example page to load' });
    await tab.click('#play');
    await tab.waitFor(() => document.querySelector('#status').textContent.includes('playing'), null, { timeout: START_MS, what: 'the example to play' });
    const s = await tab.waitFor(
        () => {
            const x = window.exampleState?.();
            return x && x.framesRead > 24000 && x;
        },
        null,
        { timeout: START_MS, what: '24000 frames played' },
    );
    expect(s.started).toBe(true);
    expect(s.writerAlive).toBe(true);
    expect(s.readerAlive).toBe(true);
    await tab.click('#stop');
    await tab.waitFor(() => document.querySelector('#status').textContent.includes('stopped'), null, { timeout: 10_000, what: 'the example to stop' });
    expect(await tab.errors()).toEqual([]);
});
