// Recorded speech (espeak-ng, resampled by sox to the context's rate: e2e/speech.js)
// streamed by a Worker paced by the adaptive target through
// createRingSourceNode -> createRingSinkNode, checked bit for bit on both
// channels by an analyzer Worker (demo/tests/speech-*.js):
//   - while the main thread janks 200 ms every second: every frame exact, the
//     offset found once, no swap, every gap exactly an underrun, and an
//     underrun only if the producer was starved (e2e/audio-honest.js);
//   - negative controls: a swapped frame and a flipped sample injected on
//     purpose are caught, exactly where they were put;
//   - a gain step event at stream frame N shows at frame N of the sink's output.
// SPEECH_E2E_SECONDS (default 20) sets the length of the jank run.
import { test, expect } from './screenshot.js';
import { judgeUnderruns, latencyStats } from './audio-honest.js';
import { speechAt } from './speech.js';

const SECONDS = Number(process.env.SPEECH_E2E_SECONDS || 20);
test.describe.configure({ timeout: Math.max(90_000, SECONDS * 1000 * 3 + 60_000) });

async function open(page) {
    await page.goto('/tests/speech.html');
    await expect(page.locator('html')).toHaveAttribute('data-ready', 'true');
    const rate = await page.evaluate(async () => {
        const c = new AudioContext();
        const r = c.sampleRate;
        await c.close();
        return r;
    });
    return speechAt(rate);
}

function note(r, what) {
    const a = r.analyzer;
    const { medianMs, maxMs } = latencyStats(r);
    test.info().annotations.push({
        type: 'audio',
        description:
            `${what}: ${r.frames} frames at ${r.sampleRate} Hz in ${r.wallSeconds.toFixed(1)} s; mismatches ${a.mismatches} ` +
            `(swapped ${a.swapped}, flipped ${a.flipped}), gaps ${a.gaps.length} (${a.gapFrames} frames), ` +
            `underruns ${r.source.underruns}, near misses ${r.source.nearMisses}, target ${r.source.targetFrames} frames, ` +
            `added latency median ${medianMs.toFixed(1)} ms, max ${maxMs.toFixed(1)} ms; producer longest gap ${r.producer.maxGapMs} ms`,
    });
}

function expectClean(r) {
    expect(r.errors).toEqual([]);
    expect(r.source.started).toBe(true);
    expect(r.source.overruns).toBe(0);
    expect(r.sink.overruns).toBe(0);
    expect(r.analyzer.captured).toBe(r.frames);
    expect(r.analyzer.gapFrames, 'every silent gap in the output is an underrun the source counted').toBe(r.source.underruns);
    const { failure, note: seen } = judgeUnderruns(r);
    test.info().annotations.push({ type: 'underruns', description: seen });
    expect(failure, failure ?? '').toBeNull();
}

test(`${SECONDS} s of speech through source -> sink while the main thread janks 200 ms a second: bit-exact, not swapped`, async ({ page }) => {
    const { url } = await open(page);
    const r = await page.evaluate((o) => window.speechTest.run(o), { url, seconds: SECONDS, jank: { ms: 200, everyMs: 1000 } });
    note(r, 'speech with jank');
    expectClean(r);
    expect(r.analyzer.first).toEqual([]);
    expect(r.analyzer.mismatches).toBe(0);
    expect(r.analyzer.swapped).toBe(0);
    expect(r.jankMarks.length).toBeGreaterThanOrEqual(SECONDS - 2);
    expect(r.source.targetFrames).toBeGreaterThanOrEqual(r.source.fillBounds.minFrames);
    expect(r.source.targetFrames).toBeLessThanOrEqual(r.source.fillBounds.maxFrames);
});

for (const kind of ['swap', 'flip']) {
    test(`negative control: a ${kind === 'swap' ? 'swapped frame' : 'flipped sample'} injected on purpose is caught where it was put`, async ({ page }) => {
        const { url } = await open(page);
        const frame = 48_000 + 1234;
        const r = await page.evaluate((o) => window.speechTest.run(o), { url, seconds: 3, fault: { kind, frame } });
        note(r, `negative control (${kind})`);
        expectClean(r);
        expect(r.analyzer.mismatches, 'the comparison must fail on the injected fault').toBe(1);
        expect(r.analyzer.first[0].frame).toBe(frame);
        expect(kind === 'swap' ? r.analyzer.swapped : r.analyzer.flipped).toBe(1);
    });
}

test('a gain step event sent from the page at stream frame N shows at frame N of the sink output, bit-exact', async ({ page }) => {
    const { url } = await open(page);
    const step = { frame: 72_000 + 77, gain: 0.5 };
    const r = await page.evaluate((o) => window.speechTest.run(o), { url, seconds: 3, step });
    note(r, `gain step at frame ${step.frame}`);
    expectClean(r);
    // The analyzer expects the samples scaled from frame N on: the step one frame
    // early or late would mismatch there (the right channel is never 0).
    expect(r.analyzer.mismatches).toBe(0);
    expect(r.source.eventsLate).toBe(0);
});
