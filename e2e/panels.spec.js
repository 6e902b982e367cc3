// The panels run when their button is clicked and show results a user can
// trust: the message race delivers every message in order on every path, the
// throughput run delivers every byte through every ring, and the jank button
// really freezes the main thread.  Each row of a result table keeps its
// numbers in data-* attributes (see demo/panels/*.js).
import { test, expect, openDemo } from './screenshot.js';

/** The data-* of every row in a result table. */
async function rows(page, table) {
    return page.locator(`${table} tbody tr`).evaluateAll((trs) => trs.map((tr) => ({ ...tr.dataset })));
}

/** The chart's bars as { label: value }. */
async function bars(page, chart) {
    const list = await page
        .locator(`${chart} rect.chart-bar`)
        .evaluateAll((rs) => rs.map((r) => [r.dataset.label, Number(r.dataset.value)]));
    return Object.fromEntries(list);
}

test('message race: every path delivers every message, in order, and the chart shows it', async ({ page, pageErrors }) => {
    await openDemo(page);
    const panel = page.locator('#messages');
    await expect(panel).toHaveAttribute('data-state', 'ready');
    await page.click('#msg-run');
    await expect(panel).toHaveAttribute('data-state', /done|error/, { timeout: 45_000 });
    await expect(panel, await page.locator('#msg-status').textContent()).toHaveAttribute('data-state', 'done');
    const ran = (await rows(page, '#msg-result')).filter((r) => r.available === 'true');
    expect(ran.map((r) => r.lane)).toEqual(['MessagePipe', 'postMessage']);
    const chart = await bars(page, '#msg-chart > div:first-child');
    for (const r of ran) {
        expect(Number(r.sent), r.lane).toBe(20000);
        expect(Number(r.received), r.lane).toBe(Number(r.sent));
        expect(r.inOrder, r.lane).toBe('true');
        expect(Number(r.rate), r.lane).toBeGreaterThan(0);
        expect(Number(r.medianMs), r.lane).toBeGreaterThanOrEqual(0);
        expect(chart[await page.locator(`#msg-result tr[data-lane="${r.lane}"] td`).first().textContent()]).toBe(Number(r.rate));
    }
    await expect(page.locator('#msg-chart svg')).toHaveCount(2);
    expect(pageErrors).toEqual([]);
});

test('MessagePipe carries text in this browser, whose TextEncoder/TextDecoder refuse shared memory', async ({ page, pageErrors }) => {
    await openDemo(page);
    const texts = ['', 'a', 'héllo € 中文 😀 𝄞', 'x'.repeat(3000), '€'.repeat(2000), 'a\ud800b'];
    const r = await page.evaluate(async (texts) => {
        const { MessagePipe } = await import('/dist/index.js');
        const shared = new Uint8Array(new SharedArrayBuffer(8));
        let refuses = false;
        try {
            new TextEncoder().encodeInto('a', shared);
        } catch {
            refuses = true; // what the pipe works around: it encodes into a plain buffer first
        }
        const pipe = MessagePipe.create({ capacity: 16384 }); // largest message 8188 bytes
        const sent = texts.map((t) => pipe.sender.trySend(t));
        const got = texts.map(() => pipe.receiver.tryRecvText());
        // Full: a string that does not fit is refused whole.
        pipe.sender.trySend(new Uint8Array(8000));
        const refused = pipe.sender.trySend('€'.repeat(2700)); // 8100 bytes
        const whole = pipe.receiver.tryRecv().length;
        const after = pipe.receiver.tryRecv();
        let tooBig = '';
        try {
            pipe.sender.trySend('€'.repeat(2730)); // 8190 bytes
        } catch (e) {
            tooBig = `${e.name}: ${e.message}`;
        }
        return { refuses, sent, got, refused, whole, after: after === undefined ? 'undefined' : after, tooBig };
    }, texts);
    expect(r.refuses).toBe(true);
    expect(r.sent).toEqual(texts.map(() => true));
    expect(r.got).toEqual([...texts.slice(0, -1), 'a\ufffdb']);
    expect(r.refused).toBe(false);
    expect(r.whole).toBe(8000);
    expect(r.after).toBe('undefined');
    expect(r.tooBig).toMatch(/^RangeError: MessageSender\.trySend: data is a string of 8190 bytes in UTF-8, larger than maxMessageSize 8188/);
    expect(pageErrors).toEqual([]);
});

test('throughput: every ring delivers every byte, at a non-zero rate', async ({ page, pageErrors }) => {
    await openDemo(page);
    const panel = page.locator('#throughput');
    await expect(panel).toHaveAttribute('data-state', 'ready');
    await page.click('#tp-run');
    await expect(panel).toHaveAttribute('data-state', /done|error/, { timeout: 45_000 });
    await expect(panel, await page.locator('#tp-status').textContent()).toHaveAttribute('data-state', 'done');
    const ran = (await rows(page, '#tp-result')).filter((r) => r.available === 'true');
    expect(ran.map((r) => r.lane)).toEqual(['ring_buffer_safe', 'ringbuf.js']);
    const chart = await bars(page, '#tp-chart');
    for (const r of ran) {
        expect(Number(r.sent), r.lane).toBe(64 * 2 ** 20);
        expect(Number(r.received), r.lane).toBe(Number(r.sent));
        expect(r.checked, r.lane).toBe('true');
        expect(Number(r.rate), r.lane).toBeGreaterThan(0);
    }
    expect(Object.values(chart)).toEqual(ran.map((r) => Number(r.rate)));
    expect(pageErrors).toEqual([]);
});

test('the jank button freezes the main thread 200 ms at a time, and stops', async ({ page }) => {
    await openDemo(page);
    // A 10 ms timer on the page: the longest gap between its ticks is how long the thread was frozen.
    await page.evaluate(() => {
        window.__gaps = { last: performance.now(), max: 0 };
        setInterval(() => {
            const now = performance.now();
            window.__gaps.max = Math.max(window.__gaps.max, now - window.__gaps.last);
            window.__gaps.last = now;
        }, 10);
    });
    await page.click('#audio-jank');
    await expect(page.locator('#audio-jank')).toHaveAttribute('aria-pressed', 'true');
    await expect.poll(() => page.locator('#audio-jank-count').getAttribute('data-value').then(Number)).toBeGreaterThanOrEqual(3);
    await page.click('#audio-jank');
    await expect(page.locator('#audio-jank')).toHaveAttribute('aria-pressed', 'false');
    const stopped = Number(await page.locator('#audio-jank-count').getAttribute('data-value'));
    expect(await page.evaluate(() => window.__gaps.max)).toBeGreaterThanOrEqual(195);
    await page.waitForTimeout(700);
    expect(Number(await page.locator('#audio-jank-count').getAttribute('data-value'))).toBe(stopped);
});
