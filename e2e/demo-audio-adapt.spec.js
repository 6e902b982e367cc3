// The demo's Audio card shows the adaptive fill: while the synth plays from a
// Worker (paced by the ring's target) and the page freezes 200 ms at a time,
// the card's chart (#audio-fill-chart) draws the fill, the target and each
// window's lowest fill with the freezes shaded, the target readout stays in
// the balanced hint's bounds, and the gain slider's events reach the worklet
// (never late: they apply at the next quantum).  A screenshot of the card is
// saved (test-results/screenshots/demo-audio-adapt--...--card.png).
import { test, expect, openDemo, screenshotPath } from './screenshot.js';

test.describe.configure({ timeout: 90_000 });

const value = async (page, id) => Number(await page.locator(id).getAttribute('data-value'));

test('the audio card plots fill and target over time with the freezes marked; gain events reach the worklet', async ({ page }) => {
    await openDemo(page);
    const panel = page.locator('#audio');
    await expect(panel).toHaveAttribute('data-state', /ready|done/);
    await page.click('#audio-start');
    await expect(page.locator('#audio-start')).toHaveText('Stop');
    await expect.poll(() => value(page, '#audio-played'), { message: 'frames played' }).toBeGreaterThan(0);
    await page.click('#audio-jank');
    await expect.poll(() => value(page, '#audio-jank-count'), { timeout: 40_000 }).toBeGreaterThanOrEqual(20);
    await page.click('#audio-jank');
    await page.locator('#audio-gain').fill('0.5'); // an input event: a gain event for the next quantum
    await page.waitForTimeout(1500);
    const chart = page.locator('#audio-fill-chart');
    for (const series of ['fill', 'target', 'low']) {
        const points = await chart.locator(`polyline[data-series="${series}"]`).getAttribute('points');
        expect(points.split(' ').length, `${series} line`).toBeGreaterThan(10);
    }
    expect(await chart.locator('rect.fill-jank').count(), 'freezes shaded').toBeGreaterThanOrEqual(3);
    const rate = Number(await page.locator('#audio-played').getAttribute('data-rate'));
    const target = await value(page, '#audio-target');
    expect(target).toBeGreaterThanOrEqual(Math.round(0.02 * rate));
    expect(target).toBeLessThanOrEqual(Math.round(0.25 * rate));
    await page.locator('#audio').screenshot({ path: screenshotPath(test.info(), 'card') });
    test.info().annotations.push({
        type: 'audio',
        description: `target ${target} frames, near misses ${await value(page, '#audio-near-misses')}, underruns ${await value(page, '#audio-underruns')}`,
    });
    await page.click('#audio-start');
    await expect(panel).toHaveAttribute('data-state', /done|error/);
    await expect(panel, await page.locator('#audio-status').textContent()).toHaveAttribute('data-state', 'done');
});
