// Cross-origin isolation: with the server's headers the page has
// SharedArrayBuffer; without them it says so and shows the two headers.
import { test, expect, openDemo } from './screenshot.js';
import { PLAIN_URL } from './servers.js';

const HEADER_LINES = [
    'Cross-Origin-Opener-Policy: same-origin',
    'Cross-Origin-Embedder-Policy: require-corp',
];

test('the page is cross-origin isolated and has SharedArrayBuffer', async ({ page, pageErrors }) => {
    const response = await openDemo(page);
    const headers = response.headers();
    expect(headers['cross-origin-opener-policy']).toBe('same-origin');
    expect(headers['cross-origin-embedder-policy']).toBe('require-corp');
    const facts = await page.evaluate(() => ({
        isolated: globalThis.crossOriginIsolated,
        sab: typeof SharedArrayBuffer,
        sabBytes: new SharedArrayBuffer(16).byteLength,
        waitAsync: typeof Atomics.waitAsync,
    }));
    expect(facts).toEqual({ isolated: true, sab: 'function', sabBytes: 16, waitAsync: 'function' });
    await expect(page.locator('html')).toHaveAttribute('data-isolated', 'true');
    await expect(page.locator('#isolation-banner')).toBeHidden();
    await expect(page.locator('h1')).toHaveText('ring_buffer_safe');
    for (const id of ['#audio', '#messages', '#throughput']) {
        await expect(page.locator(id)).not.toHaveAttribute('data-state', /loading|disabled/);
    }
    expect(pageErrors).toEqual([]);
});

test('served without the headers, the page explains and shows both headers', async ({ page, pageErrors }) => {
    const response = await openDemo(page, `${PLAIN_URL}/`);
    expect(response.headers()['cross-origin-opener-policy']).toBeUndefined();
    expect(response.headers()['cross-origin-embedder-policy']).toBeUndefined();
    expect(await page.evaluate(() => globalThis.crossOriginIsolated)).toBe(false);
    const banner = page.locator('#isolation-banner');
    await expect(banner).toBeVisible();
    await expect(banner).toContainText('not cross-origin isolated');
    await expect(banner).toContainText('SharedArrayBuffer');
    const shown = (await page.locator('#isolation-headers').textContent()).split('\n').map((l) => l.trim());
    expect(shown).toEqual(HEADER_LINES);
    await expect(page.locator('html')).toHaveAttribute('data-isolated', 'false');
    for (const id of ['#audio', '#messages', '#throughput']) {
        await expect(page.locator(id)).toHaveAttribute('data-state', 'disabled');
        for (const button of await page.locator(`${id} button`).all()) await expect(button).toBeDisabled();
    }
    expect(pageErrors).toEqual([]);
});
