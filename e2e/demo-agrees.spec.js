// The demo says what it ran and what is missing:
//   - each panel names its workload and can show the code it runs;
//   - an audio run that had underruns ends in 'done' but not green;
//   - a page that is isolated in an engine without SharedArrayBuffer is told
//     that the engine, not the headers, is what is missing (simulated by
//     removing the global before the page's scripts run, which the Chromium
//     and Firefox drivers can do; WebKitWebDriver cannot, and WebKitGTK has
//     the global).
import { test, expect } from './fixtures.js';

test.describe.configure({ timeout: 90_000 });

const GOOD = 'rgb(26, 127, 55)'; // style.css's --good (#1a7f37), as computed

test('each panel names its workload and folds out the code it runs', async ({ tab }) => {
    await tab.open('/');
    for (const [panel, id] of [['#audio', 'audio'], ['#messages', 'msg'], ['#throughput', 'tp']]) {
        expect(await tab.text(`#${id}-workload`)).toContain('Workload:');
        expect(await tab.attr(panel, 'data-workload')).toBeTruthy();
        const open = () => tab.query((s) => document.querySelector(s).open, `#${id}-code`);
        expect(await open()).toBe(false);
        await tab.click(`#${id}-code summary`);
        await expect.poll(open).toBe(true);
        expect(await tab.visible(`#${id}-code pre`)).toBe(true);
    }
    expect(await tab.text('#msg-workload')).toContain('idle page');
    expect(await tab.text('#tp-workload')).toContain('16 B and 64 KiB');
    expect(await tab.errors()).toEqual([]);
});

test('an audio run with underruns ends done but not green', async ({ tab }) => {
    await tab.open('/');
    await expect.poll(() => tab.attr('#audio', 'data-state')).toBe('ready');
    await tab.click('#audio-main-thread'); // the producer on the main thread: the freezes starve it
    await tab.click('#audio-start');
    await expect.poll(() => tab.text('#audio-start')).toBe('Stop');
    await expect.poll(async () => Number(await tab.attr('#audio-played', 'data-value')), { timeout: 20_000 }).toBeGreaterThan(0);
    await tab.click('#audio-jank');
    await expect.poll(async () => Number(await tab.attr('#audio-underruns', 'data-value')), { timeout: 20_000 }).toBeGreaterThan(0);
    await tab.click('#audio-jank');
    await tab.click('#audio-start');
    await expect.poll(() => tab.attr('#audio', 'data-state'), { timeout: 20_000 }).toBe('done');
    expect(await tab.attr('#audio', 'data-outcome')).toBe('underruns');
    expect(await tab.text('#audio-status')).toContain('the sound had gaps');
    expect(await tab.query(() => getComputedStyle(document.querySelector('#audio-status')).color)).not.toBe(GOOD);
    expect(await tab.errors()).toEqual([]);
});

test('an isolated page in an engine without SharedArrayBuffer blames the engine, not the headers', async ({ tab }) => {
    test.skip(typeof tab.addInitScript !== 'function', `${tab.engine}'s driver cannot run a script before the page's own; this engine has SharedArrayBuffer`);
    await tab.addInitScript(() => {
        delete globalThis.SharedArrayBuffer;
    });
    await tab.open('/');
    expect(await tab.evaluate(() => globalThis.crossOriginIsolated)).toBe(true);
    expect(await tab.visible('#isolation-banner')).toBe(true);
    expect(await tab.attr('#isolation-banner', 'data-missing')).toBe('engine');
    const banner = await tab.text('#isolation-banner');
    expect(banner).toContain('no SharedArrayBuffer');
    expect(banner).toContain('not the problem');
    expect(banner).not.toContain('not cross-origin isolated');
    expect(await tab.attr('#audio', 'data-state')).toBe('disabled');
    expect(await tab.text('#audio-status')).toContain('this browser has no SharedArrayBuffer');
    expect(await tab.errors()).toEqual([]);
});
