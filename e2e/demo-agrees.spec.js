// The demo says what it ran and what is missing:
//   - each panel names its workload and can show the code it runs;
//   - an audio run that had underruns ends in 'done' but not green;
//   - a page that is isolated in an engine without SharedArrayBuffer is told
//     that the engine, not the headers, is what is missing.
import { test, expect, openDemo } from './screenshot.js';

test.describe.configure({ timeout: 90_000 });

const GOOD = 'rgb(26, 127, 55)'; // style.css's --good (#1a7f37), as computed

test('each panel names its workload and folds out the code it runs', async ({ page, pageErrors }) => {
    await openDemo(page);
    for (const [panel, id] of [['#audio', 'audio'], ['#messages', 'msg'], ['#throughput', 'tp']]) {
        await expect(page.locator(`#${id}-workload`)).toContainText('Workload:');
        expect(await page.locator(panel).getAttribute('data-workload')).toBeTruthy();
        const code = page.locator(`#${id}-code`);
        await expect(code.locator('pre')).toBeHidden();
        await code.locator('summary').click();
        await expect(code.locator('pre')).toBeVisible();
    }
    await expect(page.locator('#msg-workload')).toContainText('idle page');
    await expect(page.locator('#tp-workload')).toContainText('16 B and 64 KiB');
    expect(pageErrors).toEqual([]);
});

test('an audio run with underruns ends done but not green', async ({ page, pageErrors }) => {
    await openDemo(page);
    await page.check('#audio-main-thread'); // the producer on the main thread: the freezes starve it
    await page.click('#audio-start');
    await expect(page.locator('#audio-start')).toHaveText('Stop');
    await expect.poll(async () => Number(await page.locator('#audio-played').getAttribute('data-value'))).toBeGreaterThan(0);
    await page.click('#audio-jank');
    await expect.poll(async () => Number(await page.locator('#audio-underruns').getAttribute('data-value')), { timeout: 20_000 }).toBeGreaterThan(0);
    await page.click('#audio-jank');
    await page.click('#audio-start');
    const panel = page.locator('#audio');
    await expect(panel).toHaveAttribute('data-state', 'done');
    await expect(panel).toHaveAttribute('data-outcome', 'underruns');
    await expect(page.locator('#audio-status')).toContainText('the sound had gaps');
    expect(await page.locator('#audio-status').evaluate((el) => getComputedStyle(el).color)).not.toBe(GOOD);
    expect(pageErrors).toEqual([]);
});

test('an isolated page in an engine without SharedArrayBuffer blames the engine, not the headers', async ({ page, pageErrors }) => {
    await page.addInitScript(() => {
        delete globalThis.SharedArrayBuffer;
    });
    await openDemo(page);
    expect(await page.evaluate(() => globalThis.crossOriginIsolated)).toBe(true);
    const banner = page.locator('#isolation-banner');
    await expect(banner).toBeVisible();
    await expect(banner).toHaveAttribute('data-missing', 'engine');
    await expect(banner).toContainText('no SharedArrayBuffer');
    await expect(banner).toContainText('not the problem');
    await expect(banner).not.toContainText('not cross-origin isolated');
    await expect(page.locator('#audio')).toHaveAttribute('data-state', 'disabled');
    await expect(page.locator('#audio-status')).toContainText('this browser has no SharedArrayBuffer');
    expect(pageErrors).toEqual([]);
});
