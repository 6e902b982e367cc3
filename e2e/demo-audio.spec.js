// The demo's Audio panel in real time, in every engine:
//   - Start plays the synth from a Worker: frames played climb, and after the
//     prefill no frame is an underrun, for seconds and through several 200 ms
//     freezes of the main thread (the Jank button); the audio kept going
//     through them.  Stop ends it and Start plays again from a new ring.
//     An underrun fails the test unless the synth Worker's own records show an
//     interval in which it was starved or its consumer burst
//     (e2e/starvation.js); then the test ends there and says so.
//   - The contrast: the same synth produced on the main thread runs dry when
//     the page freezes, and the underrun readout shows it (so the readout is
//     not stuck at 0); the rule excuses those underruns by the freezes (or,
//     in an engine whose audio thread may stand still with the page, by its
//     catching up: e2e/engines/facts.js).
//   - The panel at phone width while playing.
// The readouts' numbers come from each <dd>'s data-value.
import { test, expect } from './fixtures.js';
import { judgeUnderruns } from './starvation.js';
import { fillPlan } from '../demo/lanes/audio-feed.js';

test.describe.configure({ timeout: 90_000 });

const IDS = { fill: '#audio-fill', latency: '#audio-latency', underruns: '#audio-underruns', overruns: '#audio-overruns', played: '#audio-played', jank: '#audio-jank-count' };
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Every readout's data-value, as numbers. */
function readouts(tab) {
    return tab.query(
        (ids) => Object.fromEntries(Object.entries(ids).map(([k, id]) => [k, Number(document.querySelector(id).dataset.value)])),
        IDS,
    );
}

const disabled = (tab, sel) => tab.query((s) => document.querySelector(s).disabled, sel);

/** Clicks Start and waits until the worklet has taken frames from the ring (the prefill was reached). */
async function startPlaying(tab) {
    await expect.poll(() => tab.attr('#audio', 'data-state')).toMatch(/ready|done/);
    await tab.click('#audio-start');
    await expect.poll(() => tab.text('#audio-start')).toBe('Stop');
    expect(await tab.attr('#audio', 'data-state')).toBe('running');
    await expect.poll(async () => (await readouts(tab)).played, { message: 'frames played' }).toBeGreaterThan(0);
    // ... and keeps taking them.
    const first = (await readouts(tab)).played;
    await expect.poll(async () => (await readouts(tab)).played, { message: 'frames played keep climbing' }).toBeGreaterThan(first);
}

/** Turns Jank on until `freezes` more freezes happened, then off; returns how many happened. */
async function jank(tab, freezes) {
    const before = (await readouts(tab)).jank;
    await tab.click('#audio-jank');
    expect(await tab.attr('#audio-jank', 'aria-pressed')).toBe('true');
    await expect.poll(async () => (await readouts(tab)).jank, { timeout: 20_000 }).toBeGreaterThanOrEqual(before + freezes);
    await tab.click('#audio-jank');
    await expect.poll(() => tab.attr('#audio-jank', 'aria-pressed')).toBe('false');
    return (await readouts(tab)).jank - before;
}

async function stopPlaying(tab) {
    await tab.click('#audio-start');
    await expect.poll(() => tab.attr('#audio', 'data-state')).toMatch(/done|error/);
    expect(await tab.attr('#audio', 'data-state'), await tab.text('#audio-status')).toBe('done');
    expect(await tab.text('#audio-start')).toBe('Start');
    test.info().annotations.push({ type: 'audio', description: await tab.text('#audio-status') });
}

function note(label, r) {
    test.info().annotations.push({
        type: 'audio',
        description: `${label}: fill ${r.fill} frames, latency ${r.latency.toFixed(1)} ms, underruns ${r.underruns}, overruns ${r.overruns}, played ${r.played}, freezes ${r.jank}`,
    });
}

/** The producer's records (demo/lanes/consumer-watch.js) the panel left on #audio-status. */
async function records(tab) {
    const json = await tab.query(() => document.querySelector('#audio-status').dataset.records ?? null);
    expect(json, 'the producer\'s records on #audio-status').not.toBeNull();
    return JSON.parse(json);
}

/**
 * No underrun in `r` (while the synth Worker plays): false.  Otherwise stops
 * the player for the Worker's records and fails the test unless they excuse
 * the underrun (e2e/starvation.js); true when the test ends here, excused.
 */
async function starvedWorker(tab, r, label) {
    if (r.underruns === 0) return false;
    if ((await tab.text('#audio-start')) === 'Stop') await stopPlaying(tab);
    const verdict = judgeUnderruns({ underruns: r.underruns, records: await records(tab), who: 'the synth Worker' });
    test.info().annotations.push({ type: 'underruns', description: `${label}: ${verdict.message}` });
    expect(verdict.excused, `${label}: ${verdict.message}`).toBe(true);
    return true;
}

