// The panels run when their button is clicked and show results a user can
// trust: the message race delivers every message in order on every path, the
// throughput run delivers every byte through every ring, and the jank button
// really freezes the main thread.  Each row of a result table keeps its
// numbers in data-* attributes (see demo/panels/*.js).
import { test, expect } from './fixtures.js';

/** The data-* of every row in a result table, with its first cell's text as `label`. */
function rows(tab, table) {
    return tab.query(
        (t) => [...document.querySelectorAll(`${t} tbody tr`)].map((tr) => ({ ...tr.dataset, label: tr.querySelector('td')?.textContent })),
        table,
    );
}

/** The chart's bars as { label: value }. */
function bars(tab, chart) {
    return tab.query(
        (c) => Object.fromEntries([...document.querySelectorAll(`${c} rect.chart-bar`)].map((r) => [r.dataset.label, Number(r.dataset.value)])),
        chart,
    );
}

/** Clicks `button` in `panel` and waits until the panel is done (with its status as the message otherwise). */
async function runPanel(tab, panel, button, status) {
    await expect.poll(() => tab.attr(panel, 'data-state')).toBe('ready');
    await tab.click(button);
    await expect.poll(() => tab.attr(panel, 'data-state'), { timeout: 45_000 }).toMatch(/done|error/);
    expect(await tab.attr(panel, 'data-state'), await tab.text(status)).toBe('done');
}

test('message race: every path delivers every message, in order, and the chart shows it', async ({ tab }) => {
    await tab.open('/');
    await runPanel(tab, '#messages', '#msg-run', '#msg-status');
    const ran = (await rows(tab, '#msg-result')).filter((r) => r.available === 'true');
    expect(ran.map((r) => r.lane)).toEqual(['MessagePipe', 'postMessage']);
    const chart = await bars(tab, '#msg-chart > div:first-child');
    for (const r of ran) {
        expect(Number(r.sent), r.lane).toBe(20000);
        expect(Number(r.received), r.lane).toBe(Number(r.sent));
        expect(r.inOrder, r.lane).toBe('true');
        expect(Number(r.rate), r.lane).toBeGreaterThan(0);
        expect(Number(r.medianMs), r.lane).toBeGreaterThanOrEqual(0);
        expect(chart[r.label], r.lane).toBe(Number(r.rate));
    }
    expect(await tab.evaluate(() => document.querySelectorAll('#msg-chart svg').length)).toBe(2);
    expect(await tab.errors()).toEqual([]);
});

test('throughput: every ring delivers every byte, at a non-zero rate', async ({ tab }) => {
    await tab.open('/');
    await runPanel(tab, '#throughput', '#tp-run', '#tp-status');
    const ran = (await rows(tab, '#tp-result')).filter((r) => r.available === 'true');
    expect(ran.map((r) => r.lane)).toEqual(['ring_buffer_safe', 'ringbuf.js']);
    const chart = await bars(tab, '#tp-chart');
    for (const r of ran) {
        expect(Number(r.sent), r.lane).toBe(64 * 2 ** 20);
        expect(Number(r.received), r.lane).toBe(Number(r.sent));
        expect(r.checked, r.lane).toBe('true');
        expect(Number(r.rate), r.lane).toBeGreaterThan(0);
    }
    expect(Object.values(chart)).toEqual(ran.map((r) => Number(r.rate)));
    expect(await tab.errors()).toEqual([]);
});

test('the jank button freezes the main thread 200 ms at a time, and stops', async ({ tab }) => {
    await tab.open('/');
    const count = async () => Number(await tab.attr('#audio-jank-count', 'data-value'));
    // A 10 ms timer on the page: the longest gap between its ticks is how long the thread was frozen.
    await tab.evaluate(() => {
        window.__gaps = { last: performance.now(), max: 0 };
        setInterval(() => {
            const now = performance.now();
            window.__gaps.max = Math.max(window.__gaps.max, now - window.__gaps.last);
            window.__gaps.last = now;
        }, 10);
    });
    await tab.click('#audio-jank');
    expect(await tab.attr('#audio-jank', 'aria-pressed')).toBe('true');
    await expect.poll(count).toBeGreaterThanOrEqual(3);
    await tab.click('#audio-jank');
    await expect.poll(() => tab.attr('#audio-jank', 'aria-pressed')).toBe('false');
    const stopped = await count();
    expect(await tab.evaluate(() => window.__gaps.max)).toBeGreaterThanOrEqual(195);
    await new Promise((resolve) => setTimeout(resolve, 700));
    expect(await count()).toBe(stopped);
});
