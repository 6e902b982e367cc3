// Cross-origin isolation: with the server's headers the page has
// SharedArrayBuffer; without them it says so and shows the two headers.
// WebKitGTK (with the JSC_useSharedArrayBuffer=1 it needs for any
// SharedArrayBuffer) has SharedArrayBuffer on the plain page too: asserted
// as that engine's documented behaviour (e2e/engines/facts.js).
import { test, expect } from './fixtures.js';
import { PLAIN_URL } from './servers.js';

const HEADER_LINES = [
    'Cross-Origin-Opener-Policy: same-origin',
    'Cross-Origin-Embedder-Policy: require-corp',
];
const PANELS = ['#audio', '#messages', '#throughput'];

/** The isolation headers of the page's own URL, as this browser reads them. */
function isolationHeaders() {
    return fetch(location.href).then((r) => ({
        coop: r.headers.get('cross-origin-opener-policy'),
        coep: r.headers.get('cross-origin-embedder-policy'),
    }));
}

test('the page is cross-origin isolated and has SharedArrayBuffer', async ({ tab }) => {
    await tab.open('/');
    expect(await tab.evaluate(isolationHeaders)).toEqual({ coop: 'same-origin', coep: 'require-corp' });
    const facts = await tab.evaluate(() => ({
        isolated: globalThis.crossOriginIsolated,
        sab: typeof SharedArrayBuffer,
        sabBytes: new SharedArrayBuffer(16).byteLength,
        waitAsync: typeof Atomics.waitAsync,
    }));
    expect(facts).toEqual({ isolated: true, sab: 'function', sabBytes: 16, waitAsync: 'function' });
    expect(await tab.attr('html', 'data-isolated')).toBe('true');
    expect(await tab.visible('#isolation-banner')).toBe(false);
    expect(await tab.text('h1')).toBe('ring_buffer_safe');
    for (const id of PANELS) {
        await expect.poll(() => tab.attr(id, 'data-state'), { message: id }).not.toMatch(/loading|disabled/);
    }
    expect(await tab.errors()).toEqual([]);
});

test('served without the headers, the page explains and shows both headers', async ({ tab, facts }) => {
    await tab.open(`${PLAIN_URL}/`);
    expect(await tab.evaluate(isolationHeaders)).toEqual({ coop: null, coep: null });
    const found = await tab.evaluate(() => ({ isolated: globalThis.crossOriginIsolated, sab: typeof SharedArrayBuffer }));
    expect(found).toEqual({ isolated: false, sab: facts.sabWithoutIsolation ? 'function' : 'undefined' });
    expect(await tab.visible('#isolation-banner')).toBe(true);
    const banner = await tab.text('#isolation-banner');
    expect(banner).toContain('not cross-origin isolated');
    expect(banner).toContain('SharedArrayBuffer');
    const shown = (await tab.text('#isolation-headers')).split('\n').map((l) => l.trim());
    expect(shown).toEqual(HEADER_LINES);
    expect(await tab.attr('html', 'data-isolated')).toBe('false');
    for (const id of PANELS) {
        expect(await tab.attr(id, 'data-state'), id).toBe('disabled');
        const buttons = await tab.evaluate((s) => [...document.querySelectorAll(`${s} button`)].map((b) => b.disabled), id);
        expect(buttons.length, id).toBeGreaterThan(0);
        expect(buttons, id).toEqual(buttons.map(() => true));
    }
    expect(await tab.errors()).toEqual([]);
});
