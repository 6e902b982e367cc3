// The demo's Audio panel in real time (headless Chromium plays an
// AudioContext in real time with playwright.config.js's flags):
//   - Start plays the synth from a Worker: frames played climb, and after the
//     prefill no frame is an underrun, for seconds and through several 200 ms
//     freezes of the main thread (the Jank button); the audio kept going
//     through them.  Stop ends it and Start plays again from a new ring.
//   - The contrast: the same synth produced on the main thread runs dry when
//     the page freezes, and the underrun readout shows it (so the readout is
//     not stuck at 0).
//   - The panel at phone width while playing.
// The readouts' numbers come from each <dd>'s data-value.
import { test, expect, openDemo } from './screenshot.js';
import { fillPlan } from '../demo/lanes/audio-feed.js';

test.describe.configure({ timeout: 90_000 });

const IDS = { fill: '#audio-fill', latency: '#audio-latency', underruns: '#audio-underruns', overruns: '#audio-overruns', played: '#audio-played', jank: '#audio-jank-count' };

/** Every readout's data-value, as numbers. */
async function readouts(page) {
    const out = {};
    for (const [k, id] of Object.entries(IDS)) out[k] = Number(await page.locator(id).getAttribute('data-value'));
    return out;
}

/** Clicks Start and waits until the worklet has taken frames from the ring (the prefill was reached). */
async function startPlaying(page) {
    const panel = page.locator('#audio');
    await expect(panel).toHaveAttribute('data-state', /ready|done/);
    await page.click('#audio-start');
    await expect(page.locator('#audio-start')).toHaveText('Stop');
    await expect(panel).toHaveAttribute('data-state', 'running');
    await expect.poll(async () => (await readouts(page)).played, { message: 'frames played' }).toBeGreaterThan(0);
    // ... and keeps taking them.
    const first = (await readouts(page)).played;
    await expect.poll(async () => (await readouts(page)).played, { message: 'frames played keep climbing' }).toBeGreaterThan(first);
}

/** Turns Jank on until `freezes` more freezes happened, then off; returns how many happened. */
async function jank(page, freezes) {
    const before = (await readouts(page)).jank;
    await page.click('#audio-jank');
    await expect(page.locator('#audio-jank')).toHaveAttribute('aria-pressed', 'true');
    await expect.poll(async () => (await readouts(page)).jank, { timeout: 20_000 }).toBeGreaterThanOrEqual(before + freezes);
    await page.click('#audio-jank');
    await expect(page.locator('#audio-jank')).toHaveAttribute('aria-pressed', 'false');
    return (await readouts(page)).jank - before;
}

async function stopPlaying(page) {
    await page.click('#audio-start');
    await expect(page.locator('#audio')).toHaveAttribute('data-state', /done|error/);
    await expect(page.locator('#audio'), await page.locator('#audio-status').textContent()).toHaveAttribute('data-state', 'done');
    await expect(page.locator('#audio-start')).toHaveText('Start');
    test.info().annotations.push({ type: 'audio', description: await page.locator('#audio-status').textContent() });
}

function note(label, r) {
    test.info().annotations.push({
        type: 'audio',
        description: `${label}: fill ${r.fill} frames, latency ${r.latency.toFixed(1)} ms, underruns ${r.underruns}, overruns ${r.overruns}, played ${r.played}, freezes ${r.jank}`,
    });
}

test('a Worker plays the synth with no underrun after prefill, through 200 ms freezes of the main thread; Stop and Start again', async ({ page, pageErrors, shot }) => {
    await openDemo(page);
    await startPlaying(page);
    const sampleRate = Number(await page.locator('#audio-played').getAttribute('data-rate'));
    expect(sampleRate).toBeGreaterThanOrEqual(8000);
    const { targetFrames } = fillPlan(sampleRate);

    // Two seconds of steady play: the fill sits near its ~50 ms target, nothing is lost either way.
    const t0 = await readouts(page);
    await page.waitForTimeout(2000);
    const t1 = await readouts(page);
    note('after 2 s', t1);
    expect(t1.underruns).toBe(0);
    expect(t1.overruns).toBe(0);
    expect(t1.played).toBeGreaterThan(t0.played);
    expect(t1.fill).toBeGreaterThan(0);
    // The Worker tops up to the adaptive target (#audio-target), in whole quanta.
    expect(t1.fill).toBeLessThanOrEqual(Math.max(targetFrames, Number(await page.locator('#audio-target').getAttribute('data-value'))) + 128);
    expect(t1.latency).toBeGreaterThanOrEqual((t1.fill / sampleRate) * 1000);
    await shot('playing');

    // Freeze the page 200 ms at a time, at least 4 times: the Worker keeps the ring filled meanwhile.
    const freezes = await jank(page, 4);
    const t2 = await readouts(page);
    note(`after ${freezes} freezes of 200 ms`, t2);
    expect(t2.underruns).toBe(0);
    expect(t2.overruns).toBe(0);
    // The worklet took frames from the ring through the freezes: at least half of the frozen time's worth
    // (the audio clock runs in real time; half leaves room for a slow shared machine).
    expect(t2.played - t1.played).toBeGreaterThan((freezes * 0.2 * sampleRate) / 2);
    await shot('after-jank');

    await stopPlaying(page);
    const stopped = await readouts(page);
    expect(stopped.underruns).toBe(0);
    expect(stopped.played).toBeGreaterThanOrEqual(t2.played);

    // Start again: a new context and a new ring, counting from zero.
    await startPlaying(page);
    const again = await readouts(page);
    expect(again.played).toBeLessThan(stopped.played);
    expect(again.underruns).toBe(0);
    await stopPlaying(page);
    expect(pageErrors).toEqual([]);
});

test('produced on the main thread instead, the same freezes starve the ring and the underrun count shows it', async ({ page, pageErrors }) => {
    await openDemo(page);
    await page.check('#audio-main-thread');
    await startPlaying(page);
    await expect(page.locator('#audio-main-thread')).toBeDisabled();
    const before = await readouts(page);
    expect(before.underruns).toBe(0);
    const freezes = await jank(page, 2);
    const after = await readouts(page);
    note(`main thread, after ${freezes} freezes`, after);
    // A 200 ms freeze outlasts the ~50 ms queued: the worklet played silence.
    expect(after.underruns).toBeGreaterThan(0);
    await expect(page.locator('#audio-underruns')).toHaveAttribute('data-bad', 'true');
    await stopPlaying(page);
    await expect(page.locator('#audio-main-thread')).toBeEnabled();
    expect(pageErrors).toEqual([]);
});

test.describe('at phone width', () => {
    test.use({ viewport: { width: 390, height: 844 } });
    test('the panel plays and its readouts fit a 390 px window', async ({ page, pageErrors }) => {
        await openDemo(page);
        await startPlaying(page);
        const panel = page.locator('#audio');
        const box = await panel.boundingBox();
        expect(box.x).toBeGreaterThanOrEqual(0);
        expect(box.x + box.width).toBeLessThanOrEqual(390);
        // Nothing inside the panel sticks out of it.
        const overflow = await panel.evaluate((s) => s.scrollWidth - s.clientWidth);
        expect(overflow).toBe(0);
        await page.waitForTimeout(500);
        expect((await readouts(page)).underruns).toBe(0);
        await panel.scrollIntoViewIfNeeded();
        expect(pageErrors).toEqual([]);
    });
});
