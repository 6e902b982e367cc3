// The demo's Audio card shows the adaptive fill, in every engine: while the
// synth plays from a Worker (paced by the ring's target) and the page freezes
// 200 ms at a time, the card's chart (#audio-fill-chart) draws the fill, the
// target and each window's lowest fill with the freezes shaded, the target
// readout stays in the card's hint's bounds, and the gain slider's events
// reach the worklet, none late (they apply at the next quantum) or refused.
// An underrun is judged by the one rule (e2e/starvation.js) on the synth
// Worker's records.  A screenshot of the card is saved
// (test-results/screenshots/<engine>--demo-audio-adapt--...--card.png).
import { test, expect } from './fixtures.js';
import { judgeUnderruns } from './starvation.js';

test.describe.configure({ timeout: 90_000 });

const value = async (tab, id) => Number(await tab.attr(id, 'data-value'));
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Moves the gain slider as a user's drag does: a new value, then an input event. */
function setGain(tab, v) {
    return tab.evaluate((x) => {
        const el = document.querySelector('#audio-gain');
        el.value = x;
        el.dispatchEvent(new Event('input', { bubbles: true }));
    }, String(v));
}

test('the audio card plots fill and target over time with the freezes marked; gain events reach the worklet', async ({ tab, shot }) => {
    await tab.open('/');
    await expect.poll(() => tab.attr('#audio', 'data-state')).toMatch(/ready|done/);
    await tab.click('#audio-start');
    await expect.poll(() => tab.text('#audio-start')).toBe('Stop');
    await expect.poll(() => value(tab, '#audio-played'), { message: 'frames played' }).toBeGreaterThan(0);
    await tab.click('#audio-jank');
    await expect.poll(() => value(tab, '#audio-jank-count'), { timeout: 40_000 }).toBeGreaterThanOrEqual(20);
    await tab.click('#audio-jank');
    await expect.poll(() => tab.attr('#audio-jank', 'aria-pressed')).toBe('false');
    await setGain(tab, 0.5);
    await sleep(1500);
    const chart = await tab.query(() => {
        const fig = document.querySelector('#audio-fill-chart');
        const points = (s) => fig.querySelector(`polyline[data-series="${s}"]`)?.getAttribute('points') ?? '';
        return { fill: points('fill'), target: points('target'), low: points('low'), janks: fig.querySelectorAll('rect.fill-jank').length };
    });
    for (const series of ['fill', 'target', 'low']) expect(chart[series].split(' ').length, `${series} line`).toBeGreaterThan(10);
    expect(chart.janks, 'freezes shaded').toBeGreaterThanOrEqual(3);
    const rate = Number(await tab.attr('#audio-played', 'data-rate'));
    const target = await value(tab, '#audio-target');
    expect(target).toBeGreaterThanOrEqual(Math.round(0.02 * rate));
    expect(target).toBeLessThanOrEqual(Math.round(0.25 * rate));
    const gain = await tab.query(() => ({ ...document.querySelector('#audio-gain').dataset }));
    expect(Number(gain.sent), 'gain events sent: the first at Start, one for the slider').toBeGreaterThanOrEqual(2);
    expect(Number(gain.refused)).toBe(0);
    expect(Number(gain.late)).toBe(0);
    expect(Number(gain.dropped)).toBe(0);
    await tab.evaluate(() => document.querySelector('#audio').scrollIntoView());
    await shot('card');
    const underruns = await value(tab, '#audio-underruns');
    test.info().annotations.push({
        type: 'audio',
        description: `target ${target} frames, near misses ${await value(tab, '#audio-near-misses')}, underruns ${underruns}, gain events ${JSON.stringify(gain)}`,
    });
    await tab.click('#audio-start');
    await expect.poll(() => tab.attr('#audio', 'data-state')).toMatch(/done|error/);
    expect(await tab.attr('#audio', 'data-state'), await tab.text('#audio-status')).toBe('done');
    const json = await tab.query(() => document.querySelector('#audio-status').dataset.records ?? null);
    expect(json, "the synth Worker's records on #audio-status").not.toBeNull();
    const verdict = judgeUnderruns({ underruns: await value(tab, '#audio-underruns'), records: JSON.parse(json), who: 'the synth Worker' });
    test.info().annotations.push({ type: 'underruns', description: verdict.message });
    expect(verdict.ok || verdict.excused, verdict.message).toBe(true);
    expect(await tab.errors()).toEqual([]);
});