test('a Worker plays the synth with no underrun after prefill, through 200 ms freezes of the main thread; Stop and Start again', async ({ tab, shot }) => {
    await tab.open('/');
    await startPlaying(tab);
    const sampleRate = Number(await tab.attr('#audio-played', 'data-rate'));
    expect(sampleRate).toBeGreaterThanOrEqual(8000);
    const { targetFrames } = fillPlan(sampleRate);

    // Two seconds of steady play: the fill sits near its ~50 ms target, nothing is lost either way.
    const t0 = await readouts(tab);
    await sleep(2000);
    const t1 = await readouts(tab);
    note('after 2 s', t1);
    if (await starvedWorker(tab, t1, 'after 2 s')) return;
    expect(t1.overruns).toBe(0);
    expect(t1.played).toBeGreaterThan(t0.played);
    expect(t1.fill).toBeGreaterThan(0);
    // The Worker tops up to the adaptive target (#audio-target), in whole quanta.
    expect(t1.fill).toBeLessThanOrEqual(Math.max(targetFrames, Number(await tab.attr('#audio-target', 'data-value'))) + 128);
    expect(t1.latency).toBeGreaterThanOrEqual((t1.fill / sampleRate) * 1000);
    await shot('playing');

    // Freeze the page 200 ms at a time, at least 4 times: the Worker keeps the ring filled meanwhile.
    const freezes = await jank(tab, 4);
    const t2 = await readouts(tab);
    note(`after ${freezes} freezes of 200 ms`, t2);
    if (await starvedWorker(tab, t2, `after ${freezes} freezes`)) return;
    expect(t2.overruns).toBe(0);
    // The worklet took frames from the ring through the freezes: at least half of the frozen time's worth
    // (the audio clock runs in real time; half leaves room for a slow shared machine).
    expect(t2.played - t1.played).toBeGreaterThan((freezes * 0.2 * sampleRate) / 2);
    await shot('after-jank');

    await stopPlaying(tab);
    const stopped = await readouts(tab);
    if (await starvedWorker(tab, stopped, 'at Stop')) return;
    expect(stopped.played).toBeGreaterThanOrEqual(t2.played);

    // Start again: a new context and a new ring, counting from zero.
    await startPlaying(tab);
    const again = await readouts(tab);
    expect(again.played).toBeLessThan(stopped.played);
    if (await starvedWorker(tab, again, 'after Start again')) return;
    await stopPlaying(tab);
    expect(await tab.errors()).toEqual([]);
});

test('produced on the main thread instead, the same freezes starve the ring and the underrun count shows it', async ({ tab, facts }) => {
    await tab.open('/');
    await tab.click('#audio-main-thread');
    expect(await tab.evaluate(() => document.querySelector('#audio-main-thread').checked)).toBe(true);
    await startPlaying(tab);
    expect(await disabled(tab, '#audio-main-thread')).toBe(true);
    const before = await readouts(tab);
    // The main-thread producer's records are live on the panel: any underrun before the freezes is judged by them.
    const verdict = judgeUnderruns({ underruns: before.underruns, records: await records(tab), who: 'the main thread' });
    test.info().annotations.push({ type: 'underruns', description: `before the freezes: ${verdict.message}` });
    expect(verdict.ok || verdict.excused, verdict.message).toBe(true);
    const freezes = await jank(tab, 2);
    const after = await readouts(tab);
    note(`main thread, after ${freezes} freezes`, after);
    // A 200 ms freeze outlasts the ~50 ms queued: the worklet played silence.
    expect(after.underruns).toBeGreaterThan(before.underruns);
    expect(await tab.attr('#audio-underruns', 'data-bad')).toBe('true');
    await stopPlaying(tab);
    // The rule names the cause: the producer starved by the freezes, or where the audio thread may stand still with the page, its catching up.
    const stopped = await readouts(tab);
    const why = judgeUnderruns({ underruns: stopped.underruns, records: await records(tab), who: 'the main thread' });
    test.info().annotations.push({ type: 'underruns', description: `the freezes (wanted): ${why.message}` });
    expect(why.excused, why.message).toBe(true);
    expect(why.message).toMatch(facts.audioThreadInFreeze === 'runs' ? /the producer was starved/ : /the producer was starved|its consumer outran it/);
    expect(await disabled(tab, '#audio-main-thread')).toBe(false);
    expect(await tab.errors()).toEqual([]);
});

test.describe('at phone width', () => {
    test.use({ viewport: { width: 390, height: 844 } });
    test('the panel plays and its readouts fit a phone-width window', async ({ tab }) => {
        await tab.open('/');
        await startPlaying(tab);
        const view = await tab.evaluate(() => innerWidth);
        expect(view).toBeLessThan(480); // 390 px, or MiniBrowser's narrowest (e2e/layout.spec.js)
        const box = await tab.box('#audio');
        expect(box.x).toBeGreaterThanOrEqual(0);
        expect(box.x + box.width).toBeLessThanOrEqual(view);
        // Nothing inside the panel sticks out of it.
        expect(await tab.evaluate(() => document.querySelector('#audio').scrollWidth - document.querySelector('#audio').clientWidth)).toBe(0);
        await sleep(500);
        if (await starvedWorker(tab, await readouts(tab), 'at phone width')) return;
        await tab.evaluate(() => document.querySelector('#audio').scrollIntoView());
        expect(await tab.errors()).toEqual([]);
    });
});
